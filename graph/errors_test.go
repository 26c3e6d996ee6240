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
	deep := "{ e: entity(id: \"cqvie\") { " + strings.Repeat("relations { edges { node { other { ", 4) + "id" +
		strings.Repeat(" } } } }", 4) + " } }"
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
		// A value past 32 bits is not wrapped: it is refused as what it is.
		{"int overflow", `{ entities(first: 3000000000) { edges { cursor } } }`, nil, graph.CodePageSizeLimit, "got 3000000000"},
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
	h := graph.NewHandler(store.New(drv, "neo4j"), testLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
