package accesslog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/clientip"
	"github.com/vetgraph/vetgraph/internal/kg"
)

// lines parses the JSON log lines in buf.
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
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

// One request, one line with its id, method, path, status, duration,
// bytes, operation, errors by code and statements; the id is echoed and
// reaches the handler's context; the observer gets the same record.
func TestOneLinePerRequest(t *testing.T) {
	var buf bytes.Buffer
	var recs []accesslog.Record
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := accesslog.From(r.Context())
		if e == nil || e.ID() != kg.RequestIDFrom(r.Context()) || e.ID() == "" {
			t.Errorf("entry %v, request id %q", e, kg.RequestIDFrom(r.Context()))
		}
		e.SetOperation(accesslog.Operation{Name: "Look", Type: "query"})
		e.AddError("NOT_FOUND")
		e.AddError("NOT_FOUND")
		e.AddError("")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("hello"))
	})
	h := accesslog.Handler(inner, accesslog.Options{
		Log:     slog.New(slog.NewJSONHandler(&buf, nil)),
		Observe: func(r accesslog.Record) { recs = append(recs, r) },
	})

	req := httptest.NewRequest(http.MethodPost, "/graphql?secret=1", nil)
	req.Header.Set("X-Request-Id", "client-id.1:2")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if got := rec.Header().Get("X-Request-Id"); got != "client-id.1:2" {
		t.Errorf("X-Request-Id = %q, want the client's", got)
	}
	ls := lines(t, &buf)
	if len(ls) != 1 {
		t.Fatalf("%d lines, want 1:\n%s", len(ls), buf.String())
	}
	l := ls[0]
	for k, want := range map[string]any{
		"msg": "request", "level": "INFO", "id": "client-id.1:2", "method": "POST", "path": "/graphql",
		"status": float64(418), "bytes": float64(5), "operation": "Look", "operationType": "query",
		"errors": "NONE=1,NOT_FOUND=2", "statements": float64(0),
	} {
		if l[k] != want {
			t.Errorf("%s = %v, want %v", k, l[k], want)
		}
	}
	if _, ok := l["duration"]; !ok {
		t.Errorf("no duration: %v", l)
	}
	if _, ok := l["cancelled"]; ok {
		t.Errorf("a complete request logged as cancelled: %v", l)
	}
	if strings.Contains(buf.String(), "secret") {
		t.Errorf("the query string was logged: %s", buf.String())
	}
	if len(recs) != 1 || recs[0].Status != 418 || recs[0].Errors["NOT_FOUND"] != 2 || !recs[0].HasOperation || recs[0].Cancelled {
		t.Errorf("observed %+v", recs)
	}
}

// A request without an operation (refused before GraphQL) has no operation
// attributes; an ill-formed X-Request-Id is replaced by a new id.
func TestRequestWithoutOperation(t *testing.T) {
	var buf bytes.Buffer
	h := accesslog.Handler(http.NotFoundHandler(), accesslog.Options{Log: slog.New(slog.NewJSONHandler(&buf, nil))})
	req := httptest.NewRequest(http.MethodGet, "/nope", nil)
	req.Header.Set("X-Request-Id", "bad id\n")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	ls := lines(t, &buf)
	if len(ls) != 1 {
		t.Fatalf("%d lines: %s", len(ls), buf.String())
	}
	id := rec.Header().Get("X-Request-Id")
	if len(id) != 24 || ls[0]["id"] != id {
		t.Errorf("id %q (logged %v), want a new 24-digit id", id, ls[0]["id"])
	}
	if _, ok := ls[0]["operation"]; ok || ls[0]["status"] != float64(404) {
		t.Errorf("line %v", ls[0])
	}
}

// A request whose client went away is logged once, as cancelled.
func TestCancelledRequest(t *testing.T) {
	var buf bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	h := accesslog.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel() // the client closes the connection while the request runs
		<-r.Context().Done()
		w.WriteHeader(http.StatusOK)
	}), accesslog.Options{Log: slog.New(slog.NewJSONHandler(&buf, nil))})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/graphql", nil).WithContext(ctx))
	ls := lines(t, &buf)
	if len(ls) != 1 || ls[0]["cancelled"] != true {
		t.Errorf("lines %v, want one with cancelled=true", ls)
	}
}

// No Log: no line; the record is still observed.
func TestAccessLogOff(t *testing.T) {
	n := 0
	h := accesslog.Handler(http.NotFoundHandler(), accesslog.Options{Observe: func(accesslog.Record) { n++ }})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if n != 1 {
		t.Errorf("observed %d records, want 1", n)
	}
}

// The codes an entry keeps are bounded: past MaxCodes they count as OTHER.
func TestCodesBounded(t *testing.T) {
	var got accesslog.Record
	h := accesslog.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 1000 {
			accesslog.From(r.Context()).AddError("CODE_" + string(rune('A'+i%26)) + string(rune('A'+i/26%26)))
		}
	}), accesslog.Options{Observe: func(r accesslog.Record) { got = r }})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	total := 0
	for _, n := range got.Errors {
		total += n
	}
	if len(got.Errors) != accesslog.MaxCodes+1 || total != 1000 || got.Errors[accesslog.OtherCode] == 0 {
		t.Errorf("%d codes, %d errors: %v", len(got.Errors), total, got.Errors)
	}
}

// Lines logged in a request's context carry its id.
func TestWithRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(accesslog.WithRequestID(slog.NewJSONHandler(&buf, nil))).With("component", "x")
	log.InfoContext(kg.WithRequestID(context.Background(), "r1"), "inside")
	log.Info("outside")
	ls := lines(t, &buf)
	if len(ls) != 2 || ls[0]["id"] != "r1" || ls[0]["component"] != "x" || ls[1]["id"] != nil {
		t.Errorf("lines %v", ls)
	}
}

// A nil Entry (a handler run without the middleware) takes notes quietly.
func TestNilEntry(t *testing.T) {
	e := accesslog.From(context.Background())
	e.AddError("X")
	e.SetOperation(accesslog.Operation{Name: "A"})
	if e.ID() != "" {
		t.Error("nil entry has an id")
	}
}

// Through a trusted proxy the line names the client X-Forwarded-For
// names; from elsewhere the header is ignored.
func TestClientThroughTrustedProxy(t *testing.T) {
	proxies, err := clientip.Parse([]string{"10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	h := accesslog.Handler(http.NotFoundHandler(), accesslog.Options{
		Proxies: proxies,
		Observe: func(r accesslog.Record) { got = append(got, r.Client) },
	})
	for _, remote := range []string{"10.0.0.5:1234", "198.51.100.9:1234"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", "203.0.113.7")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if len(got) != 2 || got[0] != "203.0.113.7" || got[1] != "198.51.100.9" {
		t.Errorf("clients %v, want [203.0.113.7 198.51.100.9]", got)
	}
}
