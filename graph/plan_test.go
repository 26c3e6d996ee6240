package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// nestedQuery walks relations of relations of relations from one entity.
const nestedQuery = `query($id: ID!) {
  entity(id: $id) {
    id nameZh
    relations(first: 6) { totalCount edges { node { id other { id
      relations(direction: OUT, first: 3) { totalCount edges { node { id other { id
        relations(direction: IN, first: 2) { edges { node { id other { id } } } }
      } } } }
    } } } }
  }
}`

// The root entity and three levels of relations below it are read in one
// statement, and the answer is what the data files say, level by level.
func TestNestedRelationsOneStatement(t *testing.T) {
	h := deepHandler(t)
	if n := statements(t, h, nestedQuery, map[string]any{"id": "cqvie"}); n != 1 {
		t.Errorf("%d statements for an entity and three nested levels of relations, want 1", n)
	}
	// Same handler, the planner's work compared with the data files.
	d := askWith(t, h, nestedQuery, map[string]any{"id": "cqvie"})
	got := flattenNested(d["entity"].(map[string]any), 0)
	ref := neo4jtest.Ref(t)
	want := refNested(ref, "cqvie", []levelSpec{{"", 6, true}, {"OUT", 3, true}, {"IN", 2, false}}, 0)
	if !slices.Equal(got, want) {
		t.Errorf("nested relations:\n got %q\nwant %q", got, want)
	}
	if len(want) < 20 {
		t.Fatalf("the reference answer has only %d lines; pick a better connected entity", len(want))
	}
}

// An unknown id is null with no error, after two statements: the entity's
// own (one seek, all an existing id costs), then the merged-away ids'.
func TestRootEntityUnknownIsNull(t *testing.T) {
	h := deepHandler(t)
	if n := statements(t, h, nestedQuery, map[string]any{"id": "no-such-entity"}); n != 2 {
		t.Errorf("%d statements, want 2", n)
	}
	d := askWith(t, h, nestedQuery, map[string]any{"id": "no-such-entity"})
	if d["entity"] != nil {
		t.Errorf("entity = %v, want null", d["entity"])
	}
}

// Deeper than the planner reads ahead, and with a second relations field
// under an alias, the answer is still complete: levels it does not plan are
// read by their own resolvers.
func TestNestedRelationsBeyondPlan(t *testing.T) {
	inner := "id"
	for range 5 {
		inner = "id relations(first: 1) { edges { node { other { " + inner + " } } } }"
	}
	q := `query { entity(id: "cqvie") { id
  a: relations(first: 1) { edges { node { other { ` + inner + ` } } } }
  b: relations(first: 2, direction: OUT) { edges { node { id } } }
} }`
	d := askWith(t, deepHandler(t), q, nil)
	e := d["entity"].(map[string]any)
	if ids := pluck(e, "a"+strings.Repeat(".edges.*.node.other.relations", 5)+".edges.*.node.other.id"); len(ids) != 1 {
		t.Errorf("six levels deep: %q, want one id", ids)
	}
	ref := neo4jtest.Ref(t)
	var out []string
	for _, r := range sortedIncident(ref, "cqvie", "OUT") {
		out = append(out, r.ID)
	}
	if got := pluck(e, "b.edges.*.node.id"); !slices.Equal(got, out[:2]) {
		t.Errorf("aliased second relations field = %q, want %q", got, out[:2])
	}
}

// deepHandler is the real handler with a depth limit that lets a query
// nest relations six levels deep.
func deepHandler(t *testing.T) http.Handler {
	lim := testLimits
	lim.MaxDepth = 40
	return graph.NewHandler(neo4jtest.Store(t), nil, lim, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// askWith runs a query that must succeed through h and returns its data.
func askWith(t *testing.T, h http.Handler, query string, vars map[string]any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 || len(out.Errors) > 0 {
		t.Fatalf("query failed: %d %s", rec.Code, rec.Body)
	}
	return out.Data
}

type levelSpec struct {
	dir   string // "", OUT or IN
	first int
	total bool
}

// flattenNested lists "depth:relID>otherID" for every edge, depth first,
// and "depth:total=N" after each page that has a totalCount.
func flattenNested(e map[string]any, depth int) []string {
	conn, _ := e["relations"].(map[string]any)
	if conn == nil {
		return nil
	}
	var out []string
	for _, edge := range conn["edges"].([]any) {
		node := edge.(map[string]any)["node"].(map[string]any)
		other := node["other"].(map[string]any)
		out = append(out, fmt.Sprintf("%d:%s>%s", depth, node["id"], other["id"]))
		out = append(out, flattenNested(other, depth+1)...)
	}
	if tc, ok := conn["totalCount"].(float64); ok {
		out = append(out, fmt.Sprintf("%d:total=%d", depth, int(tc)))
	}
	return out
}

// refNested computes flattenNested's answer from the data files.
func refNested(ref *neo4jtest.Reference, id string, levels []levelSpec, depth int) []string {
	if len(levels) == 0 {
		return nil
	}
	l := levels[0]
	rels := sortedIncident(ref, id, l.dir)
	var out []string
	for i, r := range rels {
		if i == l.first {
			break
		}
		other := neo4jtest.Other(r, id)
		out = append(out, fmt.Sprintf("%d:%s>%s", depth, r.ID, other))
		out = append(out, refNested(ref, other, levels[1:], depth+1)...)
	}
	if l.total {
		out = append(out, fmt.Sprintf("%d:total=%d", depth, len(rels)))
	}
	return out
}

// sortedIncident lists id's vocabulary relations in the direction dir
// ("" either), by relation id.
func sortedIncident(ref *neo4jtest.Reference, id, dir string) []kg.Relation {
	var out []kg.Relation
	for _, r := range ref.Rels {
		if (r.From == id && dir != "IN") || (r.To == id && dir != "OUT") {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b kg.Relation) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// BenchmarkNestedRelations measures one request of an entity with two
// levels of relations below it (the shape of the benchmark's two-hop query)
// through the real handler and Neo4j.
func BenchmarkNestedRelations(b *testing.B) {
	benchRequests(b, `query($id: ID!) { entity(id: $id) { id relations(direction: OUT, first: 10) { edges { node { id evidence { quote } other { id nameZh relations(direction: IN, first: 10) { edges { node { id other { id nameZh } } } } } } } } } }`,
		map[string]any{"id": "cqvie"})
}
