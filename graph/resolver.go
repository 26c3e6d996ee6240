package graph

//go:generate go tool gqlgen generate

// Resolver holds the resolvers' dependencies. It is built once per process by
// NewHandler; per-request state (loaders) lives in the request context.
type Resolver struct {
	Store Store
	// Curator runs the mutations (curate.go).
	Curator Curator
	// MaxPage bounds `first` on every connection.
	MaxPage int
}
