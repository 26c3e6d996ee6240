package store_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// A nested query reads, for the other end of every relation, the same page
// that a query of its own for that entity reads; with every filter, at both
// levels, and the root entity's read too.
func TestNestedRelationsEqualSeparateReads(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	children := []store.RelationQuery{
		{Dir: store.Both, First: 4, WithTotal: true},
		{Dir: store.Out, First: 2},
		{Dir: store.In, Types: "MEMBER_OF,PARTNERS_WITH,CO_FOUNDED,PART_OF", First: 3, WithTotal: true},
		{Dir: store.Both, Kinds: "School,Country", First: 5, WithTotal: true},
		{Dir: store.Both, TimeFrom: "2023", TimeTo: "2024-06", First: 5, WithTotal: true},
		{Dir: store.Both, AsOf: "2024-03-01", First: 5},
	}
	for _, child := range children {
		parent := store.RelationQuery{EntityID: "cqvie", Dir: store.Both, First: 8, WithTotal: true, Nested: store.EncodeNested(child)}
		pages, err := s.Relations(ctx, []store.RelationQuery{parent})
		if err != nil {
			t.Fatalf("%+v: %v", child, err)
		}
		flat := parent
		flat.Nested = ""
		want, err := s.Relations(ctx, []store.RelationQuery{flat})
		if err != nil {
			t.Fatal(err)
		}
		got := pages[0]
		if len(got.Relations) != 8 || got.Total != want[0].Total || got.HasNext != want[0].HasNext {
			t.Fatalf("%+v: parent page: %d relations, total %d, hasNext %t; want 8, %d, %t", child,
				len(got.Relations), got.Total, got.HasNext, want[0].Total, want[0].HasNext)
		}
		nonEmpty := 0
		for i, end := range got.Relations {
			if end.Relation.ID != want[0].Relations[i].Relation.ID {
				t.Errorf("%+v: relation %d = %s, want %s", child, i, end.Relation.ID, want[0].Relations[i].Relation.ID)
			}
			if end.Nested == nil {
				t.Fatalf("%+v: no nested page for %s", child, end.Other)
			}
			c := child
			c.EntityID = end.Other
			sep, err := s.Relations(ctx, []store.RelationQuery{c})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*end.Nested, sep[0]) {
				t.Errorf("%+v: nested page of %s = %+v\nwant %+v", child, end.Other, *end.Nested, sep[0])
			}
			nonEmpty += len(sep[0].Relations)
		}
		if nonEmpty == 0 {
			t.Errorf("%+v: every nested page is empty; the comparison proves nothing", child)
		}
		// The root read with the same query answers the same page.
		e, page, err := s.EntityByID(ctx, "cqvie", store.EntityRead{Props: []string{"nameZh"}, Relations: &parent})
		if err != nil {
			t.Fatal(err)
		}
		if e.ID != "cqvie" || e.Kind != kg.School || e.NameZh == "" || e.NameEn != "" {
			t.Errorf("projected entity = %+v, want id, kind and nameZh only", e)
		}
		if !reflect.DeepEqual(*page, got) {
			t.Errorf("%+v: EntityByID's page differs from Relations'", child)
		}
	}
}

func TestEntityByIDRefusals(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	if _, _, err := s.EntityByID(ctx, "no-such-entity", store.EntityRead{}); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("unknown id: err = %v, want ErrNotFound", err)
	}
	if _, _, err := s.EntityByID(ctx, "cqvie", store.EntityRead{Props: []string{"n.id}) MATCH (x) DETACH DELETE x //"}}); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("bad property: err = %v, want ErrInvalidInput", err)
	}
	full, _, err := s.EntityByID(ctx, "cqvie", store.EntityRead{})
	if err != nil || full.NameEn == "" || full.City == "" {
		t.Errorf("all properties: %+v, %v", full, err)
	}
	// Nesting deeper than MaxRelationLevels, and a nested query that is not one.
	q := store.RelationQuery{Dir: store.Both, First: 1}
	for range store.MaxRelationLevels {
		q = store.RelationQuery{Dir: store.Both, First: 1, Nested: store.EncodeNested(q)}
	}
	q.EntityID = "cqvie"
	for name, bad := range map[string]store.RelationQuery{
		"too deep":    q,
		"not a query": {EntityID: "cqvie", Dir: store.Both, First: 1, Nested: `{"Injected": "x"}`},
		"bad type":    {EntityID: "cqvie", Dir: store.Both, First: 1, Nested: `{"Types": "MEMBER_OF]-() DETACH DELETE n //", "Dir": "BOTH", "First": 1}`},
		"first 0":     {EntityID: "cqvie", Dir: store.Both, First: 0},
	} {
		if _, err := s.Relations(ctx, []store.RelationQuery{bad}); !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		} else if strings.Contains(err.Error(), "neo4j") {
			t.Errorf("%s: the database saw it: %v", name, err)
		}
	}
}

// A projection reads only the properties it names (ids and kind always);
// a name outside the allow-list is refused before any statement runs.
func TestRelationProjections(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	full, err := s.Relations(ctx, []store.RelationQuery{{EntityID: "cqvie", Dir: store.Both, First: 20}})
	if err != nil {
		t.Fatal(err)
	}
	narrow, err := s.Relations(ctx, []store.RelationQuery{{EntityID: "cqvie", Dir: store.Both, First: 20, RelProps: "quote", OtherProps: "nameZh"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(full[0].Relations) != 20 || len(narrow[0].Relations) != 20 {
		t.Fatalf("pages of %d and %d relations, want 20", len(full[0].Relations), len(narrow[0].Relations))
	}
	withEn := 0
	for i, f := range full[0].Relations {
		n := narrow[0].Relations[i]
		if n.Relation.ID != f.Relation.ID || n.Relation.Evidence.Quote != f.Relation.Evidence.Quote || n.Relation.Evidence.DocumentID != "" {
			t.Errorf("relation %d: %+v, want id and quote of %+v only", i, n.Relation, f.Relation)
		}
		if n.Entity.ID != f.Entity.ID || n.Entity.Kind != f.Entity.Kind || n.Entity.NameZh != f.Entity.NameZh || n.Entity.NameEn != "" {
			t.Errorf("other %d: %+v, want id, kind and nameZh of %+v only", i, n.Entity, f.Entity)
		}
		if f.Entity.NameEn != "" {
			withEn++
		}
	}
	if withEn == 0 {
		t.Error("no other end has an English name: the projection check proves nothing")
	}
	for _, bad := range []store.RelationQuery{
		{EntityID: "cqvie", Dir: store.Both, First: 1, RelProps: "quote} DETACH DELETE r //"},
		{EntityID: "cqvie", Dir: store.Both, First: 1, OtherProps: "origin"},
	} {
		if _, err := s.Relations(ctx, []store.RelationQuery{bad}); !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("%+v: err = %v, want ErrInvalidInput", bad, err)
		}
	}
}
