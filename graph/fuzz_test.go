package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// Bounds every fuzzed request must keep, whatever it sends.
const (
	fuzzMaxResponse = 2 << 20 // bytes of one answer (complexity bounds the data)
	fuzzMaxLogLines = graph.MaxErrorLogLines + 1
	fuzzMaxLogBytes = 8 << 10
	fuzzMaxMessage  = 700 // characters of one error message
)

// fuzzSeeds are requests that once went wrong, or sit at an edge: client
// mistakes that must get a client code, inputs that must not be echoed
// whole, bodies that must be refused. Each is (query, variables as raw
// JSON, operationName, sent as GET).
var fuzzSeeds = []struct {
	query, vars, op string
	get             bool
}{
	{`{ entity(id: "cqvie") { id name(lang: EN) } }`, ``, ``, false},
	// An explicit null for an argument with a default, in every item of a list.
	{`{ entities(first: 100) { edges { node { name(lang: null) description(lang: null)
	   relations(first: 50) { edges { node { label(lang: null) detail(lang: null) } } } } } } }`, ``, ``, false},
	{`{ relationTypes { label(lang: null) inverseLabel(lang: null) } }`, ``, ``, false},
	// Wrong-case enum values in variables, used in every item of a list.
	{
		`query($l: Lang, $d: Direction, $t: [RelationType!]) { entities(first: 100) { edges { node { name(lang: $l)
	   relations(direction: $d, types: $t) { edges { node { label(lang: $l) } } } } } } }`,
		`{"l": "en", "d": "out", "t": ["member_of"]}`, ``, false,
	},
	{`query($l: Lang) { entity(id: "cqvie") { name(lang: $l) } }`, `{"l": 5}`, ``, false},
	{`query($f: EntityFilter) { entities(filter: $f) { totalCount } }`, `{"f": {"kinds": ["school"]}}`, ``, false},
	// Long input echoed in errors.
	{`{ entities(after: "` + strings.Repeat("A", 10000) + `") { totalCount } }`, ``, ``, false},
	{`{ ` + strings.Repeat("x", 10000) + ` }`, ``, ``, false},
	{`{ entity(id: "cqvie") { id } }`, ``, strings.Repeat("op", 5000), false},
	{`query($c: String) { entity(id: "cqvie") { relations(after: $c) { totalCount } } }`, `{"c": "` + strings.Repeat("%", 10000) + `"}`, ``, false},
	// Invalid UTF-8 and a lone surrogate.
	{"{ search(text: \"\xff\xfe\") { score } }", ``, ``, false},
	{`query($t: String!) { search(text: $t) { score } }`, `{"t": "\ud800"}`, ``, false},
	{"{ search(text: \"\xc3\") { score } }", ``, ``, true},
	// Numbers out of range, wrong types.
	{`{ entities(first: 99999999999999999999) { totalCount } }`, ``, ``, false},
	{`query($n: Int) { entities(first: $n) { totalCount } }`, `{"n": 1e400}`, ``, false},
	{`query($n: Int64) { entity(id: "cqvie") { history(first: 1) { edges { cursor } } } }`, `{"n": "x"}`, ``, false},
	{`{ neighborhood(id: "cqvie", depth: 3, limit: 200) { nodes { id name } edges { label } } }`, ``, ``, false},
	{`{ paths(from: "cqvie", to: "tanzania", maxHops: 6, first: 20) { length } }`, ``, ``, true},
	{`mutation { retract(id: "x", reason: "y") { replayed } }`, ``, ``, false},
	{`{ __schema { types { name } } }`, ``, ``, true},
	{`{ entity(id: "cqvie") { ...F } } fragment F on School { ...F }`, ``, ``, false},
	{``, `[]`, ``, false},
	// Valid requests over the whole schema, for the fuzzer to bend.
	{
		`query Q($f: EntityFilter, $o: EntityOrder, $n: Int, $a: String) { entities(filter: $f, orderBy: $o, first: $n, after: $a) {
	   totalCount pageInfo { hasNextPage endCursor } edges { cursor node { __typename id kind name version aliases } } } }`,
		`{"f": {"kinds": ["SCHOOL", "PROGRAM"], "nameContains": "重庆", "country": "thailand", "relationTypes": ["MEMBER_OF"], "timeFrom": "2018", "timeTo": "2024-05~late"},
		  "o": {"field": "RELATION_COUNT", "direction": "DESC", "relationType": "RUNS"}, "n": 7, "a": null}`, `Q`, false,
	},
	{`{ schools(last: 3, before: "x", orderBy: {field: TIME}) { edges { node { city schoolType programs { id } alliances { id } partners { id } } } }
	   countries(first: 2) { edges { node { iso2 iso3 } } } programs(first: 2) { edges { node { start { value precision start end part } category countries { id } } } }
	   alliances(first: 2) { edges { node { members { id } founders { id } } } } enterprises(first: 1) { totalCount } }`, ``, ``, false},
	{
		`query($t: String!, $k: [Kind!], $n: Int) { search(text: $t, kinds: $k, first: $n) { score match field matched entity { id } } }`,
		`{"t": "cqvie 重庆 gongcheng", "k": ["SCHOOL"], "n": 3}`, ``, true,
	},
	{`{ entityCounts(groupBy: COUNTRY, filter: {kinds: [SCHOOL]}) { key label(lang: EN) count } relationCounts(groupBy: YEAR, types: [MEMBER_OF, RUNS]) { key count label }
	   stats { entities relations facts documents } relationTypes { type label example fromKinds toKinds symmetric builtin } }`, ``, ``, false},
	{`query($id: ID!, $d: Int, $l: Int, $as: String) { neighborhood(id: $id, depth: $d, limit: $l, asOf: $as, types: [MEMBER_OF, RUNS], kinds: [SCHOOL, ALLIANCE]) {
	   truncated nodes { id kind name(lang: EN) degree distance entity { id } } edges { id type from to label at { value } since { value } until { value } detail evidence { quote document { id title } } }
	   more { nodeId type count } } }`, `{"id": "cqvie", "d": 2, "l": 20, "as": "2020-06"}`, ``, false},
	{`{ shortestPath(from: "cqvie", to: "thailand", maxHops: 5, directed: true, asOf: "2023") { length nodes { id } edges { type } }
	   commonNeighbors(a: "cqvie", b: "cqipc", types: [MEMBER_OF]) { id name }
	   explain(from: "cqvie", to: "tanzania", lang: EN, maxHops: 3) { text steps { sentence quote from { id } to { id } edge { type } document { id } } } }`, ``, ``, false},
	{
		`query($id: ID!) { entity(id: $id) { id facts { id value unit qualifier text(lang: EN) label at { value } period evidence { quote } evidences { quote document { date { value } publisher url language } }
	   rank disagreements { id } } sources { id title text } history(first: 2) { edges { cursor node { id at actor operation subjects summary before after } } }
	   retracted { at by reason relation { id } fact { id } }
	   relations(types: [MEMBER_OF, RUNS, LOCATED_IN], direction: OUT, kinds: [ALLIANCE], timeFrom: "2015", timeTo: "2030", asOf: "2024-01-01", first: 3, after: null) {
	     totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type direction label(lang: EN) at { value } since { value } until { value } detail(lang: EN)
	     rank origin sameAs evidences { quote } disagreements { id } other { id name relations(first: 2) { edges { node { other { id } } } } } } } } } }`,
		`{"id": "cqvie"}`, ``, false,
	},
	{`{ changes(since: "2026-01-01T00:00:00Z", entity: "cqvie", first: 5) { edges { cursor node { id } } pageInfo { hasNextPage } } document(id: "000_c17574c6fccee1e4") { id title } entityByName(name: "CQVIE") { id } }`, ``, ``, false},
	{
		`query($s: Boolean!, $i: Boolean!) { entity(id: "cqvie") { id @skip(if: $s) nameZh @include(if: $i) ... on School { city } ...F } } fragment F on Entity { nameEn }`,
		`{"s": true, "i": false}`, ``, false,
	},
	{`{ __type(name: "Entity") { name kind possibleTypes { name } fields { name args { name defaultValue } } } }`, ``, ``, false},
	{`query A { stats { entities } } query B { relationTypes { type } }`, ``, `B`, false},
	{`mutation($v: Int64) { upsertEntity(input: {id: "fuzz-x", kind: SCHOOL, nameZh: "模糊"}, expectedVersion: $v) { created } }`, `{"v": 9223372036854775807}`, ``, false},
}

// FuzzHandler sends fuzzed GraphQL requests through the real handler over
// the test Neo4j (the repository's data; mutations refused, as no curator
// is wired) and checks what no request may cause: a panic, a 5xx, an
// INTERNAL_SERVER_ERROR, more than graph.MaxErrors errors or a long error
// message, an answer over fuzzMaxResponse, more than fuzzMaxLogLines log
// lines. Its seeds (fuzzSeeds and testdata/fuzz/FuzzHandler) run in every
// `go test`; `go test -fuzz=FuzzHandler ./graph` searches for more.
func FuzzHandler(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s.query, []byte(s.vars), s.op, s.get)
	}
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	lim := testLimits
	lim.Timeout = 5 * time.Second
	h := graph.NewHandler(neo4jtest.Store(f), nil, lim, log)
	f.Fuzz(func(t *testing.T, query string, vars []byte, op string, get bool) {
		logs.Reset()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, fuzzRequest(query, vars, op, get))
		checkAnswer(t, rec, &logs)
	})
}

// fuzzTemplates are valid operations whose arguments come from variables:
// $s (String or ID), $n (Int) and $r (any JSON), which FuzzVariables fills.
var fuzzTemplates = []string{
	`query($s: String!, $n: Int) { search(text: $s, first: $n) { score entity { id } } }`,
	`query($s: String, $n: Int) { entities(after: $s, first: $n) { totalCount edges { cursor } } }`,
	`query($s: String, $n: Int) { entities(before: $s, last: $n, orderBy: {field: TIME, direction: DESC}) { edges { cursor } } }`,
	`query($s: String, $n: Int) { entities(filter: {nameContains: $s, country: $s, timeFrom: $s, timeTo: $s}, first: $n) { totalCount } }`,
	`query($s: String, $n: Int) { neighborhood(id: "cqvie", depth: $n, limit: $n, asOf: $s) { nodes { id } more { count } } }`,
	`query($s: ID!, $n: Int) { paths(from: $s, to: "tanzania", maxHops: $n, first: $n) { length } }`,
	`query($s: ID!, $n: Int) { explain(from: "cqvie", to: $s, maxHops: $n) { text } }`,
	`query($s: String, $n: Int) { changes(since: $s, entity: $s, first: $n, after: $s) { edges { cursor } } }`,
	`query($s: String!) { entityByName(name: $s) { id } entity(id: $s) { id } document(id: $s) { id } }`,
	`query($s: String, $n: Int) { entity(id: "cqvie") { history(first: $n, after: $s) { edges { cursor } } } }`,
	`query($s: String, $n: Int) { entity(id: "cqvie") { relations(timeFrom: $s, timeTo: $s, asOf: $s, first: $n, after: $s) { totalCount edges { node { id } } } } }`,
	`query($s: ID!, $n: Int) { shortestPath(from: "cqvie", to: $s, asOf: "2020", maxHops: $n) { length } commonNeighbors(a: $s, b: "cqipc") { id } }`,
	`query($r: EntityFilter, $s: String) { entities(filter: $r, after: $s) { totalCount } entityCounts(groupBy: KIND, filter: $r) { key count } }`,
	`query($r: EntityOrder, $n: Int) { entities(orderBy: $r, first: $n) { edges { node { id } } } }`,
	`query($r: [Kind!], $s: String!) { search(text: $s, kinds: $r) { score } }`,
	`query($r: [RelationType!], $n: Int) { relationCounts(groupBy: YEAR, types: $r) { key } neighborhood(id: "cqvie", types: $r, depth: $n) { truncated } }`,
	`query($r: Lang, $s: ID!) { entity(id: $s) { name(lang: $r) } relationTypes { label(lang: $r) } }`,
	`query($r: Direction, $s: String) { entity(id: "cqvie") { relations(direction: $r, after: $s) { totalCount } } }`,
}

// FuzzVariables fills the variables of valid operations (fuzzTemplates)
// with fuzzed values, so that resolvers and the store meet odd strings,
// integers of any size and JSON of any shape; the bounds are FuzzHandler's.
func FuzzVariables(f *testing.F) {
	for i := range fuzzTemplates {
		f.Add(uint8(i), "cqvie", int64(3), []byte(`null`))
	}
	f.Add(uint8(1), strings.Repeat("A", 10000), int64(1<<40), []byte(`{}`))
	f.Add(uint8(3), "2024-05~early", int64(-1), []byte(`[]`))
	f.Add(uint8(12), "", int64(0), []byte(`{"kinds": ["school"], "timeFrom": "2018", "country": 5}`))
	f.Add(uint8(13), "", int64(0), []byte(`{"field": "RELATION_COUNT", "relationType": "NOPE"}`))
	f.Add(uint8(16), "cqvie", int64(0), []byte(`"en"`))
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	lim := testLimits
	lim.Timeout = 5 * time.Second
	h := graph.NewHandler(neo4jtest.Store(f), nil, lim, log)
	f.Fuzz(func(t *testing.T, which uint8, s string, n int64, raw []byte) {
		var r any = string(raw)
		if json.Valid(raw) {
			r = json.RawMessage(raw)
		}
		vars, err := json.Marshal(map[string]any{"s": s, "n": n, "r": r})
		if err != nil {
			t.Skip(err)
		}
		logs.Reset()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, fuzzRequest(fuzzTemplates[int(which)%len(fuzzTemplates)], vars, "", false))
		checkAnswer(t, rec, &logs)
	})
}

// checkAnswer fails t when an answer breaks a bound every request keeps.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, logs *syncBuffer) {
	t.Helper()
	body := rec.Body.Bytes()
	if rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, cut(body))
	}
	if len(body) > fuzzMaxResponse {
		t.Fatalf("answer of %d bytes", len(body))
	}
	if rec.Code != http.StatusOK || len(body) > 0 {
		var out struct {
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("status %d, answer is not JSON (%v): %s", rec.Code, err, cut(body))
		}
		if len(out.Errors) > graph.MaxErrors {
			t.Errorf("%d errors", len(out.Errors))
		}
		for _, e := range out.Errors {
			if e.Extensions["code"] == graph.CodeInternal || e.Extensions["code"] == nil {
				t.Errorf("error without a client code: %q %v", e.Message, e.Extensions)
			}
			if n := utf8.RuneCountInString(e.Message); n > fuzzMaxMessage {
				t.Errorf("message of %d characters: %s", n, cut([]byte(e.Message)))
			}
		}
	}
	if lines := strings.Count(logs.String(), "\n"); lines > fuzzMaxLogLines || logs.Len() > fuzzMaxLogBytes {
		t.Errorf("%d log lines (%d bytes) for one request:\n%s", lines, logs.Len(), cut([]byte(logs.String())))
	}
}

// fuzzRequest builds the request: POST JSON whose variables are the raw
// bytes given (so they may be any JSON, or not JSON), or GET with the three
// parameters. Query and operation name are written into the JSON body
// byte for byte, invalid UTF-8 included (json.Marshal would replace it).
func fuzzRequest(query string, vars []byte, op string, get bool) *http.Request {
	if get {
		v := url.Values{"query": {query}}
		if len(vars) > 0 {
			v.Set("variables", string(vars))
		}
		if op != "" {
			v.Set("operationName", op)
		}
		return httptest.NewRequest(http.MethodGet, "/graphql?"+v.Encode(), nil)
	}
	var b bytes.Buffer
	b.WriteString(`{"query":`)
	rawJSONString(&b, query)
	if len(vars) > 0 {
		b.WriteString(`,"variables":`)
		b.Write(vars)
	}
	if op != "" {
		b.WriteString(`,"operationName":`)
		rawJSONString(&b, op)
	}
	b.WriteString(`}`)
	req := httptest.NewRequest(http.MethodPost, "/graphql", &b)
	req.Header.Set("Content-Type", "application/json")
	return req
}

// rawJSONString writes s as a JSON string, escaping quotes, backslashes
// and control characters and nothing else.
func rawJSONString(w *bytes.Buffer, s string) {
	w.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(w, `\u%04x`, c)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte('"')
}

func cut(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// syncBuffer is a bytes.Buffer the handler's goroutines may log to at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

var _ io.Writer = (*syncBuffer)(nil)
