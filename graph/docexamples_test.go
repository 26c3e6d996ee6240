package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// The API documents (docs/api-*.md) show requests with their answers: a
// ```graphql block holding a request (it starts with "{", "query" or
// "mutation"), then the ```json block of the whole answer, as the server
// sends it ({"data": …} and, for a refusal, {"errors": […], "data": …}).
// checkDocExamples sends every request to the server over the seed graph
// and compares the answer with the one shown, as JSON values (key order
// and spacing do not matter; everything else does).
//
// An HTML comment on the line before a block (blank lines between are
// allowed; several comments may stack) says more about it; rendered, the
// page does not show it:
//
//	<!-- example: variables {"t": "…"} -->   before a request: its variables (JSON)
//	<!-- example: not checked: REASON -->    before a request or an answer: not run,
//	                                         for the reason given (the test logs it)
//
// There is no marker for "part of the answer": an answer shown is the
// whole answer. Any other shape fails the test: a request without an answer
// after it, an answer without a request before it (unless marked not
// checked), an answer that is not one JSON value, an unknown marker.
// ```graphql blocks that are not requests (schema excerpts) are ignored.

// docExample is one request of an API document and the answer shown after it.
type docExample struct {
	line    int // line of the request's opening fence, from 1
	query   string
	vars    map[string]any
	answer  string
	skipped string // the reason, when marked not checked
}

// docBlock is one fenced block of a document.
type docBlock struct {
	line    int    // line of the opening fence, from 1
	lang    string // the fence's info string: graphql, json, sh, …
	body    string
	markers []string // the example markers before it, without "example:"
}

const docMarker = "<!-- example:"

// docBlocks returns the fenced blocks of doc, each with the example markers
// on the lines before it. Line numbers count from firstLine.
func docBlocks(name, doc string, firstLine int) ([]docBlock, error) {
	var blocks []docBlock
	var markers []string
	var cur *docBlock
	var body strings.Builder
	for i, ln := range strings.Split(doc, "\n") {
		at := firstLine + i
		switch {
		case cur != nil && strings.TrimSpace(ln) == "```":
			cur.body = body.String()
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			body.WriteString(ln)
			body.WriteByte('\n')
		case strings.HasPrefix(ln, "```"):
			cur = &docBlock{line: at, lang: strings.TrimSpace(ln[3:]), markers: markers}
			markers = nil
			body.Reset()
		case strings.HasPrefix(ln, docMarker):
			m, ok := strings.CutSuffix(strings.TrimSpace(strings.TrimPrefix(ln, docMarker)), "-->")
			if !ok {
				return nil, fmt.Errorf("%s:%d: an example marker is one line ending in -->", name, at)
			}
			markers = append(markers, strings.TrimSpace(m))
		case strings.TrimSpace(ln) != "":
			if len(markers) > 0 {
				return nil, fmt.Errorf("%s:%d: an example marker must stand right before a code block", name, at-1)
			}
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: a code block that is never closed", name, cur.line)
	}
	if len(markers) > 0 {
		return nil, fmt.Errorf("%s: an example marker at the end, before no code block", name)
	}
	return blocks, nil
}

// isRequest says whether a ```graphql block is a request (not a schema excerpt).
func isRequest(body string) bool {
	s := strings.TrimSpace(body)
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "query") || strings.HasPrefix(s, "mutation")
}

// docExamples returns the examples of the document at path, relative to the
// repository root.
func docExamples(t *testing.T, path string) []docExample {
	t.Helper()
	b, err := os.ReadFile(neo4jtest.RepoRoot() + "/" + path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := parseDocExamples(path, string(b), 1)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// parseDocExamples returns the examples of doc (named name in errors), whose
// first line is line firstLine of the file.
func parseDocExamples(name, doc string, firstLine int) ([]docExample, error) {
	blocks, err := docBlocks(name, doc, firstLine)
	if err != nil {
		return nil, err
	}
	var out []docExample
	var req *docExample
	for _, bl := range blocks {
		var vars map[string]any
		skipped := ""
		for _, m := range bl.markers {
			switch {
			case strings.HasPrefix(m, "variables "):
				if err := json.Unmarshal([]byte(strings.TrimPrefix(m, "variables ")), &vars); err != nil || vars == nil {
					return nil, fmt.Errorf("%s:%d: the variables marker is not a JSON object: %v", name, bl.line, err)
				}
			case strings.HasPrefix(m, "not checked: ") && strings.TrimSpace(strings.TrimPrefix(m, "not checked: ")) != "":
				skipped = strings.TrimSpace(strings.TrimPrefix(m, "not checked: "))
			default:
				return nil, fmt.Errorf("%s:%d: unknown example marker %q (variables {…} or not checked: why)", name, bl.line, m)
			}
		}
		switch {
		case bl.lang == "graphql" && isRequest(bl.body):
			if req != nil {
				return nil, fmt.Errorf("%s:%d: the request has no answer after it", name, req.line)
			}
			req = &docExample{line: bl.line, query: bl.body, vars: vars, skipped: skipped}
		case bl.lang == "json" && req != nil:
			if vars != nil {
				return nil, fmt.Errorf("%s:%d: variables belong before the request", name, bl.line)
			}
			req.answer = bl.body
			if req.skipped == "" {
				req.skipped = skipped
			}
			out = append(out, *req)
			req = nil
		case bl.lang == "json" && skipped != "" && vars == nil:
			out = append(out, docExample{line: bl.line, answer: bl.body, skipped: skipped})
		case bl.lang == "json":
			return nil, fmt.Errorf("%s:%d: an answer without its request (show the request, or mark the answer <!-- example: not checked: why -->)", name, bl.line)
		case len(bl.markers) > 0:
			return nil, fmt.Errorf("%s:%d: an example marker before a %s block that is no request", name, bl.line, bl.lang)
		case req != nil:
			return nil, fmt.Errorf("%s:%d: the request has no answer after it", name, req.line)
		}
	}
	if req != nil {
		return nil, fmt.Errorf("%s:%d: the request has no answer after it", name, req.line)
	}
	return out, nil
}

// postWhole sends one request and returns the whole decoded answer.
func postWhole(t *testing.T, query string, vars map[string]any) any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := http.Post(server(t).URL, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", res.StatusCode, b)
	}
	return out
}

// checkDocExamples sends each example's request and compares the answer with
// the one shown. It returns how many were compared.
func checkDocExamples(t *testing.T, path string, examples []docExample) int {
	t.Helper()
	n := 0
	for _, ex := range examples {
		if ex.skipped != "" {
			t.Logf("%s:%d: not checked: %s", path, ex.line, ex.skipped)
			continue
		}
		n++
		var want any
		dec := json.NewDecoder(strings.NewReader(ex.answer))
		if err := dec.Decode(&want); err != nil {
			t.Errorf("%s:%d: the answer shown is not JSON: %v", path, ex.line, err)
			continue
		}
		if dec.More() {
			t.Errorf("%s:%d: the answer shown is more than one JSON value", path, ex.line)
			continue
		}
		got := postWhole(t, ex.query, ex.vars)
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			t.Errorf("%s:%d: request\n%s\nanswers\n%s\nthe document shows\n%s", path, ex.line, ex.query, g, ex.answer)
		}
	}
	return n
}

// TestDocExamples: the answers docs/api-lists.md, docs/api-search.md and
// docs/api-explore.md show are the server's answers over the seed graph.
func TestDocExamples(t *testing.T) {
	for _, c := range []struct {
		path string
		min  int // at least this many compared: a parser that finds none fails
	}{
		{"docs/api-lists.md", 23},
		{"docs/api-search.md", 24},
		{"docs/api-explore.md", 14},
	} {
		t.Run(strings.TrimSuffix(strings.TrimPrefix(c.path, "docs/"), ".md"), func(t *testing.T) {
			n := checkDocExamples(t, c.path, docExamples(t, c.path))
			if n < c.min {
				t.Errorf("%s: %d examples compared, want at least %d", c.path, n, c.min)
			}
			t.Logf("%s: %d examples compared", c.path, n)
		})
	}
}

// The parser's rules, on documents written here (no database).
func TestDocExamplesParse(t *testing.T) {
	const fence = "```"
	req := fence + "graphql\n{ stats { documents } }\n" + fence + "\n"
	ans := fence + "json\n{\"data\":{\"stats\":{\"documents\":1}}}\n" + fence + "\n"
	sdl := fence + "graphql\ntype Stats { documents: Int64! }\n" + fence + "\n"
	ok := []struct {
		doc  string
		want []docExample
	}{
		{
			"# T\n\n" + sdl + "text\n\n" + req + ans,
			[]docExample{{line: 8, query: "{ stats { documents } }\n", answer: "{\"data\":{\"stats\":{\"documents\":1}}}\n"}},
		},
		{
			"<!-- example: variables {\"t\": \"x\"} -->\n\n" + req + ans,
			[]docExample{{line: 3, query: "{ stats { documents } }\n", vars: map[string]any{"t": "x"}, answer: "{\"data\":{\"stats\":{\"documents\":1}}}\n"}},
		},
		{
			"<!-- example: not checked: a curator's write -->\n" + req + ans,
			[]docExample{{line: 2, query: "{ stats { documents } }\n", answer: "{\"data\":{\"stats\":{\"documents\":1}}}\n", skipped: "a curator's write"}},
		},
		{
			"<!-- example: not checked: the shape only -->\n" + ans,
			[]docExample{{line: 2, answer: "{\"data\":{\"stats\":{\"documents\":1}}}\n", skipped: "the shape only"}},
		},
	}
	for _, c := range ok {
		got, err := parseDocExamples("t.md", c.doc, 1)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseDocExamples(%q) = %+v, %v, want %+v", c.doc, got, err, c.want)
		}
	}
	bad := map[string]string{
		ans:                                      "an answer without its request",
		req:                                      "the request has no answer",
		req + req + ans:                          "the request has no answer",
		req + sdl + ans:                          "the request has no answer",
		"<!-- example: abbreviated -->\n" + ans:  "unknown example marker",
		"<!-- example: not checked: -->\n" + ans: "unknown example marker",
		"<!-- example: variables [1] -->\n" + req + ans:        "not a JSON object",
		"<!-- example: not checked: x -->\ntext\n" + req + ans: "must stand right before a code block",
		"<!-- example: not checked: x\n-->\n" + req + ans:      "one line ending in -->",
		"<!-- example: variables {} -->\n" + sdl:               "before a graphql block that is no request",
		req + "<!-- example: variables {} -->\n" + ans:         "variables belong before the request",
		req + fence + "json\n{}\n":                             "never closed",
	}
	for doc, want := range bad {
		if _, err := parseDocExamples("t.md", doc, 1); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseDocExamples(%q) = %v, want an error containing %q", doc, err, want)
		}
	}
}
