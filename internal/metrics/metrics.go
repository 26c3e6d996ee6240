// Package metrics provides vetgraph's Prometheus metrics, served at /metrics
// in the Prometheus text format:
//
//   - HTTP: requests by route and status, their latency by route, and the
//     requests whose client went away (Observe, from each request's
//     accesslog.Record);
//   - GraphQL: latency and count by operation name and type, errors by
//     extensions.code (field errors in a 200 answer too), Cypher statements
//     per request;
//   - admission control: requests executing, waiting in each queue,
//     refused, abandoned (Admission);
//   - the Neo4j connection pool: connections in use, sessions waiting for
//     one, the time they waited (InstrumentDriver);
//   - the Go runtime and the process.
//
// Label values are bounded: operation names past MaxOperations, longer than
// maxNameLen, or that are not GraphQL names share the label OtherOperation;
// codes past maxCodes share accesslog.OtherCode.
package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/admission"
)

// Labels of the operation label that no client can send as a name (GraphQL
// names hold no parentheses).
const (
	// AnonymousOperation: an operation without a name.
	AnonymousOperation = accesslog.AnonymousOperation
	// NoOperation: a request answered before an operation was selected
	// (refused, or its document did not parse or validate).
	NoOperation = "(none)"
	// OtherOperation: a name past MaxOperations distinct names, or not a
	// short GraphQL name.
	OtherOperation = "(other)"
)

// MaxOperations is how many distinct operation names get their own label
// value; later names share OtherOperation. The names a server's clients
// send are few (each query of a page or a report has its one name), while
// every distinct value is a series kept for the life of the process.
const MaxOperations = 200

// maxNameLen bounds an operation name kept as a label value.
const maxNameLen = 64

// maxCodes bounds the code label's values.
const maxCodes = 64

// Metrics holds the collectors of one process. Its methods are safe for
// concurrent use.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	cancelled  *prometheus.CounterVec
	statements prometheus.Histogram
	operations *prometheus.HistogramVec
	errors     *prometheus.CounterVec

	names bounded // operation names with their own label value
	codes bounded // codes with their own label value

	admission atomic.Pointer[admission.Controller]
	pool      poolMetrics
}

// New registers vetgraph's collectors plus the Go runtime and process ones.
func New() *Metrics {
	latency := prometheus.ExponentialBuckets(0.001, 2, 14) // 1 ms … 8 s
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vetgraph_http_requests_total", Help: "HTTP requests by route (the pattern that served it; unmatched for none) and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vetgraph_http_request_duration_seconds", Help: "HTTP request latency by route, seconds.",
			Buckets: latency,
		}, []string{"route"}),
		cancelled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vetgraph_http_requests_cancelled_total", Help: "HTTP requests whose client closed the connection before the answer was complete, by route.",
		}, []string{"route"}),
		statements: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "vetgraph_graphql_cypher_statements", Help: "Cypher statements sent per GraphQL request.",
			Buckets: []float64{0, 1, 2, 3, 5, 8, 13, 21, 34},
		}),
		operations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vetgraph_graphql_operation_duration_seconds",
			Help: "GraphQL request latency, seconds, by operation name ((anonymous) without one, (none) when no operation was selected, (other) past " +
				strconv.Itoa(MaxOperations) + " names) and type (query, mutation; empty for (none)); its _count counts the requests.",
			Buckets: latency,
		}, []string{"operation", "type"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vetgraph_graphql_errors_total",
			Help: "Errors answered on /graphql by extensions.code: field errors in 200 answers, request errors, and refusals before GraphQL (RATE_LIMITED, UNAUTHENTICATED, BAD_REQUEST, ...).",
		}, []string{"code"}),
		names: bounded{max: MaxOperations},
		codes: bounded{max: maxCodes},
	}
	m.reg.MustRegister(m.requests, m.duration, m.cancelled, m.statements, m.operations, m.errors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.registerAdmission()
	m.registerPool()
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry is where the metrics are registered (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// GraphQLRoute is the route whose requests are GraphQL requests.
const GraphQLRoute = "/graphql"

// Observe records one answered request (accesslog.Options.Observe).
func (m *Metrics) Observe(rec accesslog.Record) {
	route := rec.Route
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(rec.Status)).Inc()
	m.duration.WithLabelValues(route).Observe(rec.Duration.Seconds())
	if rec.Cancelled {
		m.cancelled.WithLabelValues(route).Inc()
	}
	if route != GraphQLRoute {
		return
	}
	m.statements.Observe(float64(rec.Statements))
	name, typ := NoOperation, ""
	if rec.HasOperation {
		name, typ = m.operationLabel(rec.Operation.Name), rec.Operation.Type
	}
	m.operations.WithLabelValues(name, typ).Observe(rec.Duration.Seconds())
	for code, n := range rec.Errors {
		if !m.codes.admit(code) {
			code = accesslog.OtherCode
		}
		m.errors.WithLabelValues(code).Add(float64(n))
	}
}

// operationLabel is the label value of an operation name.
func (m *Metrics) operationLabel(name string) string {
	switch {
	case name == "":
		return AnonymousOperation
	case len(name) > maxNameLen || !graphQLName(name) || !m.names.admit(name):
		return OtherOperation
	}
	return name
}

// graphQLName reports whether s is a GraphQL name: /[_A-Za-z][_0-9A-Za-z]*/.
func graphQLName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return s != ""
}

// bounded is a set of label values that admits at most max of them.
type bounded struct {
	max int
	mu  sync.RWMutex
	set map[string]struct{}
}

// admit reports whether v has, or now gets, a label value of its own.
func (b *bounded) admit(v string) bool {
	b.mu.RLock()
	_, ok := b.set[v]
	n := len(b.set)
	b.mu.RUnlock()
	if ok {
		return true
	}
	if n >= b.max {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.set == nil {
		b.set = map[string]struct{}{}
	}
	if _, ok := b.set[v]; ok {
		return true
	}
	if len(b.set) >= b.max {
		return false
	}
	b.set[v] = struct{}{}
	return true
}

// Admission exports c's counts: requests executing, waiting for a slot
// and for work units, refused, abandoned by their clients while waiting,
// and c's bounds. A later call replaces the controller exported.
func (m *Metrics) Admission(c *admission.Controller) { m.admission.Store(c) }

func (m *Metrics) registerAdmission() {
	stat := func(f func(admission.Stats) int64) func() float64 {
		return func() float64 {
			if c := m.admission.Load(); c != nil {
				return float64(f(c.Stats()))
			}
			return 0
		}
	}
	bound := func(f func(admission.Config) int64) func() float64 {
		return func() float64 {
			if c := m.admission.Load(); c != nil {
				return float64(f(c.Config()))
			}
			return 0
		}
	}
	queue := func(name string, f func(admission.Stats) int64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "vetgraph_admission_queue_length",
			Help:        "GraphQL requests waiting for admission, by queue: slot (every request waits for one of VETGRAPH_MAX_REQUESTS) or work (heavy requests wait for work units).",
			ConstLabels: prometheus.Labels{"queue": name},
		}, stat(f))
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vetgraph_admission_executing",
			Help: "GraphQL requests admitted and executing.",
		}, stat(func(s admission.Stats) int64 { return s.Executing })),
		queue("slot", func(s admission.Stats) int64 { return s.WaitingForSlot }),
		queue("work", func(s admission.Stats) int64 { return s.WaitingForWork }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "vetgraph_admission_rejected_total",
			Help: "GraphQL requests refused admission (503 OVERLOADED): queue full, or too long a wait.",
		}, stat(func(s admission.Stats) int64 { return s.Refused })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "vetgraph_admission_abandoned_total",
			Help: "GraphQL requests whose client went away while they waited for admission.",
		}, stat(func(s admission.Stats) int64 { return s.Abandoned })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vetgraph_admission_max_requests",
			Help: "The bound on GraphQL requests executing at once (VETGRAPH_MAX_REQUESTS).",
		}, bound(func(c admission.Config) int64 { return int64(c.MaxRequests) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "vetgraph_admission_max_queue",
			Help: "The bound on requests waiting in each queue (VETGRAPH_MAX_QUEUE).",
		}, bound(func(c admission.Config) int64 { return int64(c.MaxQueue) })),
	)
}
