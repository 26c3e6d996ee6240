package metrics_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/vetgraph/vetgraph/internal/metrics"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// value is the value of the one series of the metric name.
func value(t *testing.T, m *metrics.Metrics, name string) float64 {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		x := mf.GetMetric()[0]
		switch {
		case x.Gauge != nil:
			return x.Gauge.GetValue()
		case x.Histogram != nil:
			return float64(x.Histogram.GetSampleCount())
		case x.Counter != nil:
			return x.Counter.GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// Against the real Neo4j, through a pool of one connection: a session
// holding it counts as in use, a second one as waiting until the first
// closes; each acquisition is observed; at the end none is in use or
// waiting.
func TestPoolMetrics(t *testing.T) {
	neo4jtest.Driver(t) // fails (or skips with -short) without Neo4j
	auth := neo4j.NoAuth()
	if u := os.Getenv("NEO4J_USER"); u != "" {
		auth = neo4j.BasicAuth(u, os.Getenv("NEO4J_PASSWORD"), "")
	}
	raw, err := neo4j.NewDriverWithContext(os.Getenv("NEO4J_URI"), auth, func(c *config.Config) { c.MaxConnectionPoolSize = 1 })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	defer raw.Close(ctx)
	m := metrics.New()
	d := m.InstrumentDriver(raw, 1)
	if got := value(t, m, "vetgraph_neo4j_pool_max_connections"); got != 1 {
		t.Errorf("pool max = %v", got)
	}

	// ExecuteQuery: one session, one acquisition.
	if _, err := neo4j.ExecuteQuery(ctx, d, "RETURN 1", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()), neo4j.ExecuteQueryWithReadersRouting()); err != nil {
		t.Fatal(err)
	}
	if n := value(t, m, "vetgraph_neo4j_connection_acquisition_seconds"); n != 1 {
		t.Errorf("%v acquisitions observed, want 1", n)
	}

	// A transaction holds the one connection ...
	s1 := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database(), AccessMode: neo4j.AccessModeRead})
	tx, err := s1.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Run(ctx, "RETURN 1", nil); err != nil {
		t.Fatal(err)
	}
	if got := value(t, m, "vetgraph_neo4j_connections_in_use"); got != 1 {
		t.Errorf("in use while a transaction runs = %v, want 1", got)
	}
	// ... so a second session waits for it.
	done := make(chan error, 1)
	go func() {
		_, err := neo4j.ExecuteQuery(ctx, d, "RETURN 2", nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()), neo4j.ExecuteQueryWithReadersRouting())
		done <- err
	}()
	for value(t, m, "vetgraph_neo4j_connections_waiting") != 1 {
		time.Sleep(time.Millisecond)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s1.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{
		"vetgraph_neo4j_connections_in_use": 0, "vetgraph_neo4j_connections_waiting": 0,
		"vetgraph_neo4j_connection_acquisition_seconds": 3,
	} {
		if got := value(t, m, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	// A session closed without running anything stops waiting.
	if err := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database()}).Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got := value(t, m, "vetgraph_neo4j_connections_waiting"); got != 0 {
		t.Errorf("waiting after an unused session closed = %v", got)
	}
}

// The cost of measuring the pool: one trivial query through the driver as
// it is and through InstrumentDriver (run against the real Neo4j:
// go test -run '^$' -bench PoolMetrics ./internal/metrics/).
func BenchmarkPoolMetrics(b *testing.B) {
	raw := neo4jtest.Driver(b)
	ctx := context.Background()
	for name, d := range map[string]neo4j.DriverWithContext{"raw": raw, "measured": metrics.New().InstrumentDriver(raw, 50)} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := neo4j.ExecuteQuery(ctx, d, "RETURN 1", nil, neo4j.EagerResultTransformer,
					neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()), neo4j.ExecuteQueryWithReadersRouting()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
