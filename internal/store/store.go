// Package store provides vetgraph's access to Neo4j. All Cypher of the
// project lives in this package as named constants with $parameters; labels
// and relationship types that cannot be parameters come from the fixed
// allow-lists in package kg, never from input.
//
// Reads run in read transactions (routed to secondaries in a cluster); the
// load runs in one write transaction, so a failed load leaves the graph as it
// was. Driver errors are translated once, here: connectivity and timeouts
// become kg.ErrUnavailable, a missing record kg.ErrNotFound.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Store reads and writes the graph in one Neo4j database.
type Store struct {
	driver         neo4j.DriverWithContext
	database       string
	exploreTimeout time.Duration
}

// New returns a Store over driver, using the named database ("" means the
// server's default database), with the default exploration timeout.
func New(driver neo4j.DriverWithContext, database string) *Store {
	return &Store{driver: driver, database: database, exploreTimeout: DefaultExploreTimeout}
}

// SetExploreTimeout sets the transaction timeout of every exploration
// statement (d > 0; DefaultExploreTimeout otherwise). Call it before the
// store is used.
func (s *Store) SetExploreTimeout(d time.Duration) {
	if d <= 0 {
		d = DefaultExploreTimeout
	}
	s.exploreTimeout = d
}

// Ping checks that Neo4j answers. It returns an error wrapping
// kg.ErrUnavailable when it does not.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return translate(err)
	}
	return nil
}

// read runs one read query and returns its records.
func (s *Store) read(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	ctx, release, err := hold(ctx)
	if err != nil {
		return nil, translate(err)
	}
	defer release()
	countStatement(ctx)
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer,
		readOptions(ctx, neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithReadersRouting())...)
	if err != nil {
		return nil, translate(err)
	}
	return res.Records, nil
}

// readTx runs work in one managed read transaction (retried by the driver
// on transient errors) that reads at least the state of the bookmarks ctx
// carries, with the given timeout. Errors come back as the driver gave
// them; the caller translates.
func (s *Store) readTx(ctx context.Context, timeout time.Duration, work func(tx neo4j.ManagedTransaction) error) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName: s.database, AccessMode: neo4j.AccessModeRead,
		Bookmarks: neo4j.BookmarksFromRawValues(BookmarksFrom(ctx)...),
	})
	defer sess.Close(ctx)
	_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, work(tx)
	}, neo4j.WithTxTimeout(timeout))
	return err
}

// readOptions adds to opts, when ctx carries bookmarks a client sent back
// (WithBookmarks), a bookmark manager holding them: the read then runs on a
// server (any replica of a cluster) that has at least that state.
func readOptions(ctx context.Context, opts ...neo4j.ExecuteQueryConfigurationOption) []neo4j.ExecuteQueryConfigurationOption {
	if bs := BookmarksFrom(ctx); len(bs) > 0 {
		opts = append(opts, neo4j.ExecuteQueryWithBookmarkManager(neo4j.NewBookmarkManager(
			neo4j.BookmarkManagerConfig{InitialBookmarks: neo4j.BookmarksFromRawValues(bs...)})))
	}
	return opts
}

// maxStatementShapes bounds the statements kept for reuse; shapes beyond it
// are built for each use.
const maxStatementShapes = 4096

// statements keeps the statements built per request shape (relation
// pages, entity lists, per-type writes), each from fixed fragments. Some
// list every vocabulary type, so a cache is for one vocabulary version:
// when the vocabulary grows, a new one starts.
var statements atomic.Pointer[statementCache]

type statementCache struct {
	version uint64
	m       sync.Map // key → string
	n       atomic.Int64
}

// statement returns the statement key builds, building it on first use.
func statement(key string, build func() string) string {
	version := kg.VocabularyVersion()
	c := statements.Load()
	if c == nil || c.version != version {
		statements.CompareAndSwap(c, &statementCache{version: version})
		c = statements.Load()
	}
	if s, ok := c.m.Load(key); ok {
		return s.(string)
	}
	s := build()
	if c.version == version && c.n.Load() < maxStatementShapes {
		if _, loaded := c.m.LoadOrStore(key, s); !loaded {
			c.n.Add(1)
		}
	}
	return s
}

type counterKey struct{}

// WithStatementCounter returns a context in which every Cypher statement the
// store sends is counted in the returned counter (for tests and request
// logging: the statements of one GraphQL request must not grow with the
// number of objects it returns).
func WithStatementCounter(ctx context.Context) (context.Context, *atomic.Int64) {
	c := new(atomic.Int64)
	return context.WithValue(ctx, counterKey{}, c), c
}

func countStatement(ctx context.Context) {
	if c, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
		c.Add(1)
	}
}

// translate maps a driver error to the domain's categories.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: neo4j: %v", kg.ErrUnavailable, err)
	case neo4j.IsConnectivityError(err), neo4j.IsRetryable(err), neo4j.IsTransactionExecutionLimit(err):
		return fmt.Errorf("%w: neo4j: %v", kg.ErrUnavailable, err)
	}
	// A server that is starting or stopping can answer the Bolt handshake
	// with no protocol at all; the driver reports it as a plain error.
	if strings.Contains(err.Error(), "none of the server offered Bolt versions are supported (offered: []") {
		return fmt.Errorf("%w: neo4j: the server is starting or stopping", kg.ErrUnavailable)
	}
	var ce *neo4j.ConnectivityError
	var tl *neo4j.TransactionExecutionLimit
	if errors.As(err, &ce) || errors.As(err, &tl) {
		return fmt.Errorf("%w: neo4j: %v", kg.ErrUnavailable, err)
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && (ne.Code == "Neo.ClientError.Transaction.InvalidBookmark" ||
		ne.Code == "Neo.ClientError.Transaction.InvalidBookmarkMixture") {
		return fmt.Errorf("%w: the bookmarks sent (X-Neo4j-Bookmarks) are not ones this database gave; send back the header of a mutation's answer unchanged", kg.ErrInvalidInput)
	}
	if errors.As(err, &ne) && (ne.Code == "Neo.ClientError.Transaction.TransactionTimedOut" ||
		ne.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration") {
		return fmt.Errorf("%w: neo4j: query timed out", kg.ErrUnavailable)
	}
	return fmt.Errorf("neo4j: %w", err)
}
