package graph

import (
	"context"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Searcher finds entities by their names (store.Store.Search).
type Searcher interface {
	Search(ctx context.Context, q store.SearchQuery) ([]store.SearchHit, error)
}

// search checks `first` and hands the text to the store, which bounds its
// length and answers blank text with no hits.
func (r *Resolver) search(ctx context.Context, text string, kinds []model.Kind, first *int) ([]*model.SearchHit, error) {
	n, err := r.pageSize(first, 10)
	if err != nil {
		return nil, err
	}
	q := store.SearchQuery{Text: text, First: n}
	for _, k := range kinds {
		q.Kinds = append(q.Kinds, model.KindFromGQL(k))
	}
	hits, err := r.Store.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*model.SearchHit, len(hits))
	for i, h := range hits {
		e, err := model.EntityToGQL(h.Entity)
		if err != nil {
			return nil, atPath(err, i, "entity")
		}
		out[i] = searchHitToGQL(h, e)
	}
	return out, nil
}

// searchHitToGQL converts a hit; store.MatchField and store.MatchKind hold
// the names of the GraphQL enum values.
func searchHitToGQL(h store.SearchHit, e model.Entity) *model.SearchHit {
	return &model.SearchHit{
		Entity: e, Matched: h.Matched,
		Field: model.MatchField(h.Field), Match: model.MatchKind(h.Match), Score: h.Score,
	}
}
