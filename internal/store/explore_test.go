package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// The exploration queries are checked against breadth- and depth-first
// searches over the data files in Go (neo4jtest.Reference).

const (
	cqvie    = "cqvie"
	cqipc    = "cqipc"
	khonKaen = "khon-kaen-university-confucius-institute"
	ctAlli   = "china-thailand-vocational-education-alliance"
	tanzLW   = "tanzania-luban-workshop"
	meeting  = "chengdu-chongqing-alliance-annual-meeting-2024"
)

func TestNeighborhoodMatchesBreadthFirstSearch(t *testing.T) {
	s := neo4jtest.Store(t)
	ref := neo4jtest.Ref(t)
	for i, tc := range []struct {
		centre string
		depth  int
		limit  int
		types  []kg.RelType
		kinds  []kg.Kind
		asOf   string
	}{
		{centre: cqvie, depth: 1, limit: 200},
		{centre: cqvie, depth: 1, limit: 10},
		{centre: cqvie, depth: 2, limit: 200},
		{centre: cqvie, depth: 2, limit: 40},
		{centre: cqvie, depth: 3, limit: 200},
		{centre: cqvie, depth: 3, limit: 1},
		{centre: tanzLW, depth: 1, limit: 50},
		{centre: tanzLW, depth: 2, limit: 12},
		{centre: tanzLW, depth: 3, limit: 200},
		{centre: khonKaen, depth: 3, limit: 60},
		{centre: ctAlli, depth: 2, limit: 200, types: []kg.RelType{kg.CoFounded, kg.GuidedBy, kg.Serves}},
		{centre: cqipc, depth: 2, limit: 200, kinds: []kg.Kind{kg.Alliance, kg.School}},
		{centre: cqipc, depth: 3, limit: 15, kinds: []kg.Kind{kg.Country}},
		{centre: ctAlli, depth: 1, limit: 50, asOf: "2018-04"},
		{centre: ctAlli, depth: 1, limit: 50, asOf: "2018-05"},
		{centre: meeting, depth: 1, limit: 50, asOf: "2024-05-13"},
		{centre: meeting, depth: 1, limit: 50, asOf: "2024-06"},
		{centre: meeting, depth: 2, limit: 50, asOf: "2024-05-01"},
		{centre: ctAlli, depth: 3, limit: 5}, // one hop fills the limit
		{centre: cqvie, depth: 3, limit: 40}, // two hops fill it
		// CQVIE has 28 neighbours: one hop fills 28 (with the centre, one
		// more than fits), not 29 or 30.
		{centre: cqvie, depth: 2, limit: 28},
		{centre: cqvie, depth: 2, limit: 29},
		{centre: cqvie, depth: 2, limit: 30},
	} {
		name := fmt.Sprintf("%s/depth=%d/limit=%d/types=%v/kinds=%v/asOf=%s", tc.centre, tc.depth, tc.limit, tc.types, tc.kinds, tc.asOf)
		t.Run(name, func(t *testing.T) {
			q := store.NeighborhoodQuery{
				ID: tc.centre, Depth: tc.depth, Limit: tc.limit, Types: tc.types, Kinds: tc.kinds, AsOf: tc.asOf,
				Parts: store.AllParts,
			}
			got, err := s.Neighborhood(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			// The same question asking for fewer parts gives the same nodes,
			// and the parts it asks for equal those of the full answer.
			for _, parts := range []store.Parts{{}, partsCycle[i%len(partsCycle)]} {
				q.Parts = parts
				fewer, err := s.Neighborhood(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				checkSubgraphParts(t, parts, fewer, got)
			}
			want := ref.Neighborhood(tc.centre, tc.depth, neo4jtest.Filter{Types: tc.types, AsOf: tc.asOf}, tc.kinds, tc.limit)
			var ids []string
			for _, n := range got.Nodes {
				ids = append(ids, n.Entity.ID)
				if n.Distance != want.Distance[n.Entity.ID] {
					t.Errorf("distance of %s = %d, want %d", n.Entity.ID, n.Distance, want.Distance[n.Entity.ID])
				}
				if d := ref.Degree(n.Entity.ID); n.Degree != d {
					t.Errorf("degree of %s = %d, want %d", n.Entity.ID, n.Degree, d)
				}
				if _, ok := ref.Entities[n.Entity.ID]; !ok {
					t.Errorf("node %q is not an entity of the data files", n.Entity.ID)
				}
			}
			if !slices.Equal(ids, want.Nodes) {
				t.Errorf("nodes (%d) = %q\nwant (%d) %q", len(ids), ids, len(want.Nodes), want.Nodes)
			}
			if got.Truncated != want.Truncated {
				t.Errorf("truncated = %v, want %v (%d reachable, limit %d)", got.Truncated, want.Truncated, want.Reachable, tc.limit)
			}
			var edges []string
			for _, e := range got.Edges {
				edges = append(edges, e.ID)
				if !slices.Contains(ids, e.From) || !slices.Contains(ids, e.To) {
					t.Errorf("edge %s joins a node that was not returned", e.ID)
				}
				if _, ok := kg.LookupRelType(string(e.Type)); !ok || e.Evidence.Quote == "" {
					t.Errorf("edge %s: type %q, quote %q", e.ID, e.Type, e.Evidence.Quote)
				}
			}
			slices.Sort(edges)
			if !slices.Equal(edges, want.Edges) {
				t.Errorf("edges = %q\nwant %q", edges, want.Edges)
			}
			more := map[string]int{}
			for _, m := range got.More {
				more[m.NodeID+" "+string(m.Type)] = m.Count
			}
			if fmt.Sprint(more) != fmt.Sprint(want.More) {
				t.Errorf("more = %v\nwant %v", more, want.More)
			}
		})
	}
}

// partsCycle are the parts asked for besides none and all, one per test
// case in turn: each part in one of them (few, since each combination is a
// statement Neo4j plans anew, a second or more each). A path reads only
// Degree, Entity and Relation, one of each.
var partsCycle = []store.Parts{
	{Degree: true, More: true}, {Entity: true, Edges: true}, {Edges: true, Relation: true},
}

// checkSubgraphParts checks a neighbourhood computed with parts against the
// same one computed with every part: the same nodes, distances and
// truncation; the parts asked for equal; the others left zero.
func checkSubgraphParts(t *testing.T, parts store.Parts, got, full store.Subgraph) {
	t.Helper()
	if len(got.Nodes) != len(full.Nodes) || got.Truncated != full.Truncated {
		t.Fatalf("parts %+v: %d nodes, truncated %v; with all parts %d, %v", parts, len(got.Nodes), got.Truncated, len(full.Nodes), full.Truncated)
	}
	for i, n := range got.Nodes {
		checkNodeParts(t, parts, n, full.Nodes[i])
	}
	if !parts.Edges && got.Edges != nil || !parts.More && got.More != nil {
		t.Errorf("parts %+v: edges %v, more %v computed though not asked for", parts, got.Edges, got.More)
	}
	if parts.Edges {
		if len(got.Edges) != len(full.Edges) {
			t.Fatalf("parts %+v: %d edges, want %d", parts, len(got.Edges), len(full.Edges))
		}
		for i, e := range got.Edges {
			checkRelationParts(t, parts, e, full.Edges[i])
		}
	}
	if parts.More && fmt.Sprint(got.More) != fmt.Sprint(full.More) {
		t.Errorf("parts %+v: more = %v\nwant %v", parts, got.More, full.More)
	}
}

// checkNodeParts checks one node computed with parts against the same node
// computed with every part.
func checkNodeParts(t *testing.T, parts store.Parts, got, full store.Node) {
	t.Helper()
	want := full
	if !parts.Degree {
		want.Degree = 0
	}
	if !parts.Entity {
		e := full.Entity
		want.Entity = kg.Entity{ID: e.ID, Kind: e.Kind, NameZh: e.NameZh, NameEn: e.NameEn}
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("parts %+v: node = %+v\nwant %+v", parts, got, want)
	}
}

// checkRelationParts checks one relation computed with parts against the
// same relation computed with every part.
func checkRelationParts(t *testing.T, parts store.Parts, got, full kg.Relation) {
	t.Helper()
	want := full
	if !parts.Relation {
		want = kg.Relation{ID: full.ID, Type: full.Type, From: full.From, To: full.To}
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("parts %+v: relation = %+v\nwant %+v", parts, got, want)
	}
}

// Spot checks that do not depend on the reference search.
func TestNeighborhoodFacts(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	ids := func(sg store.Subgraph) []string {
		var out []string
		for _, n := range sg.Nodes {
			out = append(out, n.Entity.ID)
		}
		return out
	}
	// The alliance was co-founded by CQVIE and the Khon Kaen CI in 2018-05:
	// not yet in April 2018.
	before, err := s.Neighborhood(ctx, store.NeighborhoodQuery{ID: ctAlli, Depth: 1, Limit: 50, AsOf: "2018-04", Parts: store.AllParts})
	if err != nil {
		t.Fatal(err)
	}
	after, err := s.Neighborhood(ctx, store.NeighborhoodQuery{ID: ctAlli, Depth: 1, Limit: 50, AsOf: "2018-05"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range before.Edges {
		if e.Type == kg.CoFounded || e.Type == kg.GuidedBy {
			t.Errorf("asOf 2018-04 shows %s", e.ID)
		}
	}
	if slices.Contains(ids(before), khonKaen) || !slices.Contains(ids(after), khonKaen) || !slices.Contains(ids(after), cqvie) {
		t.Errorf("Khon Kaen CI before 2018-05: %v; after: %v", ids(before), ids(after))
	}
	// The annual meeting was hosted 2024-05-12 to 2024-05-14 (since/until).
	for asOf, want := range map[string]bool{"2024-05-01": false, "2024-05-13": true, "2024-06": false, "": true} {
		sg, err := s.Neighborhood(ctx, store.NeighborhoodQuery{ID: meeting, Depth: 1, Limit: 50, AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(ids(sg), cqipc); got != want {
			t.Errorf("asOf %q: CQIPC hosting the meeting shown = %v, want %v", asOf, got, want)
		}
	}
	// limit 1 is the centre alone, cut.
	one, err := s.Neighborhood(ctx, store.NeighborhoodQuery{ID: cqvie, Depth: 1, Limit: 1, Parts: store.AllParts})
	if err != nil || len(one.Nodes) != 1 || one.Nodes[0].Entity.ID != cqvie || !one.Truncated || len(one.Edges) != 0 {
		t.Errorf("limit 1 = %+v, %v", one, err)
	}
	total := 0
	for _, m := range one.More {
		total += m.Count
	}
	if total < 20 {
		t.Errorf("limit 1: more adds up to %d neighbours of CQVIE, want its ~28", total)
	}
	if _, err := s.Neighborhood(ctx, store.NeighborhoodQuery{ID: "no-such-entity", Depth: 1, Limit: 5}); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("unknown id: err = %v, want ErrNotFound", err)
	}
}

func TestPathsMatchDepthFirstSearch(t *testing.T) {
	s := neo4jtest.Store(t)
	ref := neo4jtest.Ref(t)
	for i, tc := range []struct {
		from, to string
		maxHops  int
		first    int
		directed bool
		types    []kg.RelType
		asOf     string
	}{
		{from: khonKaen, to: cqvie, maxHops: 4, first: 20},
		{from: khonKaen, to: cqvie, maxHops: 2, first: 5},
		{from: khonKaen, to: cqvie, maxHops: 6, first: 3},
		{from: khonKaen, to: cqvie, maxHops: 6, first: 20, directed: true},
		{from: cqvie, to: "china", maxHops: 6, first: 20},
		{from: cqvie, to: "china", maxHops: 3, first: 1},
		{from: cqipc, to: "thailand", maxHops: 5, first: 20},
		{from: cqipc, to: cqvie, maxHops: 4, first: 20},
		{from: tanzLW, to: "tanzania", maxHops: 3, first: 20, directed: true},
		{from: tanzLW, to: "tanzania", maxHops: 3, first: 20},
		{from: cqvie, to: tanzLW, maxHops: 1, first: 20},
		{from: khonKaen, to: cqvie, maxHops: 4, first: 20, asOf: "2018-04"},
		{from: khonKaen, to: cqvie, maxHops: 4, first: 20, types: []kg.RelType{kg.CoFounded, kg.LocatedIn, kg.PartOf}},
		{from: "no-such-entity", to: cqvie, maxHops: 4, first: 5},
	} {
		name := fmt.Sprintf("%s-%s/hops=%d/first=%d/directed=%v/types=%v/asOf=%s", tc.from, tc.to, tc.maxHops, tc.first, tc.directed, tc.types, tc.asOf)
		t.Run(name, func(t *testing.T) {
			q := store.PathQuery{
				From: tc.from, To: tc.to, MaxHops: tc.maxHops, First: tc.first,
				Directed: tc.directed, Types: tc.types, AsOf: tc.asOf, Parts: store.AllParts,
			}
			got, err := s.Paths(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			all := ref.Paths(tc.from, tc.to, neo4jtest.Filter{Types: tc.types, AsOf: tc.asOf}, tc.maxHops, tc.directed)
			want := all[:min(tc.first, len(all))]
			if len(got) != len(want) {
				t.Fatalf("%d paths, want %d (of %d)", len(got), len(want), len(all))
			}
			seen := map[string]bool{}
			for i, p := range got {
				ids := neo4jtest.RelIDs(p.Edges)
				if !slices.Equal(ids, neo4jtest.RelIDs(want[i])) {
					t.Errorf("path %d = %q\nwant %q", i, ids, neo4jtest.RelIDs(want[i]))
				}
				key := strings.Join(ids, " ")
				if seen[key] {
					t.Errorf("path %d repeats an earlier one", i)
				}
				seen[key] = true
				checkPath(t, p, tc.from, tc.to, tc.maxHops, tc.directed)
				for _, n := range p.Nodes {
					if n.Degree != ref.Degree(n.Entity.ID) {
						t.Errorf("degree of %s = %d, want %d", n.Entity.ID, n.Degree, ref.Degree(n.Entity.ID))
					}
				}
				for _, e := range p.Edges {
					if e.Evidence.Quote == "" {
						t.Errorf("edge %s has no quote", e.ID)
					}
				}
			}
			// Fewer parts: the same paths, the parts asked for equal, the
			// others zero; and the shortest path alone (its own statement,
			// without the simple-path condition) is the first of them.
			for _, c := range []struct {
				parts store.Parts
				first int
			}{{store.Parts{}, tc.first}, {store.Parts{}, 1}, {partsCycle[i%len(partsCycle)], tc.first}} {
				q.Parts, q.First = c.parts, c.first
				fewer, err := s.Paths(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if len(fewer) != min(c.first, len(got)) {
					t.Fatalf("parts %+v, first %d: %d paths, want %d", c.parts, c.first, len(fewer), min(c.first, len(got)))
				}
				for k, p := range fewer {
					for j, n := range p.Nodes {
						checkNodeParts(t, c.parts, n, got[k].Nodes[j])
					}
					for j, e := range p.Edges {
						checkRelationParts(t, c.parts, e, got[k].Edges[j])
					}
				}
			}
		})
	}
}

// checkPath checks a path's shape on its own: endpoints, no entity twice,
// each edge joining its neighbours on the path, within the bound.
func checkPath(t *testing.T, p store.Path, from, to string, maxHops int, directed bool) {
	t.Helper()
	if len(p.Nodes) != len(p.Edges)+1 || len(p.Edges) > maxHops || len(p.Edges) == 0 {
		t.Fatalf("path of %d nodes and %d edges (bound %d)", len(p.Nodes), len(p.Edges), maxHops)
	}
	if p.Nodes[0].Entity.ID != from || p.Nodes[len(p.Nodes)-1].Entity.ID != to {
		t.Errorf("path runs %s…%s, want %s…%s", p.Nodes[0].Entity.ID, p.Nodes[len(p.Nodes)-1].Entity.ID, from, to)
	}
	seen := map[string]bool{}
	for i, n := range p.Nodes {
		if seen[n.Entity.ID] {
			t.Errorf("path visits %s twice", n.Entity.ID)
		}
		seen[n.Entity.ID] = true
		if n.Distance != i {
			t.Errorf("node %d has distance %d", i, n.Distance)
		}
	}
	for i, e := range p.Edges {
		a, b := p.Nodes[i].Entity.ID, p.Nodes[i+1].Entity.ID
		forward := e.From == a && e.To == b
		if !forward && !(e.From == b && e.To == a) || directed && !forward {
			t.Errorf("edge %d (%s) does not join %s and %s (directed %v)", i, e.ID, a, b, directed)
		}
	}
}

func TestShortestPathDirectedDiffers(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	first := func(directed bool) []store.Path {
		ps, err := s.Paths(ctx, store.PathQuery{From: khonKaen, To: cqvie, MaxHops: 6, First: 1, Directed: directed})
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	// Both co-founded the alliance: two hops either way, none following the arrows.
	undirected, directed := first(false), first(true)
	if len(undirected) != 1 || len(undirected[0].Edges) != 2 || undirected[0].Nodes[1].Entity.ID != ctAlli {
		t.Errorf("undirected shortest path = %+v, want Khon Kaen CI – alliance – CQVIE", undirected)
	}
	if len(directed) != 0 {
		t.Errorf("directed shortest path = %q, want none", neo4jtest.RelIDs(directed[0].Edges))
	}
	// The same entity to itself: the path of length 0.
	self, err := s.Paths(ctx, store.PathQuery{From: cqvie, To: cqvie, MaxHops: 2, First: 5})
	if err != nil || len(self) != 1 || len(self[0].Nodes) != 1 || len(self[0].Edges) != 0 {
		t.Errorf("cqvie to itself = %+v, %v", self, err)
	}
}

func TestCommonNeighbors(t *testing.T) {
	s := neo4jtest.Store(t)
	ref := neo4jtest.Ref(t)
	for _, tc := range []struct {
		a, b  string
		types []kg.RelType
		must  string
	}{
		{a: khonKaen, b: cqvie, must: ctAlli},
		{a: khonKaen, b: cqvie, types: []kg.RelType{kg.CoFounded}, must: ctAlli},
		{a: cqvie, b: cqipc},
		{a: cqvie, b: cqipc, types: []kg.RelType{kg.SelectedFor}},
		{a: "no-such-entity", b: cqvie},
	} {
		t.Run(fmt.Sprintf("%s-%s-%v", tc.a, tc.b, tc.types), func(t *testing.T) {
			got, err := s.CommonNeighbors(context.Background(), tc.a, tc.b, tc.types, store.AllParts)
			if err != nil {
				t.Fatal(err)
			}
			cheap, err := s.CommonNeighbors(context.Background(), tc.a, tc.b, tc.types, store.Parts{})
			if err != nil || len(cheap) != len(got) {
				t.Fatalf("without parts: %d nodes, %v; want %d", len(cheap), err, len(got))
			}
			for i, n := range cheap {
				checkNodeParts(t, store.Parts{}, n, got[i])
			}
			var ids []string
			for _, n := range got {
				ids = append(ids, n.Entity.ID)
				if n.Degree != ref.Degree(n.Entity.ID) {
					t.Errorf("degree of %s = %d, want %d", n.Entity.ID, n.Degree, ref.Degree(n.Entity.ID))
				}
			}
			want := ref.Common(tc.a, tc.b, tc.types)
			if !slices.Equal(ids, want) {
				t.Errorf("common neighbours = %q\nwant %q", ids, want)
			}
			if tc.must != "" && !slices.Contains(ids, tc.must) {
				t.Errorf("common neighbours = %q, missing %s", ids, tc.must)
			}
		})
	}
}

func TestExplorationBounds(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"depth 0":        errOf(s.Neighborhood(ctx, store.NeighborhoodQuery{ID: cqvie, Depth: 0, Limit: 5})),
		"depth 4":        errOf(s.Neighborhood(ctx, store.NeighborhoodQuery{ID: cqvie, Depth: 4, Limit: 5})),
		"limit 0":        errOf(s.Neighborhood(ctx, store.NeighborhoodQuery{ID: cqvie, Depth: 1, Limit: 0})),
		"limit 201":      errOf(s.Neighborhood(ctx, store.NeighborhoodQuery{ID: cqvie, Depth: 1, Limit: 201})),
		"unknown type":   errOf(s.Neighborhood(ctx, store.NeighborhoodQuery{ID: cqvie, Depth: 1, Limit: 5, Types: []kg.RelType{"NAME_OF"}})),
		"unknown kind":   errOf(s.Neighborhood(ctx, store.NeighborhoodQuery{ID: cqvie, Depth: 1, Limit: 5, Kinds: []kg.Kind{"Name"}})),
		"bad asOf":       errOf(s.Neighborhood(ctx, store.NeighborhoodQuery{ID: cqvie, Depth: 1, Limit: 5, AsOf: "2018-13"})),
		"maxHops 0":      errOf(s.Paths(ctx, store.PathQuery{From: cqvie, To: cqipc, MaxHops: 0, First: 1})),
		"maxHops 7":      errOf(s.Paths(ctx, store.PathQuery{From: cqvie, To: cqipc, MaxHops: 7, First: 1})),
		"first 0":        errOf(s.Paths(ctx, store.PathQuery{From: cqvie, To: cqipc, MaxHops: 2, First: 0})),
		"first 21":       errOf(s.Paths(ctx, store.PathQuery{From: cqvie, To: cqipc, MaxHops: 2, First: 21})),
		"paths bad type": errOf(s.Paths(ctx, store.PathQuery{From: cqvie, To: cqipc, MaxHops: 2, First: 1, Types: []kg.RelType{"MENTIONED_IN"}})),
		"common type":    errOf(s.CommonNeighbors(ctx, cqvie, cqipc, []kg.RelType{"FACT_OF"}, store.Parts{})),
	} {
		if !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
}

func errOf[T any](_ T, err error) error { return err }

// An exploration statement that would run for half a minute is stopped by
// its transaction timeout (5 s) and reported as unavailable.
func TestExplorationTimeout(t *testing.T) {
	s := neo4jtest.Store(t)
	start := time.Now()
	_, err := s.ReadBounded(context.Background(), `UNWIND range(1, 300000000) AS x WITH x WHERE x < 0 RETURN count(*)`, nil)
	if took := time.Since(start); !errors.Is(err, kg.ErrUnavailable) || took > 15*time.Second {
		t.Errorf("long statement: err = %v after %s, want ErrUnavailable after about 5 s", err, took)
	}
}

// The store runs only what was asked for: asking for no parts gives a
// statement without degrees, edges, more counts or relationship properties,
// the shortest path's statement has no simple-path condition, and on the
// seed graph each costs fewer db hits (PROFILE) than asking for every part.
// A neighbourhood whose limit is filled within two hops costs no more at
// depth 3 than at depth 2.
func TestExplorationVariants(t *testing.T) {
	drv := neo4jtest.Driver(t)
	ctx := context.Background()
	profile := func(cypher string, params map[string]any) int64 {
		t.Helper()
		res, err := neo4j.ExecuteQuery(ctx, drv, "PROFILE "+cypher, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		if err != nil {
			t.Fatal(err)
		}
		var hits func(p neo4j.ProfiledPlan) int64
		hits = func(p neo4j.ProfiledPlan) int64 {
			n := p.DbHits()
			for _, c := range p.Children() {
				n += hits(c)
			}
			return n
		}
		return hits(res.Summary.Profile())
	}
	statement := func(cypher string, params map[string]any, err error) (string, map[string]any) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return cypher, params
	}

	nq := store.NeighborhoodQuery{ID: cqvie, Depth: 2, Limit: 50}
	cheap, params := statement(nq.Statement())
	nq.Parts = store.AllParts
	full, _ := statement(nq.Statement())
	for _, frag := range []string{"COUNT {", "properties("} {
		if strings.Contains(cheap, frag) || !strings.Contains(full, frag) {
			t.Errorf("neighbourhood: %q in the statement without parts: %v, with every part: %v",
				frag, strings.Contains(cheap, frag), strings.Contains(full, frag))
		}
	}
	// One COLLECT gathers the nodes; edges and more add one each.
	if c, f := strings.Count(cheap, "COLLECT {"), strings.Count(full, "COLLECT {"); c != 1 || f != 3 {
		t.Errorf("neighbourhood: %d COLLECT subqueries without parts, %d with every part; want 1 and 3", c, f)
	}
	if c, f := profile(cheap, params), profile(full, params); c >= f {
		t.Errorf("neighbourhood: %d db hits without parts, %d with every part", c, f)
	} else {
		t.Logf("neighbourhood of %s, depth 2: %d db hits without parts, %d with every part", cqvie, c, f)
	}
	nq.Parts, nq.Limit = store.Parts{}, 40
	two, params := statement(nq.Statement())
	nq.Depth = 3
	three, _ := statement(nq.Statement())
	if h2, h3 := profile(two, params), profile(three, params); h3 > h2+10 {
		t.Errorf("neighbourhood filled within two hops: %d db hits at depth 3, %d at depth 2", h3, h2)
	}

	pq := store.PathQuery{From: khonKaen, To: cqvie, MaxHops: 4, First: 1}
	shortest, params := statement(pq.Statement(1))
	longer, _ := statement(pq.Statement(2))
	pq.Parts = store.AllParts
	fullShortest, _ := statement(pq.Statement(1))
	const simple = "all(i IN range(0, size(x) - 2)"
	if strings.Contains(shortest, simple) || !strings.Contains(longer, simple) || !strings.Contains(shortest, "SHORTEST 1 GROUPS") {
		t.Errorf("simple-path condition in the shortest-path statement: %v, in the two-length one: %v",
			strings.Contains(shortest, simple), strings.Contains(longer, simple))
	}
	if strings.Contains(shortest, "COUNT {") || strings.Contains(shortest, "properties(") || !strings.Contains(fullShortest, "COUNT {") {
		t.Errorf("shortest path without parts computes degrees or relationship properties:\n%s", shortest)
	}
	if c, f := profile(shortest, params), profile(fullShortest, params); c >= f {
		t.Errorf("shortest path: %d db hits without parts, %d with every part", c, f)
	} else {
		t.Logf("shortest path %s to %s: %d db hits without parts, %d with every part", khonKaen, cqvie, c, f)
	}
}
