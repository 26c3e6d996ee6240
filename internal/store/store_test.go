package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

func TestLoadTwiceChangesNothing(t *testing.T) {
	s := neo4jtest.Store(t) // loads the data once
	g, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	before := neo4jtest.TakeSnapshot(t)
	st, err := s.Load(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed() {
		t.Errorf("second load changed the graph: %+v", st)
	}
	if after := neo4jtest.TakeSnapshot(t); after != before {
		t.Errorf("second load: graph %+v → %+v", before, after)
	}
	// Every entity, relation and fact of the files is in the graph.
	wantNodes := int64(len(g.Entities) + len(g.Facts) + len(g.Documents))
	res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t),
		`MATCH (n) WHERE n:Entity OR n:Fact OR n:Document RETURN count(n)`, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Records[0].Values[0].(int64); got < wantNodes {
		t.Errorf("graph holds %d entity/fact/document nodes, data has %d", got, wantNodes)
	}
}

func TestLookups(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	e, err := s.EntityByName(ctx, "ＣＱＶＩＥ")
	if err != nil || e.ID != "cqvie" {
		t.Errorf(`EntityByName("ＣＱＶＩＥ") = %q, %v; want cqvie`, e.ID, err)
	}
	for _, name := range []string{"北京大学", "", "   "} {
		if _, err := s.EntityByName(ctx, name); !errors.Is(err, kg.ErrNotFound) {
			t.Errorf("EntityByName(%q) error = %v, want ErrNotFound", name, err)
		}
	}
	e, _, err = s.EntityByID(ctx, "cqipc", store.EntityRead{})
	if err != nil || e.NameZh != "重庆工业职业技术学院" {
		t.Errorf("EntityByID(cqipc) = %+v, %v", e, err)
	}
}

func TestEntityPagesDoNotOverlap(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for _, sort := range []store.SortField{store.SortID, store.SortNameZh, store.SortNameEn} {
		seen := map[string]bool{}
		after := ""
		total := int64(-1)
		for page := 0; page < 100; page++ {
			p, err := s.Entities(ctx, store.EntityQuery{Order: store.EntityOrder{Field: sort}, First: 7, After: after, WithTotal: page == 0})
			if err != nil {
				t.Fatal(err)
			}
			if page == 0 {
				total = p.Total
			}
			for _, e := range p.Entities {
				if seen[e.ID] {
					t.Fatalf("sort %s: %s on two pages", sort, e.ID)
				}
				seen[e.ID] = true
			}
			if !p.HasNext {
				break
			}
			after = p.Cursors[len(p.Cursors)-1]
		}
		if int64(len(seen)) != total {
			t.Errorf("sort %s: paged through %d entities, total is %d", sort, len(seen), total)
		}
	}
	if _, err := s.Entities(ctx, store.EntityQuery{Order: store.EntityOrder{Field: store.SortNameZh}, First: 5, After: "garbage!"}); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("bad cursor: err = %v, want ErrInvalidInput", err)
	}
}

func TestRelationsBatchKeepsOrder(t *testing.T) {
	s := neo4jtest.Store(t)
	qs := []store.RelationQuery{
		{EntityID: "cqvie", Dir: store.Out, Types: "SPOKE_AT", First: 10, WithTotal: true},
		{EntityID: "no-such-id", Dir: store.Out, Types: "SPOKE_AT", First: 10, WithTotal: true},
		{EntityID: "cqipc", Dir: store.Out, Types: "SPOKE_AT", First: 10, WithTotal: true},
	}
	pages, err := s.Relations(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 || pages[0].Total != 2 || len(pages[0].Relations) != 2 || pages[1].Total != 0 || len(pages[2].Relations) != 0 {
		t.Errorf("pages = %+v", pages)
	}
	if _, err := s.Relations(context.Background(), []store.RelationQuery{{EntityID: "cqvie", Types: "DROP_ALL", First: 1}}); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("unknown type: err = %v, want ErrInvalidInput", err)
	}
}
