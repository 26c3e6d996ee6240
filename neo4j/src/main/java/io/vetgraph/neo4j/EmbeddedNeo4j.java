package io.vetgraph.neo4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs Neo4j Community embedded, reachable only over Bolt on 127.0.0.1:PORT.
 *
 * <p>Usage: {@code EmbeddedNeo4j [HOME [PORT]]}, or the system properties
 * {@code vetgraph.neo4j.home} / {@code vetgraph.neo4j.port}. HOME holds the store
 * (HOME/data) and Neo4j's own logs (HOME/logs). Authentication is disabled: this is
 * a development/test server and Bolt listens on the loopback interface only.
 * No HTTP connector is started. SIGTERM shuts the databases down cleanly.
 */
public final class EmbeddedNeo4j {
    static final String READY = "vetgraph-neo4j READY";

    public static void main(String[] args) throws InterruptedException {
        Path home = Path.of(args.length > 0 ? args[0] : System.getProperty("vetgraph.neo4j.home", ".neo4j"))
                .toAbsolutePath().normalize();
        int port = Integer.parseInt(args.length > 1 ? args[1] : System.getProperty("vetgraph.neo4j.port", "7687"));
        String bolt = "bolt://127.0.0.1:" + port;

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                    .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    // Loopback-only dev/test server: no authentication.
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    // Bind nothing but Bolt: no HTTP(S), no server-side routing connector (default :7688).
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.routing_enabled, false)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // Bolt otherwise waits 5 s + 5 s for (already closed) connections on shutdown.
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                    .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(30))
                    // Small transaction logs: the default preallocates 256 MiB per database.
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(32))
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "128M size")
                    .build();
        } catch (RuntimeException e) {
            System.err.println("vetgraph-neo4j FAILED to start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("vetgraph-neo4j stopping");
            try {
                dbms.shutdown();
            } finally {
                System.out.println("vetgraph-neo4j STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "vetgraph-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofMinutes(3).toMillis())) {
            System.err.println("vetgraph-neo4j FAILED: database '" + db.databaseName() + "' not available");
            System.exit(1);
        }
        db.executeTransactionally("RETURN 1");
        System.out.println(READY + " " + bolt + " (home " + home + ")");
        System.out.flush();
        stopped.await(); // Neo4j's threads keep the JVM alive; SIGTERM runs the hook above.
    }

    private EmbeddedNeo4j() {
    }
}
