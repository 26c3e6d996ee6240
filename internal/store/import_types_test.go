package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
	"github.com/vetgraph/vetgraph/internal/transfer"
)

// trainsStaff and fundedBy are relationship types an admin adds in these
// tests (not built in).
var (
	trainsStaff = kg.RelTypeInfo{
		Type: "TRAINS_STAFF_OF", Zh: "为…培训员工", En: "trains the staff of", InverseZh: "的员工由…培训",
		InverseEn: "has its staff trained by", From: []kg.Kind{kg.School}, To: []kg.Kind{kg.Enterprise, kg.Organization},
		Example: "(重庆工程职业技术学院)-[:TRAINS_STAFF_OF]->(导出测试科技有限公司)",
	}
	fundedBy = kg.RelTypeInfo{
		Type: "FUNDED_BY", Zh: "由…资助", En: "is funded by", InverseZh: "资助", InverseEn: "funds",
		From: []kg.Kind{kg.Program, kg.School}, To: []kg.Kind{kg.Organization, kg.Enterprise},
	}
)

// addedTypes returns the types the process's vocabulary holds beyond the
// built-in ones.
func addedTypes() []kg.RelTypeInfo { return slices.Clone(kg.Vocabulary()[len(kg.Builtin):]) }

// wipeAll deletes every node, as wipe, and reads the (now empty) stored
// relationship types into the vocabulary: an empty database, as a fresh
// process would see it.
func wipeAll(t *testing.T, s *store.Store) {
	t.Helper()
	wipe(t)
	if _, err := s.RefreshVocabulary(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := addedTypes(); len(got) != 0 {
		t.Fatalf("vocabulary after wiping: added types %v", got)
	}
}

// curateWithTypes curates as curate does, then adds two relationship
// types, a relation of the first citing the test document and one of the
// second that is then retracted (so that retracted relations of an added
// type travel too).
func curateWithTypes(t *testing.T, s *store.Store) {
	t.Helper()
	curate(t, s)
	ctx := context.Background()
	for _, info := range []kg.RelTypeInfo{trainsStaff, fundedBy} {
		if _, _, err := s.AddRelationType(ctx, xstamp("addRelationType"), info); err != nil {
			t.Fatalf("AddRelationType(%s): %v", info.Type, err)
		}
	}
	if _, _, err := s.AddRelation(ctx, xstamp("addRelation"), kg.Relation{
		Type: trainsStaff.Type, From: "cqvie", To: "transfer-tech",
		Evidence: kg.Evidence{DocumentID: transferDocID, Quote: "重庆工程职业技术学院与导出测试科技有限公司"},
	}, ""); err != nil {
		t.Fatal(err)
	}
	res, _, err := s.AddRelation(ctx, xstamp("addRelation"), kg.Relation{
		Type: fundedBy.Type, From: "cqvie", To: "transfer-tech",
		Evidence: kg.Evidence{DocumentID: "000_c17574c6fccee1e4", Quote: "重庆工程职业技术学院"},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Retract(ctx, xstamp("retract"), res.Relation.ID); err != nil {
		t.Fatal(err)
	}
}

// A graph using added relationship types round-trips: export → import
// into an empty database (which knows none of the types) → export gives
// the same bytes, in YAML and JSON Lines, for the whole graph and for one
// source; the types are added before the relations and join the
// vocabulary.
func TestExportImportAddedRelationTypes(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { restoreSeed(t) })
	curateWithTypes(t, s)
	ctx := context.Background()

	g0, err := s.Export(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(g0.RelationTypes) != 2 || g0.RelationTypes[0].Type != trainsStaff.Type ||
		g0.RelationTypes[1].Type != fundedBy.Type || g0.RelationTypes[0].AddedBy != "transfer tester" || g0.RelationTypes[0].AddedAt.IsZero() {
		t.Fatalf("exported relation types: %+v; want both, oldest first, with addedAt and addedBy", g0.RelationTypes)
	}
	yamlFiles, jsonl := exportAll(t, s, "")
	if b := yamlFiles[transfer.RelationTypesFile]; !bytes.Contains(b, []byte("  - type: TRAINS_STAFF_OF\n")) || !bytes.Contains(b, []byte("  - type: FUNDED_BY\n")) {
		t.Errorf("%s: %s", transfer.RelationTypesFile, b)
	}
	if !bytes.HasPrefix(jsonl, []byte(`{"type":"relationType","relType":"TRAINS_STAFF_OF"`)) {
		t.Errorf("JSON Lines do not start with the relation types: %.200s", jsonl)
	}
	srcYAML, srcJSONL := exportAll(t, s, transferDocID)
	src, err := s.Export(ctx, transferDocID)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.RelationTypes) != 1 || src.RelationTypes[0].Type != trainsStaff.Type {
		t.Errorf("source export's relation types: %+v; want the one its relations use", src.RelationTypes)
	}

	// YAML, through the files on disk.
	dir := filepath.Join(t.TempDir(), "yaml")
	if err := transfer.WriteYAML(dir, g0); err != nil {
		t.Fatal(err)
	}
	gy, err := transfer.ReadYAML(dir)
	if err != nil {
		t.Fatal(err)
	}
	wipeAll(t, s)
	res := importGraph(t, s, gy, store.ImportOptions{KeepOrigin: true, Batch: 50})
	if !slices.Equal(res.Diff.RelationTypes.Created, []string{"FUNDED_BY", "TRAINS_STAFF_OF"}) || res.Change == nil ||
		!slices.Contains(res.Change.Subjects, "TRAINS_STAFF_OF") {
		t.Errorf("import into an empty database: types %+v, change %+v", res.Diff.RelationTypes, res.Change)
	}
	if got := addedTypes(); len(got) != 2 || got[0].Type != trainsStaff.Type || got[1].Type != fundedBy.Type {
		t.Errorf("vocabulary after the import: added %v", got)
	}
	if v := run(t, `SHOW INDEXES YIELD name WHERE name = 'rel_trains_staff_of_id' RETURN count(*)`); v[0].Values[0] != int64(1) {
		t.Error("the added type has no relationship id index after the import")
	}
	y2, j2 := exportAll(t, s, "")
	sameFiles(t, "YAML after a YAML import", yamlFiles, y2)
	if !bytes.Equal(jsonl, j2) {
		t.Errorf("JSON Lines after a YAML import differs:\n%s\n---\n%s", jsonl, j2)
	}
	after := neo4jtest.TakeSnapshot(t)
	again := importGraph(t, s, gy, store.ImportOptions{KeepOrigin: true})
	if again.Diff.Writes() != 0 || again.Change != nil || again.Diff.RelationTypes.Unchanged != 2 {
		t.Errorf("second import: %s", again.Diff.Summary())
	}
	if snap := neo4jtest.TakeSnapshot(t); snap != after {
		t.Errorf("second import changed the graph: %+v → %+v", after, snap)
	}

	// JSON Lines.
	gj, err := transfer.ReadJSONL(bytes.NewReader(jsonl), "export.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	wipeAll(t, s)
	importGraph(t, s, gj, store.ImportOptions{KeepOrigin: true})
	y3, j3 := exportAll(t, s, "")
	sameFiles(t, "YAML after a JSON Lines import", yamlFiles, y3)
	if !bytes.Equal(jsonl, j3) {
		t.Errorf("JSON Lines after a JSON Lines import differs:\n%s\n---\n%s", jsonl, j3)
	}

	// Without KeepOrigin the types are the importer's, added now (at the
	// same time, so in name order).
	wipeAll(t, s)
	importGraph(t, s, gj, store.ImportOptions{})
	g4, err := s.Export(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(g4.RelationTypes) != 2 || g4.RelationTypes[0].Type != fundedBy.Type {
		t.Fatalf("curated import: relation types %+v", g4.RelationTypes)
	}
	for i, x := range g4.RelationTypes {
		was := g0.RelationTypes[1-i]
		if x.AddedBy != "transfer tester" || x.AddedAt.Equal(was.AddedAt) || !reflect.DeepEqual(x.RelTypeInfo, was.RelTypeInfo) {
			t.Errorf("curated import: relation type %+v; exported as %+v", x, was)
		}
	}

	// One source, into an empty database: the one type it uses.
	gs, err := transfer.ReadJSONL(bytes.NewReader(srcJSONL), "source.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	wipeAll(t, s)
	importGraph(t, s, gs, store.ImportOptions{KeepOrigin: true})
	if got := addedTypes(); len(got) != 1 || got[0].Type != trainsStaff.Type {
		t.Errorf("vocabulary after the source's import: added %v", got)
	}
	y5, j5 := exportAll(t, s, transferDocID)
	sameFiles(t, "source YAML", srcYAML, y5)
	if !bytes.Equal(srcJSONL, j5) {
		t.Errorf("source JSON Lines differs:\n%s\n---\n%s", srcJSONL, j5)
	}
}

// An input whose relation uses a type neither the database nor the input
// defines is refused: by the readers, naming the file and line; by Import,
// naming the relation. A type the database stores with another definition
// is a conflict. Nothing is written, and the vocabulary stays as it was.
func TestImportRefusesUnknownAndConflictingTypes(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	g := newGraph()
	g.Relations = append(g.Relations, kg.Relation{
		Type: trainsStaff.Type, From: "cqvie", To: "transfer-tech",
		Evidence: kg.Evidence{DocumentID: transferDocID, Quote: "重庆工程职业技术学院与导出测试科技有限公司"},
	})
	g.Sort()
	vocabulary := addedTypes()
	before := neo4jtest.TakeSnapshot(t)

	var b bytes.Buffer
	if err := transfer.WriteJSONL(&b, g); err != nil {
		t.Fatal(err)
	}
	line := 1 + bytes.Count(b.Bytes()[:bytes.Index(b.Bytes(), []byte(`"relType":"TRAINS_STAFF_OF"`))], []byte("\n"))
	_, err := transfer.ReadJSONL(bytes.NewReader(b.Bytes()), "in.jsonl")
	if want := fmt.Sprintf(`in.jsonl:%d: relationship type "TRAINS_STAFF_OF" is not in the vocabulary, and no relationType record defines it`, line); err == nil ||
		!errors.Is(err, kg.ErrInvalidInput) || !strings.Contains(err.Error(), want) {
		t.Errorf("ReadJSONL: %v\nwant %s", err, want)
	}
	dir := filepath.Join(t.TempDir(), "yaml")
	if err := transfer.WriteYAML(dir, g); err != nil {
		t.Fatal(err)
	}
	if _, err := transfer.ReadYAML(dir); err == nil || !strings.Contains(err.Error(), "sources/"+transferDocID+"/relations.yaml:") ||
		!strings.Contains(err.Error(), `relationship type "TRAINS_STAFF_OF" is not in the vocabulary, and relation-types.yaml does not define it`) {
		t.Errorf("ReadYAML: %v", err)
	}
	_, err = s.Import(ctx, xstamp("import"), g, store.ImportOptions{})
	var ie *store.ImportError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(),
		`relation `+transferDocID+`:cqvie:TRAINS_STAFF_OF:transfer-tech: type "TRAINS_STAFF_OF" is not in the vocabulary`) {
		t.Errorf("Import: %v", err)
	}
	if snap := neo4jtest.TakeSnapshot(t); snap != before {
		t.Errorf("an import refused for an unknown type changed the graph: %+v → %+v", before, snap)
	}
	if got := addedTypes(); !reflect.DeepEqual(got, vocabulary) {
		t.Errorf("an import refused for an unknown type changed the vocabulary: %v → %v", vocabulary, got)
	}

	// A bad definition and one that conflicts with the stored type.
	if _, _, err := s.AddRelationType(ctx, xstamp("addRelationType"), fundedBy); err != nil {
		t.Fatal(err)
	}
	vocabulary = addedTypes()
	before = neo4jtest.TakeSnapshot(t)
	other := fundedBy
	other.En = "is paid for by"
	bad := trainsStaff
	bad.From = []kg.Kind{"Planet"}
	g.RelationTypes = []store.ExportRelationType{{RelTypeInfo: other}, {RelTypeInfo: bad}}
	res, err := s.Import(ctx, xstamp("import"), g, store.ImportOptions{})
	if !errors.As(err, &ie) || !errors.Is(err, kg.ErrConflict) || !errors.Is(err, kg.ErrInvalidInput) {
		t.Fatalf("Import with a conflicting type: %v; want an ImportError that is a conflict", err)
	}
	for _, want := range []string{
		"relation type FUNDED_BY: conflict: the database has it with another definition",
		`relation type TRAINS_STAFF_OF: fromKinds[0]: "Planet" is not a kind`, `type "TRAINS_STAFF_OF" is not in the vocabulary`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v\nlacks %q", err, want)
		}
	}
	if len(res.Diff.RelationTypes.Created) != 0 {
		t.Errorf("diff of a refused import: %+v", res.Diff.RelationTypes)
	}
	if snap := neo4jtest.TakeSnapshot(t); snap != before {
		t.Errorf("a refused import changed the graph: %+v → %+v", before, snap)
	}
	if got := addedTypes(); !reflect.DeepEqual(got, vocabulary) {
		t.Errorf("a refused import changed the vocabulary: %v → %v", vocabulary, got)
	}
}

// A dry run lists the types it would add and writes nothing; the
// vocabulary is the same afterwards. A type stored with the same
// definition is unchanged.
func TestImportDryRunAddsNoType(t *testing.T) {
	s := integration(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	if _, _, err := s.AddRelationType(ctx, xstamp("addRelationType"), fundedBy); err != nil {
		t.Fatal(err)
	}
	g := newGraph()
	g.RelationTypes = []store.ExportRelationType{{RelTypeInfo: trainsStaff}, {RelTypeInfo: fundedBy}}
	g.Relations = append(g.Relations, kg.Relation{
		Type: trainsStaff.Type, From: "cqvie", To: "transfer-tech",
		Evidence: kg.Evidence{DocumentID: transferDocID, Quote: "重庆工程职业技术学院与导出测试科技有限公司"},
	})
	g.Sort()
	vocabulary, version := addedTypes(), kg.VocabularyVersion()
	before := neo4jtest.TakeSnapshot(t)
	res, err := s.Import(ctx, xstamp("import"), g, store.ImportOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Diff
	if !slices.Equal(d.RelationTypes.Created, []string{"TRAINS_STAFF_OF"}) || d.RelationTypes.Unchanged != 1 ||
		!slices.Contains(d.Relations.Created, transferDocID+":cqvie:TRAINS_STAFF_OF:transfer-tech") || d.Writes() != 7 {
		t.Errorf("dry run diff: %s (%+v)", d.Summary(), d.RelationTypes)
	}
	if d.Kinds()[0].Name != "relation types" || !strings.HasPrefix(d.Summary(), "relation types 1 created, 0 changed, 1 unchanged; documents") {
		t.Errorf("the diff does not list the relation types first: %s", d.Summary())
	}
	if res.Change != nil {
		t.Error("a dry run appended a change entry")
	}
	if snap := neo4jtest.TakeSnapshot(t); snap != before {
		t.Errorf("a dry run changed the graph: %+v → %+v", before, snap)
	}
	if got := addedTypes(); !reflect.DeepEqual(got, vocabulary) {
		t.Errorf("a dry run changed the vocabulary: %v → %v", vocabulary, got)
	}
	if _, known := kg.LookupRelType(string(trainsStaff.Type)); known {
		t.Error("after a dry run the vocabulary holds the type it would add")
	}
	if kg.VocabularyVersion() < version {
		t.Error("the vocabulary version went back")
	}
	if n := run(t, `MATCH (t:RelationType) RETURN count(t)`)[0].Values[0]; n != int64(1) {
		t.Errorf("%v relation types stored after a dry run; want the one added before", n)
	}
	// An input without relation types diffs as it always did.
	if k := (store.ImportDiff{}).Kinds(); k[0].Name != "documents" || len(k) != 6 {
		t.Errorf("kinds of a diff without relation types: %v", k)
	}
}
