// Package neo4jtest provides integration tests with the real Neo4j named by
// NEO4J_URI (`make test` starts a project-local one on port 7688 and sets it).
// There is no mock: a test that needs Neo4j and cannot reach it fails.
package neo4jtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/repodir"
	"github.com/vetgraph/vetgraph/internal/store"
)

var (
	logged  sync.Map // top-level test names already logged
	once    sync.Once
	shared  *store.Store
	drv     neo4j.DriverWithContext
	openErr error
)

// Driver returns a driver for NEO4J_URI (NEO4J_USER/NEO4J_PASSWORD when set),
// failing the test when it is not set or Neo4j does not answer.
func Driver(t testing.TB) neo4j.DriverWithContext {
	t.Helper()
	Store(t)
	return drv
}

// Store returns a Store over the test Neo4j with the repository's data files
// loaded (once per test binary). It fails t when NEO4J_URI is not set, Neo4j
// cannot be reached, or the data does not load.
//
// With -short (the fast loop without a database) an integration test is
// skipped instead; `make test` never passes -short, so there every one runs
// and fails when Neo4j cannot be reached.
func Store(t testing.TB) *store.Store {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test against Neo4j: skipped by -short")
	}
	once.Do(func() {
		uri := os.Getenv("NEO4J_URI")
		if uri == "" {
			openErr = errNoURI
			return
		}
		auth := neo4j.NoAuth()
		if u := os.Getenv("NEO4J_USER"); u != "" {
			auth = neo4j.BasicAuth(u, os.Getenv("NEO4J_PASSWORD"), "")
		}
		drv, openErr = neo4j.NewDriverWithContext(uri, auth)
		if openErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		shared = store.New(drv, Database())
		if openErr = shared.Ping(ctx); openErr != nil {
			return
		}
		var g *dataset.Graph
		if g, openErr = dataset.Read(DataDir()); openErr != nil {
			return
		}
		if openErr = shared.EnsureSchema(ctx); openErr != nil {
			return
		}
		_, openErr = shared.Load(ctx, g)
	})
	if openErr != nil {
		t.Fatalf("neo4jtest: %v", openErr)
	}
	// Logged once per top-level test, so that the test script can count the
	// integration tests that ran.
	root, _, _ := strings.Cut(t.Name(), "/")
	if _, seen := logged.LoadOrStore(root, true); !seen {
		t.Logf("neo4jtest: integration test against Neo4j at %s", os.Getenv("NEO4J_URI"))
	}
	return shared
}

// Database is NEO4J_DATABASE or "neo4j".
func Database() string {
	if d := os.Getenv("NEO4J_DATABASE"); d != "" {
		return d
	}
	return "neo4j"
}

// DataDir is the repository's data directory.
func DataDir() string { return filepath.Join(RepoRoot(), "data") }

// RepoRoot is the directory holding go.mod, found upward from the working
// directory ("." outside a repository).
func RepoRoot() string {
	dir, err := repodir.Root()
	if err != nil {
		return "."
	}
	return dir
}

type noURI struct{}

func (noURI) Error() string {
	return "NEO4J_URI is not set: run the tests with `make test`, which starts Neo4j, or point NEO4J_URI at one"
}

var errNoURI error = noURI{}

// Snapshot summarises the whole database: node and relationship counts and
// a checksum over every relationship's id and quote and every node's id, so
// that two snapshots differ when anything was added, removed or re-quoted.
type Snapshot struct{ Nodes, Relationships, Checksum int64 }

const snapshotCypher = `
CALL () { MATCH (n) RETURN count(n) AS nodes, sum(size(coalesce(n.id, '')) + size(coalesce(n.key, ''))) AS nodeSum }
CALL () { MATCH ()-[r]->() RETURN count(r) AS rels, sum(size(coalesce(r.id, '')) * 7 + size(coalesce(r.quote, ''))) AS relSum }
RETURN nodes, rels, nodeSum * 1000003 + relSum AS checksum`

// TakeSnapshot reads a Snapshot of the test database.
func TakeSnapshot(t testing.TB) Snapshot {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), Driver(t), snapshotCypher, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(Database()))
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	v := res.Records[0].Values
	return Snapshot{Nodes: v[0].(int64), Relationships: v[1].(int64), Checksum: v[2].(int64)}
}

// resetCuration removes everything curators wrote (curated nodes and
// relationships, evidence and ranks added to the files' statements,
// retractions, redirects, the change log); the data files are loaded again
// afterwards to restore what curation changed of theirs.
var resetCuration = []string{
	`MATCH (n) WHERE n:Change OR n:Redirect OR n:RetractedFact OR n:RelationType OR (n.origin = 'api' AND (n:Entity OR n:Document OR n:Fact OR n:Name))
	 DETACH DELETE n`,
	`MATCH ()-[r]->() WHERE r.origin = 'api' OR type(r) = 'RETRACTED' DELETE r`,
	`MATCH ()-[r]->() WHERE r.moreSourceIds IS NOT NULL OR r.rank IS NOT NULL OR r.sameAs IS NOT NULL
	 REMOVE r.moreSourceIds, r.moreQuotes, r.moreTokens, r.rank, r.sameAs, r.updatedAt`,
	`MATCH (f:Fact) WHERE f.moreSourceIds IS NOT NULL OR f.rank IS NOT NULL OR f.sameAs IS NOT NULL
	 REMOVE f.moreSourceIds, f.moreQuotes, f.moreTokens, f.rank, f.sameAs, f.updatedAt`,
}

// ResetCuration returns the test database to the data files alone: it
// removes what curators wrote and loads the files again. Tests that write
// through the curation path call it in t.Cleanup (and may call it first), so
// that other tests see the files' graph.
func ResetCuration(t testing.TB) {
	t.Helper()
	s := Store(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, stmt := range resetCuration {
		if _, err := neo4j.ExecuteQuery(ctx, drv, stmt, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(Database())); err != nil {
			t.Fatalf("neo4jtest: reset curation: %v", err)
		}
	}
	if _, err := s.RefreshVocabulary(ctx); err != nil { // the built-in types alone again
		t.Fatalf("neo4jtest: reset curation: %v", err)
	}
	g, err := dataset.Read(DataDir())
	if err != nil {
		t.Fatalf("neo4jtest: %v", err)
	}
	if _, err := s.Load(ctx, g); err != nil {
		t.Fatalf("neo4jtest: reload after curation: %v", err)
	}
}
