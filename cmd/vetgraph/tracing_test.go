package main

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/vetgraph/vetgraph/internal/metrics"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
	"github.com/vetgraph/vetgraph/internal/tracing"
)

// Against the real Neo4j: a GraphQL request is one server span, and each
// Cypher statement it sends one client span in the same trace, below it,
// with the statement's text; the statement count is the access log's.
func TestTracesOfARequest(t *testing.T) {
	drv := neo4jtest.Driver(t)
	exp := tracetest.NewInMemoryExporter()
	tr := tracing.New(sdktrace.NewSimpleSpanProcessor(exp), tracing.Config{SampleRatio: 1})
	met := metrics.New()
	s := store.New(met.InstrumentDriver(tr.InstrumentDriver(drv, neo4jtest.Database()), 50), neo4jtest.Database())
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := newMux(s, testConfig(t), quiet, newReadiness(s, quiet), telemetry{met: met, tracer: tr})

	rec := postQuery(h, map[string]any{"query": `query Look { entity(id: "cqvie") { id nameZh relations(first: 2) { edges { node { type } } } } }`})
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	spans := exp.GetSpans().Snapshots()
	var server sdktrace.ReadOnlySpan
	var statements []sdktrace.ReadOnlySpan
	for _, sp := range spans {
		if sp.Name() == "POST /graphql" {
			server = sp
		} else {
			statements = append(statements, sp)
		}
	}
	if server == nil {
		t.Fatalf("no server span among %d", len(spans))
	}
	if len(statements) == 0 {
		t.Fatal("no statement spans")
	}
	ids := map[string]bool{server.SpanContext().SpanID().String(): true}
	for _, sp := range statements {
		if sp.SpanContext().TraceID() != server.SpanContext().TraceID() || !ids[sp.Parent().SpanID().String()] {
			t.Errorf("statement span %s is not below the request's span", sp.Name())
		}
		text := ""
		for _, kv := range sp.Attributes() {
			if kv.Key == "db.query.text" {
				text = kv.Value.AsString()
			}
		}
		if text == "" {
			t.Errorf("statement span %s without its text", sp.Name())
		}
	}
	n := scrape(t, h)["vetgraph_graphql_cypher_statements_sum"]
	if float64(len(statements)) != n {
		t.Errorf("%d statement spans, %v statements counted", len(statements), n)
	}
}
