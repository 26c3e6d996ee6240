package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/curation"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// curationServer is the GraphQL handler with the curation commands, behind
// a stand-in for the authentication middleware (package auth, tested on its
// own) that takes the role from the X-Test-Role header: none is anonymous.
func curationServer(t *testing.T) *httptest.Server {
	t.Helper()
	st := neo4jtest.Store(t)
	h := graph.NewHandler(st, curation.New(st), testLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := kg.Actor{Role: kg.RoleReader}
		if role := r.Header.Get("X-Test-Role"); role != "" {
			a = kg.Actor{Name: "test-" + role, Role: kg.Role(role), Via: "key:test" + role}
		}
		h.ServeHTTP(w, r.WithContext(kg.WithActor(r.Context(), a)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

type curationClient struct {
	t    *testing.T
	url  string
	role string
}

func (c curationClient) do(query string, vars map[string]any) (response, http.Header) {
	c.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.role != "" {
		req.Header.Set("X-Test-Role", c.role)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		c.t.Fatalf("not JSON (%d): %s", res.StatusCode, b)
	}
	return response{Status: res.StatusCode, Data: out.Data, Errors: out.Errors}, res.Header
}

func (c curationClient) ok(query string, vars map[string]any) map[string]any {
	c.t.Helper()
	r, _ := c.do(query, vars)
	if len(r.Errors) > 0 {
		c.t.Fatalf("errors: %+v", r.Errors)
	}
	return r.Data
}

func (c curationClient) code(query string, vars map[string]any) string {
	c.t.Helper()
	r, _ := c.do(query, vars)
	if len(r.Errors) == 0 {
		c.t.Errorf("accepted: %s %v", query, vars)
		return ""
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code
}

// The test document: our own text, not a real article.
const gqlTestDoc = `测试快讯：2023年，重庆工程职业技术学院参与共建的坦桑尼亚鲁班工坊正式揭牌，工坊位于阿尔迪大学。
该工坊已培养本土技术人才900余名。2019年，重庆工程职业技术学院发起成立中泰职教联盟。`

const addDoc = `mutation($text: String!) { addDocument(input: {id: "gql_test_doc", title: "测试快讯", language: "zh", date: "2023", text: $text}, reason: "test") {
  created document { id } change { operation actor } } }`

const addLocated = `mutation($key: String) { addRelation(input: {type: LOCATED_IN, from: "tanzania-luban-workshop", to: "ardhi-university",
  evidence: {document: "gql_test_doc", quote: "工坊位于阿尔迪大学"}}, idempotencyKey: $key) {
  created evidenceAdded replayed relation { id origin rank evidences { quote document { id } } other { id } } } }`

func TestMutationsOverGraphQL(t *testing.T) {
	srv := curationServer(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	anon := curationClient{t, srv.URL, ""}
	reader := curationClient{t, srv.URL, "reader"}
	curator := curationClient{t, srv.URL, "curator"}
	admin := curationClient{t, srv.URL, "admin"}
	vars := map[string]any{"text": gqlTestDoc}

	if code := anon.code(addDoc, vars); code != "UNAUTHENTICATED" {
		t.Errorf("anonymous addDocument: %s", code)
	}
	if code := reader.code(addDoc, vars); code != "FORBIDDEN" {
		t.Errorf("reader addDocument: %s", code)
	}
	d := curator.ok(addDoc, vars)["addDocument"].(map[string]any)
	if d["created"] != true || d["change"].(map[string]any)["actor"] != "test-curator" {
		t.Errorf("addDocument = %v", d)
	}

	// The seed's statement, from a second document: one relation, two evidences.
	r := curator.ok(addLocated, map[string]any{"key": "k-located"})["addRelation"].(map[string]any)
	rel := r["relation"].(map[string]any)
	if r["evidenceAdded"] != true || r["created"] != false || len(rel["evidences"].([]any)) != 2 || rel["origin"] != "DATA" {
		t.Errorf("addRelation of a seed statement = %v", r)
	}
	again := curator.ok(addLocated, map[string]any{"key": "k-located"})["addRelation"].(map[string]any)
	if again["replayed"] != true || len(again["relation"].(map[string]any)["evidences"].([]any)) != 2 {
		t.Errorf("retried addRelation = %v; want the first result replayed", again)
	}
	got := curator.ok(`{ entity(id: "tanzania-luban-workshop") { sources { id }
	  relations(types: [LOCATED_IN], direction: OUT) { edges { node { evidences { document { id } } } } } } }`, nil)["entity"].(map[string]any)
	if len(got["sources"].([]any)) != 2 {
		t.Errorf("sources of the workshop = %v; want the seed and the test document", got["sources"])
	}

	// A disagreeing number: both stay, each with its source.
	f := curator.ok(`mutation { addFact(input: {subject: "tanzania-luban-workshop", label: {zh: "培养本土技术人才", en: "local technical talents trained"},
	  value: 900, unit: "person", qualifier: MORE_THAN, evidence: {document: "gql_test_doc", quote: "该工坊已培养本土技术人才900余名"},
	  sameAs: "tanzania-luban-workshop-talents-trained"}) { created fact { id value rank disagreements { value evidence { document { id } } } } } }`, nil)["addFact"].(map[string]any)
	fact := f["fact"].(map[string]any)
	if f["created"] != true || len(fact["disagreements"].([]any)) != 1 || fact["disagreements"].([]any)[0].(map[string]any)["value"] != 700.0 {
		t.Errorf("disagreeing addFact = %v", f)
	}
	ranked := curator.ok(`mutation($id: ID!) { setRank(id: $id, rank: PREFERRED, reason: "the later count") { fact { rank } change { operation } } }`,
		map[string]any{"id": fact["id"]})["setRank"].(map[string]any)
	if ranked["fact"].(map[string]any)["rank"] != "PREFERRED" {
		t.Errorf("setRank = %v", ranked)
	}

	// History on a statement: the relation's and the fact's own change log.
	h := curator.ok(`{ entity(id: "tanzania-luban-workshop") {
	  relations(types: [LOCATED_IN], direction: OUT) { edges { node { id history { edges { node { operation actor subjects } } } } } }
	  facts { id history { edges { node { operation reason } } } } } }`, nil)["entity"].(map[string]any)
	ops := func(conn any) []string {
		var out []string
		for _, e := range conn.(map[string]any)["edges"].([]any) {
			out = append(out, e.(map[string]any)["node"].(map[string]any)["operation"].(string))
		}
		return out
	}
	for _, e := range h["relations"].(map[string]any)["edges"].([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		if got := ops(n["history"]); !slices.Equal(got, []string{"addRelation"}) {
			t.Errorf("history of %s (the seed's, with the test document's evidence added once, the retry replayed) = %v", n["id"], got)
		}
	}
	factOps := map[string][]string{}
	for _, x := range h["facts"].([]any) {
		factOps[x.(map[string]any)["id"].(string)] = ops(x.(map[string]any)["history"])
	}
	if got := factOps[fact["id"].(string)]; !slices.Equal(got, []string{"addFact", "setRank"}) {
		t.Errorf("history of the added fact = %v, want addFact then setRank", got)
	}
	if got := factOps["tanzania-luban-workshop-talents-trained"]; len(got) != 0 {
		t.Errorf("history of the seed's fact = %v, want none (loaded from the data files)", got)
	}

	// A link restated with another time: both statements, each with its source.
	seedCoFounded := "000_c17574c6fccee1e4:cqvie:CO_FOUNDED:china-thailand-vocational-education-alliance"
	cf := curator.ok(`mutation($same: ID!) { addRelation(input: {type: CO_FOUNDED, from: "cqvie", to: "china-thailand-vocational-education-alliance", at: "2019",
	  evidence: {document: "gql_test_doc", quote: "2019年，重庆工程职业技术学院发起成立中泰职教联盟"}, sameAs: $same}) {
	  created relation { sameAs at { value } disagreements { id at { value } evidence { document { id } } } } } }`, map[string]any{"same": seedCoFounded})["addRelation"].(map[string]any)
	cfRel := cf["relation"].(map[string]any)
	if ds := cfRel["disagreements"].([]any); cf["created"] != true || cfRel["sameAs"] != seedCoFounded || len(ds) != 1 ||
		ds[0].(map[string]any)["id"] != seedCoFounded || ds[0].(map[string]any)["at"].(map[string]any)["value"] != "2018-05" {
		t.Errorf("a relation restated with another time = %v", cf)
	}
	seen := curator.ok(`{ entity(id: "china-thailand-vocational-education-alliance") { relations(types: [CO_FOUNDED], direction: IN) { edges { node {
	  id other { id } disagreements { id } } } } } }`, nil)["entity"].(map[string]any)["relations"].(map[string]any)["edges"].([]any)
	disagreeing := 0
	for _, e := range seen {
		n := e.(map[string]any)["node"].(map[string]any)
		if n["other"].(map[string]any)["id"] == "cqvie" {
			disagreeing += len(n["disagreements"].([]any))
		}
	}
	if disagreeing != 2 {
		t.Errorf("from the alliance, cqvie's two CO_FOUNDED statements should list each other: %v", seen)
	}

	// Refusals, each with its code; nothing written by any of them.
	before := neo4jtest.TakeSnapshot(t)
	for _, tc := range []struct{ name, query, code string }{
		{"quote not verbatim", `mutation { addRelation(input: {type: LOCATED_IN, from: "tanzania-luban-workshop", to: "ardhi-university",
		  evidence: {document: "gql_test_doc", quote: "工坊位于达累斯萨拉姆"}}) { created } }`, "BAD_USER_INPUT"},
		{"unknown document", `mutation { addRelation(input: {type: LOCATED_IN, from: "tanzania-luban-workshop", to: "ardhi-university",
		  evidence: {document: "no_such_doc", quote: "工坊位于阿尔迪大学"}}) { created } }`, "NOT_FOUND"},
		{"kinds not allowed", `mutation { addRelation(input: {type: MEMBER_OF, from: "tanzania", to: "cqvie",
		  evidence: {document: "gql_test_doc", quote: "工坊位于阿尔迪大学"}}) { created } }`, "BAD_USER_INPUT"},
		{"bad time", `mutation { addRelation(input: {type: LOCATED_IN, from: "tanzania-luban-workshop", to: "ardhi-university", at: "2023-13",
		  evidence: {document: "gql_test_doc", quote: "工坊位于阿尔迪大学"}}) { created } }`, "BAD_USER_INPUT"},
		{"name held", `mutation { upsertEntity(input: {id: "test-copy", kind: SCHOOL, nameZh: "重庆工程职院"}) { created } }`, "CONFLICT"},
		{"version moved", `mutation { upsertEntity(input: {id: "cqvie", nameEn: "X"}, expectedVersion: 5) { created } }`, "CONFLICT"},
		{"new entity without kind", `mutation { upsertEntity(input: {id: "test-nokind", nameZh: "无类"}) { created } }`, "BAD_USER_INPUT"},
		{"bad id", `mutation { upsertEntity(input: {id: "Bad Id", kind: SCHOOL, nameZh: "坏"}) { created } }`, "BAD_USER_INPUT"},
		{"NUL in a name", `mutation { upsertEntity(input: {id: "test-nul", kind: SCHOOL, nameZh: "坏\u0000名"}) { created } }`, "BAD_USER_INPUT"},
		{"oversized alias", `mutation { upsertEntity(input: {id: "test-long", kind: SCHOOL, nameZh: "长", aliases: ["` + strings.Repeat("长", 201) + `"]}) { created } }`, "BAD_USER_INPUT"},
		{"retract without reason", `mutation { retract(id: "000_c17574c6fccee1e4:cqipc:MEMBER_OF:chengdu-chongqing-vocational-education-alliance", reason: " ") { change { id } } }`, "BAD_USER_INPUT"},
		{"retract unknown", `mutation { retract(id: "x:a:MEMBER_OF:b", reason: "r") { change { id } } }`, "NOT_FOUND"},
		{"merge by a curator", `mutation { mergeEntities(keep: "cqvie", drop: "cqipc", reason: "r") { version } }`, "FORBIDDEN"},
		{"text of a cited document", `mutation { addDocument(input: {id: "gql_test_doc", title: "测试快讯", language: "zh", date: "2023", text: "另一篇"}) { created } }`, "CONFLICT"},
		{"empty idempotency key", `mutation { retract(id: "x:a:MEMBER_OF:b", reason: "r", idempotencyKey: "") { replayed } }`, "BAD_USER_INPUT"},
		{"a version past 64 bits", `mutation { upsertEntity(input: {id: "cqvie", nameEn: "X"}, expectedVersion: 9223372036854775808) { created } }`, "BAD_USER_INPUT"},
		{"a zero-width space in a name", `mutation { upsertEntity(input: {id: "test-zw", kind: SCHOOL, nameZh: "重庆工程职业技术\u200b学院"}) { created } }`, "BAD_USER_INPUT"},
		{"a bad change-log cursor", `{ changes(after: "garbage") { edges { cursor } } }`, "BAD_USER_INPUT"},
		{"idempotency key reused", `mutation { addRelation(input: {type: LOCATED_IN, from: "cqvie", to: "chongqing",
		  evidence: {document: "gql_test_doc", quote: "重庆工程职业技术学院"}}, idempotencyKey: "k-located") { created } }`, "CONFLICT"},
	} {
		if code := curator.code(tc.query, nil); code != tc.code {
			t.Errorf("%s: code %q, want %q", tc.name, code, tc.code)
		}
	}
	if r, _ := curator.do(`mutation($k: Kind) { upsertEntity(input: {id: "test-case", kind: $k, nameZh: "大小写"}) { created } }`, map[string]any{"k": "school"}); len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
		!strings.Contains(r.Errors[0].Message, `"SCHOOL"`) {
		t.Errorf("a lower-case enum variable: %+v", r.Errors)
	}
	for name, v := range map[string]any{"a string": "0x1p4", "NaN": "NaN"} {
		r, _ := curator.do(`mutation($v: Float!) { addFact(input: {subject: "tanzania-luban-workshop", label: {zh: "人才", en: "talents"},
		  value: $v, unit: "person", evidence: {document: "gql_test_doc", quote: "该工坊已培养本土技术人才900余名"}}) { created } }`, map[string]any{"v": v})
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("a Float variable holding %s: %+v", name, r.Errors)
		}
	}
	if after := neo4jtest.TakeSnapshot(t); after != before {
		t.Errorf("refused writes changed the graph: %+v → %+v", before, after)
	}

	// Retract, then read: hidden from relations, shown in retracted and history.
	retracted := "000_c17574c6fccee1e4:cqipc:MEMBER_OF:chengdu-chongqing-vocational-education-alliance"
	curator.ok(`mutation($id: ID!) { retract(id: $id, reason: "test: not a membership") { retraction { reason } } }`, map[string]any{"id": retracted})
	e := curator.ok(`{ entity(id: "cqipc") { relations(types: [MEMBER_OF], direction: OUT) { edges { node { id } } }
	  retracted { reason relation { id other { id } history { edges { node { operation } } } } } history { edges { node { operation reason actor } } } } }`, nil)["entity"].(map[string]any)
	if n := len(e["relations"].(map[string]any)["edges"].([]any)); n != 0 {
		t.Errorf("a retracted relation is still read (%d)", n)
	}
	if rs := e["retracted"].([]any); len(rs) != 1 || rs[0].(map[string]any)["relation"].(map[string]any)["id"] != retracted ||
		rs[0].(map[string]any)["relation"].(map[string]any)["other"].(map[string]any)["id"] != "chengdu-chongqing-vocational-education-alliance" {
		t.Errorf("retracted = %v", rs)
	} else if got := ops(rs[0].(map[string]any)["relation"].(map[string]any)["history"]); !slices.Equal(got, []string{"retract"}) {
		t.Errorf("history of the retracted relation = %v", got)
	}
	if h := e["history"].(map[string]any)["edges"].([]any); len(h) != 1 || h[0].(map[string]any)["node"].(map[string]any)["reason"] != "test: not a membership" {
		t.Errorf("history = %v", h)
	}

	// Several mutations in one request: each is its own transaction, so a
	// refused one answers null at its path and the others' results stand.
	two, _ := curator.do(`mutation { a: upsertEntity(input: {id: "test-multi-a", kind: ORGANIZATION, nameZh: "多字段测试甲"}) { created }
	  b: upsertEntity(input: {id: "test-multi-b", kind: ORGANIZATION, nameZh: "重庆工程职院"}) { created } }`, nil)
	if len(two.Errors) != 1 || two.Errors[0].Extensions["code"] != "CONFLICT" || pathString(two.Errors[0].Path) != "b" ||
		two.Data == nil || two.Data["b"] != nil || two.Data["a"].(map[string]any)["created"] != true {
		t.Errorf("two mutations, the second refused: data %v, errors %+v; want a's result and b null with CONFLICT", two.Data, two.Errors)
	}
	if got := anon.ok(`{ a: entity(id: "test-multi-a") { id } b: entity(id: "test-multi-b") { id } }`, nil); got["a"] == nil || got["b"] != nil {
		t.Errorf("after a request whose second mutation was refused: %v; want a written and b not", got)
	}

	// Merge (admin): the merged id keeps resolving.
	curator.ok(`mutation { upsertEntity(input: {id: "test-ardhi", kind: SCHOOL, nameZh: "阿尔迪大学测试副本"}) { created } }`, nil)
	m := admin.ok(`mutation { mergeEntities(keep: "ardhi-university", drop: "test-ardhi", reason: "duplicate") { entity { id aliases } } }`, nil)
	if al := m["mergeEntities"].(map[string]any)["entity"].(map[string]any)["aliases"].([]any); len(al) == 0 || al[len(al)-1] != "阿尔迪大学测试副本" {
		t.Errorf("kept aliases = %v", al)
	}
	if got := anon.ok(`{ entity(id: "test-ardhi") { id } }`, nil)["entity"].(map[string]any)["id"]; got != "ardhi-university" {
		t.Errorf("entity(merged id) = %v", got)
	}
	ex := anon.ok(`{ neighborhood(id: "test-ardhi", depth: 1) { nodes { id distance } } shortestPath(from: "test-ardhi", to: "tanzania") { length } }`, nil)
	if ns := ex["neighborhood"].(map[string]any)["nodes"].([]any); len(ns) == 0 || ns[0].(map[string]any)["id"] != "ardhi-university" || ex["shortestPath"] == nil {
		t.Errorf("exploring from the merged id: %v", ex)
	}

	// Delete (admin): refused while statements use the entity.
	if code := admin.code(`mutation { deleteEntity(id: "ardhi-university", reason: "r") { id } }`, nil); code != "CONFLICT" {
		t.Errorf("delete of a used entity: %s", code)
	}
	curator.ok(`mutation { upsertEntity(input: {id: "test-delete-me", kind: SCHOOL, nameZh: "待删测试学院"}) { created } }`, nil)
	if code := curator.code(`mutation { deleteEntity(id: "test-delete-me", reason: "r") { id } }`, nil); code != "FORBIDDEN" {
		t.Errorf("delete by a curator: %s", code)
	}
	admin.ok(`mutation { deleteEntity(id: "test-delete-me", reason: "made by mistake") { id change { operation } } }`, nil)
	if got := anon.ok(`{ a: entity(id: "test-delete-me") { id } b: entityByName(name: "待删测试学院") { id } }`, nil); got["a"] != nil || got["b"] != nil {
		t.Errorf("a deleted entity is still read: %v", got)
	}
	if ch := anon.ok(`{ changes(first: 100) { edges { node { operation } } } }`, nil)["changes"].(map[string]any)["edges"].([]any); len(ch) != 11 {
		t.Errorf("changes: %d entries, want 11 (document, evidence, fact, rank, relation, retraction, entity of the two-mutation request, entity, merge, entity, delete)", len(ch))
	}
}

func TestMutationTransport(t *testing.T) {
	srv := curationServer(t)
	before := neo4jtest.TakeSnapshot(t)
	t.Cleanup(func() {
		if after := neo4jtest.TakeSnapshot(t); after != before {
			t.Errorf("refused requests changed the graph: %+v → %+v", before, after)
		}
	})
	// A mutation over GET is refused before it runs.
	res, err := http.Get(srv.URL + "?query=" + url.QueryEscape(`mutation { retract(id: "a", reason: "b") { replayed } }`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(string(b), "METHOD_NOT_ALLOWED") {
		t.Errorf("GET mutation: %d %s", res.StatusCode, b)
	}
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		res, err := http.Post(srv.URL, ct, strings.NewReader(`{"query":"mutation { retract(id: \"a\", reason: \"b\") { replayed } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("%s: %d", ct, res.StatusCode)
		}
	}
	// Invalid UTF-8 and lone surrogates are refused, never stored altered.
	for name, body := range map[string][]byte{
		"invalid UTF-8":  []byte("{\"query\":\"mutation { retract(id: \\\"a\xff\\\", reason: \\\"b\\\") { replayed } }\"}"),
		"lone surrogate": []byte(`{"query":"mutation($r: String!) { retract(id: \"a\", reason: $r) { replayed } }","variables":{"r":"x\ud800y"}}`),
		"lone low half":  []byte(`{"query":"{ entityByName(name: \"\udc00\") { id } }"}`),
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test-Role", "curator") // a curator's write, refused all the same
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "BAD_REQUEST") {
			t.Errorf("%s: %d %s", name, res.StatusCode, b)
		}
	}
	// A paired surrogate escape (an emoji) is fine.
	res, err = http.Post(srv.URL, "application/json", strings.NewReader(`{"query":"{ entityByName(name: \"\ud83d\ude00\") { id } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("paired surrogates: %d", res.StatusCode)
	}
}

// A mutation's answer carries the bookmark of its write; a read that sends
// it back sees the write; a bookmark Neo4j never gave is the client's
// mistake.
func TestBookmarks(t *testing.T) {
	srv := curationServer(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	curator := curationClient{t, srv.URL, "curator"}
	r, h := curator.do(`mutation { upsertEntity(input: {id: "test-bookmark", kind: SCHOOL, nameZh: "书签测试学院"}) { version } }`, nil)
	bm := h.Get(graph.BookmarksHeader)
	if len(r.Errors) > 0 || bm == "" {
		t.Fatalf("mutation: %+v, bookmark %q", r.Errors, bm)
	}
	read := func(bookmark string) (int, response) {
		body := `{"query":"{ entity(id: \"test-bookmark\") { version } }"}`
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(graph.BookmarksHeader, bookmark)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out response
		b, _ := io.ReadAll(res.Body)
		_ = json.Unmarshal(b, &out)
		return res.StatusCode, out
	}
	if status, out := read(bm); status != http.StatusOK || len(out.Errors) > 0 || out.Data["entity"] == nil {
		t.Errorf("read with the bookmark: %d %+v", status, out)
	}
	if _, out := read("FB:notabookmark"); len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("an unknown bookmark: %+v", out)
	}
	if status, _ := read("has spaces, and more"); status != http.StatusBadRequest {
		t.Errorf("a malformed header: %d", status)
	}
}
