package floor

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// BenchmarkAddRelationDocuments runs the floor's addRelation (vetgraph's
// write statements) from 16 goroutines, every write citing one document or
// each goroutine its own. Every write of vetgraph's addRelation MERGEs
// MENTIONED_IN relationships to the cited document, so writes citing one
// document wait for each other's lock on it; the difference between the
// two is that wait. Needs a bench graph (schools and enterprises), e.g. the
// one vetbench keeps:
//
//	scripts/neo4j start   # with VETGRAPH_NEO4J_DIR=.neo4j-bench/n10000 VETGRAPH_NEO4J_PORT=7705
//	NEO4J_URI=bolt://127.0.0.1:7705 go test ./bench/floor -run '^$' -bench AddRelationDocuments -benchtime 8s
//
// It removes what it wrote. Skipped without NEO4J_URI.
func BenchmarkAddRelationDocuments(b *testing.B) {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		b.Skip("NEO4J_URI not set")
	}
	ctx := context.Background()
	d, err := Driver(uri, os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"), 50)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close(ctx)
	q := func(cypher string, p map[string]any) []*neo4j.Record {
		r, err := neo4j.ExecuteQuery(ctx, d, cypher, p, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
		if err != nil {
			b.Fatal(err)
		}
		return r.Records
	}
	const actor, quote = "floorbench", "the school works with the enterprise"
	cleanup := func() {
		q(`MATCH ()-[r:PARTNERS_WITH]->() WHERE r.createdBy = $actor DELETE r`, map[string]any{"actor": actor})
		q(`MATCH (c:Change) WHERE c.actor = $actor DELETE c`, map[string]any{"actor": actor})
		q(`MATCH (d:Document) WHERE d.id STARTS WITH 'floorbench_' DETACH DELETE d`, nil)
	}
	cleanup()
	defer cleanup()
	for i := 0; i < 16; i++ {
		q(`MERGE (d:Document {id: $id}) SET d.text = $text`, map[string]any{"id": fmt.Sprintf("floorbench_%d", i), "text": "made up: " + quote})
	}
	list := func(label string) []string {
		var out []string
		for _, r := range q(`MATCH (n:`+label+`) WHERE n.origin = 'data' RETURN n.id ORDER BY n.id LIMIT 50000`, nil) {
			out = append(out, r.Values[0].(string))
		}
		if len(out) == 0 {
			b.Skipf("no %s in the graph at NEO4J_URI", label)
		}
		return out
	}
	schools, enterprises := list("School"), list("Enterprise")
	var n atomic.Int64
	for _, docs := range []int{1, 16} {
		b.Run(fmt.Sprintf("documents=%d", docs), func(b *testing.B) {
			var goroutine atomic.Int64
			b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0))) // about 16 goroutines
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				doc := fmt.Sprintf("floorbench_%d", int(goroutine.Add(1))%docs)
				for pb.Next() {
					i := int(n.Add(1))
					w := RelationWrite{
						Type: "PARTNERS_WITH", From: schools[i%len(schools)], To: enterprises[(i*7)%len(enterprises)],
						At:  time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%140000).Format("2006-01-02"),
						Doc: doc, Quote: quote, Key: fmt.Sprintf("floorbench-%d", i), Actor: actor,
					}
					if _, err := AddRelation(ctx, d, "neo4j", w); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
		})
	}
}
