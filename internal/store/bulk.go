package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
)

// staleRemovals are the Load statements that delete what a data set no longer
// holds. BulkLoad appends, so it skips them.
var staleRemovals = map[string]bool{
	deleteStaleEntities: true, deleteStaleNames: true, deleteStaleRelations: true,
	deleteStaleFacts: true, deleteStaleMentions: true,
}

// BulkLoad appends a data set through the same statements and row shapes as
// Load, for graphs too large for one transaction (the benchmark's generated
// graphs of up to a million entities): every statement's $rows are sent in
// batches of at most batch rows, each batch its own write transaction. It
// removes nothing, so a data set may be loaded in parts (entities first, then
// relations, whose ends must already exist); use it on a fresh database or one
// holding only earlier parts. A failed batch leaves the batches before it
// written. Call EnsureSchema first.
func (s *Store) BulkLoad(ctx context.Context, g *dataset.Graph, batch int) (LoadStats, error) {
	if batch < 1 {
		batch = 5000
	}
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	var st LoadStats
	write := func(cypher string, params map[string]any) error {
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, cypher, params)
			if err != nil {
				return nil, err
			}
			sum, err := res.Consume(ctx)
			if err != nil {
				return nil, err
			}
			c := sum.Counters()
			st.NodesCreated += c.NodesCreated()
			st.RelationshipsCreated += c.RelationshipsCreated()
			st.PropertiesSet += c.PropertiesSet()
			st.LabelsAdded += c.LabelsAdded()
			st.LabelsRemoved += c.LabelsRemoved()
			return nil, nil
		})
		return err
	}
	run := func(cypher string, params map[string]any) error {
		if staleRemovals[cypher] {
			return nil
		}
		rows, ok := params["rows"].([]any)
		if !ok {
			return write(cypher, params)
		}
		size := batch
		for lo := 0; lo < len(rows); {
			hi := min(lo+size, len(rows))
			p := make(map[string]any, len(params))
			for k, v := range params {
				p[k] = v
			}
			p["rows"] = rows[lo:hi]
			err := write(cypher, p)
			if err != nil && timedOut(err) && size > 100 {
				size /= 2 // the server's transaction timeout: smaller batches from here on
				continue
			}
			if err != nil {
				return fmt.Errorf("rows %d–%d: %w", lo, hi, err)
			}
			lo = hi
		}
		return nil
	}
	if err := loadAll(g, run); err != nil {
		return st, translate(err)
	}
	return st, nil
}

// timedOut reports whether err is the server's transaction timeout.
func timedOut(err error) bool {
	var ne *neo4j.Neo4jError
	return errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.TransactionTimedOut")
}

// EnsureConstraints creates only the uniqueness constraints of the schema
// (the indexes the load's MERGE and MATCH look rows up by). A bulk load of a
// large graph runs faster with the other indexes created afterwards, by
// EnsureSchema, in one population each instead of an update per batch.
func (s *Store) EnsureConstraints(ctx context.Context) error {
	for _, stmt := range schemaStatements {
		if !strings.HasPrefix(stmt, "CREATE CONSTRAINT") {
			continue
		}
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, stmt, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.database)); err != nil {
			return translate(err)
		}
	}
	return nil
}
