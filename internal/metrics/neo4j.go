package metrics

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/log"
	"github.com/prometheus/client_golang/prometheus"
)

// The Neo4j Go driver (v5) keeps its connection pool to itself: it exports
// no count of connections in use or idle, and no acquisition time. So they
// are measured here, around the driver: InstrumentDriver wraps the driver
// so that every session (each ExecuteQuery opens one, as do the store's
// ExecuteRead and ExecuteWrite units of work) is counted as waiting for a
// connection from the moment it is opened until the driver sends the first
// BEGIN or RUN of its first transaction (a Bolt message, seen through the
// session's BoltLogger: the connection is borrowed by then, dialled and
// authenticated if it was new, after a routing-table fetch through
// neo4j://), then as holding a connection until it is closed. Idle
// connections cannot be seen from outside the driver: the pool's headroom
// is vetgraph_neo4j_pool_max_connections less the connections in use.
// (A session running several transactions in turn, which only the loader
// and imports do, counts as holding its connection in between.)

type poolMetrics struct {
	max     prometheus.Gauge
	inUse   prometheus.Gauge
	waiting prometheus.Gauge
	wait    prometheus.Histogram
}

func (m *Metrics) registerPool() {
	m.pool = poolMetrics{
		max: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vetgraph_neo4j_pool_max_connections",
			Help: "The Neo4j driver's connection pool size (NEO4J_MAX_POOL_SIZE).",
		}),
		inUse: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vetgraph_neo4j_connections_in_use",
			Help: "Neo4j sessions holding a pooled connection (from the first BEGIN or RUN until the session closes). Measured around the driver, which exports no pool counts.",
		}),
		waiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vetgraph_neo4j_connections_waiting",
			Help: "Neo4j sessions opened and waiting for a pooled connection.",
		}),
		wait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "vetgraph_neo4j_connection_acquisition_seconds",
			Help:    "Time from opening a Neo4j session to its first BEGIN or RUN: the wait for a pooled connection (and dialling it when new), seconds.",
			Buckets: []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
		}),
	}
	m.reg.MustRegister(m.pool.max, m.pool.inUse, m.pool.waiting, m.pool.wait)
}

// InstrumentDriver returns d measured as the package comment says, and
// exports poolSize (the driver's MaxConnectionPoolSize). Use the returned
// driver for everything; d's own methods other than NewSession (Close,
// VerifyConnectivity, ...) are passed through unmeasured.
func (m *Metrics) InstrumentDriver(d neo4j.DriverWithContext, poolSize int) neo4j.DriverWithContext {
	m.pool.max.Set(float64(poolSize))
	return &meteredDriver{DriverWithContext: d, pool: &m.pool}
}

type meteredDriver struct {
	neo4j.DriverWithContext
	pool *poolMetrics
}

// NewSession opens a session whose connection use is measured. The
// session's BoltLogger, if the caller set one, still gets every message.
func (d *meteredDriver) NewSession(ctx context.Context, cfg neo4j.SessionConfig) neo4j.SessionWithContext {
	u := &connectionUse{pool: d.pool, start: time.Now(), next: cfg.BoltLogger}
	d.pool.waiting.Inc()
	cfg.BoltLogger = u
	return &meteredSession{SessionWithContext: d.DriverWithContext.NewSession(ctx, cfg), use: u}
}

// meteredSession is a session that ends its connectionUse when closed.
// (Embedding the interface keeps its unexported methods, through which
// neo4j.ExecuteQuery runs its transaction.)
type meteredSession struct {
	neo4j.SessionWithContext
	use *connectionUse
}

func (s *meteredSession) Close(ctx context.Context) error {
	s.use.end()
	return s.SessionWithContext.Close(ctx)
}

// connectionUse follows one session: waiting, then holding a connection,
// then ended. It is the session's BoltLogger.
type connectionUse struct {
	pool  *poolMetrics
	start time.Time
	next  log.BoltLogger
	state atomic.Int32 // useWaiting, useHolding, useEnded
}

const (
	useWaiting int32 = iota
	useHolding
	useEnded
)

func (u *connectionUse) LogClientMessage(id, msg string, args ...any) {
	if u.state.Load() == useWaiting && (strings.HasPrefix(msg, "BEGIN") || strings.HasPrefix(msg, "RUN")) &&
		u.state.CompareAndSwap(useWaiting, useHolding) {
		u.pool.wait.Observe(time.Since(u.start).Seconds())
		u.pool.waiting.Dec()
		u.pool.inUse.Inc()
	}
	if u.next != nil {
		u.next.LogClientMessage(id, msg, args...)
	}
}

func (u *connectionUse) LogServerMessage(id, msg string, args ...any) {
	if u.next != nil {
		u.next.LogServerMessage(id, msg, args...)
	}
}

// end takes the session out of the counts (once).
func (u *connectionUse) end() {
	for {
		switch s := u.state.Load(); s {
		case useEnded:
			return
		case useWaiting, useHolding:
			if !u.state.CompareAndSwap(s, useEnded) {
				continue
			}
			if s == useWaiting {
				u.pool.waiting.Dec()
			} else {
				u.pool.inUse.Dec()
			}
			return
		}
	}
}
