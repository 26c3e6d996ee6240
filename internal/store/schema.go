package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// schemaStatements create the constraints and indexes the store relies on
// (and drop indexes it no longer uses). Each is idempotent (IF NOT EXISTS,
// IF EXISTS).
var schemaStatements = append([]string{
	// Entity ids are unique across kinds; the constraint also indexes them.
	`CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE`,
	`CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE`,
	`CREATE CONSTRAINT fact_id IF NOT EXISTS FOR (f:Fact) REQUIRE f.id IS UNIQUE`,
	// Curation (write.go): the append-only change log, idempotency keys
	// (one write per principal and key), redirects of merged-away ids.
	`CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE`,
	`CREATE CONSTRAINT change_idempotency_key IF NOT EXISTS FOR (c:Change) REQUIRE c.idempotencyKey IS UNIQUE`,
	`CREATE CONSTRAINT redirect_id IF NOT EXISTS FOR (r:Redirect) REQUIRE r.id IS UNIQUE`,
	`CREATE INDEX retracted_fact_id IF NOT EXISTS FOR (f:RetractedFact) ON (f.id)`,
	`CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.at)`,
	// A Name node holds one normalised name (see package textkey) of one entity.
	`CREATE CONSTRAINT name_key IF NOT EXISTS FOR (k:Name) REQUIRE k.key IS UNIQUE`,
	`CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE`, // apikeys.go
	// Relationship types admins added (vocabulary.go).
	`CREATE CONSTRAINT relation_type_type IF NOT EXISTS FOR (t:RelationType) REQUIRE t.type IS UNIQUE`,
	// Lists filter by several kinds (one kind is a label); their orders
	// come from listIndexes, which replace two single-property indexes.
	`CREATE INDEX entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind)`,
	`DROP INDEX entity_name_zh IF EXISTS`,
	`DROP INDEX entity_sort_en IF EXISTS`,
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
}, slices.Concat(listIndexes(), relationIDIndexes(), evidenceIndexes())...)

// relationIDIndexes index relationships by id, per type (one range index
// per built-in type and RETRACTED: rel_member_of_id), so that a write
// finds a relation by its id without scanning. Added types get theirs from
// RefreshVocabulary.
func relationIDIndexes() []string {
	var out []string
	for _, t := range kg.Builtin {
		out = append(out, relationIDIndex(string(t.Type)))
	}
	return append(out, relationIDIndex("RETRACTED"))
}

// relationIDIndex is the id index of relationship type t (a vocabulary
// type or RETRACTED, never request text).
func relationIDIndex(t string) string {
	return fmt.Sprintf("CREATE INDEX rel_%s_id IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)", strings.ToLower(t), t)
}

// listIndexes are the range indexes entity lists are read from in order
// (see entitySortKeys): for the label Entity and each kind label, one per
// property sort key, on the key and then the id (list_school_name_en:
// School(sortEn, id)). Entity(id) is the entity_id constraint's index.
func listIndexes() []string {
	var out []string
	for _, label := range append([]kg.Kind{"Entity"}, kg.Kinds...) {
		for _, field := range []SortField{SortID, SortNameZh, SortNameEn} {
			if label == "Entity" && field == SortID {
				continue
			}
			props := entitySortKeys[field].props
			on := make([]string, len(props))
			for i, p := range props {
				on[i] = "n." + p
			}
			out = append(out, fmt.Sprintf("CREATE INDEX list_%s_%s IF NOT EXISTS FOR (n:%s) ON (%s)",
				strings.ToLower(string(label)), strings.ToLower(string(field)), label, strings.Join(on, ", ")))
		}
	}
	return out
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
	// The types admins added, with their indexes.
	if _, err := s.RefreshVocabulary(ctx); err != nil {
		return err
	}
	// Search tokens for what was written before the store kept them (once).
	return s.backfillSearchTokens(ctx)
}
