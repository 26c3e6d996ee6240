// Package metrics provides vetgraph's Prometheus metrics and the HTTP
// middleware that records them. /metrics serves them in the Prometheus text
// format.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vetgraph/vetgraph/internal/store"
)

// Metrics holds the collectors of one process.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	statements prometheus.Histogram
}

// New registers vetgraph's collectors plus the Go runtime and process ones.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vetgraph_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vetgraph_http_request_duration_seconds", Help: "HTTP request latency by route, seconds.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14), // 1 ms … 8 s
		}, []string{"route"}),
		statements: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "vetgraph_graphql_cypher_statements", Help: "Cypher statements sent per GraphQL request.",
			Buckets: []float64{0, 1, 2, 3, 5, 8, 13, 21, 34},
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.statements,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Instrument records requests to h under the fixed route label; for GraphQL
// routes it also counts the Cypher statements each request sent.
func (m *Metrics) Instrument(route string, graphql bool, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		if graphql {
			ctx, n := store.WithStatementCounter(r.Context())
			r = r.WithContext(ctx)
			defer func() { m.statements.Observe(float64(n.Load())) }()
		}
		h.ServeHTTP(sw, r)
		m.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
