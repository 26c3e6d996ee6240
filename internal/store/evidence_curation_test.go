package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// evidenceTestDoc is a document written for these tests (not a real
// article), in both languages.
const evidenceTestDoc = `Test bulletin (not a real article): the Tanzania Luban Workshop opened a welding studio in 2025.
测试简讯：坦桑尼亚鲁班工坊新建焊接实训室，已培训焊工120名。
Ardhi University hosts the workshop's new welding studio.`

const evidenceTestDocID = "test_evidence_doc"

// hitOf returns the hit "KIND id" of p, failing when there is none.
func hitOf(t *testing.T, p store.EvidencePage, id string) store.EvidenceHit {
	t.Helper()
	for _, h := range p.Hits {
		if string(h.Kind)+" "+h.ID() == id {
			return h
		}
	}
	t.Fatalf("no hit %s among %q", id, hitIDs(p))
	return store.EvidenceHit{}
}

// What curators write through the API is searchable at once: a document,
// evidence added to a file relation, a new fact, entity and relation, a
// relation of a type added at runtime; a load of the files keeps the
// curators' evidence searchable; a retracted relation is not found.
func TestSearchEvidenceFindsCuratedWrites(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	ev := func(quote string) kg.Evidence { return kg.Evidence{DocumentID: evidenceTestDocID, Quote: quote} }

	if p := searchEv(t, s, store.EvidenceQuery{Text: "welding studio"}); len(p.Hits) != 0 {
		t.Fatalf("before: %q", hitIDs(p))
	}
	if _, _, err := s.AddDocument(ctx, stamp("addDocument", ""), kg.Document{
		ID: evidenceTestDocID, Title: "Test bulletin",
		Language: "en", Date: "2025", Text: evidenceTestDoc,
	}); err != nil {
		t.Fatal(err)
	}
	p := searchEv(t, s, store.EvidenceQuery{Text: "welding studio"})
	hitOf(t, p, "DOCUMENT "+evidenceTestDocID)

	// Evidence for a file relation: found by the new quote, which says its document.
	located := "000_c17574c6fccee1e4:tanzania-luban-workshop:LOCATED_IN:ardhi-university"
	r, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.LocatedIn, From: "tanzania-luban-workshop",
		To: "ardhi-university", Evidence: ev("Ardhi University hosts the workshop's new welding studio"),
	}, "")
	if err != nil || !r.EvidenceAdded {
		t.Fatalf("AddRelation: %+v %v", r, err)
	}
	checkLocated := func(when string) {
		t.Helper()
		h := hitOf(t, searchEv(t, s, store.EvidenceQuery{Text: "welding studio"}), "RELATION "+located)
		if hl := h.Highlights[0]; hl.Field != store.FieldQuote || hl.DocumentID != evidenceTestDocID || !slices.Equal(marked(hl), []string{"welding studio"}) {
			t.Errorf("%s: highlight %+v", when, hl)
		}
		checkExact(t, h)
	}
	checkLocated("after addRelation")

	// A new fact, entity and relation.
	if _, _, err := s.AddFact(ctx, stamp("addFact", ""), kg.Fact{
		Subject: "tanzania-luban-workshop", Label: kg.Names{Zh: "培训焊工", En: "welders trained"},
		Value: 120, Unit: "person", Qualifier: kg.Exact, Evidence: ev("已培训焊工120名"),
	}, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{
		ID: "test-welding-studio", Kind: ptr(kg.Program),
		NameZh: ptr("焊接实训室"), NameEn: ptr("Welding Training Room"), NameEnOfficial: ptr(false), Aliases: &[]string{"Welding Studio"},
	}, nil); err != nil {
		t.Fatal(err)
	}
	part, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.PartOf, From: "test-welding-studio", To: "tanzania-luban-workshop",
		Detail: kg.Names{En: "a new training room of the workshop"}, Evidence: ev("坦桑尼亚鲁班工坊新建焊接实训室"),
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	p = searchEv(t, s, store.EvidenceQuery{Text: "焊工"})
	if ids := hitIDs(p); len(ids) == 0 || !strings.HasPrefix(ids[0], "FACT tanzania-luban-workshop-") {
		t.Errorf("焊工: %q; want the new fact first", ids)
	}
	p = searchEv(t, s, store.EvidenceQuery{Text: "焊接实训室"})
	if ids := hitIDs(p); len(ids) < 3 || ids[0] != "ENTITY test-welding-studio" || !slices.Contains(ids, "RELATION "+part.Relation.ID) {
		t.Errorf("焊接实训室: %q", ids)
	}
	hitOf(t, searchEv(t, s, store.EvidenceQuery{Text: "training room"}), "RELATION "+part.Relation.ID) // its detail

	// A relationship type added at runtime gets its index at once.
	if _, _, err := s.AddRelationType(ctx, stamp("addRelationType", ""), kg.RelTypeInfo{
		Type: "TEST_TRAINS", Zh: "培训", En: "trains",
		InverseZh: "由…培训", InverseEn: "is trained by", From: []kg.Kind{kg.Program}, To: []kg.Kind{kg.Country},
	}); err != nil {
		t.Fatal(err)
	}
	trains, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: "TEST_TRAINS", From: "test-welding-studio", To: "tanzania",
		Evidence: ev("已培训焊工120名"),
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	hitOf(t, searchEv(t, s, store.EvidenceQuery{Text: "焊工", Types: []kg.RelType{"TEST_TRAINS"}}), "RELATION "+trains.Relation.ID)

	// A load of the files rewrites the file relation, not the curators' evidence.
	g, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, g); err != nil {
		t.Fatal(err)
	}
	checkLocated("after a load of the files")

	// A retracted relation is found no more.
	if _, _, err := s.Retract(ctx, stamp("retract", ""), part.Relation.ID); err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(searchEv(t, s, store.EvidenceQuery{Text: "焊接实训室"})); slices.Contains(ids, "RELATION "+part.Relation.ID) {
		t.Errorf("a retracted relation is found: %q", ids)
	}
}

// Search tokens of data written before the store kept them are filled in
// once by EnsureSchema.
func TestEnsureSchemaBackfillsSearchTokens(t *testing.T) {
	s := neo4jtest.Store(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	run := func(cypher string) []*neo4j.Record {
		t.Helper()
		res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), cypher, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		if err != nil {
			t.Fatal(err)
		}
		return res.Records
	}
	run(`MATCH (m:Migration {id: 'evidence-search-tokens-1'}) DELETE m`)
	run(`MATCH (d:Document) REMOVE d.searchTokens`)
	run(`MATCH (f:Fact) REMOVE f.searchTokens`)
	run(`MATCH ()-[r:SELECTED_FOR]->() REMOVE r.searchTokens`)
	wants := []string{
		"RELATION 000_c17574c6fccee1e4:cqipc:SELECTED_FOR:service-contribution-top-50", "DOCUMENT " + seedDoc,
		"FACT china-thailand-project-high-quality-courses",
	}
	ids := hitIDs(searchEv(t, s, store.EvidenceQuery{Text: "中国职业教育质量年度报告"}))
	for _, want := range wants {
		if slices.Contains(ids, want) {
			t.Errorf("without tokens: %q holds %s", ids, want)
		}
	}
	if err := s.EnsureSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	ids = hitIDs(searchEv(t, s, store.EvidenceQuery{Text: "中国职业教育质量年度报告"}))
	for _, want := range wants {
		if !slices.Contains(ids, want) {
			t.Errorf("after EnsureSchema: %q lacks %s", ids, want)
		}
	}
	if n := run(`MATCH (m:Migration {id: 'evidence-search-tokens-1'}) RETURN count(m)`)[0].Values[0]; n != int64(1) {
		t.Errorf("migration marks: %v", n)
	}
}

func factIDs(fs []kg.Fact) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func TestFactFilters(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		id     string
		filter store.FactFilter
		want   []string
	}{
		{
			"unit", "cqipc",
			store.FactFilter{Units: []string{"award"}},
			[]string{"cqipc-internet-plus-awards", "cqipc-mohrss-class-one-awards", "cqipc-skills-competition-awards"},
		},
		{"label in Chinese", "cqipc", store.FactFilter{LabelContains: "就业"}, []string{"cqipc-graduate-employment-rate"}},
		{"label in English, any case and width", "cqipc", store.FactFilter{LabelContains: "ＥＭＰＬＯＹＭＥＮＴ rate"}, []string{"cqipc-graduate-employment-rate"}},
		{"qualifier", "spray-painting-technician-training", store.FactFilter{Qualifiers: []kg.Qualifier{kg.About}}, []string{"spray-painting-training-trainees"}},
		{"qualifier none", "spray-painting-technician-training", store.FactFilter{Qualifiers: []kg.Qualifier{kg.Exact}}, nil},
		{"document", "cqipc", store.FactFilter{Documents: []string{seedDoc}, Units: []string{"percent"}}, []string{"cqipc-graduate-employment-rate"}},
		{"unknown document", "cqipc", store.FactFilter{Documents: []string{"no_such_doc"}}, nil},
		{
			"empty lists", "spray-painting-technician-training",
			store.FactFilter{Units: []string{}, Qualifiers: []kg.Qualifier{}, Documents: []string{}},
			[]string{"spray-painting-training-trainees"},
		},
		{
			"time", "china-thailand-vocational-education-alliance",
			store.FactFilter{TimeFrom: "2024-03", TimeTo: "2025"},
			[]string{"china-thailand-alliance-thai-students", "china-thailand-alliance-years"},
		},
		{"time before", "china-thailand-vocational-education-alliance", store.FactFilter{TimeTo: "2023"}, nil},
	} {
		m, err := s.FactsOfFiltered(ctx, []string{tc.id, "no-such-entity"}, tc.filter)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := factIDs(m[tc.id]); !slices.Equal(got, tc.want) && len(got)+len(tc.want) > 0 {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
		if len(m["no-such-entity"]) != 0 {
			t.Errorf("%s: facts of no entity: %v", tc.name, m["no-such-entity"])
		}
	}

	// The whole graph's facts, by pages: the one big page cut up.
	all, err := s.Facts(ctx, store.FactQuery{First: 100, WithTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != 39 || len(all.Facts) != 39 || all.HasNext {
		t.Fatalf("all facts: total %d, %d on the page, next %v; want the seed's 39", all.Total, len(all.Facts), all.HasNext)
	}
	var paged []string
	after := ""
	for range 10 {
		p, err := s.Facts(ctx, store.FactQuery{First: 10, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != -1 {
			t.Errorf("total %d without asking", p.Total)
		}
		paged = append(paged, factIDs(p.Facts)...)
		if !p.HasNext {
			break
		}
		after = p.Cursors[len(p.Cursors)-1]
	}
	if !slices.Equal(paged, factIDs(all.Facts)) || !slices.IsSorted(paged) {
		t.Errorf("pages %q", paged)
	}
	p, err := s.Facts(ctx, store.FactQuery{
		First: 100, Kinds: []kg.Kind{kg.Alliance}, WithTotal: true,
		Filter: store.FactFilter{Qualifiers: []kg.Qualifier{kg.Exact}, Units: []string{"item", "course"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := factIDs(p.Facts); !slices.Equal(got, []string{
		"china-thailand-alliance-national-quality-courses",
		"china-thailand-alliance-resources-developed", "china-thailand-alliance-virtual-simulation-bases",
	}) || p.Total != 3 {
		t.Errorf("alliances' exact items and courses: %q (total %d)", got, p.Total)
	}
	if p, err = s.Facts(ctx, store.FactQuery{First: 100, Subjects: []string{"cqipc"}, Filter: store.FactFilter{LabelContains: "大赛"}}); err != nil ||
		!slices.Equal(factIDs(p.Facts), []string{"cqipc-internet-plus-awards", "cqipc-skills-competition-awards"}) {
		t.Errorf("cqipc's competitions: %q %v", factIDs(p.Facts), err)
	}

	for _, tc := range []struct {
		name string
		q    store.FactQuery
	}{
		{"label 201 characters", store.FactQuery{First: 1, Filter: store.FactFilter{LabelContains: strings.Repeat("率", 201)}}},
		{"blank label", store.FactQuery{First: 1, Filter: store.FactFilter{LabelContains: "   "}}},
		{"bad qualifier", store.FactQuery{First: 1, Filter: store.FactFilter{Qualifiers: []kg.Qualifier{"MANY"}}}},
		{"bad time", store.FactQuery{First: 1, Filter: store.FactFilter{TimeFrom: "last year"}}},
		{"too many documents", store.FactQuery{First: 1, Filter: store.FactFilter{Documents: make([]string, 101)}}},
		{"bad kind", store.FactQuery{First: 1, Kinds: []kg.Kind{"Planet"}}},
		{"bad cursor", store.FactQuery{First: 1, After: "%%%"}},
		{"first 0", store.FactQuery{First: 0}},
	} {
		if _, err := s.Facts(ctx, tc.q); !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("%s: %v; want invalid input", tc.name, err)
		}
	}
}

// nameOf returns the EntityName with that text.
func nameOf(t *testing.T, ns []store.EntityName, text string) store.EntityName {
	t.Helper()
	for _, n := range ns {
		if n.Text == text {
			return n
		}
	}
	t.Fatalf("no name %q among %+v", text, ns)
	return store.EntityName{}
}

// Each name says which documents use it and which curator's write added it.
func TestNamesOf(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()

	// The files' names: the article uses the Chinese name and the short
	// form; no document uses the English name or CQVIE; no curator added any.
	m, err := s.NamesOf(ctx, []string{"cqvie", "no-such-entity"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m["no-such-entity"]; ok {
		t.Error("names of no entity")
	}
	var texts []string
	for _, n := range m["cqvie"] {
		texts = append(texts, string(n.Field)+" "+n.Text)
		if n.Added != nil {
			t.Errorf("%s: added by %+v", n.Text, n.Added)
		}
	}
	if want := []string{"NAME_ZH 重庆工程职业技术学院", "NAME_EN Chongqing Vocational Institute of Engineering", "ALIAS 重庆工程职院", "ALIAS 渝工程", "ALIAS CQVIE"}; !slices.Equal(texts, want) {
		t.Errorf("names %q, want %q", texts, want)
	}
	for text, docs := range map[string][]string{
		"重庆工程职业技术学院": {seedDoc}, "重庆工程职院": {seedDoc}, "CQVIE": {},
		"Chongqing Vocational Institute of Engineering": {},
	} {
		if got := nameOf(t, m["cqvie"], text).Documents; !slices.Equal(got, docs) {
			t.Errorf("%s: documents %q, want %q", text, got, docs)
		}
	}

	// A curator's alias and a second document that uses a name in another case.
	if _, _, err := s.AddDocument(ctx, stamp("addDocument", ""), kg.Document{
		ID: evidenceTestDocID, Title: "Test bulletin",
		Language: "en", Text: "Test bulletin (not a real article): CHONGQING VOCATIONAL INSTITUTE OF ENGINEERING, known as CQVIE, met in 2025.",
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.LocatedIn, From: "cqvie", To: "chongqing",
		Evidence: kg.Evidence{DocumentID: evidenceTestDocID, Quote: "CHONGQING VOCATIONAL INSTITUTE OF ENGINEERING"},
	}, ""); err != nil {
		t.Fatal(err)
	}
	aliases := []string{"重庆工程职院", "渝工程", "CQVIE", "重庆工程学院（测试）"}
	_, up, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "cqvie", Aliases: &aliases}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// An entity merged in brings its names, added by the merge.
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{
		ID: "test-cqvie-copy", Kind: ptr(kg.School),
		NameZh: ptr("重庆工程职业技术学院（副本）"),
	}, nil); err != nil {
		t.Fatal(err)
	}
	_, merged, err := s.Merge(ctx, stamp("mergeEntities", ""), "cqvie", "test-cqvie-copy")
	if err != nil {
		t.Fatal(err)
	}
	if m, err = s.NamesOf(ctx, []string{"cqvie"}); err != nil {
		t.Fatal(err)
	}
	ns := m["cqvie"]
	for _, tc := range []struct {
		text   string
		docs   []string
		change *kg.Change
	}{
		{"重庆工程职业技术学院", []string{seedDoc}, nil},
		{"Chongqing Vocational Institute of Engineering", []string{evidenceTestDocID}, nil},
		{"CQVIE", []string{evidenceTestDocID}, nil},
		{"渝工程", []string{seedDoc}, nil}, // the heading of the article's second report
		{"重庆工程学院（测试）", []string{}, up.Change},
		{"重庆工程职业技术学院（副本）", []string{}, merged.Change},
	} {
		n := nameOf(t, ns, tc.text)
		if !slices.Equal(n.Documents, tc.docs) {
			t.Errorf("%s: documents %q, want %q", tc.text, n.Documents, tc.docs)
		}
		switch {
		case tc.change == nil && n.Added != nil:
			t.Errorf("%s: added by %s (%s); want from the data files", tc.text, n.Added.ID, n.Added.Op)
		case tc.change != nil && (n.Added == nil || n.Added.ID != tc.change.ID || n.Added.Actor.Name != "tester"):
			t.Errorf("%s: added by %+v; want change %s", tc.text, n.Added, tc.change.ID)
		}
	}
}
