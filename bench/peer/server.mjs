// The benchmark's peer: @neo4j/graphql 7 (the best-known generated GraphQL API
// for Neo4j) on graphql-yoga 5, over the same Neo4j, database and pool size as
// vetgraph. Type definitions: typedefs.graphql beside this file.
//
// Environment: NEO4J_URI, NEO4J_DATABASE (neo4j), NEO4J_MAX_POOL_SIZE (50),
// PEER_ADDR (127.0.0.1:7712). POST /graphql; GET /healthz.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { createYoga } from "graphql-yoga";
import neo4j from "neo4j-driver";

const uri = process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687";
const database = process.env.NEO4J_DATABASE ?? "neo4j";
const pool = Number(process.env.NEO4J_MAX_POOL_SIZE ?? "50");
const [host, port] = (process.env.PEER_ADDR ?? "127.0.0.1:7712").split(":");

const auth = process.env.NEO4J_USER ? neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD ?? "") : undefined;
const driver = neo4j.driver(uri, auth, {
  maxConnectionPoolSize: pool,
  connectionAcquisitionTimeout: 10_000,
  connectionTimeout: 5_000,
  maxTransactionRetryTime: 5_000,
});

const typeDefs = readFileSync(new URL("./typedefs.graphql", import.meta.url), "utf8");
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();
if (process.argv.includes("--print-schema")) {
  const { printSchema } = await import("graphql");
  console.log(printSchema(schema));
  await driver.close();
  process.exit(0);
}

const yoga = createYoga({
  schema,
  graphqlEndpoint: "/graphql",
  graphiql: false,
  logging: "warn",
  maskedErrors: false,
  // Same database as vetgraph; queries run in read transactions (the library's default for queries).
  context: () => ({ sessionConfig: { database } }),
});

const server = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\n");
    return;
  }
  yoga(req, res);
});
server.keepAliveTimeout = 120_000;
server.listen(Number(port), host, () => {
  console.log(`peer is up: http://${host}:${port}/graphql (neo4j ${uri}, pool ${pool})`);
});
const stop = () => server.close(() => driver.close().then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
