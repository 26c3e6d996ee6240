package store

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// readyCypher is the readiness probe's query: the number of entities, which
// Neo4j answers from its count store (constant cost, no scan), yet only when
// the database is online and readable.
const readyCypher = `MATCH (n:Entity) RETURN count(n) AS entities`

// ReadyTimeout bounds the readiness query in Neo4j (transaction timeout).
const ReadyTimeout = 2 * time.Second

// Ready runs one trivial read query in a read transaction, as a request's
// reads do (routed to a reader in a cluster), and reports whether it
// answered. Unlike Ping, which only checks that a server speaks Bolt, it
// fails while the database is still starting or has no usable connection.
// It makes one attempt, without the driver's retries, so that a probe
// answers within its context's deadline; the error wraps kg.ErrUnavailable
// when Neo4j does not answer. It is not counted as a request's statement.
func (s *Store) Ready(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, readyCypher, nil, neo4j.WithTxTimeout(ReadyTimeout))
	if err != nil {
		return translate(err)
	}
	if _, err := res.Single(ctx); err != nil {
		return translate(err)
	}
	return nil
}
