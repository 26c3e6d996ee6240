package graph_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Issue 12, the analyst's API: relation walks that fit the depth limit,
// names where exploration takes ids, the root relations list, roll-up of
// parts, incremental delivery and Relay node. Each test asks the real
// handler over the test Neo4j.

// walk is a relation walk of hops levels from cqvie, first relations per
// page, ending in the other entity's id and Chinese name.
func walk(hops, first int) string {
	page := "relations(first: " + strconv.Itoa(first) + ") { edges { node { type other { id nameZh "
	return `{ entity(id: "cqvie") { id ` + strings.Repeat(page, hops) + strings.Repeat("} } } } ", hops) + `} }`
}

// A four-hop walk fits the default limits (depth 12, cost 50,000): a
// connection's edges and node count no level. Deeper walks are refused by
// depth, and a walk whose pages multiply too far by cost, each with its code.
func TestFourHopWalkFitsTheDefaultLimits(t *testing.T) {
	d := ask(t, walk(4, 3), nil)
	path := "entity" + strings.Repeat(".relations.edges.*.node.other", 4) + ".id"
	if ids := pluck(d, path); len(ids) == 0 {
		t.Fatalf("no entity four hops from cqvie: %v", d)
	}
	// The same walk with the evidence of the last hop's relations: still in.
	q := strings.Replace(walk(4, 3), "type other { id nameZh } }", "type evidence { quote document { title } } other { id nameZh } }", 1)
	if !strings.Contains(q, "evidence") {
		t.Fatal("test query not rewritten")
	}
	ask(t, q, nil)

	for _, tc := range []struct {
		name, query, code string
	}{
		// 1 + 2 per hop + the leaf: six hops are 14 levels.
		{"six hops", walk(6, 1), graph.CodeDepthLimit},
		// Four hops of 50 relations each: 50⁴ rows.
		{"four hops of 50", walk(4, 50), graph.CodeComplexityLimit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, tc.query, nil)
			if code(r) != tc.code || r.Data["entity"] != nil {
				t.Errorf("errors %+v, data %v; want %s", r.Errors, r.Data, tc.code)
			}
		})
	}
	// Five hops with small pages fit exactly: 11 levels and the leaf.
	ask(t, walk(5, 2), nil)
}

// The exploration fields take a name or alias wherever they take an id,
// resolved as entityByName: the answers are those of the ids.
func TestExplorationByName(t *testing.T) {
	byID := ask(t, `{
  s: shortestPath(from: "`+khonKaenCI+`", to: "cqvie") { length nodes { id } edges { id } }
  p: paths(from: "`+khonKaenCI+`", to: "cqvie", first: 3) { nodes { id } edges { id } }
  e: explain(from: "`+khonKaenCI+`", to: "cqvie", lang: EN) { text }
  c: commonNeighbors(a: "`+khonKaenCI+`", b: "cqvie") { id }
  n: neighborhood(id: "cqvie", limit: 5) { nodes { id distance } }
}`, nil)
	byName := ask(t, `{
  s: shortestPath(fromName: "泰国孔敬大学孔子学院", toName: "重庆工程职院") { length nodes { id } edges { id } }
  p: paths(fromName: "Confucius Institute at Khon Kaen University", to: "cqvie", first: 3) { nodes { id } edges { id } }
  e: explain(from: "`+khonKaenCI+`", toName: " ｃｑｖｉｅ ", lang: EN) { text }
  c: commonNeighbors(aName: "泰国孔敬大学孔子学院", bName: "CQVIE") { id }
  n: neighborhood(name: "渝工程", limit: 5) { nodes { id distance } }
}`, nil)
	for _, k := range []string{"s", "p", "e", "c", "n"} {
		a, _ := json.Marshal(byID[k])
		b, _ := json.Marshal(byName[k])
		if string(a) != string(b) {
			t.Errorf("%s by name = %s, by id %s", k, b, a)
		}
	}
	if pluck(byName, "s.length")[0] != "2" {
		t.Errorf("shortest path by name: %v", byName["s"])
	}
}

// Bad references: an unknown name or id is NOT_FOUND naming the argument,
// both or neither of id and name BAD_USER_INPUT, a blank or overlong name
// BAD_USER_INPUT.
func TestExplorationBadReferences(t *testing.T) {
	for _, tc := range []struct {
		name, query, code, inMessage string
	}{
		{"unknown name", `{ explain(fromName: "没有这个学校", to: "cqvie") { text } }`, graph.CodeNotFound, `"没有这个学校" (fromName)`},
		{"unknown id", `{ explain(from: "cqvie", to: "no-such-school") { text } }`, graph.CodeNotFound, `"no-such-school" (to)`},
		{"unknown name, neighborhood", `{ neighborhood(name: "Atlantis Polytechnic") { truncated } }`, graph.CodeNotFound, "(name)"},
		{"unknown name, commonNeighbors", `{ commonNeighbors(a: "cqvie", bName: "Atlantis") { id } }`, graph.CodeNotFound, "(bName)"},
		{"both", `{ shortestPath(from: "cqvie", fromName: "CQVIE", to: "cqipc") { length } }`, graph.CodeBadInput, "from or fromName, not both"},
		{"neither", `{ shortestPath(to: "cqipc") { length } }`, graph.CodeBadInput, "give from"},
		{"neither, neighborhood", `{ neighborhood { truncated } }`, graph.CodeBadInput, "give id"},
		{"blank name", `{ paths(fromName: "  ", to: "cqipc") { length } }`, graph.CodeBadInput, "not blank"},
		{"long name", `{ paths(fromName: "` + strings.Repeat("名", 201) + `", to: "cqipc") { length } }`, graph.CodeBadInput, "1–200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, tc.query, nil)
			if code(r) != tc.code || !strings.Contains(r.Errors[0].Message, tc.inMessage) {
				t.Errorf("errors %+v; want %s with %q", r.Errors, tc.code, tc.inMessage)
			}
		})
	}
}

// A name two entities hold (which writes refuse, but a graph may hold) is
// AMBIGUOUS_NAME, listing both with id, kind and names.
func TestExplorationAmbiguousName(t *testing.T) {
	const name = "歧义测试名"
	drv := neo4jtest.Driver(t)
	ctx := context.Background()
	run := func(cypher string) {
		t.Helper()
		if _, err := neo4j.ExecuteQuery(ctx, drv, cypher, map[string]any{"key": textkey.Key(name), "name": name},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database())); err != nil {
			t.Fatal(err)
		}
	}
	cleanup := `MATCH (n:Entity) WHERE n.id IN ['test-ambiguous-a', 'test-ambiguous-b'] DETACH DELETE n
WITH count(*) AS done MATCH (k:Name {key: $key}) DETACH DELETE k`
	run(cleanup)
	t.Cleanup(func() { run(cleanup) })
	run(`CREATE (a:Entity:School {id: 'test-ambiguous-a', kind: 'School', nameZh: '歧义学院', origin: 'api'}),
  (b:Entity:Organization {id: 'test-ambiguous-b', kind: 'Organization', nameZh: '歧义机构', nameEn: 'Ambiguity Office', origin: 'api'}),
  (k:Name {key: $key, text: $name, origin: 'api'}), (k)-[:NAME_OF]->(a), (k)-[:NAME_OF]->(b)`)

	r := post(t, `{ explain(fromName: "歧义测试名", to: "cqvie") { text } }`, nil)
	if code(r) != graph.CodeAmbiguousName {
		t.Fatalf("errors %+v, want %s", r.Errors, graph.CodeAmbiguousName)
	}
	e := r.Errors[0]
	for _, want := range []string{"test-ambiguous-a (歧义学院)", "test-ambiguous-b (歧义机构)", "fromName"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q lacks %q", e.Message, want)
		}
	}
	got, _ := json.Marshal(e.Extensions["candidates"])
	want := `[{"id":"test-ambiguous-a","kind":"SCHOOL","nameEn":null,"nameZh":"歧义学院"},{"id":"test-ambiguous-b","kind":"ORGANIZATION","nameEn":"Ambiguity Office","nameZh":"歧义机构"}]`
	if string(got) != want || e.Extensions["argument"] != "fromName" || e.Extensions["name"] != name {
		t.Errorf("extensions = %v\n candidates %s\nwant %s", e.Extensions, got, want)
	}
}
