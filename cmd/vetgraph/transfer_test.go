package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
	"github.com/vetgraph/vetgraph/internal/transfer"
)

// fakeExporter answers Export with a fixed graph (no database).
type fakeExporter struct{ g *store.ExportGraph }

func (f fakeExporter) Export(context.Context, string) (*store.ExportGraph, error) { return f.g, nil }

func tinyGraph() *store.ExportGraph {
	return &store.ExportGraph{
		Documents: []store.ExportDocument{{Document: kg.Document{ID: "d1", Title: "T", Language: "zh", Text: "甲与乙合作。"}, Origin: kg.OriginAPI}},
		Entities: []store.ExportEntity{
			{Entity: kg.Entity{ID: "jia", Kind: kg.School, NameZh: "甲"}, Origin: kg.OriginAPI},
			{Entity: kg.Entity{ID: "yi", Kind: kg.Enterprise, NameZh: "乙"}, Origin: kg.OriginAPI},
		},
		Relations: []kg.Relation{{
			ID: "d1:jia:PARTNERS_WITH:yi", Type: kg.PartnersWith, From: "jia", To: "yi",
			Evidence: kg.Evidence{DocumentID: "d1", Quote: "甲与乙合作"}, Origin: kg.OriginAPI,
		}},
	}
}

func TestExportCommandArguments(t *testing.T) {
	ctx := context.Background()
	ex := fakeExporter{tinyGraph()}
	var out, note bytes.Buffer
	for _, tc := range []struct {
		a    exportArgs
		want string
	}{
		{exportArgs{format: "xml", out: "-", arrayDelimiter: ";"}, "want yaml, jsonl, graphml or csv"},
		{exportArgs{format: "yaml", out: "-", arrayDelimiter: ";"}, "writes a directory"},
		{exportArgs{format: "csv", out: t.TempDir(), arrayDelimiter: ";;"}, "want one character"},
	} {
		if err := runExport(ctx, ex, tc.a, &out, &note); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want %q", tc.a, err, tc.want)
		}
	}
	for _, format := range []string{"jsonl", "graphml"} {
		out.Reset()
		note.Reset()
		if err := runExport(ctx, ex, exportArgs{format: format, out: "-", arrayDelimiter: ";"}, &out, &note); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "甲与乙合作") || !strings.Contains(note.String(), "1 documents, 2 entities, 1 relations") {
			t.Errorf("%s to stdout: %q / %q", format, out.String(), note.String())
		}
	}
	dir := filepath.Join(t.TempDir(), "csv")
	if err := runExport(ctx, ex, exportArgs{format: "csv", out: dir, arrayDelimiter: "|"}, &out, &note); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nodes.csv")); err != nil {
		t.Error(err)
	}
}

// fakeImporter records what it was asked (no database).
type fakeImporter struct {
	st  kg.Stamp
	g   *store.ExportGraph
	opt store.ImportOptions
}

func (f *fakeImporter) Import(_ context.Context, st kg.Stamp, g *store.ExportGraph, opt store.ImportOptions) (store.ImportResult, error) {
	f.st, f.g, f.opt = st, g, opt
	return store.ImportResult{Diff: store.ImportDiff{Entities: store.ImportCounts{Created: []string{"jia"}, Changed: []string{"yi"}}}}, nil
}

func TestImportCommandArguments(t *testing.T) {
	ctx := context.Background()
	var jsonl bytes.Buffer
	if err := transfer.WriteJSONL(&jsonl, tinyGraph()); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, tc := range []struct {
		a    importArgs
		want string
	}{
		{importArgs{format: "graphml", path: "-", batch: 10}, "want yaml or jsonl"},
		{importArgs{format: "jsonl", path: "-", batch: 0}, "--batch"},
		{importArgs{format: "jsonl", path: "-", batch: 10, reason: "a\x00b"}, "NUL"},
		{importArgs{format: "yaml", path: filepath.Join(t.TempDir(), "missing"), batch: 10}, "no such file"},
	} {
		if _, err := runImport(ctx, &fakeImporter{}, tc.a, bytes.NewReader(jsonl.Bytes()), &out); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want %q", tc.a, err, tc.want)
		}
	}
	f := &fakeImporter{}
	out.Reset()
	if _, err := runImport(ctx, f, importArgs{format: "jsonl", path: "-", batch: 7, dryRun: true, actor: "Li Wei", reason: "test", keepOrigin: true},
		bytes.NewReader(jsonl.Bytes()), &out); err != nil {
		t.Fatal(err)
	}
	if f.st.Actor.Name != "Li Wei" || f.st.Op != "import" || f.st.Reason != "test" || f.st.InputHash == "" ||
		f.opt != (store.ImportOptions{Batch: 7, DryRun: true, KeepOrigin: true}) || len(f.g.Relations) != 1 {
		t.Errorf("import called with %+v %+v", f.st, f.opt)
	}
	for _, want := range []string{"dry run, nothing written", "entities   1 to create, 1 to change, 0 unchanged", "  + jia", "  ~ yi"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("printed diff lacks %q:\n%s", want, out.String())
		}
	}
}

// The commands against the test Neo4j: a dry run prints the diff and
// writes nothing; the import writes it; export writes what was imported.
func TestImportExportCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs Neo4j (NEO4J_URI); skipped with -short")
	}
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()

	text := "命令测试：重庆工程职业技术学院与命令测试公司合作。"
	in := &store.ExportGraph{
		Documents: []store.ExportDocument{{Document: kg.Document{ID: "cli_test_doc", Title: "命令测试", Language: "zh", Text: text}}},
		Entities:  []store.ExportEntity{{Entity: kg.Entity{ID: "cli-test-company", Kind: kg.Enterprise, NameZh: "命令测试公司"}}},
		Relations: []kg.Relation{{
			Type: kg.PartnersWith, From: "cqvie", To: "cli-test-company",
			Evidence: kg.Evidence{DocumentID: "cli_test_doc", Quote: "重庆工程职业技术学院与命令测试公司合作"},
		}},
	}
	path := filepath.Join(t.TempDir(), "in.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := transfer.WriteJSONL(f, in); err != nil {
		t.Fatal(err)
	}
	f.Close()

	before := neo4jtest.TakeSnapshot(t)
	var out bytes.Buffer
	if _, err := runImport(ctx, s, importArgs{format: "jsonl", path: path, batch: 1000, dryRun: true}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if after := neo4jtest.TakeSnapshot(t); after != before {
		t.Errorf("--dry-run changed the graph: %+v → %+v", before, after)
	}
	for _, want := range []string{
		"the import would create or change 3 items", "documents  1 to create, 0 to change, 0 unchanged", "  + cli_test_doc",
		"entities   1 to create, 0 to change, 0 unchanged", "  + cli-test-company", "  + cli_test_doc:cqvie:PARTNERS_WITH:cli-test-company",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	res, err := runImport(ctx, s, importArgs{format: "jsonl", path: path, batch: 1, actor: "cli tester", reason: "command test"}, nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Change == nil || !strings.Contains(out.String(), "imported 3 items") {
		t.Errorf("import printed %s", out.String())
	}
	page, err := s.Changes(ctx, store.ChangeQuery{Subject: "cli-test-company", First: 10})
	if err != nil || len(page.Changes) != 1 || page.Changes[0].Op != "import" || page.Changes[0].Actor.Name != "cli tester" || page.Changes[0].Reason != "command test" {
		t.Errorf("change log: %+v %v", page.Changes, err)
	}

	out.Reset()
	var note bytes.Buffer
	if err := runExport(ctx, s, exportArgs{format: "jsonl", out: "-", source: "cli_test_doc", arrayDelimiter: ";"}, &out, &note); err != nil {
		t.Fatal(err)
	}
	g, err := transfer.ReadJSONL(&out, "stdout")
	if err != nil || len(g.Documents) != 1 || len(g.Entities) != 2 || len(g.Relations) != 1 || g.Relations[0].Origin != kg.OriginAPI {
		t.Errorf("export of the imported source: %+v %v", g, err)
	}
	dir := filepath.Join(t.TempDir(), "yaml")
	if err := runExport(ctx, s, exportArgs{format: "yaml", out: dir, arrayDelimiter: ";"}, &out, &note); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "sources", "cli_test_doc", "relations.yaml")); err != nil || !strings.Contains(string(b), "origin: api") {
		t.Errorf("relations.yaml of the imported source: %s %v", b, err)
	}
}

// A file whose relation uses a type neither the vocabulary nor the file
// defines is refused by the reader, before the store, naming the line.
func TestImportCommandRefusesUnknownType(t *testing.T) {
	g := tinyGraph()
	g.Relations[0].Type, g.Relations[0].ID = "TRAINS_STAFF_OF", "d1:jia:TRAINS_STAFF_OF:yi"
	var jsonl bytes.Buffer
	if err := transfer.WriteJSONL(&jsonl, g); err != nil {
		t.Fatal(err)
	}
	f := &fakeImporter{}
	var out bytes.Buffer
	_, err := runImport(context.Background(), f, importArgs{format: "jsonl", path: "-", batch: 10}, bytes.NewReader(jsonl.Bytes()), &out)
	if want := `standard input:4: relationship type "TRAINS_STAFF_OF" is not in the vocabulary, and no relationType record defines it`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v; want %q", err, want)
	}
	if f.g != nil {
		t.Error("the store was asked to import a refused file")
	}
	// The file defines the type: read, and handed to the store with it.
	g.RelationTypes = []store.ExportRelationType{{RelTypeInfo: kg.RelTypeInfo{
		Type: "TRAINS_STAFF_OF", Zh: "为…培训员工", En: "trains the staff of",
		InverseZh: "的员工由…培训", InverseEn: "has its staff trained by", From: []kg.Kind{kg.School}, To: []kg.Kind{kg.Enterprise},
	}}}
	jsonl.Reset()
	if err := transfer.WriteJSONL(&jsonl, g); err != nil {
		t.Fatal(err)
	}
	if _, err := runImport(context.Background(), f, importArgs{format: "jsonl", path: "-", batch: 10}, bytes.NewReader(jsonl.Bytes()), &out); err != nil {
		t.Fatal(err)
	}
	if f.g == nil || len(f.g.RelationTypes) != 1 || f.g.RelationTypes[0].Type != "TRAINS_STAFF_OF" {
		t.Errorf("import called with %+v", f.g)
	}
}

// The commands against the test Neo4j with an added relationship type: a
// dry run lists the type it would add, writes nothing and leaves the
// vocabulary as it was; the import adds it; export writes it back.
func TestImportExportCommandsAddedType(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs Neo4j (NEO4J_URI); skipped with -short")
	}
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()

	text := "命令测试：重庆工程职业技术学院为命令测试公司培训员工。"
	in := &store.ExportGraph{
		RelationTypes: []store.ExportRelationType{{
			RelTypeInfo: kg.RelTypeInfo{
				Type: "TRAINS_STAFF_OF", Zh: "为…培训员工", En: "trains the staff of",
				InverseZh: "的员工由…培训", InverseEn: "has its staff trained by", From: []kg.Kind{kg.School}, To: []kg.Kind{kg.Enterprise},
			},
			AddedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), AddedBy: "admin",
		}},
		// Curated (origin api), so that --keep-origin keeps them curated and
		// ResetCuration removes them.
		Documents: []store.ExportDocument{{Document: kg.Document{ID: "cli_test_doc", Title: "命令测试", Language: "zh", Text: text}, Origin: kg.OriginAPI}},
		Entities:  []store.ExportEntity{{Entity: kg.Entity{ID: "cli-test-company", Kind: kg.Enterprise, NameZh: "命令测试公司"}, Origin: kg.OriginAPI}},
		Relations: []kg.Relation{{
			Type: "TRAINS_STAFF_OF", From: "cqvie", To: "cli-test-company",
			Evidence: kg.Evidence{DocumentID: "cli_test_doc", Quote: "重庆工程职业技术学院为命令测试公司培训员工"}, Origin: kg.OriginAPI,
		}},
	}
	dir := filepath.Join(t.TempDir(), "in")
	if err := transfer.WriteYAML(dir, in); err != nil {
		t.Fatal(err)
	}
	vocabulary := slices.Clone(kg.Vocabulary())
	before := neo4jtest.TakeSnapshot(t)
	var out bytes.Buffer
	if _, err := runImport(ctx, s, importArgs{format: "yaml", path: dir, batch: 1000, dryRun: true}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if after := neo4jtest.TakeSnapshot(t); after != before {
		t.Errorf("--dry-run changed the graph: %+v → %+v", before, after)
	}
	if !reflect.DeepEqual(kg.Vocabulary(), vocabulary) {
		t.Errorf("--dry-run changed the vocabulary: %d types → %d", len(vocabulary), len(kg.Vocabulary()))
	}
	for _, want := range []string{
		"the import would create or change 4 items", "relation types 1 to create, 0 to change, 0 unchanged\n  + TRAINS_STAFF_OF\n",
		"  + cli_test_doc:cqvie:TRAINS_STAFF_OF:cli-test-company",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if _, err := runImport(ctx, s, importArgs{format: "yaml", path: dir, batch: 1000, keepOrigin: true}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 4 items") {
		t.Errorf("import printed %s", out.String())
	}
	if _, known := kg.LookupRelType("TRAINS_STAFF_OF"); !known {
		t.Error("the imported type is not in the vocabulary")
	}
	outDir := filepath.Join(t.TempDir(), "out")
	var note bytes.Buffer
	if err := runExport(ctx, s, exportArgs{format: "yaml", out: outDir, source: "cli_test_doc", arrayDelimiter: ";"}, &out, &note); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note.String(), "exported 1 added relation types, 1 documents, 2 entities, 1 relations") {
		t.Errorf("export note: %s", note.String())
	}
	want, _ := os.ReadFile(filepath.Join(dir, transfer.RelationTypesFile))
	if got, err := os.ReadFile(filepath.Join(outDir, transfer.RelationTypesFile)); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s after the import: %s %v; want %s", transfer.RelationTypesFile, got, err, want)
	}
}
