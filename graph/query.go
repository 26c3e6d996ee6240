package graph

import (
	"context"
	"errors"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
)

func (r *Resolver) entityByName(ctx context.Context, name string) (model.Entity, error) {
	e, err := r.Store.EntityByName(ctx, name)
	if err != nil {
		return orNull[model.Entity](nil, err)
	}
	return model.EntityToGQL(e)
}

func relationTypes() []*model.RelationTypeInfo {
	out := make([]*model.RelationTypeInfo, len(kg.Vocabulary()))
	for i, v := range kg.Vocabulary() {
		out[i] = &model.RelationTypeInfo{I: v}
	}
	return out
}

// orNull turns a not-found into a null result: a root lookup for something
// that does not exist answers null, not an error.
func orNull[T any](v T, err error) (T, error) {
	if errors.Is(err, kg.ErrNotFound) {
		var zero T
		return zero, nil
	}
	return v, err
}
