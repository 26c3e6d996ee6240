package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// The export of the seed graph is the data files' graph, in id order.
func TestExportSeed(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	g, err := s.Export(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	data, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Documents) != len(data.Documents) || len(g.Entities) != len(data.Entities) || len(g.Relations) != len(data.Relations) ||
		len(g.Facts) != len(data.Facts) || len(g.Retracted) != 0 || len(g.Redirects) != 0 {
		t.Fatalf("export: %d/%d/%d/%d/%d/%d documents/entities/relations/facts/retracted/redirects; data %d/%d/%d/%d",
			len(g.Documents), len(g.Entities), len(g.Relations), len(g.Facts), len(g.Retracted), len(g.Redirects),
			len(data.Documents), len(data.Entities), len(data.Relations), len(data.Facts))
	}
	if !slices.IsSortedFunc(g.Entities, func(a, b store.ExportEntity) int { return compare(a.ID, b.ID) }) ||
		!slices.IsSortedFunc(g.Relations, func(a, b kg.Relation) int { return compare(a.ID, b.ID) }) {
		t.Error("export not in id order")
	}
	rels := map[string]kg.Relation{}
	for _, r := range g.Relations {
		rels[r.ID] = r
	}
	for _, want := range data.Relations {
		got := rels[want.ID]
		want.Origin = kg.OriginData
		if !reflect.DeepEqual(got, want) {
			t.Errorf("relation %s: exported %+v, data %+v", want.ID, got, want)
		}
	}
	ents := map[string]store.ExportEntity{}
	for _, e := range g.Entities {
		ents[e.ID] = e
	}
	for _, want := range data.Entities {
		if got := ents[want.ID]; !reflect.DeepEqual(got.Entity, want) || got.Origin != kg.OriginData {
			t.Errorf("entity %s: exported %+v, data %+v", want.ID, got, want)
		}
	}
}

// One source's export holds the document, every statement citing it in any
// evidence (retracted ones too), the statements their sameAs names, the
// entities they name and the other documents they cite.
func TestExportSource(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	curate(t, s)
	g, err := s.Export(context.Background(), transferDocID)
	if err != nil {
		t.Fatal(err)
	}
	var docs, ents, rels, facts []string
	for _, d := range g.Documents {
		docs = append(docs, d.ID)
	}
	for _, e := range g.Entities {
		ents = append(ents, e.ID)
	}
	for _, r := range g.Relations {
		rels = append(rels, r.ID)
	}
	for _, f := range g.Facts {
		facts = append(facts, f.ID)
	}
	want := map[string][2][]string{
		"documents": {docs, {"000_c17574c6fccee1e4", transferDocID}},
		"entities":  {ents, {"ardhi-university", "cqvie", "tanzania-luban-workshop", "transfer-tech"}},
		"relations": {rels, {"000_c17574c6fccee1e4:tanzania-luban-workshop:LOCATED_IN:ardhi-university", "api:cqvie:SIGNED_AGREEMENT_WITH:transfer-tech"}},
	}
	for what, w := range want {
		if !slices.Equal(w[0], w[1]) {
			t.Errorf("%s: %v, want %v", what, w[0], w[1])
		}
	}
	if len(facts) != 2 || !slices.Contains(facts, "tanzania-luban-workshop-talents-trained") {
		t.Errorf("facts %v; want the curated number and the file's it disagrees with (its sameAs)", facts)
	}
	if len(g.Retracted) != 0 || len(g.Redirects) != 0 {
		t.Errorf("retracted %d, redirects %d; want none (no retracted statement cites the source)", len(g.Retracted), len(g.Redirects))
	}
	if _, err := s.Export(context.Background(), "no_such_document"); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("Export(unknown source) = %v; want not found", err)
	}
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
