package tracing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/vetgraph/vetgraph/internal/accesslog"
)

func attrs(s sdktrace.ReadOnlySpan) map[string]string {
	m := map[string]string{}
	for _, kv := range s.Attributes() {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

func TestFirstKeyword(t *testing.T) {
	for in, want := range map[string]string{
		"MATCH (n) RETURN n":                           "MATCH",
		"// a comment\n  unwind $ids AS id\nMATCH (n)": "UNWIND",
		"CALL { MATCH (n) RETURN n } RETURN 1":         "CALL",
		"OPTIONAL MATCH (n) RETURN n":                  "OPTIONAL",
		"":                                             "CYPHER",
		"CALL(x) { RETURN x }":                         "CALL",
	} {
		if got := firstKeyword(in); got != want {
			t.Errorf("firstKeyword(%q) = %q, want %q", in, got, want)
		}
	}
}

// A session's Bolt messages make one span per RUN, ended by what follows
// it (or the session's end), marked failed on a FAILURE; each is a child of
// the span of the context the session was opened with.
func TestStatementSpans(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tr := New(sdktrace.NewSimpleSpanProcessor(exp), Config{SampleRatio: 1})
	ctx, parent := tr.tp.Tracer("test").Start(context.Background(), "request")
	s := &statementSpans{ctx: ctx, tracer: tr.tp.Tracer("t"), database: "neo4j"}
	s.LogClientMessage("bolt-1", "BEGIN %s", "{}")
	s.LogClientMessage("bolt-1", "RUN %q %s %s", "MATCH (e:Entity {id: $id}) RETURN e", "{}", "{}")
	s.LogClientMessage("bolt-1", "PULL %s", "{}")
	s.LogServerMessage("bolt-1", "SUCCESS %s", "{}")
	s.LogClientMessage("bolt-1", "RUN %q %s %s", "UNWIND $ids AS id RETURN id", "{}", "{}")
	s.LogServerMessage("bolt-1", "FAILURE %s", "boom")
	s.LogClientMessage("bolt-1", "ROLLBACK")
	s.LogClientMessage("bolt-1", "RUN %q %s %s", "RETURN 1", "{}", "{}")
	s.end() // the session closes
	parent.End()

	spans := exp.GetSpans().Snapshots()
	if len(spans) != 4 {
		t.Fatalf("%d spans, want 3 statements and the request", len(spans))
	}
	want := []struct{ name, text, status string }{
		{"MATCH neo4j", "MATCH (e:Entity {id: $id}) RETURN e", "Unset"},
		{"UNWIND neo4j", "UNWIND $ids AS id RETURN id", "Error"},
		{"RETURN neo4j", "RETURN 1", "Unset"},
	}
	for i, w := range want {
		sp := spans[i]
		a := attrs(sp)
		if sp.Name() != w.name || a["db.query.text"] != w.text || a["db.system.name"] != "neo4j" || a["db.namespace"] != "neo4j" ||
			sp.Status().Code.String() != w.status || sp.SpanKind() != trace.SpanKindClient {
			t.Errorf("span %d: %s %v %s", i, sp.Name(), a, sp.Status().Code)
		}
		if sp.Parent().SpanID() != parent.SpanContext().SpanID() {
			t.Errorf("span %d is not a child of the request's span", i)
		}
	}
}

// The server span of a request is named by its method and route and
// carries the GraphQL operation; a traceparent sent by the client is
// its parent.
func TestServerSpan(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tr := New(sdktrace.NewSimpleSpanProcessor(exp), Config{SampleRatio: 1})
	mux := http.NewServeMux()
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) {
		accesslog.From(r.Context()).SetOperation(accesslog.Operation{Name: "Look", Type: "query"})
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	h := tr.Handler(accesslog.Handler(tr.Annotate(mux), accesslog.Options{}))

	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	h.ServeHTTP(httptest.NewRecorder(), req)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz", nil))

	spans := exp.GetSpans().Snapshots()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want 2", len(spans))
	}
	g, hz := spans[0], spans[1]
	if a := attrs(g); g.Name() != "POST /graphql" || a["graphql.operation.name"] != "Look" || a["graphql.operation.type"] != "query" ||
		a["http.route"] != "/graphql" || g.SpanKind() != trace.SpanKindServer {
		t.Errorf("GraphQL span %s %v", g.Name(), a)
	}
	if g.Parent().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || !g.Parent().IsRemote() {
		t.Errorf("the client's traceparent is not the parent: %v", g.Parent())
	}
	if hz.Name() != "GET /healthz" || attrs(hz)["graphql.operation.name"] != "" {
		t.Errorf("healthz span %s %v", hz.Name(), attrs(hz))
	}
}

// Off: nothing is wrapped.
func TestOff(t *testing.T) {
	tr, err := Setup(Config{})
	if tr != nil || err != nil {
		t.Fatalf("Setup without an endpoint = %v, %v", tr, err)
	}
	h := http.NotFoundHandler()
	if tr.Handler(h) == nil || tr.Annotate(h) == nil || tr.InstrumentDriver(nil, "") != nil || tr.Shutdown(context.Background()) != nil {
		t.Error("a nil Tracer wraps something")
	}
}

// Spans reach an OTLP/HTTP receiver (here a test server decoding the
// protobuf export requests) when the tracer shuts down.
func TestExportOverOTLP(t *testing.T) {
	var mu sync.Mutex
	var names []string
	var paths []string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req collectortrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			t.Errorf("export request: %v", err)
		}
		mu.Lock()
		paths = append(paths, r.URL.Path)
		for _, rs := range req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				for _, sp := range ss.GetSpans() {
					names = append(names, sp.GetName())
				}
			}
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		_, _ = w.Write(out)
	}))
	defer recv.Close()
	tr, err := Setup(Config{Endpoint: recv.URL + "/v1/traces", SampleRatio: 1, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	_, sp := tr.tp.Tracer("t").Start(context.Background(), "a span")
	sp.End()
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(names) != 1 || names[0] != "a span" || paths[0] != "/v1/traces" {
		t.Errorf("received %v at %v", names, paths)
	}
}
