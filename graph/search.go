package graph

import (
	"context"

	"github.com/vetgraph/vetgraph/graph/model"
)

// TODO(issue 4): search.

func (r *Resolver) search(ctx context.Context, text string, kinds []model.Kind, first *int) ([]*model.SearchHit, error) {
	return nil, errNotImplemented
}
