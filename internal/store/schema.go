package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// schemaStatements create the constraints and indexes the store relies on.
// Each is idempotent (IF NOT EXISTS).
var schemaStatements = []string{
	// Entity ids are unique across kinds; the constraint also indexes them.
	`CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE`,
	`CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE`,
	`CREATE CONSTRAINT fact_id IF NOT EXISTS FOR (f:Fact) REQUIRE f.id IS UNIQUE`,
	// A Name node holds one normalised name (see package textkey) of one entity.
	`CREATE CONSTRAINT name_key IF NOT EXISTS FOR (k:Name) REQUIRE k.key IS UNIQUE`,
	// Lists filter by kind and sort by these keys.
	`CREATE INDEX entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind)`,
	`CREATE INDEX entity_name_zh IF NOT EXISTS FOR (n:Entity) ON (n.nameZh)`,
	`CREATE INDEX entity_sort_en IF NOT EXISTS FOR (n:Entity) ON (n.sortEn)`,
}

// EnsureSchema creates the constraints and indexes if they are missing.
func (s *Store) EnsureSchema(ctx context.Context) error {
	for _, stmt := range schemaStatements {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, stmt, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.database)); err != nil {
			return translate(err)
		}
	}
	return nil
}
