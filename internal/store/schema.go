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
	// Search (search.go): substrings of name keys and of joined pinyin,
	// prefixes of pinyin initials.
	`CREATE TEXT INDEX name_key_text IF NOT EXISTS FOR (k:Name) ON (k.key)`,
	`CREATE TEXT INDEX name_pinyin_text IF NOT EXISTS FOR (k:Name) ON (k.pinyinJoined)`,
	`CREATE TEXT INDEX name_initials_text IF NOT EXISTS FOR (k:Name) ON (k.initials)`,
	// Search by words: Name.tokens holds words already segmented and
	// normalised by package searchkey, separated by spaces. The whitespace
	// analyzer splits at spaces only and changes nothing else, so a token
	// is matched whole (the standard and cjk analyzers would split Chinese
	// words into characters or pairs again).
	"CREATE FULLTEXT INDEX name_tokens IF NOT EXISTS FOR (k:Name) ON EACH [k.tokens] " +
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
}

// awaitIndexes waits until every index is online: a full-text index that is
// still being populated refuses queries.
const awaitIndexes = `CALL db.awaitIndexes($seconds)`

// EnsureSchema creates the constraints and indexes if they are missing.
func (s *Store) EnsureSchema(ctx context.Context) error {
	for _, stmt := range schemaStatements {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, stmt, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.database)); err != nil {
			return translate(err)
		}
	}
	if _, err := neo4j.ExecuteQuery(ctx, s.driver, awaitIndexes, map[string]any{"seconds": 300}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database)); err != nil {
		return translate(err)
	}
	return nil
}
