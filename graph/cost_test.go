package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// statements runs query through the real handler and returns how many Cypher
// statements the store sent for it.
func statements(t *testing.T, h http.Handler, query string, vars map[string]any) int64 {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	ctx, n := store.WithStatementCounter(req.Context())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(ctx))
	var out struct {
		Errors []gqlError `json:"errors"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	if rec.Code != 200 || len(out.Errors) > 0 {
		t.Fatalf("query failed: %d %s", rec.Code, rec.Body)
	}
	return n.Load()
}

// The Cypher statements of one request do not grow with the number of
// objects returned: nested fields are batched per level.
func TestStatementsDoNotGrowWithResults(t *testing.T) {
	s := neo4jtest.Store(t)
	// A wide batch window, so that a busy machine cannot split a level's
	// loads into two batches: the test is about how statements are planned,
	// not about timing.
	lim := testLimits
	lim.BatchWait = 100 * time.Millisecond
	h := graph.NewHandler(s, nil, lim, slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Three lists so that every typed field is present at every size: the
	// statements may depend on which fields are asked, never on how many
	// objects they return.
	const q = `query($n: Int!) {
  s: schools(first: $n, orderBy: {field: ID}) { edges { node { ...E alliances { id } programs { id } partners { id } } } }
  a: alliances(first: $n, orderBy: {field: ID}) { edges { node { ...E members { id } founders { id } } } }
  p: programs(first: $n, orderBy: {field: ID}) { edges { node { ...E countries { id } } } }
}
fragment E on Entity {
  id name(lang: EN) facts { value evidence { quote document { id } } } sources { id title }
  relations(first: 5) { totalCount edges { node { type other { id name
    relations(first: 3) { edges { node { other { id kind } } } }
  } } } }
}`
	// Each size takes the least of three runs.
	least := func(n int) int64 {
		m := int64(1 << 62)
		for i := 0; i < 3; i++ {
			m = min(m, statements(t, h, q, map[string]any{"n": n}))
		}
		return m
	}
	small, large := least(2), least(20)
	t.Logf("statements: %d for 2 entities per list, %d for 20", small, large)
	if large > small {
		t.Errorf("statements grew with the result: %d for 2 entities per list, %d for 20", small, large)
	}
	if large > 25 {
		t.Errorf("%d statements for one request; want a small constant", large)
	}
}
