package store

import "context"

// A statement gate bounds the statements one request runs at once: each
// holds a Neo4j connection while it runs, so a server that gives each of its
// admitted requests a share of the pool (package admission) can never have
// the pool run dry, however many fields a request asks in parallel. The
// statements over its share wait for one of the request's own to finish
// (or for the request's context to end): never on other requests.

type gateKey struct{}

// heldKey marks a context whose statement already holds a place, so that a
// statement run within another (none does today) cannot wait for itself.
type heldKey struct{}

// WithStatementLimit returns a context in which the store runs at most n
// (≥ 1) statements or write transactions at once.
func WithStatementLimit(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, gateKey{}, make(chan struct{}, max(n, 1)))
}

// hold takes a place in ctx's statement gate, waiting while it is full,
// and returns the context to run the statement in and the function that
// gives the place back. Without a gate it takes nothing. Its error is
// ctx's, when ctx ends first.
func hold(ctx context.Context) (context.Context, func(), error) {
	gate, ok := ctx.Value(gateKey{}).(chan struct{})
	if !ok || ctx.Value(heldKey{}) != nil {
		return ctx, func() {}, nil
	}
	select {
	case gate <- struct{}{}:
	case <-ctx.Done():
		return ctx, nil, ctx.Err()
	}
	return context.WithValue(ctx, heldKey{}, true), func() { <-gate }, nil
}

// LimitStatements lowers the statement limit ctx carries to n (≥ 1) for the
// rest of the request: a server runs a costly request's statements one
// after another, so that few of them share Neo4j's processors with every
// other request. Call it before the request's statements run (places held
// then are not taken back). Without a limit in ctx it does nothing.
func LimitStatements(ctx context.Context, n int) {
	gate, ok := ctx.Value(gateKey{}).(chan struct{})
	if !ok {
		return
	}
	// The places taken here are never given back: the gate holds fewer.
	for i := max(n, 1); i < cap(gate); i++ {
		select {
		case gate <- struct{}{}:
		default:
			return
		}
	}
}
