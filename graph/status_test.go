package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/admission"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// statsStore answers stats with its function; no other method is called
// (the embedded nil Store would panic).
type statsStore struct {
	graph.Store
	stats func(ctx context.Context) (store.Stats, error)
}

func (s statsStore) Stats(ctx context.Context) (store.Stats, error) { return s.stats(ctx) }

// exchange is one request and its answer.
type exchange struct {
	status      int
	contentType string
	retryAfter  string
	vary        []string
	body        map[string]json.RawMessage
	codes       []string
	raw         string
}

func do(t *testing.T, h http.Handler, accept string, body any) exchange {
	t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	x := exchange{status: rec.Code, contentType: rec.Header().Get("Content-Type"), retryAfter: rec.Header().Get("Retry-After"), vary: rec.Header().Values("Vary"), raw: rec.Body.String()}
	if err := json.Unmarshal(rec.Body.Bytes(), &x.body); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, rec.Body)
	}
	var errs []gqlError
	_ = json.Unmarshal(x.body["errors"], &errs)
	for _, e := range errs {
		c, _ := e.Extensions["code"].(string)
		x.codes = append(x.codes, c)
	}
	return x
}

// accepts are the Accept headers a test sends, with the media type of the
// answer each chooses.
var accepts = []struct{ accept, media string }{
	{"", "application/json"},
	{"application/json", "application/json"},
	{"*/*", "application/json"},
	{"application/graphql-response+json", "application/graphql-response+json"},
	{"application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json"},
}

// Every request-level refusal follows the one status policy (status.go):
// with application/graphql-response+json 400, with application/json 200;
// the answer has errors and no data entry. Limits are set low so that
// small documents reach each of them.
func TestRequestErrorStatus(t *testing.T) {
	lim := testLimits
	lim.MaxTokens, lim.MaxDepth, lim.MaxAliases, lim.MaxComplexity, lim.MaxFields = 60, 2, 2, 100, 12
	h := graph.NewHandler(statsStore{stats: func(context.Context) (store.Stats, error) {
		t.Error("a refused request executed")
		return store.Stats{}, nil
	}}, nil, lim, slog.New(slog.DiscardHandler))
	type body = map[string]any
	for _, tc := range []struct {
		name string
		body body
		code string
	}{
		{"parse", body{"query": "{"}, "GRAPHQL_PARSE_FAILED"},
		{"empty document", body{"query": ""}, "GRAPHQL_VALIDATION_FAILED"}, // gqlgen: "no operation provided"
		{"lone surrogate in the document", body{"query": `{ search(text: "\ud800") { matched } }`}, "GRAPHQL_PARSE_FAILED"},
		{"validation", body{"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown operation", body{"query": "query A { stats { entities } }", "operationName": "B"}, "GRAPHQL_VALIDATION_FAILED"},
		{"variable coercion", body{"query": "query($t: String!) { search(text: $t) { matched } }", "variables": body{}}, "GRAPHQL_VALIDATION_FAILED"},
		{"enum variable in another case (VariableCheck)", body{
			"query":     "query($k: [Kind!]) { search(text: \"x\", kinds: $k) { matched } }",
			"variables": body{"k": []string{"school"}},
		}, graph.CodeBadInput},
		{"token limit", body{"query": "{" + strings.Repeat(" stats { entities }", 20) + " }"}, graph.CodeTokenLimit},
		{"field limit", body{"query": "{" + strings.Repeat(" __typename", 13) + " }"}, graph.CodeFieldLimit},
		{"depth limit", body{"query": `{ search(text: "x") { entity { id } } }`}, graph.CodeDepthLimit},
		{"alias limit", body{"query": "{ a: stats { entities } b: stats { entities } c: stats { entities } }"}, graph.CodeAliasLimit},
		{"complexity limit", body{"query": "{ stats { entities } a: stats { entities } }"}, graph.CodeComplexityLimit},
	} {
		for _, a := range accepts {
			t.Run(tc.name+"/"+a.accept, func(t *testing.T) {
				x := do(t, h, a.accept, tc.body)
				want := http.StatusOK
				if a.media == "application/graphql-response+json" {
					want = http.StatusBadRequest
				}
				if x.status != want || len(x.codes) != 1 || x.codes[0] != tc.code {
					t.Errorf("= %d %v, want %d [%s]: %s", x.status, x.codes, want, tc.code, x.raw)
				}
				if _, ok := x.body["data"]; ok {
					t.Errorf("a request error's answer has a data entry: %s", x.raw)
				}
				if !strings.HasPrefix(x.contentType, a.media) {
					t.Errorf("Content-Type %q, want %s", x.contentType, a.media)
				}
				if !slices.Contains(x.vary, "Accept") {
					t.Errorf("Vary %q lacks Accept: a cache would give one client the status chosen for another", x.vary)
				}
			})
		}
	}
}

// An executed operation is 200 whatever the client accepts, with data
// (null when a non-null field failed) and its field errors.
func TestExecutedStatus(t *testing.T) {
	h := graph.NewHandler(statsStore{stats: func(context.Context) (store.Stats, error) {
		return store.Stats{}, fmt.Errorf("%w: stats", kg.ErrNotFound)
	}}, nil, testLimits, slog.New(slog.DiscardHandler))
	for _, a := range accepts {
		x := do(t, h, a.accept, map[string]any{"query": "{ stats { entities } }"})
		if x.status != http.StatusOK || len(x.codes) != 1 || x.codes[0] != graph.CodeNotFound || string(x.body["data"]) != "null" {
			t.Errorf("Accept %q: %d %v %s, want 200 NOT_FOUND with data null", a.accept, x.status, x.codes, x.raw)
		}
		if !slices.Contains(x.vary, "Accept") {
			t.Errorf("Accept %q: Vary %q lacks Accept (the Content-Type follows it)", a.accept, x.vary)
		}
	}
}

// Refusals before GraphQL keep their 4xx status with either media type:
// no query is 400 BAD_REQUEST.
func TestNoQueryIsBadRequest(t *testing.T) {
	h := graph.NewHandler(statsStore{}, nil, testLimits, slog.New(slog.DiscardHandler))
	for _, a := range accepts {
		for _, body := range []any{map[string]any{}, map[string]any{"query": nil}, map[string]any{"qeury": "{ stats { entities } }"}} {
			x := do(t, h, a.accept, body)
			if x.status != http.StatusBadRequest || len(x.codes) != 1 || x.codes[0] != graph.CodeBadRequest || !strings.HasPrefix(x.contentType, a.media) {
				t.Errorf("Accept %q, %v: %d %s %v", a.accept, body, x.status, x.contentType, x.codes)
			}
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/graphql?variables={}", nil))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), graph.CodeBadRequest) {
		t.Errorf("GET without query: %d %s", rec.Code, rec.Body)
	}
}

// OVERLOADED is 503 with Retry-After, and RATE_LIMITED 429 with
// Retry-After, with either media type.
func TestRefusalStatus(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	ac := admission.New(admission.Config{MaxRequests: 1, MaxWork: 1000, LightCost: 100, MaxQueue: 0, QueueTimeout: time.Hour})
	lim := testLimits
	lim.Admission = ac
	h := graph.NewHandler(statsStore{stats: func(ctx context.Context) (store.Stats, error) {
		entered <- struct{}{}
		<-release
		return store.Stats{Entities: 1}, nil
	}}, nil, lim, slog.New(slog.DiscardHandler))
	done := make(chan exchange, 1)
	go func() { done <- do(t, h, "", map[string]any{"query": "{ stats { entities } }"}) }()
	<-entered // the one slot is taken
	for _, a := range accepts {
		x := do(t, h, a.accept, map[string]any{"query": "{ stats { entities } }"})
		if x.status != http.StatusServiceUnavailable || x.retryAfter == "" || len(x.codes) != 1 || x.codes[0] != graph.CodeOverloaded {
			t.Errorf("Accept %q: %d Retry-After %q %v, want 503 OVERLOADED", a.accept, x.status, x.retryAfter, x.codes)
		}
		if _, ok := x.body["data"]; ok {
			t.Errorf("a refusal has data: %s", x.raw)
		}
	}
	close(release)
	if x := <-done; x.status != http.StatusOK {
		t.Errorf("admitted request: %d %s", x.status, x.raw)
	}

	limited := admission.RateLimit(admission.NewRateLimiter(admission.RateConfig{Rate: 0.001, Burst: 1}),
		graph.NewHandler(statsStore{stats: func(context.Context) (store.Stats, error) { return store.Stats{}, nil }}, nil, testLimits, slog.New(slog.DiscardHandler)))
	do(t, limited, "", map[string]any{"query": "{ stats { entities } }"}) // the burst
	for _, a := range accepts {
		x := do(t, limited, a.accept, map[string]any{"query": "{ stats { entities } }"})
		if x.status != http.StatusTooManyRequests || x.retryAfter == "" || len(x.codes) != 1 || x.codes[0] != graph.CodeRateLimited {
			t.Errorf("Accept %q: %d Retry-After %q %v, want 429 RATE_LIMITED", a.accept, x.status, x.retryAfter, x.codes)
		}
	}
}

// logLines splits JSON log output into records.
func logLines(t *testing.T, buf *syncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// accessLogged serves h within the access log, all lines in buf.
func accessLogged(buf *syncBuffer, s graph.Store, lim graph.Limits) http.Handler {
	log := slog.New(accesslog.WithRequestID(slog.NewJSONHandler(buf, nil)))
	return accesslog.Handler(graph.NewHandler(s, nil, lim, log), accesslog.Options{Log: log})
}

// thirty is 30 aliased stats fields: each one runs the store's Stats.
var thirty = func() string {
	var b strings.Builder
	b.WriteString("query Thirty {")
	for i := range 30 {
		fmt.Fprintf(&b, " s%d: stats { entities }", i)
	}
	b.WriteString(" }")
	return b.String()
}()

// One GraphQL request, one access-log line with its id, operation, status,
// error codes; the presenter's lines for its errors are bounded and carry
// the same id.
func TestAccessLogOfAGraphQLRequest(t *testing.T) {
	var buf syncBuffer
	h := accessLogged(&buf, statsStore{stats: func(context.Context) (store.Stats, error) {
		return store.Stats{}, fmt.Errorf("%w: neo4j: connection refused", kg.ErrUnavailable)
	}}, testLimits)
	x := do(t, h, "", map[string]any{"query": thirty, "operationName": "Thirty"})
	if x.status != http.StatusOK || len(x.codes) != 30 {
		t.Fatalf("%d %v", x.status, x.codes)
	}
	ls := logLines(t, &buf)
	var access []map[string]any
	for _, l := range ls {
		if l["msg"] == "request" {
			access = append(access, l)
		}
	}
	if len(access) != 1 {
		t.Fatalf("%d access-log lines, want 1:\n%s", len(access), buf.String())
	}
	a := access[0]
	for k, want := range map[string]any{
		"operation": "Thirty", "operationType": "query", "status": float64(200),
		"errors": "UNAVAILABLE=30", "statements": float64(0), "path": "/graphql", "method": "POST",
	} {
		if a[k] != want {
			t.Errorf("access line %s = %v, want %v", k, a[k], want)
		}
	}
	// 30 failing fields: at most MaxErrorLogLines warnings, one line
	// counting the rest, and the access line.
	if len(ls) > graph.MaxErrorLogLines+2 {
		t.Errorf("%d log lines for one request, want at most %d:\n%s", len(ls), graph.MaxErrorLogLines+2, buf.String())
	}
	for _, l := range ls {
		if l["id"] != a["id"] || a["id"] == "" {
			t.Errorf("line without the request's id %v: %v", a["id"], l)
		}
	}
}

// A client that goes away mid-request is logged once, as cancelled: its
// fields end with CANCELLED and none is logged as "neo4j unavailable".
func TestCancelledRequestIsLoggedOnce(t *testing.T) {
	var buf syncBuffer
	entered := make(chan struct{}, 30)
	h := accessLogged(&buf, statsStore{stats: func(ctx context.Context) (store.Stats, error) {
		entered <- struct{}{}
		<-ctx.Done()
		// as the store translates a statement ended by its context
		return store.Stats{}, fmt.Errorf("%w: neo4j: %v", kg.ErrUnavailable, ctx.Err())
	}}, testLimits)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for range 30 {
			<-entered
		}
		cancel() // every field waits on Neo4j: the client closes the connection
	}()
	b, _ := json.Marshal(map[string]any{"query": thirty})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), req)

	ls := logLines(t, &buf)
	if len(ls) != 1 {
		t.Fatalf("%d log lines for a cancelled request, want 1 (the access line):\n%s", len(ls), buf.String())
	}
	if l := ls[0]; l["msg"] != "request" || l["cancelled"] != true || l["errors"] != "CANCELLED=30" || l["operation"] != "Thirty" {
		t.Errorf("access line %v, want cancelled=true errors=CANCELLED=30", l)
	}
	if strings.Contains(buf.String(), "unavailable") {
		t.Errorf("a cancelled request logged as unavailable:\n%s", buf.String())
	}
}

// A request whose client leaves while it waits for admission is not
// refused (no OVERLOADED, not counted as a refusal) and is logged once.
func TestCancelledWhileQueued(t *testing.T) {
	var buf syncBuffer
	release := make(chan struct{})
	entered := make(chan struct{}, 2)
	ac := admission.New(admission.Config{MaxRequests: 1, MaxWork: 1000, LightCost: 100, MaxQueue: 5, QueueTimeout: time.Hour})
	lim := testLimits
	lim.Admission = ac
	h := accessLogged(&buf, statsStore{stats: func(ctx context.Context) (store.Stats, error) {
		entered <- struct{}{}
		<-release
		return store.Stats{Entities: 1}, nil
	}}, lim)
	done := make(chan exchange, 1)
	go func() { done <- do(t, h, "", map[string]any{"query": "{ stats { entities } }"}) }()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	queued := make(chan struct{})
	go func() {
		defer close(queued)
		b, _ := json.Marshal(map[string]any{"query": "{ stats { entities } }"})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b)).WithContext(ctx)
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}()
	for ac.Stats().WaitingForSlot != 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-queued
	close(release)
	<-done
	if st := ac.Stats(); st.Refused != 0 || st.Abandoned != 1 {
		t.Errorf("admission %+v, want 0 refused, 1 abandoned", st)
	}
	var cancelled []map[string]any
	for _, l := range logLines(t, &buf) {
		if l["cancelled"] == true {
			cancelled = append(cancelled, l)
		}
	}
	if len(cancelled) != 1 || cancelled[0]["errors"] != graph.CodeCancelled+"=1" {
		t.Errorf("cancelled lines %v:\n%s", cancelled, buf.String())
	}
}
