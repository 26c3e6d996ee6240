package graph

import (
	"context"

	"github.com/vetgraph/vetgraph/graph/model"
)

// node answers Relay's node(id:): every entity is a Node whose global id is
// its id (see the Node interface in schema.graphqls), so this is the root
// entity lookup, with the same one-statement read of what the selection
// asks. An id no entity has is null.
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	e, err := r.rootEntity(ctx, id)
	if err != nil || e == nil {
		return nil, err
	}
	n, _ := e.(model.Node)
	return n, nil
}
