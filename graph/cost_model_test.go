package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// cost prices query with the cost model, as the complexity limit does.
func cost(t *testing.T, query string) int {
	t.Helper()
	es := NewExecutableSchema(Config{Complexity: costs(100)})
	doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), query, rules.NewDefaultRules())
	if len(errs) > 0 {
		t.Fatalf("%s: %v", query, errs)
	}
	return complexity.Calculate(context.Background(), es, doc.Operations[0], nil)
}

// aliased repeats field n times under aliases a0, a1, ….
func aliased(field string, n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	b.WriteString(" }")
	return b.String()
}

// The explore page's neighbourhood (web/src/explore/api.js).
const pageNeighborhood = `query Neighborhood($id: ID!, $types: [RelationType!]) {
  neighborhood(id: $id, depth: 1, types: $types, limit: 60) { nodes { ...N distance } edges { ...E } more { nodeId type count } truncated } }
fragment N on GraphNode { id kind zh: name(lang: ZH) en: name(lang: EN) degree }
fragment E on GraphEdge { id type from to zh: label(lang: ZH) en: label(lang: EN) detailZh: detail(lang: ZH) detailEn: detail(lang: EN)
  at { value } since { value } until { value } evidence { quote document { id title } } }`

func TestCostModel(t *testing.T) {
	const (
		lookup = `{ entity(id: "cqvie") { id nameZh } }`
		paths4 = `paths(from: "cqvie", to: "thailand", maxHops: 4) { nodes { id } edges { id } }`
		heavy  = `paths(from: "cqvie", to: "thailand", maxHops: 4, first: 5) { length nodes { id name } edges { id type } }`
	)
	nested := `{ entity(id: "cqvie") { ` + strings.Repeat("relations { edges { node { other { ", 4) + "id" + strings.Repeat(" } } } }", 4) + " } }"
	// The costs the README quotes.
	for _, tc := range []struct {
		name  string
		query string
		want  int
	}{
		{"a lookup", lookup, 12},
		{"paths at 4 hops", "{ " + paths4 + " }", 695},
		{"issue 11's 30 aliased paths at 4 hops", aliased(heavy, 30), 21300},
		{"the explore page's neighbourhood", pageNeighborhood, 2005},
	} {
		if got := cost(t, tc.query); got != tc.want {
			t.Errorf("%s: cost %d, want %d", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		what      string
		more      string
		less      string
		atLeast   int // more ≥ atLeast × less
		exactlyBy bool
	}{
		{"paths at 4 hops against a lookup", "{ " + paths4 + " }", lookup, 50, false},
		{"two aliased paths against one", aliased(paths4, 2), aliased(paths4, 1), 2, true},
		{"thirty aliased paths against one", aliased(paths4, 30), aliased(paths4, 1), 30, true},
		{"paths at 6 hops against 4", `{ paths(from: "a", to: "b", maxHops: 6) { length } }`, `{ paths(from: "a", to: "b", maxHops: 4) { length } }`, 8, false},
		{"shortestPath at 6 hops against 4", `{ shortestPath(from: "a", to: "b", maxHops: 6) { length } }`, `{ shortestPath(from: "a", to: "b", maxHops: 4) { length } }`, 3, false},
		{"neighbourhood of depth 3 against 1", `{ neighborhood(id: "a", depth: 3) { truncated } }`, `{ neighborhood(id: "a", depth: 1) { truncated } }`, 5, false},
		{"a neighbourhood of 200 against 50", `{ neighborhood(id: "a", limit: 200) { nodes { id name } } }`, `{ neighborhood(id: "a", limit: 50) { nodes { id name } } }`, 2, false},
		{"a page of 100 against 10", `{ entities(first: 100) { edges { node { id name } } } }`, `{ entities(first: 10) { edges { node { id name } } } }`, 5, false},
		{"relations of 100 against 10", `{ entity(id: "a") { relations(first: 100) { edges { node { id } } } } }`, `{ entity(id: "a") { relations(first: 10) { edges { node { id } } } } }`, 5, false},
		{"explain at 4 hops against a lookup", `{ explain(from: "a", to: "b") { text } }`, lookup, 10, false},
	} {
		more, less := cost(t, tc.more), cost(t, tc.less)
		if tc.exactlyBy && more != tc.atLeast*less || more < tc.atLeast*less {
			t.Errorf("%s: %d against %d, want ×%d", tc.what, more, less, tc.atLeast)
		}
	}
	// Arguments out of range are priced at the edge of the range: the
	// resolver refuses them with their own code (PAGE_SIZE_LIMIT_EXCEEDED,
	// HOPS_LIMIT_EXCEEDED), not the complexity limit.
	for _, tc := range [][2]string{
		{`{ entities(first: 100000) { edges { cursor } } }`, `{ entities(first: 100) { edges { cursor } } }`},
		{`{ entities(last: -5) { edges { cursor } } }`, `{ entities(last: 1) { edges { cursor } } }`},
		{`{ paths(from: "a", to: "b", maxHops: 99, first: 99) { length } }`, `{ paths(from: "a", to: "b", maxHops: 6, first: 20) { length } }`},
		{`{ neighborhood(id: "a", depth: 9, limit: 5000) { truncated } }`, `{ neighborhood(id: "a", depth: 3, limit: 200) { truncated } }`},
	} {
		if a, b := cost(t, tc[0]), cost(t, tc[1]); a != b {
			t.Errorf("%s costs %d, want %d as %s", tc[0], a, b, tc[1])
		}
	}
	// Every kind of entity prices its fields alike (an Entity field is
	// priced at its costliest implementation).
	for _, kind := range []string{"School", "Country", "Person", "Award"} {
		if a, b := cost(t, `{ entity(id: "a") { relations(first: 7) { totalCount } } }`),
			cost(t, `{ entity(id: "a") { ... on `+kind+` { relations(first: 7) { totalCount } } } }`); a != b {
			t.Errorf("relations on Entity cost %d, on %s %d: want the same", a, kind, b)
		}
	}
	if c := cost(t, nested); c <= 50000 {
		t.Errorf("relations nested four deep cost %d, want over the default limit of 50,000", c)
	}
}
