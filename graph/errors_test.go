package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/store"
)

func code(r response) string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func TestUnknownNameIsNullNotError(t *testing.T) {
	r := post(t, `{ e: entityByName(name: "北京大学") { id } byId: entity(id: "no-such-id") { id } }`, nil)
	if len(r.Errors) != 0 || r.Status != 200 {
		t.Fatalf("errors %v status %d, want none", r.Errors, r.Status)
	}
	if r.Data["e"] != nil || r.Data["byId"] != nil {
		t.Errorf("data = %v, want nulls", r.Data)
	}
}

func TestBadRequestsGetCodedErrors(t *testing.T) {
	// Seven hops: 16 levels (a connection's edges and node count none).
	deep := "{ e: entity(id: \"cqvie\") { " + strings.Repeat("relations(first: 1) { edges { node { other { ", 7) + "id" +
		strings.Repeat(" } } } }", 7) + " } }"
	var aliases strings.Builder
	aliases.WriteString("{")
	for i := 0; i < 31; i++ {
		aliases.WriteString(" a" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `: entity(id: "cqvie") { id }`)
	}
	aliases.WriteString(" }")
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		code        string
		inMessage   string
	}{
		{"malformed", `{ entity(id: "cqvie") { id `, nil, "GRAPHQL_PARSE_FAILED", "Expected"},
		{"unknown field", `{ entity(id: "cqvie") { colour } }`, nil, "GRAPHQL_VALIDATION_FAILED", "colour"},
		{"bad enum", `{ entities(filter: {kinds: [PLANET]}) { edges { cursor } } }`, nil, "GRAPHQL_VALIDATION_FAILED", "PLANET"},
		{"page too big", `{ entities(first: 1000) { edges { cursor } } }`, nil, graph.CodePageSizeLimit, "between 1 and 100"},
		{"page zero", `{ entities(first: 0) { edges { cursor } } }`, nil, graph.CodePageSizeLimit, "between 1 and 100"},
		{"relations page too big", `{ entity(id: "cqvie") { relations(first: 101) { totalCount } } }`, nil, graph.CodePageSizeLimit, "100"},
		{"bad cursor", `{ entities(after: "not-a-cursor") { edges { cursor } } }`, nil, graph.CodeBadInput, "cursor"},
		{"bad relations cursor", `{ entity(id: "cqvie") { relations(after: "%%%") { totalCount } } }`, nil, graph.CodeBadInput, "cursor"},
		{"too deep", deep, nil, graph.CodeDepthLimit, "depth"},
		{"too many aliases", aliases.String(), nil, graph.CodeAliasLimit, "aliases"},
		// A value past 32 bits is not wrapped: it is refused as what it is,
		// an Int out of GraphQL's range, before execution.
		{"int overflow", `{ entities(first: 3000000000) { edges { cursor } } }`, nil, graph.CodeBadInput, "the number 3000000000 is out of range (Int takes"},
		{"int at the edge of the range", `{ entities(first: 2147483647) { edges { cursor } } }`, nil, graph.CodePageSizeLimit, "got 2147483647"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, tc.query, tc.vars)
			if r.Status >= 500 {
				t.Errorf("status %d", r.Status)
			}
			if code(r) != tc.code || !strings.Contains(r.Errors[0].Message, tc.inMessage) {
				t.Errorf("errors = %+v, want code %s with %q", r.Errors, tc.code, tc.inMessage)
			}
		})
	}
}

func TestTransportLimits(t *testing.T) {
	big := bytes.Repeat([]byte(" "), 2<<20)
	body := append([]byte(`{"query":"{ relationTypes { type } }"`), big...)
	body = append(body, '}')
	r := postRaw(t, "application/json", body)
	if r.Status != http.StatusRequestEntityTooLarge || code(r) != graph.CodeBodySizeLimit {
		t.Errorf("2 MiB body: status %d %+v", r.Status, r.Errors)
	}
	r = postRaw(t, "application/json", []byte(`[{"query":"{ relationTypes { type } }"},{"query":"{ relationTypes { type } }"}]`))
	if r.Status != http.StatusBadRequest || code(r) != graph.CodeBatchUnsupported {
		t.Errorf("batch: status %d %+v", r.Status, r.Errors)
	}
	r = postRaw(t, "application/json", []byte(`{"query": 42}`))
	if r.Status >= 500 || len(r.Errors) == 0 {
		t.Errorf("query of the wrong type: status %d %+v", r.Status, r.Errors)
	}
	many := "{ relationTypes { " + strings.Repeat("type ", 6000) + "} }"
	r = post(t, many, nil)
	if code(r) != graph.CodeTokenLimit {
		t.Errorf("6000 tokens: %+v", r.Errors)
	}
}

func TestGETServesQueriesOnly(t *testing.T) {
	u := server(t).URL + "?query=" + url.QueryEscape(`{ entityByName(name: "CQIPC") { nameZh } }`)
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "重庆工业职业技术学院") {
		t.Errorf("GET query: %d %s", res.StatusCode, b)
	}
	u = server(t).URL + "?query=" + url.QueryEscape(`mutation { x }`)
	res, err = http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode == 200 && !strings.Contains(string(b), "errors") {
		t.Errorf("GET mutation accepted: %d %s", res.StatusCode, b)
	}
	// What counts is the operation that would run: a document that also
	// holds a mutation runs its selected query over GET, and is refused
	// when the mutation is selected.
	both := url.QueryEscape(`query Q { entityByName(name: "CQIPC") { nameZh } } mutation M { retract(id: "x", reason: "r") { replayed } }`)
	for _, tc := range []struct {
		op     string
		status int
		in     string
	}{{"Q", 200, "重庆工业职业技术学院"}, {"M", 405, "mutations run only over POST"}} {
		res, err := http.Get(server(t).URL + "?query=" + both + "&operationName=" + tc.op)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status || !strings.Contains(string(b), tc.in) {
			t.Errorf("GET of a document with a query and a mutation, operationName %s: %d %s; want %d with %q", tc.op, res.StatusCode, b, tc.status, tc.in)
		}
	}
}

// With Neo4j unreachable, a query gets a clean UNAVAILABLE error with no
// driver text.
func TestNeo4jUnavailable(t *testing.T) {
	drv, err := neo4j.NewDriverWithContext("bolt://127.0.0.1:1", neo4j.NoAuth(), func(c *config.Config) {
		c.MaxTransactionRetryTime = time.Second
	})
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(t.Context())
	h := graph.NewHandler(store.New(drv, "neo4j"), nil, testLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts := httptest.NewServer(h)
	defer ts.Close()
	body, _ := json.Marshal(map[string]any{"query": `{ entityByName(name: "CQVIE") { id } }`})
	res, err := http.Post(ts.URL, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var out struct{ Errors []gqlError }
	_ = json.Unmarshal(b, &out)
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != graph.CodeUnavailable {
		t.Fatalf("got %s", b)
	}
	for _, leak := range []string{"127.0.0.1:1", "connection refused", "neo4j:", "dial"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("response leaks %q: %s", leak, b)
		}
	}
}

// Requests that are not GraphQL-over-HTTP requests are refused with a code,
// and the answer never echoes the body or a Go decoder message.
func TestMalformedHTTPRequests(t *testing.T) {
	base := server(t).URL
	do := func(method, ctype, body string) (int, string) {
		req, _ := http.NewRequest(method, base, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	secret := strings.Repeat("SECRET", 10)
	for _, tc := range []struct {
		name, method, ctype, body string
		status                    int
		code                      string
		message                   string // in the error's message, when set
	}{
		{"PUT", http.MethodPut, "application/json", `{"query":"{stats{entities}}"}`, 405, graph.CodeMethodNotAllowed, ""},
		{"text/plain", http.MethodPost, "text/plain", `{"query":"{stats{entities}}"}`, 415, graph.CodeUnsupportedMediaType, ""},
		{"no content type", http.MethodPost, "", `{"query":"{stats{entities}}"}`, 415, graph.CodeUnsupportedMediaType, ""},
		{"query is a number", http.MethodPost, "application/json", `{"query":123,"x":"` + secret + `"}`, 400, graph.CodeBadRequest, `"query" must be a string, not a number`},
		{"broken JSON", http.MethodPost, "application/json", `{"query":"` + secret, 400, graph.CodeBadRequest, ""},
		{"body is a string", http.MethodPost, "application/json", `"` + secret + `"`, 400, graph.CodeBadRequest, "; it is a string"},
		{"variables not an object", http.MethodPost, "application/json", `{"query":"{stats{entities}}","variables":[1]}`, 400, graph.CodeBadRequest, `"variables" must be an object, not an array`},
		{
			"a number past float64 in variables", http.MethodPost, "application/json", `{"query":"{stats{entities}}","variables":{"v":[1,{"x":-1e400}]}}`, 400, graph.CodeBadRequest,
			"the number -1e400 in variables is out of range",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(tc.method, tc.ctype, tc.body)
			var out struct{ Errors []gqlError }
			_ = json.Unmarshal([]byte(body), &out)
			if status != tc.status || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != tc.code || !strings.Contains(out.Errors[0].Message, tc.message) {
				t.Errorf("%d %s, want %d with code %s and %q", status, body, tc.status, tc.code, tc.message)
			}
			for _, leak := range []string{"SECRET", "Go struct", "json:", "RawParams"} {
				if strings.Contains(body, leak) {
					t.Errorf("answer leaks %q: %s", leak, body)
				}
			}
		})
	}
	res, err := http.Get(base + "?query=" + url.QueryEscape("{stats{entities}}") + "&variables=notjson")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 400 || !strings.Contains(string(b), graph.CodeBadRequest) {
		t.Errorf("GET with variables=notjson: %d %s", res.StatusCode, b)
	}
}

// The standard introspection query (as GraphiQL sends it, 15 levels deep) is
// answered: the depth limit holds for data, not for the type system.
func TestIntrospectionPassesLimits(t *testing.T) {
	typeRef := "kind name"
	for i := 0; i < 7; i++ {
		typeRef = "kind name ofType { " + typeRef + " }"
	}
	q := `query IntrospectionQuery { __schema {
  queryType { name } mutationType { name } subscriptionType { name }
  types { kind name description
    fields(includeDeprecated: true) { name description args { name description type { ` + typeRef + ` } defaultValue }
      type { ` + typeRef + ` } isDeprecated deprecationReason }
    inputFields { name description type { ` + typeRef + ` } defaultValue }
    interfaces { ` + typeRef + ` }
    enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
    possibleTypes { ` + typeRef + ` } }
  directives { name description locations args { name description type { ` + typeRef + ` } defaultValue } } } }`
	d := ask(t, q, nil)
	if len(pluck(d, "__schema.types.*.name")) < 40 {
		t.Errorf("introspection returned too few types: %v", pluck(d, "__schema.types.*.name"))
	}
	// A data query as deep is still refused (seven hops: 16 levels, a
	// connection's edges and node counting none).
	deep := `{ entity(id: "cqvie") { ` + strings.Repeat("relations(first: 1) { edges { node { other { ", 7) + "id" + strings.Repeat(" } } } }", 7) + " } }"
	if r := post(t, deep, nil); code(r) != graph.CodeDepthLimit {
		t.Errorf("deep data query: %+v", r.Errors)
	}
}
