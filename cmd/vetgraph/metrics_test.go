package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/auth"
	"github.com/vetgraph/vetgraph/internal/curation"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/metrics"
	"github.com/vetgraph/vetgraph/internal/store"
)

// stubBackend serves newMux without Neo4j: stats by its function; nothing
// else is called (the embedded nil interfaces would panic).
type stubBackend struct {
	graph.Store
	curation.Writer
	auth.KeyStore
	stats func(ctx context.Context) (store.Stats, error)
}

func (b *stubBackend) Stats(ctx context.Context) (store.Stats, error) { return b.stats(ctx) }
func (b *stubBackend) Ready(context.Context) error                    { return nil }

func postQuery(h http.Handler, body map[string]any) *httptest.ResponseRecorder {
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// scrape reads /metrics into series → value ("name{labels}" as the text
// format writes it).
func scrape(t *testing.T, h http.Handler) map[string]float64 {
	t.Helper()
	rec := get(t, h, "/metrics", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics = %d", rec.Code)
	}
	out := map[string]float64{}
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		v, err := strconv.ParseFloat(l[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", l, err)
		}
		out[l[:i]] = v
	}
	return out
}

// After requests of every kind (admitted, queued, refused admission, a
// field error in a 200 answer, a parse error, over the rate limit), the
// metrics hold each one's series: latency and count per operation, errors
// per code, admission's counts and the HTTP requests by route and status.
func TestMetricsAfterRequests(t *testing.T) {
	entered := make(chan struct{}, 4)
	release := make(chan struct{})
	fail := false
	b := &stubBackend{stats: func(ctx context.Context) (store.Stats, error) {
		if fail {
			return store.Stats{}, fmt.Errorf("%w: no stats", kg.ErrNotFound)
		}
		entered <- struct{}{}
		<-release
		return store.Stats{Entities: 3}, nil
	}}
	cfg := testConfig(t)
	cfg.MaxRequests, cfg.MaxQueue, cfg.QueueTimeout = 1, 1, 10*time.Second
	cfg.RateLimit, cfg.RateBurst = 0.001, 8
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	met := metrics.New()
	h := newMux(b, cfg, quiet, newReadiness(b, quiet), telemetry{met: met})

	first := make(chan int, 1)
	go func() { first <- postQuery(h, map[string]any{"query": "query Look { stats { entities } }"}).Code }()
	<-entered // Look executes, holding the one slot
	queued := make(chan int, 1)
	go func() { queued <- postQuery(h, map[string]any{"query": "query Look { stats { entities } }"}).Code }()
	for scrape(t, h)[`vetgraph_admission_queue_length{queue="slot"}`] != 1 {
		time.Sleep(time.Millisecond)
	}
	m := scrape(t, h)
	if m["vetgraph_admission_executing"] != 1 {
		t.Errorf("executing = %v, want 1", m["vetgraph_admission_executing"])
	}
	// The queue (1) is full: refused at once.
	if rec := postQuery(h, map[string]any{"query": "{ stats { entities } }"}); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("request over the bound = %d %s", rec.Code, rec.Body)
	}
	close(release)
	if c1, c2 := <-first, <-queued; c1 != 200 || c2 != 200 {
		t.Errorf("admitted requests = %d, %d", c1, c2)
	}
	<-entered
	fail = true
	if rec := postQuery(h, map[string]any{"query": "query Broken { stats { entities } }"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "NOT_FOUND") {
		t.Errorf("field error = %d %s", rec.Code, rec.Body)
	}
	if rec := postQuery(h, map[string]any{"query": "{"}); rec.Code != 200 {
		t.Errorf("parse error = %d %s", rec.Code, rec.Body)
	}
	// 5 requests so far; the burst of 8 ends within 4 more.
	limited := 0
	for range 4 {
		if postQuery(h, map[string]any{"query": "query Busy { stats { entities } }"}).Code == http.StatusTooManyRequests {
			limited++
		}
	}

	m = scrape(t, h)
	for series, want := range map[string]float64{
		`vetgraph_graphql_operation_duration_seconds_count{operation="Look",type="query"}`:        2,
		`vetgraph_graphql_operation_duration_seconds_count{operation="(anonymous)",type="query"}`: 1, // refused admission
		`vetgraph_graphql_operation_duration_seconds_count{operation="Broken",type="query"}`:      1,
		`vetgraph_graphql_operation_duration_seconds_count{operation="Busy",type="query"}`:        3,
		`vetgraph_graphql_operation_duration_seconds_count{operation="(none)",type=""}`:           2, // parse error, rate limited
		`vetgraph_graphql_errors_total{code="OVERLOADED"}`:                                        1,
		`vetgraph_graphql_errors_total{code="NOT_FOUND"}`:                                         4, // Broken and the 3 Busy
		`vetgraph_graphql_errors_total{code="GRAPHQL_PARSE_FAILED"}`:                              1,
		`vetgraph_graphql_errors_total{code="RATE_LIMITED"}`:                                      1,
		`vetgraph_admission_rejected_total`:                                                       1,
		`vetgraph_admission_executing`:                                                            0,
		`vetgraph_admission_queue_length{queue="slot"}`:                                           0,
		`vetgraph_admission_max_requests`:                                                         1,
		`vetgraph_http_requests_total{code="200",route="/graphql"}`:                               7,
		`vetgraph_http_requests_total{code="503",route="/graphql"}`:                               1,
		`vetgraph_http_requests_total{code="429",route="/graphql"}`:                               1,
		`vetgraph_graphql_cypher_statements_count`:                                                9,
	} {
		if got, ok := m[series]; !ok || got != want {
			t.Errorf("%s = %v (present: %v), want %v", series, got, ok, want)
		}
	}
	if limited != 1 {
		t.Errorf("%d requests rate limited, want 1", limited)
	}
	if m[`vetgraph_http_requests_total{code="200",route="GET /metrics"}`] < 2 {
		t.Errorf("/metrics scrapes not counted")
	}
	for s := range m {
		if strings.HasPrefix(s, "vetgraph_graphql_errors_total") && !regexp.MustCompile(`\{code="[A-Z_]+"\}$`).MatchString(s) {
			t.Errorf("error series with an odd label: %s", s)
		}
	}
}

// Operation names are bounded label values: past MaxOperations distinct
// names, and names too long, share (other).
func TestOperationLabelsBounded(t *testing.T) {
	b := &stubBackend{stats: func(ctx context.Context) (store.Stats, error) { return store.Stats{Entities: 1}, nil }}
	cfg := testConfig(t)
	cfg.RateLimit = 0
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	met := metrics.New()
	h := newMux(b, cfg, quiet, newReadiness(b, quiet), telemetry{met: met})
	for i := range metrics.MaxOperations + 50 {
		name := fmt.Sprintf("Op%d", i)
		postQuery(h, map[string]any{"query": "query " + name + " { stats { entities } }"})
	}
	long := "L" + strings.Repeat("o", 100)
	postQuery(h, map[string]any{"query": "query " + long + " { stats { entities } }"})
	m := scrape(t, h)
	names := 0
	for s := range m {
		if strings.HasPrefix(s, "vetgraph_graphql_operation_duration_seconds_count{") {
			names++
		}
	}
	if names != metrics.MaxOperations+1 {
		t.Errorf("%d operation series, want %d (and (other))", names, metrics.MaxOperations+1)
	}
	if got := m[`vetgraph_graphql_operation_duration_seconds_count{operation="(other)",type="query"}`]; got != 51 {
		t.Errorf("(other) = %v, want 51", got)
	}
}
