package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/searchkey"
	"github.com/vetgraph/vetgraph/internal/store"
)

const seedDoc = "000_c17574c6fccee1e4"

func searchEv(t *testing.T, s *store.Store, q store.EvidenceQuery) store.EvidencePage {
	t.Helper()
	if q.First == 0 {
		q.First = 100
	}
	page, err := s.SearchEvidence(context.Background(), q)
	if err != nil {
		t.Fatalf("SearchEvidence(%+v): %v", q, err)
	}
	return page
}

// hitIDs are "KIND id" of each hit, in order.
func hitIDs(p store.EvidencePage) []string {
	out := make([]string, len(p.Hits))
	for i, h := range p.Hits {
		out[i] = string(h.Kind) + " " + h.ID()
	}
	return out
}

// marked is the highlight's text at its ranges.
func marked(h store.Highlight) []string {
	var out []string
	for _, r := range h.Ranges {
		out = append(out, string([]rune(h.Text)[r.Start:r.End]))
	}
	return out
}

// checkExact fails unless every highlight's text is its field's own text
// at its offset (the hit's whole field, or a window of a document's text).
func checkExact(t *testing.T, h store.EvidenceHit) {
	t.Helper()
	for _, hl := range h.Highlights {
		var whole []string
		switch hl.Field {
		case store.FieldText:
			whole = []string{h.Document.Text}
		case store.FieldTitle:
			whole = []string{h.Document.Title}
		case store.FieldQuote:
			for _, e := range append(h.Relation.AllEvidence(), h.Fact.AllEvidence()...) {
				if e.DocumentID == hl.DocumentID {
					whole = append(whole, e.Quote)
				}
			}
		case store.FieldDetail:
			whole = []string{h.Relation.Detail.Zh, h.Relation.Detail.En}
		case store.FieldLabel:
			whole = []string{h.Fact.Label.Zh, h.Fact.Label.En}
		case store.FieldPeriod:
			whole = []string{h.Fact.Period.Zh, h.Fact.Period.En}
		default:
			whole = append([]string{h.Entity.NameZh, h.Entity.NameEn}, h.Entity.Aliases...)
		}
		ok := false
		for _, w := range whole {
			r := []rune(w)
			n := len([]rune(hl.Text))
			if hl.Offset+n <= len(r) && string(r[hl.Offset:hl.Offset+n]) == hl.Text {
				ok = true
			}
		}
		if !ok || len(hl.Ranges) == 0 {
			t.Errorf("%s %s: highlight %s %q at %d is not the field's text, or has no ranges", h.Kind, h.ID(), hl.Field, hl.Text, hl.Offset)
		}
	}
}

// The examples: a fact's label, words only the article's text
// holds, a publication named only in relations' detail and quotes.
func TestSearchEvidenceFindsWhatNamesDoNot(t *testing.T) {
	s := neo4jtest.Store(t)
	for _, tc := range []struct {
		text   string
		first  string // "KIND id" of the first hit
		field  store.EvidenceField
		marked string // what the first highlight marks
		also   []string
	}{
		{"就业率", "FACT cqipc-graduate-employment-rate", store.FieldLabel, "就业率", []string{"DOCUMENT " + seedDoc}},
		{"BIM", "DOCUMENT " + seedDoc, store.FieldText, "BIM", nil},
		{"三三制", "DOCUMENT " + seedDoc, store.FieldText, "三三制", nil},
		{
			"中国职业教育质量年度报告", "RELATION 000_c17574c6fccee1e4:cqipc:SELECTED_FOR:service-contribution-top-50", store.FieldDetail,
			"中国职业教育质量年度报告",
			[]string{"RELATION 000_c17574c6fccee1e4:cqipc:SELECTED_FOR:service-contribution-typical-school"},
		},
		{
			"Quality Annual Report", "RELATION 000_c17574c6fccee1e4:cqipc:SELECTED_FOR:service-contribution-top-50", store.FieldDetail,
			"Quality Annual Report", nil,
		},
		{"employment rate", "FACT cqipc-graduate-employment-rate", store.FieldLabel, "employment rate", nil},
		// A plan named only in a relation's quote (and the article).
		{
			"人才协同发展合作共建实施方案", "ENTITY chengdu-chongqing-talent-collaboration-plan", store.EvidenceNameZh, "人才协同发展合作共建实施方案",
			[]string{"RELATION 000_c17574c6fccee1e4:cqipc:RUNS:chengdu-chongqing-talent-collaboration-plan"},
		},
		{"700余名", "FACT tanzania-luban-workshop-talents-trained", store.FieldQuote, "700余名", nil},
		{"鲁班工坊", "ENTITY luban-workshop", store.EvidenceNameZh, "鲁班工坊", []string{"ENTITY tanzania-luban-workshop"}},
		// A programme named only in a relation's detail.
		{"鲁班工坊运营项目", "RELATION 000_c17574c6fccee1e4:tanzania-luban-workshop:RECOGNIZED_BY:ceaie", store.FieldDetail, "鲁班工坊运营项目", nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			p := searchEv(t, s, store.EvidenceQuery{Text: tc.text})
			ids := hitIDs(p)
			if len(ids) == 0 || ids[0] != tc.first {
				t.Fatalf("hits %q; want %s first", ids, tc.first)
			}
			h := p.Hits[0].Highlights[0]
			if h.Field != tc.field || !slices.Contains(marked(h), tc.marked) {
				t.Errorf("first highlight %s %q marks %q; want %s marking %q", h.Field, h.Text, marked(h), tc.field, tc.marked)
			}
			for _, a := range tc.also {
				if !slices.Contains(ids, a) {
					t.Errorf("hits %q; want %s among them", ids, a)
				}
			}
			if p.Total != len(p.Hits) {
				t.Errorf("total %d, %d hits on one page of 100", p.Total, len(p.Hits))
			}
			for i, h := range p.Hits {
				checkExact(t, h)
				if i > 0 && h.Score > p.Hits[i-1].Score {
					t.Errorf("hit %d (%v) scores more than the one before (%v)", i, h.Score, p.Hits[i-1].Score)
				}
			}
		})
	}
}

// A document hit's text windows: exact, at most three, offsets into the
// whole text.
func TestSearchEvidenceDocumentWindows(t *testing.T) {
	s := neo4jtest.Store(t)
	p := searchEv(t, s, store.EvidenceQuery{Text: "鲁班工坊", Hits: []store.EvidenceKind{store.HitDocument}})
	if ids := hitIDs(p); !slices.Equal(ids, []string{"DOCUMENT " + seedDoc}) {
		t.Fatalf("hits %q", ids)
	}
	h := p.Hits[0]
	text := 0
	for _, hl := range h.Highlights {
		if hl.Field == store.FieldText {
			text++
			if hl.Offset == 0 || len([]rune(hl.Text)) > 300 {
				t.Errorf("window at %d of %d characters", hl.Offset, len([]rune(hl.Text)))
			}
			for _, m := range marked(hl) {
				if m != "鲁班工坊" {
					t.Errorf("window marks %q", m)
				}
			}
		}
	}
	if text != 3 {
		t.Errorf("%d windows of the text; want 3 (the article names it more often)", text)
	}
	checkExact(t, h)
}

func TestSearchEvidenceFilters(t *testing.T) {
	s := neo4jtest.Store(t)
	kinds := func(p store.EvidencePage) []string {
		var out []string
		for _, h := range p.Hits {
			if !slices.Contains(out, string(h.Kind)) {
				out = append(out, string(h.Kind))
			}
		}
		slices.Sort(out)
		return out
	}
	all := searchEv(t, s, store.EvidenceQuery{Text: "坦桑尼亚"})
	if got := kinds(all); !slices.Equal(got, []string{"DOCUMENT", "ENTITY", "FACT", "RELATION"}) {
		t.Fatalf("kinds of hits %q", got)
	}
	// Empty lists filter nothing.
	if p := searchEv(t, s, store.EvidenceQuery{
		Text: "坦桑尼亚", Hits: []store.EvidenceKind{}, Kinds: []kg.Kind{}, Types: []kg.RelType{},
		Documents: []string{},
	}); !slices.Equal(hitIDs(p), hitIDs(all)) {
		t.Errorf("empty lists: %q, without them %q", hitIDs(p), hitIDs(all))
	}
	// Hit kinds.
	p := searchEv(t, s, store.EvidenceQuery{Text: "坦桑尼亚", Hits: []store.EvidenceKind{store.HitFact, store.HitDocument}})
	if got := kinds(p); !slices.Equal(got, []string{"DOCUMENT", "FACT"}) {
		t.Errorf("hit kinds FACT, DOCUMENT: %q", got)
	}
	// Entity kinds: entities of the kind, relations with an end of it,
	// facts about one; no documents.
	p = searchEv(t, s, store.EvidenceQuery{Text: "坦桑尼亚", Kinds: []kg.Kind{kg.Country}})
	for _, h := range p.Hits {
		ok := false
		switch h.Kind {
		case store.HitEntity, store.HitFact:
			ok = h.Entity.Kind == kg.Country
		case store.HitRelation:
			ok = h.Entity.Kind == kg.Country || h.Other.Kind == kg.Country
		}
		if !ok {
			t.Errorf("kinds [Country]: %s %s", h.Kind, h.ID())
		}
	}
	if !slices.Contains(hitIDs(p), "ENTITY tanzania") || !slices.Contains(hitIDs(p), "RELATION 000_c17574c6fccee1e4:ardhi-university:LOCATED_IN:tanzania") {
		t.Errorf("kinds [Country]: %q", hitIDs(p))
	}
	// Relationship types: relations of them only.
	p = searchEv(t, s, store.EvidenceQuery{Text: "坦桑尼亚", Types: []kg.RelType{kg.LocatedIn}})
	if len(p.Hits) == 0 {
		t.Error("types [LOCATED_IN]: no hits")
	}
	for _, h := range p.Hits {
		if h.Kind != store.HitRelation || h.Relation.Type != kg.LocatedIn {
			t.Errorf("types [LOCATED_IN]: %s %s", h.Kind, h.ID())
		}
	}
	// Documents: an unknown one keeps nothing; the seed keeps itself, what
	// cites it and what it mentions.
	if p = searchEv(t, s, store.EvidenceQuery{Text: "坦桑尼亚", Documents: []string{"no_such_doc"}}); len(p.Hits) != 0 {
		t.Errorf("documents [no_such_doc]: %q", hitIDs(p))
	}
	p = searchEv(t, s, store.EvidenceQuery{Text: "坦桑尼亚", Documents: []string{seedDoc}})
	for _, h := range p.Hits {
		cites := h.Kind == store.HitEntity || h.Document.ID == seedDoc
		for _, e := range append(h.Relation.AllEvidence(), h.Fact.AllEvidence()...) {
			cites = cites || e.DocumentID == seedDoc
		}
		if !cites {
			t.Errorf("documents [seed]: %s %s", h.Kind, h.ID())
		}
	}
	for _, want := range []string{"DOCUMENT " + seedDoc, "ENTITY tanzania", "FACT tanzania-luban-workshop-talents-trained"} {
		if !slices.Contains(hitIDs(p), want) {
			t.Errorf("documents [seed]: %q lacks %s", hitIDs(p), want)
		}
	}
	// Time: relations whose time overlaps 2019, facts at 2019 (none) and
	// documents dated 2019 (none); no entities.
	p = searchEv(t, s, store.EvidenceQuery{Text: "坦桑尼亚", TimeFrom: "2019", TimeTo: "2019"})
	if !slices.Equal(hitIDs(p), []string{"RELATION 000_c17574c6fccee1e4:cqvie:BUILT:tanzania-luban-workshop#established-2019"}) {
		t.Errorf("2019: %q", hitIDs(p))
	}
	p = searchEv(t, s, store.EvidenceQuery{Text: "就业率", TimeFrom: "2024"})
	if !slices.Equal(hitIDs(p), []string{"DOCUMENT " + seedDoc}) {
		t.Errorf("from 2024: %q (the article is dated 2024; the fact has no time)", hitIDs(p))
	}
}

// Pages of a search, read one after another, are the one big page cut up:
// nothing twice, nothing skipped.
func TestSearchEvidencePages(t *testing.T) {
	s := neo4jtest.Store(t)
	whole := hitIDs(searchEv(t, s, store.EvidenceQuery{Text: "技能", First: 100}))
	if len(whole) < 10 {
		t.Fatalf("only %d hits", len(whole))
	}
	var paged []string
	after := ""
	for range 50 {
		p := searchEv(t, s, store.EvidenceQuery{Text: "技能", First: 3, After: after})
		if p.Total != len(whole) {
			t.Errorf("total %d, want %d", p.Total, len(whole))
		}
		paged = append(paged, hitIDs(p)...)
		if !p.HasNext {
			break
		}
		after = p.Hits[len(p.Hits)-1].Cursor
	}
	if !slices.Equal(paged, whole) {
		t.Errorf("pages\n%q\nwhole\n%q", paged, whole)
	}
}

// Any text is safe: Lucene's syntax is only text, blank text finds nothing,
// long text and bad arguments are refused before anything runs.
func TestSearchEvidenceInput(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for _, text := range []string{
		`luban~ AND (workshop*)`, `+-&&||!(){}[]^"~*?:\/`, `*`, `?`, `"unclosed`, `AND OR NOT TO`, `title:鲁班`, `[a TO z]`,
		`\`, `鲁班^10`, `a/b`, "\xff\xfe", "鲁班\x00工坊", strings.Repeat("工坊", 100), strings.Repeat("a ", 100),
		strings.Repeat("🎓", 200),
	} {
		if _, err := s.SearchEvidence(ctx, store.EvidenceQuery{Text: text, First: 10}); err != nil {
			t.Errorf("SearchEvidence(%q): %v", text, err)
		}
	}
	p := searchEv(t, s, store.EvidenceQuery{Text: `luban~ AND (workshop*)`})
	if len(p.Hits) == 0 || p.Hits[0].ID() != "luban-workshop" {
		t.Errorf("Lucene syntax as words: %q", hitIDs(p))
	}
	for _, blank := range []string{"", "   ", "\u200b", "\t\n"} {
		if p := searchEv(t, s, store.EvidenceQuery{Text: blank}); len(p.Hits) != 0 || p.Total != 0 || p.Hits == nil {
			t.Errorf("blank %q: %+v", blank, p)
		}
	}
	for _, tc := range []struct {
		name string
		q    store.EvidenceQuery
	}{
		{"201 characters", store.EvidenceQuery{Text: strings.Repeat("工", 201), First: 1}},
		{"10 KB", store.EvidenceQuery{Text: strings.Repeat("x", 10000), First: 1}},
		{"first 0", store.EvidenceQuery{Text: "x", First: 0}},
		{"bad time", store.EvidenceQuery{Text: "x", First: 1, TimeFrom: "2024-13"}},
		{"bad kind", store.EvidenceQuery{Text: "x", First: 1, Kinds: []kg.Kind{"Planet"}}},
		{"bad type", store.EvidenceQuery{Text: "x", First: 1, Types: []kg.RelType{"LIKES"}}},
		{"bad hit kind", store.EvidenceQuery{Text: "x", First: 1, Hits: []store.EvidenceKind{"PERSON"}}},
		{"too many documents", store.EvidenceQuery{Text: "x", First: 1, Documents: make([]string, 101)}},
		{"bad cursor", store.EvidenceQuery{Text: "x", First: 1, After: "garbage"}},
		{"another list's cursor", store.EvidenceQuery{Text: "x", First: 1, After: "ImNxdmllIg"}},
	} {
		if _, err := s.SearchEvidence(ctx, tc.q); !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("%s: %v; want invalid input", tc.name, err)
		}
	}
}

// Grades: classes never mix; in a class, the field and the coverage order.
func TestEvidenceScore(t *testing.T) {
	q := searchkey.ParseQuery("就业率")
	label := store.EvidenceScore(store.FieldLabel, q.Find("毕业生就业率"), len(q.Words))
	quote := store.EvidenceScore(store.FieldQuote, q.Find("毕业生就业率在96%以上"), len(q.Words))
	text := store.EvidenceScore(store.FieldText, q.Find(strings.Repeat("其他文字。", 50)+"毕业生就业率在96%以上"), len(q.Words))
	name := store.EvidenceScore(store.EvidenceNameZh, q.Find("就业率"), len(q.Words))
	if !(name > label && label > quote && quote > text && text > 3 && name < 4) {
		t.Errorf("name %v > label %v > quote %v > text %v > 3 does not hold", name, label, quote, text)
	}
	w := searchkey.ParseQuery("rate employment")
	words := store.EvidenceScore(store.EvidenceNameZh, w.Find("employment rate"), len(w.Words))
	some := store.EvidenceScore(store.EvidenceNameZh, w.Find("rate"), len(w.Words))
	if !(words >= 2 && words < 3 && some >= 1 && some < 2) {
		t.Errorf("all words %v (want 2.x), some %v (want 1.x)", words, some)
	}
}

// The Cypher of a stored date's first and last day agrees with
// kg.PartialDate.Range for every form.
func TestPartialDateBounds(t *testing.T) {
	neo4jtest.Store(t)
	// m.x: a map's value, typed when read as a property is (a parameter
	// would be typed by the planner).
	first, last := store.PartialDateBounds("m.x")
	for _, s := range []string{
		"2024", "2024~early", "2024~mid", "2024~late", "2024-02", "2023-02~late", "2024-02~early",
		"2024-05~mid", "2024-12", "2024-12~late", "2024-05-12", "2024-02-29",
	} {
		d, err := kg.ParsePartialDate(s)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := d.Range()
		res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), "WITH {x: $x} AS m RETURN toString("+first+") AS lo, toString("+last+") AS hi",
			map[string]any{"x": s}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		v := res.Records[0].Values
		if v[0] != lo.Format("2006-01-02") || v[1] != hi.Format("2006-01-02") {
			t.Errorf("%s: Cypher %v … %v, Range %s … %s", s, v[0], v[1], lo.Format("2006-01-02"), hi.Format("2006-01-02"))
		}
	}
	// Not a partial date: null, so it passes no time filter; a temporal
	// value is its own day.
	for _, tc := range []struct {
		x    any
		want any
	}{
		{"2024/05", nil},
		{"soon", nil},
		{"", nil},
		{int64(2024), nil},
		{true, nil},
		{neo4j.DateOf(time.Date(2023, 11, 15, 0, 0, 0, 0, time.UTC)), "2023-11-15"},
		{time.Date(2023, 11, 15, 23, 30, 0, 0, time.UTC), "2023-11-15"},
	} {
		res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), "WITH {x: $x} AS m RETURN toString("+first+") AS lo, toString("+last+") AS hi",
			map[string]any{"x": tc.x}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		if err != nil {
			t.Errorf("%v: %v", tc.x, err)
			continue
		}
		if v := res.Records[0].Values; v[0] != tc.want || v[1] != tc.want {
			t.Errorf("%v: %v … %v; want %v", tc.x, v[0], v[1], tc.want)
		}
	}
}

// BenchmarkSearchEvidence: one evidence search through the store (the
// statement, the matching and grading in Go), over a mix of texts.
func BenchmarkSearchEvidence(b *testing.B) {
	s := neo4jtest.Store(b)
	ctx := context.Background()
	texts := []string{"就业率", "BIM", "三三制", "鲁班工坊", "employment rate", "中国职业教育质量年度报告", "联盟", "技能"}
	if _, err := s.SearchEvidence(ctx, store.EvidenceQuery{Text: "鲁班", First: 10}); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		if _, err := s.SearchEvidence(ctx, store.EvidenceQuery{Text: texts[i%len(texts)], First: 10}); err != nil {
			b.Fatal(err)
		}
	}
}
