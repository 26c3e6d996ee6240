package graph

import (
	"context"
	"errors"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

func (r *Resolver) entityByName(ctx context.Context, name string) (model.Entity, error) {
	e, err := r.Store.EntityByName(ctx, name)
	if err != nil {
		return orNull[model.Entity](nil, err)
	}
	loadersFor(ctx, r.Store).entity.Prime(e.ID, e)
	return model.EntityToGQL(e), nil
}

func (r *Resolver) entities(ctx context.Context, kind *model.Kind, sort *model.EntitySort, first *int, after *string) (*model.EntityConnection, error) {
	n, err := r.pageSize(first, 20)
	if err != nil {
		return nil, err
	}
	q := store.EntityQuery{Sort: store.SortID, First: n, WithTotal: selected(ctx, "totalCount")}
	if kind != nil {
		k := model.KindFromGQL(*kind)
		q.Kind = &k
	}
	if sort != nil {
		q.Sort = store.EntitySort(*sort)
	}
	if after != nil {
		q.After = *after
	}
	page, err := r.Store.Entities(ctx, q)
	if err != nil {
		return nil, err
	}
	l := loadersFor(ctx, r.Store)
	conn := &model.EntityConnection{Edges: []*model.EntityEdge{}, TotalCount: page.Total,
		PageInfo: &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: q.After != ""}}
	for i, e := range page.Entities {
		l.entity.Prime(e.ID, e)
		conn.Edges = append(conn.Edges, &model.EntityEdge{Cursor: page.Cursors[i], Node: model.EntityToGQL(e)})
	}
	if len(page.Cursors) > 0 {
		conn.PageInfo.StartCursor = &page.Cursors[0]
		conn.PageInfo.EndCursor = &page.Cursors[len(page.Cursors)-1]
	}
	return conn, nil
}

func relationTypes() []*model.RelationTypeInfo {
	out := make([]*model.RelationTypeInfo, len(kg.Vocabulary))
	for i, v := range kg.Vocabulary {
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
