package main

import (
	"context"
	"fmt"
	mrand "math/rand"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Import rows/s (issue 10): store.Import, the entry point of `vetgraph
// import`, with all its validation, against a raw UNWIND floor of the same
// batch size writing the same nodes.

// importFloor writes a batch of entity rows as Import leaves them (the
// entity node with its kind label, its search-name nodes and NAME_OF),
// with nothing read, validated or compared first.
const importFloor = `
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n += row.props, n:School
WITH n, row
UNWIND row.names AS nm
MERGE (k:Name {key: nm.key})
SET k += nm.props
MERGE (k)-[:NAME_OF]->(n)`

// importCleanup removes the imported entities and their names.
const importCleanup = `
MATCH (n:Entity) WHERE n.id STARTS WITH 'vetbench-import-'
CALL (n) {
  OPTIONAL MATCH (k:Name)-[:NAME_OF]->(n)
  DETACH DELETE k, n
} IN TRANSACTIONS OF 1000 ROWS`

// ImportRun is one timed run of Import or of its floor.
type ImportRun struct {
	Rep     int     `json:"rep"`
	Target  string  `json:"target"` // import, floor
	Seconds float64 `json:"seconds"`
}

// importGraph is n schools with a Chinese and an English name and an alias
// each, none held by the generated graph.
func importGraph(n int) *store.ExportGraph {
	g := &store.ExportGraph{}
	for i := range n {
		num := fmt.Sprintf("%06d", i)
		g.Entities = append(g.Entities, store.ExportEntity{Entity: kg.Entity{
			ID: "vetbench-import-" + num, Kind: kg.School,
			NameZh: "导入基准职业技术学院" + num, NameEn: "Vetbench Import Vocational College " + num, NameEnOfficial: true,
			Aliases: []string{"vetbench import " + num}, City: "Chongqing", SchoolType: "higher vocational college",
		}})
	}
	g.Sort()
	return g
}

// importFloorRows are the floor's rows for g: the node properties and the
// search-name nodes the store writes (store.EntityNodeProperties,
// store.NameProperties), computed before the clock starts.
func importFloorRows(g *store.ExportGraph) []any {
	rows := make([]any, len(g.Entities))
	for i, e := range g.Entities {
		p := store.EntityNodeProperties(e.Entity)
		p["origin"], p["version"] = kg.OriginAPI, int64(0)
		var names []any
		for _, nm := range [][2]string{{e.NameZh, "nameZh"}, {e.NameEn, "nameEn"}, {e.Aliases[0], "alias"}} {
			np := store.NameProperties(e.ID, nm[0], nm[1])
			if np == nil {
				continue
			}
			delete(np, "entity")
			names = append(names, map[string]any{"key": np["key"], "props": np})
		}
		rows[i] = map[string]any{"id": e.ID, "props": p, "names": names}
	}
	return rows
}

// importRun times store.Import of o.importRows entities against the floor,
// repetitions interleaved in shuffled order, each run into a database
// without the imported entities.
func (w *writeEnv) importRun(ctx context.Context) ImportRow {
	n, batch := w.o.importRows, store.DefaultImportBatch
	row := ImportRow{Batch: batch, Rows: n}
	g := importGraph(n)
	rows := importFloorRows(g)
	s := store.New(w.driver, "neo4j")
	clean := func() error {
		if _, err := autoCommit(ctx, w.driver, importCleanup, nil); err != nil {
			return err
		}
		_, err := autoCommit(ctx, w.driver, `MATCH (c:Change {op: 'import', actor: 'vetbench'}) DELETE c`, nil)
		return err
	}
	shape := func() string {
		ents, _ := count(ctx, w.driver, `MATCH (n:School) WHERE n.id STARTS WITH 'vetbench-import-' RETURN count(n)`, nil)
		names, _ := count(ctx, w.driver, `MATCH (n:Entity) WHERE n.id STARTS WITH 'vetbench-import-' RETURN COUNT { (:Name)-[:NAME_OF]->(n) } AS c ORDER BY c LIMIT 1`, nil)
		return fmt.Sprintf("%d schools, the fewest names on one %d", ents, names)
	}
	want := fmt.Sprintf("%d schools, the fewest names on one 3", n)
	runs := map[string]func() error{
		"import": func() error {
			st := kg.Stamp{
				Actor: kg.Actor{Name: writeActor, Role: kg.RoleAdmin, Via: "vetbench"}, At: time.Now(), Op: "import",
				Reason: "write benchmark import",
			}
			res, err := s.Import(ctx, st, g, store.ImportOptions{Batch: batch})
			if err == nil && len(res.Diff.Entities.Created) != n {
				err = fmt.Errorf("import created %d entities, want %d", len(res.Diff.Entities.Created), n)
			}
			return err
		},
		"floor": func() error {
			sess := w.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j", AccessMode: neo4j.AccessModeWrite})
			defer sess.Close(ctx)
			for lo := 0; lo < n; lo += batch {
				part := rows[lo:min(lo+batch, n)]
				if _, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
					r, err := tx.Run(ctx, importFloor, map[string]any{"rows": part})
					if err != nil {
						return nil, err
					}
					return r.Consume(ctx)
				}); err != nil {
					return err
				}
			}
			return nil
		},
	}
	secs := map[string][]float64{}
	rng := mrand.New(mrand.NewSource(w.o.seed + int64(w.scale) + 2))
	// One unrecorded run of each first: the first import of a process and
	// the first batches of a database run several times slower (plans,
	// caches, the search-form dictionaries).
	for rep := -1; rep < w.o.reps; rep++ {
		order := []string{"import", "floor"}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, name := range order {
			if err := clean(); err != nil {
				row.Note = "clean: " + err.Error()
				return row
			}
			t0 := time.Now()
			if err := runs[name](); err != nil {
				row.Note = name + ": " + err.Error()
				_ = clean()
				return row
			}
			d := time.Since(t0).Seconds()
			if rep >= 0 {
				secs[name] = append(secs[name], d)
				row.Runs = append(row.Runs, ImportRun{Rep: rep, Target: name, Seconds: d})
			}
			if got := shape(); got != want {
				row.Note = fmt.Sprintf("%s wrote %s, want %s", name, got, want)
				_ = clean()
				return row
			}
			logf("writes: import rep %d %-6s %d rows in %.2f s: %.0f rows/s", rep, name, n, d, float64(n)/d)
		}
	}
	_ = clean()
	row.Measured = true
	row.RowsPerS = float64(n) / median(secs["import"])
	row.FloorRPS = float64(n) / median(secs["floor"])
	row.Note = "store.Import with all validation; after one unrecorded run of each, " + strconv.Itoa(w.o.reps) + " repetitions in shuffled order; each run wrote " + want
	return row
}
