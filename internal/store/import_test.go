package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
	"github.com/vetgraph/vetgraph/internal/transfer"
)

// transferDocText is a document written for these tests (not a real
// article).
const transferDocText = `导出测试通讯：重庆工程职业技术学院与导出测试科技有限公司签署合作协议。
坦桑尼亚鲁班工坊位于阿尔迪大学。坦桑尼亚鲁班工坊已培养本土技术人才900余名。
导出测试科技有限公司（简称导出测试公司）由导出测试科技并入。重庆工程导出为测试别名。`

const transferDocID = "transfer_doc_1"

func integration(t *testing.T) *store.Store {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs Neo4j (NEO4J_URI); skipped with -short")
	}
	return neo4jtest.Store(t)
}

func xstamp(op string) kg.Stamp {
	return kg.Stamp{
		Actor: kg.Actor{Name: "transfer tester", Role: kg.RoleAdmin, Via: "key:transfer-test"}, At: time.Now(),
		RequestID: "req-" + op, Reason: "transfer test " + op, Op: op, InputHash: op,
	}
}

func xptr[T any](v T) *T { return &v }

// run runs one statement against the test database.
func run(t *testing.T, cypher string) []*neo4j.Record {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), cypher, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	return res.Records
}

// wipe deletes every node (the schema stays).
func wipe(t *testing.T) { run(t, `MATCH (n) DETACH DELETE n`) }

// restoreSeed returns the database to the data files alone, for the
// other tests.
func restoreSeed(t *testing.T) {
	wipe(t)
	neo4jtest.ResetCuration(t)
}

// curate adds a little of everything curation writes: a document, a new
// entity with an alias, an alias on a file entity (which makes it curated),
// a relation, evidence on a file relation, a disagreeing number with a
// rank, a retracted file relation and fact, and a merge (a redirect).
func curate(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	steps := []func() error{
		func() error {
			_, _, err := s.AddDocument(ctx, xstamp("addDocument"), kg.Document{
				ID: transferDocID, Title: "导出测试通讯: \"引号\"",
				Publisher: "测试", Language: "zh", Date: "2025-01", URL: "https://example.org/transfer?a=1&b=2", Text: transferDocText,
			})
			return err
		},
		func() error {
			_, _, err := s.UpsertEntity(ctx, xstamp("upsertEntity"), store.EntityPatch{
				ID: "transfer-tech", Kind: xptr(kg.Enterprise),
				NameZh: xptr("导出测试科技有限公司"), NameEn: xptr("Transfer Test Tech Co., Ltd."), NameEnOfficial: xptr(false),
				Aliases: xptr([]string{"导出测试公司"}), DescriptionEn: xptr("A company: made up\nfor the tests"),
			}, nil)
			return err
		},
		func() error {
			_, _, err := s.UpsertEntity(ctx, xstamp("upsertEntity"), store.EntityPatch{
				ID: "transfer-tech-old", Kind: xptr(kg.Enterprise),
				NameZh: xptr("导出测试科技"),
			}, nil)
			return err
		},
		func() error {
			_, _, err := s.Merge(ctx, xstamp("merge"), "transfer-tech", "transfer-tech-old")
			return err
		},
		func() error {
			_, _, err := s.UpsertEntity(ctx, xstamp("upsertEntity"), store.EntityPatch{
				ID:      "cqvie",
				Aliases: xptr([]string{"重庆工程职院", "渝工程", "CQVIE", "重庆工程导出"}),
			}, nil)
			return err
		},
		func() error {
			_, _, err := s.AddRelation(ctx, xstamp("addRelation"), kg.Relation{
				Type: kg.SignedAgreementWith, From: "cqvie", To: "transfer-tech",
				Detail:   kg.Names{Zh: "合作协议", En: "a cooperation agreement"},
				Evidence: kg.Evidence{DocumentID: transferDocID, Quote: "重庆工程职业技术学院与导出测试科技有限公司签署合作协议"},
			}, "")
			return err
		},
		func() error {
			_, _, err := s.AddRelation(ctx, xstamp("addRelation"), kg.Relation{
				Type: kg.LocatedIn, From: "tanzania-luban-workshop", To: "ardhi-university",
				Evidence: kg.Evidence{DocumentID: transferDocID, Quote: "坦桑尼亚鲁班工坊位于阿尔迪大学"},
			}, "")
			return err
		},
		func() error {
			res, _, err := s.AddFact(ctx, xstamp("addFact"), kg.Fact{
				Subject: "tanzania-luban-workshop",
				Label:   kg.Names{Zh: "培养本土技术人才", En: "local technical talents trained"}, Value: 900, Unit: "person", Qualifier: kg.MoreThan,
				Evidence: kg.Evidence{DocumentID: transferDocID, Quote: "坦桑尼亚鲁班工坊已培养本土技术人才900余名"},
			}, "tanzania-luban-workshop-talents-trained")
			if err != nil {
				return err
			}
			_, _, err = s.SetRank(ctx, xstamp("setRank"), res.Fact.ID, kg.RankPreferred)
			return err
		},
		func() error {
			_, _, err := s.Retract(ctx, xstamp("retract"), "000_c17574c6fccee1e4:cqipc:MEMBER_OF:chengdu-chongqing-vocational-education-alliance")
			return err
		},
		func() error {
			_, _, err := s.Retract(ctx, xstamp("retract"), "cqvie-pilot-school-selections")
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("curation step %d: %v", i, err)
		}
	}
}

// exportAll exports source ("" for all) as YAML files and JSON Lines.
func exportAll(t *testing.T, s *store.Store, source string) (map[string][]byte, []byte) {
	t.Helper()
	g, err := s.Export(context.Background(), source)
	if err != nil {
		t.Fatalf("Export(%q): %v", source, err)
	}
	files, err := transfer.YAMLFiles(g)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := transfer.WriteJSONL(&b, g); err != nil {
		t.Fatal(err)
	}
	return files, b.Bytes()
}

func sameFiles(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	for name, w := range want {
		if !bytes.Equal(w, got[name]) {
			t.Errorf("%s: %s differs:\n--- first\n%s\n--- second\n%s", what, name, w, got[name])
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s appeared", what, name)
		}
	}
}

func importGraph(t *testing.T, s *store.Store, g *store.ExportGraph, opt store.ImportOptions) store.ImportResult {
	t.Helper()
	res, err := s.Import(context.Background(), xstamp("import"), g, opt)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return res
}

// Export → import into an empty database → export gives the same bytes, in
// YAML and JSON Lines, for the whole graph and for one source; importing
// again changes nothing.
func TestExportImportRoundTrip(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { restoreSeed(t) })
	curate(t, s)
	ctx := context.Background()

	yamlFiles, jsonl := exportAll(t, s, "")
	for _, want := range []string{"curation.yaml", "sources/" + transferDocID + "/text.txt", "entities/enterprises.yaml"} {
		if _, ok := yamlFiles[want]; !ok {
			t.Errorf("the YAML export lacks %s", want)
		}
	}
	for _, want := range []string{
		`"type":"redirect","id":"transfer-tech-old","to":"transfer-tech"`, `"statement":"fact","id":"cqvie-pilot-school-selections"`,
		`"rank":"PREFERRED"`, `"sameAs":"tanzania-luban-workshop-talents-trained"`, `{"document":"` + transferDocID + `","quote":"坦桑尼亚鲁班工坊位于阿尔迪大学"}`,
	} {
		if !bytes.Contains(jsonl, []byte(want)) {
			t.Errorf("the JSON Lines export lacks %s", want)
		}
	}
	srcYAML, srcJSONL := exportAll(t, s, transferDocID)

	// YAML, through the files on disk.
	dir := filepath.Join(t.TempDir(), "yaml")
	g0, _ := s.Export(ctx, "")
	if err := transfer.WriteYAML(dir, g0); err != nil {
		t.Fatal(err)
	}
	g, err := transfer.ReadYAML(dir)
	if err != nil {
		t.Fatal(err)
	}
	wipe(t)
	res := importGraph(t, s, g, store.ImportOptions{KeepOrigin: true, Batch: 50})
	if res.Change == nil || len(res.Diff.Entities.Created) != len(g.Entities) || res.Diff.Writes() != len(g.Documents)+len(g.Entities)+len(g.Relations)+len(g.Facts)+len(g.Retracted)+len(g.Redirects) {
		t.Errorf("import into an empty database: %+v", res.Diff)
	}
	y2, j2 := exportAll(t, s, "")
	sameFiles(t, "YAML after a YAML import", yamlFiles, y2)
	if !bytes.Equal(jsonl, j2) {
		t.Errorf("JSON Lines after a YAML import differs:\n%s\n---\n%s", jsonl, j2)
	}
	after := neo4jtest.TakeSnapshot(t)
	// The change log is not exported: the import's one entry stands for
	// the curation's entries.
	changes := run(t, `MATCH (c:Change) RETURN count(c), collect(c.op)`)[0].Values
	if changes[0] != int64(1) {
		t.Errorf("change entries after the import: %v; want the import's one", changes)
	}

	// Importing again changes nothing, and appends no change entry.
	again := importGraph(t, s, g, store.ImportOptions{KeepOrigin: true})
	if again.Diff.Writes() != 0 || again.Change != nil {
		t.Errorf("second import: %+v", again.Diff)
	}
	if snap := neo4jtest.TakeSnapshot(t); snap != after {
		t.Errorf("second import changed the graph: %+v → %+v", after, snap)
	}

	// JSON Lines.
	gj, err := transfer.ReadJSONL(bytes.NewReader(jsonl), "export.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	wipe(t)
	importGraph(t, s, gj, store.ImportOptions{KeepOrigin: true})
	y3, j3 := exportAll(t, s, "")
	sameFiles(t, "YAML after a JSON Lines import", yamlFiles, y3)
	if !bytes.Equal(jsonl, j3) {
		t.Errorf("JSON Lines after a JSON Lines import differs")
	}
	if v := run(t, `MATCH (k:Name {key: '重庆工程导出'})-[:NAME_OF]->(n:Entity) RETURN n.id`); len(v) != 1 || v[0].Values[0] != "cqvie" {
		t.Errorf("search names were not rebuilt from the imported names: %v", v)
	}
	if to, ok, err := s.ResolveRedirect(ctx, "transfer-tech-old"); err != nil || !ok || to != "transfer-tech" {
		t.Errorf("redirect after import: %q %v %v", to, ok, err)
	}

	// Without KeepOrigin everything is curated: the only difference is the
	// origin of what came from the files.
	wipe(t)
	importGraph(t, s, gj, store.ImportOptions{})
	if _, j := exportAll(t, s, ""); !bytes.Equal(bytes.ReplaceAll(jsonl, []byte(`"origin":"data"`), []byte(`"origin":"api"`)), j) {
		t.Errorf("a curated import into an empty database differs from the export in more than origins")
	}

	// One source, into an empty database.
	gs, err := transfer.ReadJSONL(bytes.NewReader(srcJSONL), "source.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs.Documents) != 2 || len(gs.Redirects) != 0 {
		t.Errorf("source export: %d documents (want the source and the one its other statements cite), %d redirects", len(gs.Documents), len(gs.Redirects))
	}
	wipe(t)
	importGraph(t, s, gs, store.ImportOptions{KeepOrigin: true})
	y4, j4 := exportAll(t, s, transferDocID)
	sameFiles(t, "source YAML", srcYAML, y4)
	if !bytes.Equal(srcJSONL, j4) {
		t.Errorf("source JSON Lines differs:\n%s\n---\n%s", srcJSONL, j4)
	}
}

// An import of the graph's own export changes nothing; a curated import
// (the default) survives a load of the data files, and the files still
// load.
func TestImportIntoTheSeedAndLoadAgain(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	own, err := s.Export(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	before := neo4jtest.TakeSnapshot(t)
	for _, keep := range []bool{false, true} {
		if res := importGraph(t, s, own, store.ImportOptions{KeepOrigin: keep}); res.Diff.Writes() != 0 || res.Change != nil {
			t.Errorf("keepOrigin=%v: importing the graph's own export: %s", keep, res.Diff.Summary())
		}
	}
	if snap := neo4jtest.TakeSnapshot(t); snap != before {
		t.Errorf("importing the graph's own export changed it: %+v → %+v", before, snap)
	}

	g := newGraph()
	res := importGraph(t, s, g, store.ImportOptions{})
	if res.Change == nil || res.Change.Op != "import" || res.Change.Actor.Name != "transfer tester" || len(res.Change.Subjects) != 5 {
		t.Errorf("change entry %+v", res.Change)
	}
	if !slices.Equal(res.Diff.Entities.Changed, []string{"cqvie"}) || !slices.Equal(res.Diff.Entities.Created, []string{"transfer-tech"}) {
		t.Errorf("entities diff %+v", res.Diff.Entities)
	}
	if rec := run(t, `MATCH (n:Entity {id: 'transfer-tech'}) RETURN n.origin, n.version`); rec[0].Values[0] != kg.OriginAPI {
		t.Errorf("imported entity origin %v; want api (curated)", rec[0].Values)
	}
	after := neo4jtest.TakeSnapshot(t)
	data, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, data); err != nil {
		t.Fatalf("load after a curated import: %v", err)
	}
	if snap := neo4jtest.TakeSnapshot(t); snap != after {
		t.Errorf("a load after the import changed the graph: %+v → %+v", after, snap)
	}
	e, _, err := s.EntityByID(ctx, "cqvie", store.EntityRead{})
	if err != nil || !slices.Contains(e.Aliases, "重庆工程导出") || e.Version != 1 {
		t.Errorf("cqvie after the load: %+v %v; want the imported alias, version 1", e, err)
	}
	if got, err := s.EntityByName(ctx, "导出测试公司"); err != nil || got.ID != "transfer-tech" {
		t.Errorf("EntityByName(imported alias) = %q, %v", got.ID, err)
	}
	if res := importGraph(t, s, newGraph(), store.ImportOptions{}); res.Diff.Writes() != 0 {
		t.Errorf("second curated import: %s", res.Diff.Summary())
	}
}

// newGraph is a small curated input: a document, a new entity, a file
// entity with a new alias, a relation between them, and a fact.
func newGraph() *store.ExportGraph {
	g := &store.ExportGraph{
		Documents: []store.ExportDocument{{Document: kg.Document{ID: transferDocID, Title: "导出测试通讯", Language: "zh", Text: transferDocText}}},
		Entities: []store.ExportEntity{
			{Entity: kg.Entity{ID: "transfer-tech", Kind: kg.Enterprise, NameZh: "导出测试科技有限公司", Aliases: []string{"导出测试公司"}}},
			{Entity: kg.Entity{
				ID: "cqvie", Kind: kg.School, NameZh: "重庆工程职业技术学院", NameEn: "Chongqing Vocational Institute of Engineering",
				NameEnOfficial: true, Aliases: []string{"重庆工程职院", "渝工程", "CQVIE", "重庆工程导出"},
				Description: kg.Names{
					Zh: "重庆市高等职业院校，高等职业院校“国际影响力50强”，参与共建坦桑尼亚鲁班工坊并发起成立中泰职教联盟",
					En: "A higher vocational college in Chongqing, one of the \"Top 50 for International Influence\", which helped build the Tanzania Luban Workshop and co-founded the China-Thailand Vocational Education Alliance",
				},
				City: "Chongqing", SchoolType: "higher vocational college",
			}},
		},
		Relations: []kg.Relation{{
			Type: kg.SignedAgreementWith, From: "cqvie", To: "transfer-tech",
			Evidence: kg.Evidence{DocumentID: transferDocID, Quote: "重庆工程职业技术学院与导出测试科技有限公司签署合作协议"},
		}},
		Facts: []kg.Fact{{
			ID: "transfer-workshop-talents", Subject: "tanzania-luban-workshop", Label: kg.Names{Zh: "培养本土技术人才", En: "local technical talents trained"},
			Value: 900, Unit: "person", Qualifier: kg.MoreThan, SameAs: "tanzania-luban-workshop-talents-trained",
			Evidence: kg.Evidence{DocumentID: transferDocID, Quote: "坦桑尼亚鲁班工坊已培养本土技术人才900余名"},
		}},
	}
	g.Sort()
	return g
}

// A dry run computes the diff and writes nothing.
func TestImportDryRun(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	before := neo4jtest.TakeSnapshot(t)
	res, err := s.Import(context.Background(), xstamp("import"), newGraph(), store.ImportOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Change != nil {
		t.Error("a dry run appended a change entry")
	}
	if snap := neo4jtest.TakeSnapshot(t); snap != before {
		t.Errorf("a dry run changed the graph: %+v → %+v", before, snap)
	}
	d := res.Diff
	for what, got := range map[string][]string{
		"documents created": d.Documents.Created, "entities created": d.Entities.Created,
		"entities changed": d.Entities.Changed, "relations created": d.Relations.Created, "facts created": d.Facts.Created,
	} {
		want := map[string][]string{
			"documents created": {transferDocID}, "entities created": {"transfer-tech"}, "entities changed": {"cqvie"},
			"relations created": {transferDocID + ":cqvie:SIGNED_AGREEMENT_WITH:transfer-tech"}, "facts created": {"transfer-workshop-talents"},
		}[what]
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	if d.Writes() != 5 {
		t.Errorf("writes %d, want 5: %s", d.Writes(), d.Summary())
	}
}

// Bad input is refused as a whole, with every problem named, and nothing
// is written.
func TestImportRefusesBadInput(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	before := neo4jtest.TakeSnapshot(t)
	for name, tc := range map[string]struct {
		edit func(g *store.ExportGraph)
		want string
	}{
		"quote not in the document": {func(g *store.ExportGraph) {
			g.Relations[0].Evidence.Quote = "重庆工程职业技术学院与月球签署合作协议"
		}, "not a verbatim substring"},
		"unknown relationship type": {func(g *store.ExportGraph) {
			g.Relations[0].Type = "OWNS"
			g.Relations[0].ID = ""
		}, `type "OWNS" is not in the vocabulary`},
		"NUL in a name":               {func(g *store.ExportGraph) { g.Entities[1].NameZh = "导出测试\x00科技" }, "NUL"},
		"NUL in a document":           {func(g *store.ExportGraph) { g.Documents[0].Text += "\x00" }, "NUL"},
		"name held in the database":   {func(g *store.ExportGraph) { g.Entities[1].Aliases = []string{"CQIPC"} }, "already held by entity cqipc"},
		"name shared in the input":    {func(g *store.ExportGraph) { g.Entities[1].Aliases = []string{"渝工程"} }, "also a name of entity"},
		"kinds not allowed":           {func(g *store.ExportGraph) { g.Relations[0].Type, g.Relations[0].ID = kg.MemberOf, "" }, "does not allow"},
		"unknown end":                 {func(g *store.ExportGraph) { g.Relations[0].To = "no-such-entity" }, `no entity "no-such-entity"`},
		"unknown evidence document":   {func(g *store.ExportGraph) { g.Facts[0].Evidence.DocumentID = "no_such_doc" }, `no document "no_such_doc"`},
		"relation id of another type": {func(g *store.ExportGraph) { g.Relations[0].ID = "x:cqvie:BUILT:transfer-tech" }, "the type is part of a relation id"},
		"sameAs nowhere":              {func(g *store.ExportGraph) { g.Facts[0].SameAs = "no-such-fact" }, "sameAs"},
		"changing a file document":    {func(g *store.ExportGraph) { g.Documents[0].ID = "000_c17574c6fccee1e4" }, "comes from the data files"},
		"bad origin":                  {func(g *store.ExportGraph) { g.Entities[0].Origin = "elsewhere" }, "origin"},
	} {
		g := newGraph()
		tc.edit(g)
		_, err := s.Import(context.Background(), xstamp("import"), g, store.ImportOptions{})
		var ie *store.ImportError
		if !errors.As(err, &ie) || !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("%s: err = %v; want an ImportError", name, err)
		} else if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v\nlacks %q", name, err, tc.want)
		}
		if snap := neo4jtest.TakeSnapshot(t); snap != before {
			t.Fatalf("%s: a refused import changed the graph: %+v → %+v", name, before, snap)
		}
	}
	// An unknown record type is refused by the reader, before the store.
	_, err := transfer.ReadJSONL(strings.NewReader(`{"type":"person","id":"li-wei"}`), "in.jsonl")
	if !errors.Is(err, kg.ErrInvalidInput) || !strings.Contains(err.Error(), `unknown record type "person"`) {
		t.Errorf("unknown record type: %v", err)
	}
}

// BenchmarkImport imports N generated entities (VETGRAPH_IMPORT_BENCH_ROWS,
// default 5000; each with a Chinese and an English name and an alias) with
// every check on, and compares it with two floors of the same batch size
// (1000 rows, one write transaction each):
//
//   - floor: the rows' node properties sent raw as
//     UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n += row.props
//     (one node per row);
//   - writes: the statements and rows Import writes (the entity with its
//     kind label, its three search-name nodes and NAME_OF relationships),
//     sent without reading, validating or diffing, the search forms
//     computed beforehand.
//
// Every iteration runs the three, in turn, each on a database without the
// generated entities (so that a slow spell of a shared machine falls on
// all three). Reported: rows/s of each, and import's rows/s as a fraction
// of each floor's.
func BenchmarkImport(b *testing.B) {
	if testing.Short() {
		b.Skip("needs Neo4j")
	}
	s := neo4jtest.Store(b)
	n := 5000
	if v := os.Getenv("VETGRAPH_IMPORT_BENCH_ROWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("VETGRAPH_IMPORT_BENCH_ROWS=%q: want a positive number", v)
		}
	}
	const batch = store.DefaultImportBatch
	ctx := context.Background()
	g := benchGraph(n)
	clean := func() {
		for {
			res, err := neo4j.ExecuteQuery(ctx, neo4jtest.Driver(b), `
CALL () { MATCH (c:Change {reason: 'bench import'}) DELETE c }
MATCH (x:Entity) WHERE x.id STARTS WITH 'bench-import-'
WITH x LIMIT 5000
OPTIONAL MATCH (k:Name)-[:NAME_OF]->(x)
DETACH DELETE k, x
RETURN count(DISTINCT x)`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
			if err != nil {
				b.Fatal(err)
			}
			if res.Records[0].Values[0] == int64(0) {
				return
			}
		}
	}
	clean()
	b.Cleanup(clean)
	rows := make([]any, n)
	for i, e := range g.Entities {
		p := store.EntityNodeProperties(e.Entity)
		p["origin"], p["version"] = kg.OriginAPI, int64(0)
		rows[i] = map[string]any{"id": e.ID, "props": p}
	}
	st := xstamp("import")
	st.Reason = "bench import"
	writesOnly := s.ImportWritesOnly(g, batch)

	variants := []struct {
		name string
		run  func() error
	}{
		{"import", func() error {
			res, err := s.Import(ctx, st, g, store.ImportOptions{Batch: batch})
			if err == nil && len(res.Diff.Entities.Created) != n {
				b.Fatalf("import created %d entities, want %d", len(res.Diff.Entities.Created), n)
			}
			return err
		}},
		{"floor", func() error {
			sess := neo4jtest.Driver(b).NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database()})
			defer sess.Close(ctx)
			for lo := 0; lo < n; lo += batch {
				part := rows[lo:min(lo+batch, n)]
				if _, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
					r, err := tx.Run(ctx, `UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n += row.props`, map[string]any{"rows": part})
					if err != nil {
						return nil, err
					}
					return r.Consume(ctx)
				}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"writes", func() error { return writesOnly(ctx) }},
	}
	total := make([]time.Duration, len(variants))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range variants {
			k := (i + j) % len(variants)
			b.StopTimer()
			clean()
			b.StartTimer()
			t0 := time.Now()
			if err := variants[k].run(); err != nil {
				b.Fatalf("%s: %v", variants[k].name, err)
			}
			total[k] += time.Since(t0)
		}
	}
	rate := func(k int) float64 { return float64(n*b.N) / total[k].Seconds() }
	b.ReportMetric(rate(0), "import-rows/s")
	b.ReportMetric(rate(1), "floor-rows/s")
	b.ReportMetric(rate(2), "writes-rows/s")
	b.ReportMetric(rate(0)/rate(1), "import/floor")
	b.ReportMetric(rate(0)/rate(2), "import/writes")
}

// benchGraph makes n schools with Chinese and English names and an alias
// each, all distinct.
func benchGraph(n int) *store.ExportGraph {
	g := &store.ExportGraph{}
	for i := range n {
		id := "bench-import-" + strconv.Itoa(i)
		g.Entities = append(g.Entities, store.ExportEntity{Entity: kg.Entity{
			ID: id, Kind: kg.School,
			NameZh: "基准导入职业技术学院" + strconv.Itoa(i), NameEn: "Bench Import Vocational College " + strconv.Itoa(i), NameEnOfficial: true,
			Aliases: []string{"bench import " + strconv.Itoa(i)}, City: "Chongqing", SchoolType: "higher vocational college",
		}})
	}
	g.Sort()
	return g
}
