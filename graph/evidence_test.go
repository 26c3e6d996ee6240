package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

const evidenceQuery = `query($text: String!, $filter: EvidenceFilter, $first: Int, $after: String) {
  searchEvidence(text: $text, filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { __typename kind score
      highlights { field text offset ranges { start end } document { id } }
      ... on EntityHit { entity { id kind } }
      ... on RelationHit { relation { id type direction other { id } evidences { document { id } } } from { id } to { id } }
      ... on FactHit { fact { id value unit qualifier text(lang: EN) } subject { id } }
      ... on DocumentHit { document { id title } }
    } }
  } }`

// evidenceHits runs searchEvidence, which must succeed, and returns its
// connection.
func evidenceHits(t *testing.T, vars map[string]any) map[string]any {
	t.Helper()
	return ask(t, evidenceQuery, vars)["searchEvidence"].(map[string]any)
}

// hitKeys are "__typename id" of each edge's node.
func hitKeys(conn map[string]any) []string {
	var out []string
	for _, e := range conn["edges"].([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		id := ""
		for _, k := range []string{"entity", "relation", "fact", "document"} {
			if x, ok := n[k].(map[string]any); ok {
				id = x["id"].(string)
			}
		}
		out = append(out, n["__typename"].(string)+" "+id)
	}
	return out
}

// markedText is what a highlight's ranges mark in its text.
func markedText(h map[string]any) []string {
	text := []rune(h["text"].(string))
	var out []string
	for _, r := range h["ranges"].([]any) {
		rg := r.(map[string]any)
		out = append(out, string(text[int(rg["start"].(float64)):int(rg["end"].(float64))]))
	}
	return out
}

func TestSearchEvidenceOverGraphQL(t *testing.T) {
	// A fact's label: the fact first, with its subject; then the article.
	conn := evidenceHits(t, map[string]any{"text": "就业率"})
	if keys := hitKeys(conn); !slices.Equal(keys, []string{"FactHit cqipc-graduate-employment-rate", "DocumentHit 000_c17574c6fccee1e4"}) {
		t.Fatalf("就业率: %q", keys)
	}
	fact := conn["edges"].([]any)[0].(map[string]any)["node"].(map[string]any)
	if fact["kind"] != "FACT" || pluck(fact, "subject.id")[0] != "cqipc" || pluck(fact, "fact.text")[0] != "more than 96%" {
		t.Errorf("fact hit %v", fact)
	}
	hls := fact["highlights"].([]any)
	label, quote := hls[0].(map[string]any), hls[1].(map[string]any)
	if label["field"] != "LABEL" || label["text"] != "毕业生就业率" || !slices.Equal(markedText(label), []string{"就业率"}) || label["document"] != nil {
		t.Errorf("label highlight %v", label)
	}
	if quote["field"] != "QUOTE" || pluck(quote, "document.id")[0] != "000_c17574c6fccee1e4" || !slices.Equal(markedText(quote), []string{"就业率"}) {
		t.Errorf("quote highlight %v", quote)
	}
	if conn["totalCount"] != 2.0 || pluck(conn, "pageInfo.hasNextPage")[0] != "false" {
		t.Errorf("totalCount %v, pageInfo %v", conn["totalCount"], conn["pageInfo"])
	}

	// A publication named only in relations: each hit with both ends, the
	// relation seen from its start.
	conn = evidenceHits(t, map[string]any{"text": "中国职业教育质量年度报告", "filter": map[string]any{"hitKinds": []string{"RELATION"}}, "first": 2})
	for _, e := range conn["edges"].([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		if n["__typename"] != "RelationHit" || pluck(n, "from.id")[0] != "cqipc" || pluck(n, "relation.type")[0] != "SELECTED_FOR" ||
			pluck(n, "relation.direction")[0] != "OUT" || pluck(n, "relation.other.id")[0] != pluck(n, "to.id")[0] {
			t.Errorf("relation hit %v", n)
		}
		if h := n["highlights"].([]any)[0].(map[string]any); h["field"] != "DETAIL" || !slices.Equal(markedText(h), []string{"中国职业教育质量年度报告"}) {
			t.Errorf("relation highlight %v", h)
		}
	}

	// Words only the article's text holds: a window of it, exact.
	doc := ask(t, `{ document(id: "000_c17574c6fccee1e4") { text } }`, nil)["document"].(map[string]any)["text"].(string)
	for _, text := range []string{"BIM", "三三制"} {
		conn = evidenceHits(t, map[string]any{"text": text})
		if keys := hitKeys(conn); !slices.Equal(keys, []string{"DocumentHit 000_c17574c6fccee1e4"}) {
			t.Errorf("%s: %q", text, keys)
			continue
		}
		h := conn["edges"].([]any)[0].(map[string]any)["node"].(map[string]any)["highlights"].([]any)[0].(map[string]any)
		window, offset := h["text"].(string), int(h["offset"].(float64))
		if h["field"] != "TEXT" || string([]rune(doc)[offset:offset+len([]rune(window))]) != window || !slices.Equal(markedText(h), []string{text}) {
			t.Errorf("%s: window %v is not the article's text at its offset, or marks otherwise", text, h)
		}
	}
}

func TestSearchEvidencePagesOverGraphQL(t *testing.T) {
	whole := hitKeys(evidenceHits(t, map[string]any{"text": "联盟", "first": 100}))
	if len(whole) < 8 {
		t.Fatalf("联盟: %q", whole)
	}
	var paged []string
	var after any
	for range 40 {
		conn := evidenceHits(t, map[string]any{"text": "联盟", "first": 4, "after": after})
		paged = append(paged, hitKeys(conn)...)
		if got := pluck(conn, "pageInfo.hasPreviousPage")[0]; got != map[bool]string{true: "true", false: "false"}[after != nil] {
			t.Errorf("hasPreviousPage %s after %v", got, after)
		}
		if pluck(conn, "pageInfo.hasNextPage")[0] != "true" {
			break
		}
		after = pluck(conn, "pageInfo.endCursor")[0]
	}
	if !slices.Equal(paged, whole) {
		t.Errorf("pages\n%q\nwhole\n%q", paged, whole)
	}
}

// Bad input gets a client error with a stable code; odd text is only text.
func TestSearchEvidenceInputOverGraphQL(t *testing.T) {
	for _, text := range []string{"", "  ", "\u200b", "\x00"} {
		conn := evidenceHits(t, map[string]any{"text": text})
		if conn["totalCount"] != 0.0 || len(conn["edges"].([]any)) != 0 {
			t.Errorf("blank %q: %v", text, conn)
		}
	}
	for _, text := range []string{`luban~ AND (workshop*)`, `+-&&||!(){}[]^"~*?:\/`, `"`, `*:*`, strings.Repeat("🎓", 200), "鲁班\ufffd工坊"} {
		evidenceHits(t, map[string]any{"text": text})
	}
	if keys := hitKeys(evidenceHits(t, map[string]any{"text": `luban~ AND (workshop*)`, "first": 1})); !slices.Equal(keys, []string{"EntityHit luban-workshop"}) {
		t.Errorf("Lucene syntax as words: %q", keys)
	}
	for _, tc := range []struct {
		name string
		vars map[string]any
		code string
		msg  string
	}{
		{"201 characters", map[string]any{"text": strings.Repeat("鲁", 201)}, graph.CodeBadInput, "200 characters"},
		{"10 KB", map[string]any{"text": strings.Repeat(`鲁班 +-&&||!(){}[]^"~*?:\/ `, 500)}, graph.CodeBadInput, "200 characters"},
		{"first 101", map[string]any{"text": "鲁班", "first": 101}, graph.CodePageSizeLimit, "between 1 and 100"},
		{"first 0", map[string]any{"text": "鲁班", "first": 0}, graph.CodePageSizeLimit, "between 1 and 100"},
		{"a bad cursor", map[string]any{"text": "鲁班", "after": "garbage"}, graph.CodeBadInput, "endCursor of searchEvidence"},
		{"a bad time", map[string]any{"text": "鲁班", "filter": map[string]any{"timeFrom": "2024-13"}}, graph.CodeBadInput, "timeFrom"},
		{"too many documents", map[string]any{"text": "鲁班", "filter": map[string]any{"documents": make([]string, 101)}}, graph.CodeBadInput, "at most 100"},
	} {
		r := post(t, evidenceQuery, tc.vars)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tc.code || !strings.Contains(r.Errors[0].Message, tc.msg) {
			t.Errorf("%s: %+v; want %s mentioning %q", tc.name, r.Errors, tc.code, tc.msg)
		}
	}
	// An unknown enum value is refused by validation, before anything runs.
	r := post(t, `{ searchEvidence(text: "x", filter: {hitKinds: [PERSON]}) { totalCount } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("unknown hit kind: %+v", r.Errors)
	}
}

func TestFactsFilteredOverGraphQL(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "重庆工业职业技术学院") {
	  awards: facts(filter: {units: ["award"], labelContains: "大赛"}) { id value period(lang: EN) }
	  employment: facts(filter: {labelContains: "Employment"}) { id text(lang: EN) }
	  all: facts { id } } }`, nil)
	sameSet(t, "awards", pluck(d, "e.awards.*.id"), []string{"cqipc-internet-plus-awards", "cqipc-skills-competition-awards"})
	sameSet(t, "employment", pluck(d, "e.employment.*.text"), []string{"more than 96%"})
	if n := len(pluck(d, "e.all.*.id")); n != 13 {
		t.Errorf("all facts of cqipc: %d, want 13", n)
	}

	conn := ask(t, `{ facts(kinds: [PROGRAM], filter: {qualifiers: [MORE_THAN, NEARLY], units: ["person", "person-time"]}, first: 2) {
	  totalCount pageInfo { hasNextPage endCursor } edges { node { id value } } } }`, nil)["facts"].(map[string]any)
	if conn["totalCount"] != 4.0 || pluck(conn, "pageInfo.hasNextPage")[0] != "true" || len(conn["edges"].([]any)) != 2 {
		t.Errorf("programmes' people: %v", conn)
	}
	next := ask(t, `query($after: String) { facts(kinds: [PROGRAM], filter: {qualifiers: [MORE_THAN, NEARLY], units: ["person", "person-time"]}, first: 2, after: $after) {
	  edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }`, map[string]any{"after": pluck(conn, "pageInfo.endCursor")[0]})
	all := append(pluck(conn, "edges.*.node.id"), pluck(next, "facts.edges.*.node.id")...)
	sameSet(t, "programmes' people, two pages", all, []string{
		"chinese-plus-vocational-skills-trainees", "china-thailand-project-asean-meeting-viewers",
		"luban-workshop-model-beneficiary-person-times", "tanzania-luban-workshop-talents-trained",
	})

	for _, tc := range []struct{ query, code string }{
		{`{ facts(filter: {labelContains: ""}) { totalCount } }`, graph.CodeBadInput},
		{`{ facts(filter: {timeTo: "yesterday"}) { totalCount } }`, graph.CodeBadInput},
		{`{ facts(first: 101) { totalCount } }`, graph.CodePageSizeLimit},
		{`{ facts(after: "nope") { totalCount } }`, graph.CodeBadInput},
		{`{ entity(id: "cqipc") { facts(filter: {labelContains: "` + strings.Repeat("率", 201) + `"}) { id } } }`, graph.CodeBadInput},
	} {
		r := post(t, tc.query, nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != tc.code {
			t.Errorf("%s: %+v; want %s", tc.query, r.Errors, tc.code)
		}
	}
}

// Names say which documents use them and who added them; what a curator
// writes is searchable at once.
func TestNamesAndCuratedEvidenceOverGraphQL(t *testing.T) {
	srv := curationServer(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	curator := curationClient{t, srv.URL, "curator"}
	reader := curationClient{t, srv.URL, "reader"}
	const names = `{ entity(id: "cqvie") { names { text field documents { id } added { actor operation reason } } } }`

	d := reader.ok(names, nil)
	sameSet(t, "names", pluck(d, "entity.names.*.text"), []string{"重庆工程职业技术学院", "Chongqing Vocational Institute of Engineering", "重庆工程职院", "渝工程", "CQVIE"})
	if got := pluck(d, "entity.names.*.added.actor"); len(got) != 0 {
		t.Errorf("the files' names added by %q", got)
	}
	for _, n := range d["entity"].(map[string]any)["names"].([]any) {
		nm := n.(map[string]any)
		want := map[string]bool{"重庆工程职业技术学院": true, "重庆工程职院": true, "渝工程": true}[nm["text"].(string)]
		if got := len(nm["documents"].([]any)) == 1; got != want {
			t.Errorf("%s: documents %v", nm["text"], nm["documents"])
		}
	}

	// A curator's document, alias and relation.
	curator.ok(`mutation { addDocument(input: {id: "gql_evidence_doc", title: "测试快讯", language: "zh",
	  text: "测试快讯（非真实报道）：重庆工程学院（测试简称）与坦桑尼亚鲁班工坊共建焊接实训中心。"}, reason: "test") { created } }`, nil)
	curator.ok(`mutation { upsertEntity(input: {id: "cqvie", aliases: ["重庆工程职院", "渝工程", "CQVIE", "重庆工程学院（测试简称）"]}, reason: "a short form in a test bulletin") { version } }`, nil)
	curator.ok(`mutation { addRelation(input: {type: PARTICIPATES_IN, from: "cqvie", to: "tanzania-luban-workshop", detail: {zh: "共建焊接实训中心"},
	  evidence: {document: "gql_evidence_doc", quote: "重庆工程学院（测试简称）与坦桑尼亚鲁班工坊共建焊接实训中心"}}) { created } }`, nil)

	d = reader.ok(names, nil)
	for _, n := range d["entity"].(map[string]any)["names"].([]any) {
		nm := n.(map[string]any)
		if nm["text"] != "重庆工程学院（测试简称）" {
			continue
		}
		if nm["field"] != "ALIAS" || pluck(nm, "added.actor")[0] != "test-curator" || pluck(nm, "added.operation")[0] != "upsertEntity" ||
			pluck(nm, "added.reason")[0] != "a short form in a test bulletin" || !slices.Equal(pluck(nm, "documents.*.id"), []string{"gql_evidence_doc"}) {
			t.Errorf("the curator's alias: %v", nm)
		}
	}
	conn := reader.ok(evidenceQuery, map[string]any{"text": "焊接实训中心"})["searchEvidence"].(map[string]any)
	keys := hitKeys(conn)
	if len(keys) < 2 || !strings.HasPrefix(keys[0], "RelationHit api:cqvie:PARTICIPATES_IN:tanzania-luban-workshop") || !slices.Contains(keys, "DocumentHit gql_evidence_doc") {
		t.Errorf("焊接实训中心 after the curator's writes: %q", keys)
	}
}
