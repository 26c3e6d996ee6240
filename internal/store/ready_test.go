package store_test

import (
	"errors"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Ready runs a query in the database, where Ping only reaches the server:
// a database that is not there (as one that is still starting) is not
// ready, though Ping succeeds.
func TestReadyRunsAQuery(t *testing.T) {
	s := neo4jtest.Store(t)
	if err := s.Ready(t.Context()); err != nil {
		t.Errorf("Ready = %v, want nil", err)
	}
	missing := store.New(neo4jtest.Driver(t), "nosuchdatabase")
	if err := missing.Ping(t.Context()); err != nil {
		t.Fatalf("Ping = %v; this test wants a server that answers", err)
	}
	if err := missing.Ready(t.Context()); err == nil {
		t.Error("Ready on a database that does not exist = nil, want an error")
	}

	drv, err := neo4j.NewDriverWithContext("bolt://127.0.0.1:1", neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(t.Context())
	if err := store.New(drv, "neo4j").Ready(t.Context()); !errors.Is(err, kg.ErrUnavailable) {
		t.Errorf("Ready with Neo4j down = %v, want kg.ErrUnavailable", err)
	}
}
