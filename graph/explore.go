package graph

import (
	"context"

	"github.com/vetgraph/vetgraph/graph/model"
)

// TODO(issue 5): exploration.

func (r *Resolver) neighborhood(ctx context.Context, id string, depth *int, types []model.RelationType, kinds []model.Kind, limit *int, asOf *string) (*model.Subgraph, error) {
	return nil, errNotImplemented
}
func (r *Resolver) shortestPath(ctx context.Context, from, to string, types []model.RelationType, maxHops *int, directed *bool, asOf *string) (*model.Path, error) {
	return nil, errNotImplemented
}
func (r *Resolver) paths(ctx context.Context, from, to string, types []model.RelationType, maxHops, first *int, directed *bool, asOf *string) ([]*model.Path, error) {
	return nil, errNotImplemented
}
func (r *Resolver) commonNeighbors(ctx context.Context, a, b string, types []model.RelationType) ([]*model.GraphNode, error) {
	return nil, errNotImplemented
}
func (r *Resolver) explain(ctx context.Context, from, to string, lang *model.Lang, maxHops *int, types []model.RelationType) (*model.Explanation, error) {
	return nil, errNotImplemented
}
