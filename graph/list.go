package graph

import (
	"context"

	"github.com/vetgraph/vetgraph/graph/model"
)

// TODO(issue 4): filtered, ordered, two-way paging lists and analysis.

func (r *Resolver) entities(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.EntityConnection, error) {
	return nil, errNotImplemented
}
func (r *Resolver) schools(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.SchoolConnection, error) {
	return nil, errNotImplemented
}
func (r *Resolver) countries(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.CountryConnection, error) {
	return nil, errNotImplemented
}
func (r *Resolver) enterprises(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.EnterpriseConnection, error) {
	return nil, errNotImplemented
}
func (r *Resolver) alliances(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.AllianceConnection, error) {
	return nil, errNotImplemented
}
func (r *Resolver) programs(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.ProgramConnection, error) {
	return nil, errNotImplemented
}
func (r *Resolver) entityCounts(ctx context.Context, groupBy model.EntityGrouping, filter *model.EntityFilter) ([]*model.Group, error) {
	return nil, errNotImplemented
}
func (r *Resolver) relationCounts(ctx context.Context, groupBy model.RelationGrouping, types []model.RelationType) ([]*model.Group, error) {
	return nil, errNotImplemented
}
func (r *Resolver) stats(ctx context.Context) (*model.GraphStats, error) {
	return nil, errNotImplemented
}
