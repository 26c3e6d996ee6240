package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// The relations list, checked against the data files filtered, ordered and
// paged in Go.

// refRelationList is RelationList's answer computed from the data files:
// the ids of the matching relations in list order.
func refRelationList(t *testing.T, f store.RelationFilter, o store.RelationOrder) []string {
	t.Helper()
	ref := neo4jtest.Ref(t)
	end := func(ef store.RelationEndFilter, id string) bool {
		return (len(ef.IDs) == 0 || slices.Contains(ef.IDs, id)) &&
			(len(ef.Kinds) == 0 || slices.Contains(ef.Kinds, ref.Entities[id].Kind))
	}
	type row struct{ key, id string }
	var rows []row
	for _, r := range ref.Rels {
		if len(f.Types) > 0 && !slices.Contains(f.Types, r.Type) {
			continue
		}
		if !end(f.From, r.From) || !end(f.To, r.To) || !(end(f.Either, r.From) || end(f.Either, r.To)) {
			continue
		}
		if f.Document != "" && r.Evidence.DocumentID != f.Document {
			continue
		}
		from, to := span(r)
		if f.TimeFrom != "" && (from == "" && to == "" || to != "" && to < dayOf(t, f.TimeFrom, false)) {
			continue
		}
		if f.TimeTo != "" && (from == "" && to == "" || from != "" && from > dayOf(t, f.TimeTo, true)) {
			continue
		}
		if f.AsOf != "" && !(neo4jtest.Filter{AsOf: f.AsOf}).Keeps(r) {
			continue
		}
		key := r.ID
		if o.Field == store.RelSortTime {
			key = from
			if key == "" {
				key = to
			}
			if key == "" {
				key = "~"
				if o.Desc {
					key = ""
				}
			}
		}
		rows = append(rows, row{key, r.ID})
	}
	slices.SortFunc(rows, func(a, b row) int {
		c := strings.Compare(a.key, b.key)
		if c == 0 {
			c = strings.Compare(a.id, b.id)
		}
		if o.Desc {
			c = -c
		}
		return c
	})
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.id
	}
	return out
}

// Every filter and order, read whole and then page by page forward and
// backward, gives the reference's list, each relation once with both ends.
func TestRelationList(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	ref := neo4jtest.Ref(t)
	cases := []struct {
		name string
		f    store.RelationFilter
	}{
		{"all", store.RelationFilter{}},
		{"types", store.RelationFilter{Types: []kg.RelType{kg.Built, kg.CoFounded}}},
		{"from id", store.RelationFilter{From: store.RelationEndFilter{IDs: []string{"cqvie"}}}},
		{"to id and kind", store.RelationFilter{To: store.RelationEndFilter{IDs: []string{"thailand", "tanzania", "cqvie"}, Kinds: []kg.Kind{kg.Country}}}},
		{"either ids", store.RelationFilter{Either: store.RelationEndFilter{IDs: []string{"cqvie", "tanzania-luban-workshop"}}}},
		{"either kinds", store.RelationFilter{Either: store.RelationEndFilter{Kinds: []kg.Kind{kg.Enterprise}}}},
		{"from kind to kind", store.RelationFilter{
			From: store.RelationEndFilter{Kinds: []kg.Kind{kg.School}},
			To:   store.RelationEndFilter{Kinds: []kg.Kind{kg.Program, kg.Alliance}},
		}},
		{"document", store.RelationFilter{Document: seedDoc, Types: []kg.RelType{kg.Hosted, kg.SpokeAt}}},
		{"unknown document", store.RelationFilter{Document: "no_such_document"}},
		{"unknown id", store.RelationFilter{From: store.RelationEndFilter{IDs: []string{"no-such-entity"}}}},
		{"2024", store.RelationFilter{TimeFrom: "2024", TimeTo: "2024"}},
		{"before 2019", store.RelationFilter{TimeTo: "2018-12"}},
		{"as of May 2024", store.RelationFilter{AsOf: "2024-05-13", Either: store.RelationEndFilter{IDs: []string{"cqipc"}}}},
		{"document and time", store.RelationFilter{Document: seedDoc, TimeFrom: "2018"}},
	}
	orders := []store.RelationOrder{{}, {Desc: true}, {Field: store.RelSortTime}, {Field: store.RelSortTime, Desc: true}}
	for _, tc := range cases {
		for _, o := range orders {
			t.Run(fmt.Sprintf("%s/%s desc=%t", tc.name, o.Field, o.Desc), func(t *testing.T) {
				want := refRelationList(t, tc.f, o)
				whole, err := s.RelationList(ctx, store.RelationListQuery{Filter: tc.f, Order: o, First: 500, WithTotal: true})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range whole.Relations {
					got = append(got, r.Relation.ID)
					rr := refRel(ref, r.Relation.ID)
					if r.From.ID != rr.From || r.To.ID != rr.To || r.Relation.From != rr.From || r.Relation.To != rr.To ||
						r.From.NameZh != ref.Entities[rr.From].NameZh || r.Relation.Evidence.Quote != rr.Evidence.Quote {
						t.Errorf("%s: ends %s→%s (%q), want %s→%s", r.Relation.ID, r.From.ID, r.To.ID, r.From.NameZh, rr.From, rr.To)
					}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("list of %d relations, want %d; first difference: %s", len(got), len(want), firstDiff(got, want))
				}
				if whole.Total != int64(len(want)) || whole.HasNext || whole.HasPrev {
					t.Errorf("total %d, next %t, prev %t; want %d, false, false", whole.Total, whole.HasNext, whole.HasPrev, len(want))
				}
				// Forward by 11, then backward by 13 from the end (pages that
				// divide neither list nor each other).
				var fwd []string
				after := ""
				for i := 0; ; i++ {
					p, err := s.RelationList(ctx, store.RelationListQuery{Filter: tc.f, Order: o, First: 11, After: after})
					if err != nil {
						t.Fatal(err)
					}
					for _, r := range p.Relations {
						fwd = append(fwd, r.Relation.ID)
					}
					if p.HasPrev != (after != "") {
						t.Errorf("forward page %d: hasPrev %t", i, p.HasPrev)
					}
					if !p.HasNext {
						break
					}
					after = p.Cursors[len(p.Cursors)-1]
				}
				if !slices.Equal(fwd, want) {
					t.Errorf("forward pages: %s", firstDiff(fwd, want))
				}
				var bwd []string
				before := ""
				for {
					p, err := s.RelationList(ctx, store.RelationListQuery{Filter: tc.f, Order: o, Last: 13, Before: before})
					if err != nil {
						t.Fatal(err)
					}
					ids := make([]string, len(p.Relations))
					for i, r := range p.Relations {
						ids[i] = r.Relation.ID
					}
					bwd = append(ids, bwd...)
					if !p.HasPrev {
						break
					}
					before = p.Cursors[0]
				}
				if !slices.Equal(bwd, want) {
					t.Errorf("backward pages: %s", firstDiff(bwd, want))
				}
			})
		}
	}
}

// firstDiff describes where got and want first differ.
func firstDiff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("at %d: %q, want %q", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(got), len(want))
}

func refRel(ref *neo4jtest.Reference, id string) kg.Relation {
	for _, r := range ref.Rels {
		if r.ID == id {
			return r
		}
	}
	return kg.Relation{}
}

// Bad requests are kg.ErrInvalidInput: a cursor of another list or order,
// a made-up cursor, an unknown type or kind, a malformed date, too many ids.
func TestRelationListRefuses(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	p, err := s.RelationList(ctx, store.RelationListQuery{First: 2})
	if err != nil || len(p.Cursors) != 2 {
		t.Fatalf("first page: %v %v", p, err)
	}
	idCursor := p.Cursors[1]
	entities, err := s.Entities(ctx, store.EntityQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	rel, err := s.Relations(ctx, []store.RelationQuery{{EntityID: "cqvie", First: 1}})
	if err != nil {
		t.Fatal(err)
	}
	many := make([]string, store.MaxFilterIDs+1)
	for i := range many {
		many[i] = fmt.Sprint("e", i)
	}
	for _, tc := range []struct {
		name string
		q    store.RelationListQuery
	}{
		{"cursor of another order", store.RelationListQuery{First: 2, After: idCursor, Order: store.RelationOrder{Field: store.RelSortTime}}},
		{"cursor of another direction", store.RelationListQuery{First: 2, After: idCursor, Order: store.RelationOrder{Desc: true}}},
		{"entity list cursor", store.RelationListQuery{First: 2, After: entities.Cursors[0]}},
		{"entity relations cursor", store.RelationListQuery{First: 2, After: rel[0].Relations[0].Cursor}},
		{"made-up cursor", store.RelationListQuery{Last: 2, Before: "%%%"}},
		{"first and last", store.RelationListQuery{First: 2, Last: 2}},
		{"unknown type", store.RelationListQuery{First: 2, Filter: store.RelationFilter{Types: []kg.RelType{"LIKES"}}}},
		{"unknown kind", store.RelationListQuery{First: 2, Filter: store.RelationFilter{Either: store.RelationEndFilter{Kinds: []kg.Kind{"Planet"}}}}},
		{"bad date", store.RelationListQuery{First: 2, Filter: store.RelationFilter{TimeFrom: "2024-13"}}},
		{"bad asOf", store.RelationListQuery{First: 2, Filter: store.RelationFilter{AsOf: "soon"}}},
		{"too many ids", store.RelationListQuery{First: 2, Filter: store.RelationFilter{To: store.RelationEndFilter{IDs: many}}}},
		{"unknown order", store.RelationListQuery{First: 2, Order: store.RelationOrder{Field: "NAME"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.RelationList(ctx, tc.q); !errors.Is(err, kg.ErrInvalidInput) {
				t.Errorf("err = %v, want invalid input", err)
			}
		})
	}
	// The relations cursor is refused by an entity's relations too.
	if _, err := s.Relations(ctx, []store.RelationQuery{{EntityID: "cqvie", First: 1, After: idCursor}}); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("entity relations with a list cursor: err = %v, want invalid input", err)
	}
}
