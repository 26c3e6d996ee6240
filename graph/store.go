package graph

import (
	"context"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Store is what the resolvers need from the graph database. *store.Store
// implements it against Neo4j.
type Store interface {
	EntityByID(ctx context.Context, id string, r store.EntityRead) (kg.Entity, *store.RelationPage, error)
	EntityByName(ctx context.Context, name string) (kg.Entity, error)
	Entities(ctx context.Context, q store.EntityQuery) (store.EntityPage, error)
	EntityCounts(ctx context.Context, by store.EntityGrouping, f store.EntityFilter) ([]store.Group, error)
	RelationCounts(ctx context.Context, by store.RelationGrouping, types []kg.RelType) ([]store.Group, error)
	Stats(ctx context.Context) (store.Stats, error)
	Relations(ctx context.Context, qs []store.RelationQuery) ([]store.RelationPage, error)
	FactsOf(ctx context.Context, ids []string) (map[string][]kg.Fact, error)
	SourcesOf(ctx context.Context, ids []string) (map[string][]string, error)
	DocumentsByID(ctx context.Context, ids []string) (map[string]kg.Document, error)
	EntitiesByID(ctx context.Context, ids []string) (map[string]kg.Entity, error)
	RelationList(ctx context.Context, q store.RelationListQuery) (store.RelationListPage, error)
	Changes(ctx context.Context, q store.ChangeQuery) (store.ChangePage, error)
	Retracted(ctx context.Context, id string) ([]store.Retraction, error)
	// ResolveRefs resolves entity references by id or name (refs.go).
	ResolveRefs(ctx context.Context, refs []store.EntityRef) ([][]kg.Entity, error)
	Explorer         // neighbourhoods and paths (explore.go)
	Searcher         // name search (search.go)
	EvidenceSearcher // evidence search, facts, names (evidence.go)
}
