package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// refRollUp is an entity's relations with its parts' computed from the
// data files: "relationID via part>other" lines in relation-id order (via
// "-" for the entity's own), where part and other read the relation from
// the part's side.
func refRollUp(t *testing.T, id string, types []kg.RelType, dir store.Direction) []string {
	t.Helper()
	ref := neo4jtest.Ref(t)
	// The parts: PART_OF into id, up to MaxPartDepth steps.
	family := map[string]bool{id: true}
	frontier := []string{id}
	for range store.MaxPartDepth {
		var next []string
		for _, r := range ref.Rels {
			if r.Type == kg.PartOf && slices.Contains(frontier, r.To) && !family[r.From] {
				family[r.From] = true
				next = append(next, r.From)
			}
		}
		frontier = next
	}
	type row struct{ id, line string }
	var rows []row
	for _, r := range ref.Rels {
		if len(types) > 0 && !slices.Contains(types, r.Type) {
			continue
		}
		for _, from := range []string{r.From, r.To} {
			if !family[from] || (from == r.To && r.From == r.To) {
				continue
			}
			other := neo4jtest.Other(r, from)
			out := r.From == from
			if (dir == store.Out && !out) || (dir == store.In && out) {
				continue
			}
			via := "-"
			if from != id {
				if family[other] {
					continue // a part's relation to the entity or another part
				}
				via = from
			}
			rows = append(rows, row{r.ID, fmt.Sprintf("%s via %s>%s", r.ID, via, other)})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.id, b.id) })
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.line
	}
	return out
}

// IncludeParts adds the relations of an entity's parts, transitively, each
// once, read from its part; the page, its total and its cursor work over
// the roll-up as over the entity's own relations.
func TestRelationsIncludeParts(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for _, tc := range []struct {
		id    string
		types []kg.RelType
		dir   store.Direction
	}{
		{"cqipc", nil, store.Both},
		{"cqipc", []kg.RelType{kg.Runs}, store.Out},
		// Two levels of parts: the Luban Workshop and, through it, the one in Tanzania.
		{"belt-and-road-initiative", nil, store.Both},
		{"chengdu-chongqing-vocational-education-alliance", nil, store.In},
		{"chongqing", []kg.RelType{kg.LocatedIn}, store.In},
		{"cqvie", nil, store.Both}, // no parts: its own relations
	} {
		t.Run(fmt.Sprintf("%s/%v/%s", tc.id, tc.types, tc.dir), func(t *testing.T) {
			want := refRollUp(t, tc.id, tc.types, tc.dir)
			ts := make([]string, len(tc.types))
			for i, ty := range tc.types {
				ts[i] = string(ty)
			}
			q := store.RelationQuery{EntityID: tc.id, Types: strings.Join(ts, ","), Dir: tc.dir, First: 100, WithTotal: true, IncludeParts: true}
			pages, err := s.Relations(ctx, []store.RelationQuery{q})
			if err != nil {
				t.Fatal(err)
			}
			got := lines(pages[0])
			if !slices.Equal(got, want) {
				t.Errorf("roll-up of %s:\n got %q\nwant %q", tc.id, got, want)
			}
			if pages[0].Total != len(want) {
				t.Errorf("total %d, want %d", pages[0].Total, len(want))
			}
			// In pages of 3.
			q.First, q.WithTotal = 3, false
			var paged []string
			for {
				ps, err := s.Relations(ctx, []store.RelationQuery{q})
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, lines(ps[0])...)
				if !ps[0].HasNext {
					break
				}
				q.After = ps[0].Relations[len(ps[0].Relations)-1].Cursor
			}
			if !slices.Equal(paged, want) {
				t.Errorf("paged roll-up of %s:\n got %q\nwant %q", tc.id, paged, want)
			}
		})
	}
	// The case the roll-up is for: a college's sub-college runs the
	// training that three enterprises take part in.
	pages, err := s.Relations(ctx, []store.RelationQuery{{EntityID: "cqipc", Types: "RUNS", Dir: store.Out, First: 10, IncludeParts: true}})
	if err != nil {
		t.Fatal(err)
	}
	var viaSub []string
	for _, e := range pages[0].Relations {
		if e.Via != nil && e.Via.ID == "cqipc-school-of-vehicle-engineering" {
			viaSub = append(viaSub, e.Other)
			if e.Via.NameZh != "车辆工程学院" || e.Relation.From != e.Via.ID || !e.Out {
				t.Errorf("via %+v, relation %s→%s out=%t", e.Via, e.Relation.From, e.Relation.To, e.Out)
			}
		}
	}
	if !slices.Equal(viaSub, []string{"spray-painting-technician-training"}) {
		t.Errorf("runs through the sub-college: %q", viaSub)
	}
}

func lines(p store.RelationPage) []string {
	var out []string
	for _, e := range p.Relations {
		via := "-"
		if e.Via != nil {
			via = e.Via.ID
		}
		out = append(out, fmt.Sprintf("%s via %s>%s", e.Relation.ID, via, e.Other))
	}
	return out
}
