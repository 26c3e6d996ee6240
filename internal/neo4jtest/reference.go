package neo4jtest

import (
	"cmp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
)

// Reference is the repository's data files as an in-memory graph, with
// breadth- and depth-first searches written in plain Go, to check the
// answers of the exploration queries against (never against themselves).
type Reference struct {
	Entities map[string]kg.Entity
	Rels     []kg.Relation
	Docs     map[string]kg.Document
	incident map[string][]kg.Relation // entity id → its relations, either direction
}

var (
	refOnce sync.Once
	ref     *Reference
	refErr  error
)

// Ref reads the data files once per test binary.
func Ref(t testing.TB) *Reference {
	t.Helper()
	refOnce.Do(func() {
		var g *dataset.Graph
		if g, refErr = dataset.Read(DataDir()); refErr != nil {
			return
		}
		ref = &Reference{Entities: map[string]kg.Entity{}, Docs: map[string]kg.Document{}, incident: map[string][]kg.Relation{}, Rels: g.Relations}
		for _, e := range g.Entities {
			ref.Entities[e.ID] = e
		}
		for _, d := range g.Documents {
			ref.Docs[d.ID] = d
		}
		for _, r := range g.Relations {
			ref.incident[r.From] = append(ref.incident[r.From], r)
			if r.To != r.From {
				ref.incident[r.To] = append(ref.incident[r.To], r)
			}
		}
	})
	if refErr != nil {
		t.Fatalf("neo4jtest: reading the data files: %v", refErr)
	}
	return ref
}

// Filter selects the relations a search follows: of Types (empty: all)
// that held on AsOf ("" for any time), read as the store's relation pages do: begun by
// the last day of AsOf and not ended before it; no stated time is kept.
type Filter struct {
	Types []kg.RelType
	AsOf  string
}

// Keeps reports whether f lets r be followed.
func (f Filter) Keeps(r kg.Relation) bool {
	if len(f.Types) > 0 && !slices.Contains(f.Types, r.Type) {
		return false
	}
	if f.AsOf == "" {
		return true
	}
	d, err := kg.ParsePartialDate(f.AsOf)
	if err != nil {
		return false
	}
	_, asOf := d.Range()
	var from, end *time.Time
	switch {
	case r.At != nil:
		lo, _ := r.At.Range()
		from = &lo
	default:
		if r.Since != nil {
			lo, _ := r.Since.Range()
			from = &lo
		}
		if r.Until != nil {
			_, hi := r.Until.Range()
			end = &hi
		}
	}
	return (from == nil || !from.After(asOf)) && (end == nil || !end.Before(asOf))
}

// Degree is the number of relations of id in the whole graph.
func (g *Reference) Degree(id string) int { return len(g.incident[id]) }

// Other is the end of r that is not id.
func Other(r kg.Relation, id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// RefSubgraph is the expected answer of a neighbourhood.
type RefSubgraph struct {
	Nodes     []string       // centre first, then by (distance, id)
	Distance  map[string]int // of every node reachable within the depth, returned or not
	Edges     []string       // ids of the relations among Nodes, sorted
	More      map[string]int // "node TYPE" → neighbours through TYPE not returned (only counts > 0)
	Truncated bool
	Reachable int // nodes within the depth of the kinds asked for, centre included
}

// Neighborhood computes by breadth-first search what a neighbourhood of
// centre must hold: nodes within depth hops through relations f keeps
// (either direction, through entities of any kind), those of kinds (empty:
// all) returned, nearest first and then by id, at most limit of them with
// the centre.
func (g *Reference) Neighborhood(centre string, depth int, f Filter, kinds []kg.Kind, limit int) RefSubgraph {
	dist := map[string]int{centre: 0}
	frontier := []string{centre}
	for d := 1; d <= depth; d++ {
		var next []string
		for _, n := range frontier {
			for _, r := range g.incident[n] {
				if !f.Keeps(r) {
					continue
				}
				m := Other(r, n)
				if _, seen := dist[m]; !seen {
					dist[m] = d
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	ofKind := func(id string) bool { return len(kinds) == 0 || slices.Contains(kinds, g.Entities[id].Kind) }
	var cands []string
	for id, d := range dist {
		if d > 0 && ofKind(id) {
			cands = append(cands, id)
		}
	}
	slices.SortFunc(cands, func(a, b string) int { return cmp.Or(cmp.Compare(dist[a], dist[b]), cmp.Compare(a, b)) })
	all := append([]string{centre}, cands...)
	sg := RefSubgraph{Distance: dist, More: map[string]int{}, Reachable: len(all)}
	if len(all) > limit {
		sg.Truncated = true
		all = all[:limit]
	}
	sg.Nodes = all
	kept := map[string]bool{}
	for _, n := range all {
		kept[n] = true
	}
	for _, r := range g.Rels {
		if f.Keeps(r) && kept[r.From] && kept[r.To] {
			sg.Edges = append(sg.Edges, r.ID)
		}
	}
	slices.Sort(sg.Edges)
	for _, n := range all {
		left := map[kg.RelType]map[string]bool{}
		for _, r := range g.incident[n] {
			m := Other(r, n)
			if !f.Keeps(r) || kept[m] || !ofKind(m) {
				continue
			}
			if left[r.Type] == nil {
				left[r.Type] = map[string]bool{}
			}
			left[r.Type][m] = true
		}
		for t, ms := range left {
			sg.More[n+" "+string(t)] = len(ms)
		}
	}
	return sg
}

// Paths lists by depth-first search every simple path (no entity twice) of
// 1…maxHops relations f keeps from one entity to another, following each
// relation's direction when directed; ordered by length, then by the relation
// ids compared one by one.
func (g *Reference) Paths(from, to string, f Filter, maxHops int, directed bool) [][]kg.Relation {
	var out [][]kg.Relation
	onPath := map[string]bool{from: true}
	var walk func(at string, rels []kg.Relation)
	walk = func(at string, rels []kg.Relation) {
		if at == to {
			out = append(out, slices.Clone(rels))
			return
		}
		if len(rels) == maxHops {
			return
		}
		for _, r := range g.incident[at] {
			if !f.Keeps(r) || (directed && r.From != at) {
				continue
			}
			next := Other(r, at)
			if onPath[next] {
				continue
			}
			onPath[next] = true
			walk(next, append(rels, r))
			onPath[next] = false
		}
	}
	if from != to {
		walk(from, nil)
	}
	slices.SortFunc(out, func(a, b []kg.Relation) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), slices.Compare(RelIDs(a), RelIDs(b)))
	})
	return out
}

// Common lists, sorted, the entities other than a and b with a relation of
// types (empty: all) to each.
func (g *Reference) Common(a, b string, types []kg.RelType) []string {
	f := Filter{Types: types}
	near := func(id string) map[string]bool {
		s := map[string]bool{}
		for _, r := range g.incident[id] {
			if f.Keeps(r) {
				s[Other(r, id)] = true
			}
		}
		return s
	}
	na, nb := near(a), near(b)
	var out []string
	for m := range na {
		if nb[m] && m != a && m != b {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// RelIDs lists the ids of rels in order.
func RelIDs(rels []kg.Relation) []string {
	ids := make([]string, len(rels))
	for i, r := range rels {
		ids[i] = r.ID
	}
	return ids
}
