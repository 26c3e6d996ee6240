package graph_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/graph"
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
