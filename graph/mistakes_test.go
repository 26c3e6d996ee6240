package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vetgraph/vetgraph/graph"
)

// Every client mistake gets a client code, once per request, and what it
// repeats of the client's input is short.
func TestClientMistakesHaveClientCodes(t *testing.T) {
	long := strings.Repeat("A", 10000)
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		code        string
		path        string // of the first error; "" for none
		inMessage   string
	}{
		{
			"lower-case relation type in a variable", `query($t: [RelationType!]) { entities(first: 100) { edges { node { relations(types: $t) { totalCount } } } } }`,
			map[string]any{"t": []any{"MEMBER_OF", "member_of"}},
			graph.CodeBadInput, "variable.t.1", `send "MEMBER_OF"`,
		},
		{
			"lower-case language in a variable", `query($l: Lang) { entities(first: 100) { edges { node { name(lang: $l) } } } }`,
			map[string]any{"l": "en"},
			graph.CodeBadInput, "variable.l", `send "EN"`,
		},
		{
			"lower-case direction in a variable", `query($d: Direction) { entity(id: "cqvie") { relations(direction: $d) { totalCount } } }`,
			map[string]any{"d": "out"},
			graph.CodeBadInput, "variable.d", `send "OUT"`,
		},
		{
			"lower-case kind inside an input object", `query($f: EntityFilter) { entities(filter: $f) { totalCount } }`,
			map[string]any{"f": map[string]any{"kinds": []any{"SCHOOL", "country"}}},
			graph.CodeBadInput, "variable.f.kinds.1", `send "COUNTRY"`,
		},
		{"an enum as a number", `query($l: Lang) { entity(id: "cqvie") { name(lang: $l) } }`, map[string]any{"l": 1}, graph.CodeBadInput, "variable.l", "Lang"},
		{"not an enum value at all", `query($l: Lang) { entity(id: "cqvie") { name(lang: $l) } }`, map[string]any{"l": "fr"}, graph.CodeBadInput, "variable.l", `"fr"`},
		{"a 10 KB cursor", `{ entities(after: "` + long + `") { totalCount } }`, nil, graph.CodeBadInput, "entities", "cursor"},
		{
			"a 10 KB relations cursor in a variable", `query($c: String) { entity(id: "cqvie") { relations(after: $c) { totalCount } } }`,
			map[string]any{"c": long},
			graph.CodeBadInput, "entity", "cursor",
		},
		{"a 10 KB change-log cursor", `{ changes(after: "` + long + `") { edges { cursor } } }`, nil, graph.CodeBadInput, "changes", "cursor"},
		{"a 10 KB date", `{ entity(id: "cqvie") { relations(timeFrom: "` + long + `") { totalCount } } }`, nil, graph.CodeBadInput, "entity", "YYYY"},
		{"a 10 KB unknown field", `{ ` + long + ` }`, nil, "GRAPHQL_VALIDATION_FAILED", "", "Cannot query field"},
		{"a 10 KB enum literal", `{ entities(filter: {kinds: [` + long + `]}) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED", "", "Kind"},
		{"a lone surrogate escape in the query", `{ search(text: "a\ud800b") { score } }`, nil, "GRAPHQL_PARSE_FAILED", "", "surrogate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, tc.query, tc.vars)
			if r.Status >= 500 || len(r.Errors) != 1 {
				t.Fatalf("status %d, %d errors: %+v", r.Status, len(r.Errors), r.Errors)
			}
			e := r.Errors[0]
			if e.Extensions["code"] != tc.code || pathString(e.Path) != tc.path || !strings.Contains(e.Message, tc.inMessage) {
				t.Errorf("error %v at %q: %q; want %s at %q with %q", e.Extensions["code"], pathString(e.Path), e.Message, tc.code, tc.path, tc.inMessage)
			}
			if utf8.RuneCountInString(e.Message) > 250 || strings.Contains(e.Message, strings.Repeat("A", 41)) {
				t.Errorf("message repeats too much of the input (%d characters): %.300s", utf8.RuneCountInString(e.Message), e.Message)
			}
		})
	}
}

// An explicit null for an argument with a default is that argument's
// default (GraphQL passes null to a nullable argument): no error, in every
// item of a list.
func TestNullArgumentIsItsDefault(t *testing.T) {
	d := ask(t, `{ relationTypes { label(lang: null) zh: label inverseLabel(lang: null) zhInverse: inverseLabel }
	  entity(id: "cqvie") { name(lang: null) description(lang: null) zhName: name
	    relations(first: 3, direction: null) { edges { node { label(lang: null) zh: label detail(lang: null) } } }
	    facts { label(lang: null) text(lang: null) period(lang: null) zhText: text } } }`, nil)
	sameSet(t, "labels", pluck(d, "relationTypes.*.label"), pluck(d, "relationTypes.*.zh"))
	sameSet(t, "inverse labels", pluck(d, "relationTypes.*.inverseLabel"), pluck(d, "relationTypes.*.zhInverse"))
	sameSet(t, "name", pluck(d, "entity.name"), pluck(d, "entity.zhName"))
	sameSet(t, "relation labels", pluck(d, "entity.relations.edges.*.node.label"), pluck(d, "entity.relations.edges.*.node.zh"))
	sameSet(t, "fact texts", pluck(d, "entity.facts.*.text"), pluck(d, "entity.facts.*.zhText"))
	if r := post(t, `query($l: Lang) { entity(id: "cqvie") { name(lang: $l) } }`, map[string]any{"l": nil}); len(r.Errors) > 0 {
		t.Errorf("a null variable for lang: %+v", r.Errors)
	}
}

// The same mistake in every item of a long list costs a short answer: at
// most graph.MaxErrors errors, the rest counted in extensions.
func TestErrorsPerResponseAreBounded(t *testing.T) {
	body := []byte(`{"query": "{ entities(first: 100) { edges { node { relations(first: 0) { totalCount } } } } }"}`)
	res, err := http.Post(server(t).URL, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out struct {
		Errors     []gqlError     `json:"errors"`
		Extensions map[string]any `json:"extensions"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) != graph.MaxErrors || out.Extensions["omittedErrors"] != float64(86-graph.MaxErrors) || len(b) > 20000 {
		t.Errorf("%d errors, extensions %v, %d bytes; want %d errors and omittedErrors %d", len(out.Errors), out.Extensions, len(b), graph.MaxErrors, 86-graph.MaxErrors)
	}
	for _, e := range out.Errors {
		if e.Extensions["code"] != graph.CodePageSizeLimit {
			t.Errorf("error %+v", e)
		}
	}
}

// Text that decoding would silently alter is refused: invalid UTF-8 with
// HTTP 400 (POST body or GET parameter), a lone surrogate escape in JSON
// with 400, one in the query's GraphQL string with a parse error.
func TestAlteredTextIsRefused(t *testing.T) {
	base := server(t).URL
	for name, body := range map[string]string{
		"invalid UTF-8 in the body":            "{\"query\": \"{ search(text: \\\"\xff\\\") { score } }\"}",
		"a lone surrogate in a variable":       `{"query": "query($t: String!) { search(text: $t) { score } }", "variables": {"t": "\udc00"}}`,
		"a lone surrogate in the query's JSON": `{"query": "{ search(text: \"\ud800\") { score } }"}`,
	} {
		if r := postRaw(t, "application/json", []byte(body)); r.Status != http.StatusBadRequest || code(r) != graph.CodeBadRequest {
			t.Errorf("%s: status %d %+v", name, r.Status, r.Errors)
		}
	}
	for name, params := range map[string]url.Values{
		"invalid UTF-8 in a GET query":      {"query": {"{ search(text: \"\xc3\") { score } }"}},
		"invalid UTF-8 in GET variables":    {"query": {`query($t: String!) { search(text: $t) { score } }`}, "variables": {"{\"t\": \"\xff\"}"}},
		"a lone surrogate in GET variables": {"query": {`query($t: String!) { search(text: $t) { score } }`}, "variables": {`{"t": "\ud800"}`}},
	} {
		res, err := http.Get(base + "?" + params.Encode())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), graph.CodeBadRequest) {
			t.Errorf("%s: %d %s", name, res.StatusCode, b)
		}
	}
	res, err := http.Get(base + "?" + url.Values{"query": {`{ search(text: "\ud800") { score } }`}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode >= 500 || !strings.Contains(string(b), "GRAPHQL_PARSE_FAILED") {
		t.Errorf("a lone surrogate escape in a GET query: %d %s", res.StatusCode, b)
	}
}
