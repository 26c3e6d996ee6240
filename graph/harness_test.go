package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// testLimits are the server defaults (see internal/config).
var testLimits = graph.Limits{
	MaxBodyBytes: 1 << 20, MaxTokens: 5000, MaxDepth: 12, MaxAliases: 30,
	MaxComplexity: 50000, MaxPage: 100, Timeout: 15 * time.Second, Introspection: true,
}

var (
	srvOnce sync.Once
	srv     *httptest.Server
)

// server returns an HTTP server with the real GraphQL handler over the test
// Neo4j, the repository's data loaded.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	st := neo4jtest.Store(t)
	srvOnce.Do(func() {
		srv = httptest.NewServer(graph.NewHandler(st, nil, testLimits, slog.New(slog.NewTextHandler(io.Discard, nil))))
	})
	return srv
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Status int
	Data   map[string]any
	Errors []gqlError
}

// post sends one GraphQL request as POST JSON.
func post(t *testing.T, query string, vars map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return postRaw(t, "application/json", body)
}

func postRaw(t *testing.T, contentType string, body []byte) response {
	t.Helper()
	res, err := http.Post(server(t).URL, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", res.StatusCode, b)
	}
	return response{Status: res.StatusCode, Data: out.Data, Errors: out.Errors}
}

// ask posts a query that must succeed and returns its data.
func ask(t *testing.T, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := post(t, query, vars)
	if len(r.Errors) > 0 || r.Status != http.StatusOK {
		t.Fatalf("query failed (status %d): %+v\nquery: %s", r.Status, r.Errors, query)
	}
	return r.Data
}

// pluck walks a dotted path through decoded JSON; "*" maps over a list. It
// returns every string (or number, formatted) found at the end of the path.
func pluck(v any, path string) []string {
	cur := []any{v}
	for _, step := range strings.Split(path, ".") {
		var next []any
		for _, c := range cur {
			switch x := c.(type) {
			case map[string]any:
				if step == "*" {
					continue
				}
				if y, ok := x[step]; ok && y != nil {
					next = append(next, y)
				}
			case []any:
				if step == "*" {
					for _, y := range x {
						if y != nil {
							next = append(next, y)
						}
					}
				}
			}
		}
		cur = next
	}
	var out []string
	for _, c := range cur {
		switch x := c.(type) {
		case string:
			out = append(out, x)
		case float64, bool:
			b, _ := json.Marshal(x)
			out = append(out, string(b))
		}
	}
	return out
}

// sameSet fails unless got and want hold the same strings (order and
// repeats ignored).
func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := uniq(got), uniq(want)
	if !slices.Equal(g, w) {
		t.Errorf("%s = %q, want %q", what, g, w)
	}
}

// hasAll fails unless got contains every string of want.
func hasAll(t *testing.T, what string, got, want []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s = %q, missing %q", what, uniq(got), w)
		}
	}
}

// hasNone fails if got contains any string of bad.
func hasNone(t *testing.T, what string, got, bad []string) {
	t.Helper()
	for _, b := range bad {
		if slices.Contains(got, b) {
			t.Errorf("%s = %q, must not contain %q", what, uniq(got), b)
		}
	}
}

func uniq(xs []string) []string {
	s := slices.Clone(xs)
	slices.Sort(s)
	return slices.Compact(s)
}

// benchRequests sends query with vars through the real handler over the
// test Neo4j b.N times (no HTTP connection: the handler is called directly).
func benchRequests(b *testing.B, query string, vars map[string]any) {
	h := graph.NewHandler(neo4jtest.Store(b), nil, testLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Body)
		}
	}
}
