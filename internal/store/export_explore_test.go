package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// ReadBounded exposes readBounded to the external tests, to check that an
// exploration statement cannot run past its timeout.
func (s *Store) ReadBounded(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return s.readBounded(ctx, cypher, params)
}

// Statement exposes the statement (and its parameters) a neighbourhood query
// runs, to check which variant the store picks and what it costs.
func (q NeighborhoodQuery) Statement() (string, map[string]any, error) { return q.statement() }

// Statement exposes the statement a path query runs for the given number of
// shortest lengths.
func (q PathQuery) Statement(groups int) (string, map[string]any, error) { return q.statement(groups) }
