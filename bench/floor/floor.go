// Package floor is the benchmark's floor: a minimal HTTP handler that runs
// one reference Cypher statement per benchmark query through the Neo4j Go
// driver, with the same driver settings as vetgraph and no GraphQL, and
// writes the records as JSON. What it costs is what the database and the
// driver cost; vetgraph's overhead is measured against it.
//
// POST /q/{name} with a JSON object of variables (the same variables the
// GraphQL targets get) answers {"rows": [...]}; POST /w/addRelation runs
// vetgraph's addRelation write transaction (writes.go).
package floor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Vocabulary is the list of vocabulary relationship types ($types).
func Vocabulary() []string {
	out := make([]string, len(kg.Vocabulary()))
	for i, v := range kg.Vocabulary() {
		out[i] = string(v.Type)
	}
	return out
}

// Query is one reference statement and how its parameters are made from the
// request's variables.
type Query struct {
	Cypher string
	Params func(vars map[string]any) map[string]any
	// Row, when set, is what the answer carries of each record, instead of
	// the whole record: for a statement whose rows are candidates that the
	// caller would reduce (evidence search), the floor reads every row from
	// Neo4j, as vetgraph does, but writes no more JSON than it needs.
	Row func(rec *neo4j.Record) map[string]any
}

func intVar(vars map[string]any, name string, def int64) int64 {
	switch v := vars[name].(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	}
	return def
}

func strVar(vars map[string]any, name string) any {
	if s, ok := vars[name].(string); ok {
		return s
	}
	return nil
}

// Queries are the reference statements, by benchmark query name. Each
// returns what the GraphQL queries of the other targets select, no more.
var Queries = map[string]Query{
	// point: one entity by id.
	"point": {
		Cypher: `
MATCH (n:Entity {id: $id})
RETURN n {.id, .kind, .nameZh, .nameEn, .aliases, .city, .schoolType} AS entity`,
		Params: func(v map[string]any) map[string]any { return map[string]any{"id": strVar(v, "id")} },
	},

	// page: enterprises with a vocabulary relationship (either direction) to
	// a country, by English sort key then id; one more than the page so that
	// hasNextPage is known.
	"page": {
		Cypher: `
MATCH (:Entity {id: $country})-[r]-(n:Enterprise)
WHERE type(r) IN $types
WITH DISTINCT n
ORDER BY n.sortEn, n.id
LIMIT $limit
RETURN n {.id, .nameZh, .nameEn, .city} AS entity`,
		Params: func(v map[string]any) map[string]any {
			return map[string]any{"country": strVar(v, "country"), "types": Vocabulary(), "limit": intVar(v, "first", 20) + 1}
		},
	},

	// twohop: a school's alliances (MEMBER_OF out, first by relation id) and
	// each alliance's members (MEMBER_OF in, first by relation id).
	"twohop": {
		Cypher: `
MATCH (s:Entity {id: $id})
CALL (s) {
  MATCH (s)-[r:MEMBER_OF]->(a:Alliance)
  WITH r, a ORDER BY r.id LIMIT $first
  CALL (a) {
    MATCH (a)<-[r2:MEMBER_OF]-(m:Entity)
    WITH r2, m ORDER BY r2.id LIMIT $first
    RETURN collect({rel: r2.id, id: m.id, nameZh: m.nameZh}) AS members
  }
  RETURN collect({rel: r.id, quote: r.quote, id: a.id, nameZh: a.nameZh, members: members}) AS alliances
}
RETURN s.id AS id, alliances`,
		Params: func(v map[string]any) map[string]any {
			return map[string]any{"id": strVar(v, "id"), "first": intVar(v, "first", 10)}
		},
	},

	// neighborhood: vetgraph's own statement (store.NeighborhoodStatement)
	// for depth 2 and the cheapest answer (ids, kinds, names, distance):
	// the centre's direct neighbours first, one hop further only when they
	// do not fill the limit. The plain ANY SHORTEST search it replaced took
	// ~6 s around a hub at 1M nodes, where this one takes milliseconds.
	"neighborhood": {Cypher: neighborhoodCypher, Params: neighborhoodParams},

	// evidence: vetgraph's own evidence-search statement
	// (store.EvidenceCypher), whose rows are the candidates vetgraph grades,
	// orders and pages in Go.
	"evidence": {Cypher: store.EvidenceCypher, Params: evidenceParams, Row: evidenceRow},

	// search: vetgraph's own search statement over schools (see searchNames).
	"search": {Cypher: searchNames, Params: searchParams},

	// path: the first shortest path (undirected, vocabulary relationships,
	// at most 4 hops) in the order of its relation ids.
	"path": {
		Cypher: `
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = SHORTEST 1 GROUPS (a) (()-[r WHERE type(r) IN $types]-(:Entity)){1,4} (b)
WITH p ORDER BY [rel IN relationships(p) | rel.id]
LIMIT 1
RETURN [n IN nodes(p) | n {.id, .nameZh}] AS nodes,
  [rel IN relationships(p) | {id: rel.id, type: type(rel)}] AS edges, length(p) AS length`,
		Params: func(v map[string]any) map[string]any {
			return map[string]any{"from": strVar(v, "from"), "to": strVar(v, "to"), "types": Vocabulary()}
		},
	},
}

// searchNames is vetgraph's own (internal/store): the reference Cypher of
// the search query is the statement vetgraph runs, with its parameters.
const searchNames = store.SearchCypher

// neighborhoodDepth is the depth of the benchmark's neighbourhood query.
const neighborhoodDepth = 2

var neighborhoodCypher, _, _ = store.NeighborhoodStatement(store.NeighborhoodQuery{ID: "-", Depth: neighborhoodDepth, Limit: 1})

func neighborhoodParams(v map[string]any) map[string]any {
	id, _ := v["id"].(string)
	_, p, err := store.NeighborhoodStatement(store.NeighborhoodQuery{ID: id, Depth: neighborhoodDepth, Limit: int(intVar(v, "limit", 50))})
	if err != nil {
		return nil // a limit out of range, which the benchmark never sends
	}
	return p
}

func evidenceParams(v map[string]any) map[string]any {
	text, _ := v["text"].(string)
	p, _ := store.EvidenceParams(store.EvidenceQuery{Text: text, First: int(intVar(v, "first", 10))})
	return p // nil for a blank text, which the benchmark never sends
}

// evidenceRow is a candidate's kind and id: an entity's (node), else the
// relation's, fact's or document's (item).
func evidenceRow(rec *neo4j.Record) map[string]any {
	kind, _ := rec.Values[0].(string)
	id := ""
	if n, ok := rec.Values[1].(neo4j.Node); ok && kind == "ENTITY" {
		id, _ = n.Props["id"].(string)
	} else if m, ok := rec.Values[2].(map[string]any); ok {
		id, _ = m["id"].(string)
	}
	return map[string]any{"kind": kind, "id": id}
}

func searchParams(v map[string]any) map[string]any {
	text, _ := v["text"].(string)
	p, _ := store.SearchParams(store.SearchQuery{Text: text, Kinds: []kg.Kind{kg.School}, First: int(intVar(v, "first", 10))})
	return p // nil (no parameters) for a blank text, which the benchmark never sends
}

// Driver opens a driver with vetgraph's settings (cmd/vetgraph openStore).
func Driver(uri, user, password string, pool int) (neo4j.DriverWithContext, error) {
	auth := neo4j.NoAuth()
	if user != "" {
		auth = neo4j.BasicAuth(user, password, "")
	}
	return neo4j.NewDriverWithContext(uri, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = pool
		c.ConnectionAcquisitionTimeout = 10 * time.Second
		c.SocketConnectTimeout = 5 * time.Second
		c.MaxTransactionRetryTime = 5 * time.Second
	})
}

// Handler serves the reference queries over driver in database.
func Handler(driver neo4j.DriverWithContext, database string, timeout time.Duration) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("POST /w/addRelation", handleAddRelation(driver, database, timeout)) // writes.go
	mux.HandleFunc("POST /q/{name}", func(w http.ResponseWriter, r *http.Request) {
		q, ok := Queries[r.PathValue("name")]
		if !ok {
			http.Error(w, `{"error":"no such query"}`, http.StatusNotFound)
			return
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.UseNumber()
		var vars map[string]any
		if err := dec.Decode(&vars); err != nil {
			http.Error(w, `{"error":"bad variables"}`, http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		res, err := neo4j.ExecuteQuery(ctx, driver, q.Cypher, q.Params(vars), neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(database), neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		rows := make([]map[string]any, len(res.Records))
		for i, rec := range res.Records {
			if q.Row != nil {
				rows[i] = q.Row(rec)
			} else {
				rows[i] = rec.AsMap()
			}
		}
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(map[string]any{"rows": rows}); err != nil {
			http.Error(w, `{"error":"encode"}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(buf.Bytes())
	})
	return mux
}

// Names lists the query names in a fixed order.
func Names() []string {
	return []string{"point", "page", "twohop", "search", "path", "neighborhood", "evidence"}
}

// Has reports whether the floor has a statement for name.
func Has(name string) bool { _, ok := Queries[name]; return ok }
