package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/config"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

func get(t *testing.T, h http.Handler, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func testConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestRoutes(t *testing.T) {
	s := neo4jtest.Store(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := newMux(s, testConfig(t), quiet, newReadiness(s, quiet), telemetry{})

	if r := get(t, h, "/healthz", nil); r.Code != 200 {
		t.Errorf("/healthz = %d", r.Code)
	}
	if r := get(t, h, "/readyz", nil); r.Code != 200 || !strings.Contains(r.Body.String(), "ready") {
		t.Errorf("/readyz = %d %s", r.Code, r.Body)
	}
	if r := get(t, h, "/", nil); r.Code != 200 || !strings.Contains(r.Body.String(), "/graphql") {
		t.Errorf("/ (playground) = %d", r.Code)
	}
	get(t, h, "/graphql?query={relationTypes{type}}", nil)
	if r := get(t, h, "/metrics", nil); r.Code != 200 ||
		!strings.Contains(r.Body.String(), `vetgraph_http_requests_total{code="200",route="/graphql"} 1`) ||
		!strings.Contains(r.Body.String(), "vetgraph_graphql_cypher_statements_count 1") {
		t.Errorf("/metrics = %d\n%s", r.Code, r.Body)
	}
	if r := get(t, h, "/nope", nil); r.Code != 404 {
		t.Errorf("/nope = %d, want 404", r.Code)
	}

	// No origins configured: no cross-origin access.
	r := get(t, h, "/graphql?query={relationTypes{type}}", map[string]string{"Origin": "https://evil.example"})
	if r.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("cross-origin allowed with no origins configured")
	}
	cfg := testConfig(t)
	cfg.CORSOrigins = []string{"https://vet.example"}
	h2 := newMux(s, cfg, quiet, newReadiness(s, quiet), telemetry{})
	if got := get(t, h2, "/graphql?query={relationTypes{type}}", map[string]string{"Origin": "https://vet.example"}).Header().Get("Access-Control-Allow-Origin"); got != "https://vet.example" {
		t.Errorf("configured origin: Access-Control-Allow-Origin = %q", got)
	}
	if got := get(t, h2, "/graphql?query={relationTypes{type}}", map[string]string{"Origin": "https://evil.example"}).Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("unlisted origin allowed: %q", got)
	}
}

func TestReadyzWhenNeo4jIsDown(t *testing.T) {
	drv, err := neo4j.NewDriverWithContext("bolt://127.0.0.1:1", neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(t.Context())
	s := store.New(drv, "neo4j")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := newMux(s, testConfig(t), quiet, newReadiness(s, quiet), telemetry{})
	if r := get(t, h, "/readyz", nil); r.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with Neo4j down = %d, want 503", r.Code)
	}
	if r := get(t, h, "/healthz", nil); r.Code != 200 {
		t.Errorf("/healthz with Neo4j down = %d, want 200 (the process is up)", r.Code)
	}
}
