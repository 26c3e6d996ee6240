package graph

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// loaders batch the store reads of one request: every field at one level of
// the query that needs the same kind of data is answered by one Cypher
// statement, so the number of statements grows with the depth of the query,
// not with the number of objects returned.
type loaders struct {
	relations *dataloadgen.Loader[store.RelationQuery, store.RelationPage]
	facts     *dataloadgen.Loader[string, []kg.Fact]
	sources   *dataloadgen.Loader[string, []string]
	document  *dataloadgen.Loader[string, kg.Document]
	entity    *dataloadgen.Loader[string, kg.Entity]
	evidence  *evidenceLoaders // facts(filter:), names (evidence.go)
}

type loadersKey struct{}

// DefaultBatchWait is how long a loader waits to collect keys before it
// runs, unless Limits.BatchWait says otherwise.
const DefaultBatchWait = 2 * time.Millisecond

func newLoaders(s Store, batchWait time.Duration) *loaders {
	if batchWait <= 0 {
		batchWait = DefaultBatchWait
	}
	wait := dataloadgen.WithWait(batchWait)
	return &loaders{
		relations: dataloadgen.NewLoader(func(ctx context.Context, qs []store.RelationQuery) ([]store.RelationPage, []error) {
			pages, err := s.Relations(ctx, qs)
			if err != nil {
				return nil, repeat(err, len(qs))
			}
			return pages, nil
		}, wait),
		facts: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]kg.Fact, []error) {
			m, err := s.FactsOf(ctx, ids)
			return byKeyOrEmpty(ids, m, err)
		}, wait),
		sources: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]string, []error) {
			m, err := s.SourcesOf(ctx, ids)
			return byKeyOrEmpty(ids, m, err)
		}, wait),
		document: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]kg.Document, []error) {
			m, err := s.DocumentsByID(ctx, ids)
			return byKey(ids, m, err, "document")
		}, wait),
		entity: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]kg.Entity, []error) {
			m, err := s.EntitiesByID(ctx, ids)
			return byKey(ids, m, err, "entity")
		}, wait),
		evidence: newEvidenceLoaders(s, wait),
	}
}

// WithLoaders installs fresh per-request loaders, collecting keys for
// batchWait (0: DefaultBatchWait), in each request's context.
func WithLoaders(s Store, batchWait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, newLoaders(s, batchWait))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// For returns the request's loaders; a context without them (a test calling a
// resolver directly) gets unbatched ones.
func loadersFor(ctx context.Context, s Store) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(s, DefaultBatchWait)
}

func byKey[V any](keys []string, m map[string]V, err error, what string) ([]V, []error) {
	if err != nil {
		return nil, repeat(err, len(keys))
	}
	vals := make([]V, len(keys))
	errs := make([]error, len(keys))
	for i, k := range keys {
		v, ok := m[k]
		if !ok {
			errs[i] = fmt.Errorf("%s %q: %w", what, k, kg.ErrNotFound)
			continue
		}
		vals[i] = v
	}
	return vals, errs
}

func byKeyOrEmpty[V any](keys []string, m map[string][]V, err error) ([][]V, []error) {
	if err != nil {
		return nil, repeat(err, len(keys))
	}
	vals := make([][]V, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	return vals, nil
}

func repeat(err error, n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}
