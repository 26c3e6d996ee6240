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
