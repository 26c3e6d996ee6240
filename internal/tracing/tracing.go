// Package tracing provides vetgraph's OpenTelemetry traces, off unless an
// OTLP endpoint is configured (VETGRAPH_TRACES_ENDPOINT): a server span per
// HTTP request (otelhttp; W3C traceparent from the client is honoured),
// named by its route and carrying the GraphQL operation, and within it a
// client span per Cypher statement (InstrumentDriver), carrying the
// statement's text (vetgraph's statements are fixed text with $parameters:
// no value a client sent is in them; the parameters are not recorded).
// Spans are exported in batches over OTLP/HTTP; the standard OTEL_EXPORTER_OTLP_*
// variables (headers, timeout, compression) apply too.
package tracing

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/log"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/vetgraph/vetgraph/internal/accesslog"
)

// Config is what Setup needs.
type Config struct {
	// Endpoint is the URL of an OTLP/HTTP traces receiver, e.g.
	// http://127.0.0.1:4318/v1/traces; empty turns tracing off.
	Endpoint string
	// SampleRatio is the share of traces started here that are kept (0–1);
	// a trace a client started keeps its sampling decision.
	SampleRatio float64
	// Version is the service.version of the spans.
	Version string
}

// Tracer carries the tracer provider; a nil *Tracer traces nothing and
// wraps nothing.
type Tracer struct {
	tp *sdktrace.TracerProvider
}

// Setup starts exporting spans to cfg.Endpoint. It returns nil when
// cfg.Endpoint is empty. Shut the Tracer down to send the last spans.
func Setup(cfg Config) (*Tracer, error) {
	if cfg.Endpoint == "" {
		return nil, nil
	}
	exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(cfg.Endpoint))
	if err != nil {
		return nil, fmt.Errorf("tracing: OTLP exporter for %s: %w", cfg.Endpoint, err)
	}
	return New(sdktrace.NewBatchSpanProcessor(exp), cfg), nil
}

// New returns a Tracer sending its spans to sp (tests use an in-memory
// exporter).
func New(sp sdktrace.SpanProcessor, cfg Config) *Tracer {
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(
		semconv.ServiceName("vetgraph"), semconv.ServiceVersion(cfg.Version)))
	if err != nil {
		res = resource.Default()
	}
	return &Tracer{tp: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sp), sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(cfg.SampleRatio))))}
}

// Shutdown sends the spans not yet sent and stops the Tracer.
func (t *Tracer) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.tp.Shutdown(ctx)
}

// Handler wraps next, the whole server, in a server span per request. Put
// it outside accesslog.Handler: the span is named, once the request is
// answered, by its method and route ("POST /graphql") and given the
// GraphQL operation's name and type, which the access log's entry holds.
func (t *Tracer) Handler(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return otelhttp.NewHandler(next, "vetgraph", otelhttp.WithTracerProvider(t.tp),
		otelhttp.WithPropagators(propagation.TraceContext{}),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }))
}

// Annotate is the middleware, inside accesslog.Handler and outside the
// routes, that names the request's span by its route and adds the GraphQL
// operation.
func (t *Tracer) Annotate(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		span := trace.SpanFromContext(r.Context())
		if r.Pattern != "" {
			route := r.Pattern
			if _, path, ok := strings.Cut(route, " "); ok {
				route = path
			}
			span.SetName(r.Method + " " + route)
			span.SetAttributes(semconv.HTTPRoute(route))
		}
		if op, ok := accesslog.From(r.Context()).Operation(); ok {
			name := op.Name
			if name == "" {
				name = accesslog.AnonymousOperation
			}
			span.SetAttributes(semconv.GraphQLOperationName(name), semconv.GraphQLOperationTypeKey.String(op.Type))
		}
	})
}

// InstrumentDriver returns d with a client span per Cypher statement, a
// child of the span in the context its session was opened with; database
// is db.namespace.
func (t *Tracer) InstrumentDriver(d neo4j.DriverWithContext, database string) neo4j.DriverWithContext {
	if t == nil {
		return d
	}
	return &tracedDriver{DriverWithContext: d, tracer: t.tp.Tracer("github.com/vetgraph/vetgraph/internal/tracing"), database: database}
}

type tracedDriver struct {
	neo4j.DriverWithContext
	tracer   trace.Tracer
	database string
}

func (d *tracedDriver) NewSession(ctx context.Context, cfg neo4j.SessionConfig) neo4j.SessionWithContext {
	db := cfg.DatabaseName
	if db == "" {
		db = d.database
	}
	s := &statementSpans{ctx: ctx, tracer: d.tracer, database: db, next: cfg.BoltLogger}
	cfg.BoltLogger = s
	return &tracedSession{SessionWithContext: d.DriverWithContext.NewSession(ctx, cfg), spans: s}
}

// tracedSession ends its last statement's span when closed. (Embedding the
// interface keeps its unexported methods, through which
// neo4j.ExecuteQuery runs its transaction.)
type tracedSession struct {
	neo4j.SessionWithContext
	spans *statementSpans
}

func (s *tracedSession) Close(ctx context.Context) error {
	s.spans.end()
	return s.SessionWithContext.Close(ctx)
}

// statementSpans is a session's BoltLogger: a RUN message starts a span for
// its statement, which the next RUN, BEGIN, COMMIT, ROLLBACK or RESET, or
// the session's end, ends; a FAILURE from the server marks it failed.
type statementSpans struct {
	ctx      context.Context
	tracer   trace.Tracer
	database string
	next     log.BoltLogger

	mu   sync.Mutex
	span trace.Span
}

func (s *statementSpans) LogClientMessage(id, msg string, args ...any) {
	switch word, _, _ := strings.Cut(msg, " "); word {
	case "RUN":
		cypher := ""
		if len(args) > 0 {
			cypher, _ = args[0].(string)
		}
		s.start(cypher)
	case "BEGIN", "COMMIT", "ROLLBACK", "RESET", "GOODBYE":
		s.end()
	}
	if s.next != nil {
		s.next.LogClientMessage(id, msg, args...)
	}
}

func (s *statementSpans) LogServerMessage(id, msg string, args ...any) {
	if strings.HasPrefix(msg, "FAILURE") {
		s.mu.Lock()
		if s.span != nil {
			s.span.SetStatus(codes.Error, "Neo4j answered FAILURE")
		}
		s.mu.Unlock()
	}
	if s.next != nil {
		s.next.LogServerMessage(id, msg, args...)
	}
}

func (s *statementSpans) start(cypher string) {
	op := firstKeyword(cypher)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.span != nil {
		s.span.End()
	}
	_, s.span = s.tracer.Start(s.ctx, op+" "+s.database, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(semconv.DBSystemNameNeo4j, semconv.DBNamespace(s.database),
			semconv.DBOperationName(op), semconv.DBQueryText(cypher), attribute.Int("db.query.length", len(cypher))))
}

func (s *statementSpans) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.span != nil {
		s.span.End()
		s.span = nil
	}
}

// firstKeyword is a statement's first word, in capitals, after comments
// ("MATCH", "UNWIND", "CALL"; "CYPHER" for a statement with no words).
func firstKeyword(cypher string) string {
	for _, line := range strings.Split(cypher, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		if i := strings.IndexFunc(line, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
		}); i != 0 {
			if i > 0 {
				line = line[:i]
			}
			return strings.ToUpper(line)
		}
		return "CYPHER"
	}
	return "CYPHER"
}
