package transfer

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// These tests need no database.

const dataDir = "../../data"

// tricky are strings a naive writer gets wrong: YAML indicators and
// keywords, numbers and dates, quotes, XML and CSV specials, newlines,
// tabs, non-BMP characters, full-width punctuation, leading and trailing
// spaces.
var tricky = []string{
	"yes", "No", "null", "~", "- x", "a: b", "#c", "x #y", "'q'", `"dq"`, " lead", "trail ", "multi\nline",
	"tab\there", "123", "1e3", "2024-05", "@x", "`b", "[x]", "{y}", "a,b", "a;b", "<tag>&amp;", "Xi'an", "😀 emoji", "全角：冒号；分号",
	"“引号”《书名》", "back\\slash", "cr\rlf", "\u00a0nbsp", "\u3000全角空格", "true", "TRUE", "on", "%pct", "&anchor", "*alias", "!tag", "|pipe", ">gt", "?q", ",c",
}

// sample is a small graph with every field set somewhere and tricky text.
func sample() *store.ExportGraph {
	at, _ := kg.ParsePartialDate("2019")
	since, _ := kg.ParsePartialDate("2024-05-12")
	until, _ := kg.ParsePartialDate("2024~late")
	text := "正文：甲学院与乙公司签署合作协议。\n甲学院位于重庆。\n已培养700余名人才。\n" + strings.Join(tricky, "\n")
	g := &store.ExportGraph{
		Documents: []store.ExportDocument{
			{Document: kg.Document{
				ID: "doc_a", Title: "标题: 测试 #1", Publisher: "出版者", Date: "2024-05", Language: "zh",
				URL: "https://example.com/a?x=1&y=2", Text: text,
			}, Origin: kg.OriginAPI},
			{Document: kg.Document{ID: "doc_b", Title: "Second", Language: "en", Text: "B text.\nNo trailing newline"}, Origin: kg.OriginData},
		},
		Entities: []store.ExportEntity{
			{Entity: kg.Entity{
				ID: "jia-college", Kind: kg.School, NameZh: "甲学院", NameEn: "Jia College", NameEnOfficial: true,
				Aliases: tricky, Description: kg.Names{Zh: "描述\n第二行", En: "yes: a description, with commas"},
				City: "Chongqing", SchoolType: "higher vocational college", Version: 3,
			}, Origin: kg.OriginAPI},
			{Entity: kg.Entity{ID: "yi-company", Kind: kg.Enterprise, NameZh: "乙公司", NameEn: "Yi Co.", City: "123", Description: kg.Names{En: `A company, "quoted" [x] {y} a;b!? end`}}, Origin: kg.OriginData},
			{Entity: kg.Entity{ID: "chongqing", Kind: kg.Region, NameZh: "重庆", RegionType: "municipality"}, Origin: kg.OriginData},
			{Entity: kg.Entity{ID: "china", Kind: kg.Country, NameZh: "中国", NameEn: "China", NameEnOfficial: true, ISO2: "CN", ISO3: "CHN"}, Origin: kg.OriginData},
		},
		Relations: []kg.Relation{
			{
				ID: "doc_a:jia-college:SIGNED_AGREEMENT_WITH:yi-company", Type: kg.SignedAgreementWith, From: "jia-college", To: "yi-company",
				At: &at, Detail: kg.Names{Zh: "合作协议", En: "a: cooperation, agreement"},
				Evidence:     kg.Evidence{DocumentID: "doc_a", Quote: "甲学院与乙公司签署合作协议"},
				MoreEvidence: []kg.Evidence{{DocumentID: "doc_b", Quote: "B text."}}, Rank: kg.RankPreferred, Origin: kg.OriginAPI,
			},
			{
				ID: "doc_a:jia-college:LOCATED_IN:chongqing#second", Type: kg.LocatedIn, From: "jia-college", To: "chongqing",
				Since: &since, Until: &until, Evidence: kg.Evidence{DocumentID: "doc_a", Quote: "甲学院位于重庆"}, Origin: kg.OriginData,
			},
			{
				ID: "api:jia-college:LOCATED_IN:chongqing@2019", Type: kg.LocatedIn, From: "jia-college", To: "chongqing", At: &at,
				Evidence: kg.Evidence{DocumentID: "doc_a", Quote: "a,b"}, SameAs: "doc_a:jia-college:LOCATED_IN:chongqing#second", Origin: kg.OriginAPI,
			},
		},
		Facts: []kg.Fact{
			{
				ID: "jia-college-talents", Subject: "jia-college", Label: kg.Names{Zh: "培养人才", En: "talents trained"}, Value: 700,
				Unit: "person", Qualifier: kg.MoreThan, At: &at, Period: kg.Names{Zh: "近5年", En: "in the last 5 years"},
				Evidence: kg.Evidence{DocumentID: "doc_a", Quote: "已培养700余名人才"}, Origin: kg.OriginData,
			},
			{
				ID: "jia-college-share", Subject: "jia-college", Label: kg.Names{Zh: "比例", En: "share"}, Value: 0.1,
				Unit: "percent", Qualifier: kg.About, Evidence: kg.Evidence{DocumentID: "doc_b", Quote: "No trailing"},
				MoreEvidence: []kg.Evidence{{DocumentID: "doc_a", Quote: "1e3"}}, Rank: kg.RankDeprecated, SameAs: "jia-college-talents", Origin: kg.OriginAPI,
			},
			{
				ID: "yi-company-zero", Subject: "yi-company", Label: kg.Names{Zh: "零", En: "zero"}, Value: 0, Unit: "item", Qualifier: kg.Exact,
				Evidence: kg.Evidence{DocumentID: "doc_b", Quote: "B text."}, Origin: kg.OriginData,
			},
		},
		Retracted: []store.Retraction{
			{
				Relation: &kg.Relation{
					ID: "doc_a:jia-college:MEMBER_OF:jia-college", Type: kg.MemberOf, From: "jia-college", To: "jia-college",
					Evidence: kg.Evidence{DocumentID: "doc_a", Quote: "甲学院"}, Origin: kg.OriginData,
				},
				At: time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC), By: "Li Wei", Reason: "merge made it a self-link: yes",
			},
			{
				Fact: &kg.Fact{
					ID: "yi-company-old", Subject: "yi-company", Label: kg.Names{Zh: "旧", En: "old"}, Value: -2.5, Unit: "year",
					Qualifier: kg.Nearly, Evidence: kg.Evidence{DocumentID: "doc_b", Quote: "B"}, Origin: kg.OriginAPI,
				},
				At: time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC), By: "admin", Reason: "wrong\nnumber",
			},
		},
		Redirects: []store.Redirect{{ID: "jia-old", To: "jia-college", NameZh: "甲旧名", At: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), By: "admin"}},
	}
	g.Sort()
	return g
}

func TestYAMLRoundTrip(t *testing.T) {
	g := sample()
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteYAML(dir, g); err != nil {
		t.Fatal(err)
	}
	back, err := ReadYAML(dir)
	if err != nil {
		t.Fatalf("ReadYAML: %v", err)
	}
	if !reflect.DeepEqual(back, g) {
		t.Errorf("YAML round trip changed the graph:\n got %+v\nwant %+v", back, g)
	}
	dir2 := filepath.Join(t.TempDir(), "again")
	if err := WriteYAML(dir2, back); err != nil {
		t.Fatal(err)
	}
	assertSameTree(t, dir, dir2)
	if err := WriteYAML(dir, g); err == nil {
		t.Error("WriteYAML into a non-empty directory: accepted")
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	g := sample()
	var b bytes.Buffer
	if err := WriteJSONL(&b, g); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSONL(bytes.NewReader(b.Bytes()), "g.jsonl")
	if err != nil {
		t.Fatalf("ReadJSONL: %v", err)
	}
	if !reflect.DeepEqual(back, g) {
		t.Errorf("JSONL round trip changed the graph:\n got %+v\nwant %+v", back, g)
	}
	var b2 bytes.Buffer
	if err := WriteJSONL(&b2, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), b2.Bytes()) {
		t.Error("JSONL written twice differs")
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if want := 2 + 4 + 3 + 3 + 2 + 1; len(lines) != want {
		t.Errorf("%d lines, want %d", len(lines), want)
	}
	if !strings.HasPrefix(lines[0], `{"type":"document","id":"doc_a"`) || !strings.Contains(b.String(), `"<tag>&amp;"`) {
		t.Errorf("first line %s; want a document first and no HTML escaping", lines[0])
	}
}

func TestJSONLRefusesBadLines(t *testing.T) {
	for name, tc := range map[string]struct{ input, want string }{
		"unknown record type": {`{"type":"person","id":"x"}`, `unknown record type "person"`},
		"no type":             {`{"id":"x"}`, `"type" is required`},
		"unknown field":       {`{"type":"entity","id":"x","kind":"School","nameZh":"甲","colour":"red","origin":"api"}`, `unknown field "colour"`},
		"not JSON":            {`{"type":"entity",`, "not a JSON object"},
		"invalid UTF-8":       {"{\"type\":\"entity\",\"id\":\"x\",\"kind\":\"School\",\"nameZh\":\"\xff\",\"origin\":\"api\"}", "not valid UTF-8"},
		"lone surrogate":      {`{"type":"entity","id":"x","kind":"School","nameZh":"\ud800","origin":"api"}`, "lone surrogate"},
		"no evidence":         {`{"type":"relation","id":"d:a:BUILT:b","relType":"BUILT","from":"a","to":"b","evidence":[],"origin":"api"}`, "evidence is required"},
		"fact without value":  {`{"type":"fact","id":"f","subject":"a","labelZh":"甲","labelEn":"a","unit":"item","qualifier":"EXACT","evidence":[{"document":"d","quote":"q"}],"origin":"api"}`, "value is required"},
		"bad date":            {`{"type":"relation","id":"d:a:BUILT:b","relType":"BUILT","from":"a","to":"b","at":"2024-13","evidence":[{"document":"d","quote":"q"}],"origin":"api"}`, "month must be"},
		"retracted, no kind":  {`{"type":"retracted","id":"f","evidence":[{"document":"d","quote":"q"}],"origin":"api"}`, `"statement"`},
	} {
		_, err := ReadJSONL(strings.NewReader("\n"+tc.input+"\n"), "in.jsonl")
		var re ReadErrors
		if !errors.As(err, &re) || !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("%s: err = %v; want ReadErrors", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "in.jsonl:2: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want line 2 and %q", name, err, tc.want)
		}
	}
	// A valid surrogate pair is a character, not a problem.
	g, err := ReadJSONL(strings.NewReader(`{"type":"entity","id":"x","kind":"School","nameZh":"\ud83d\ude00","origin":"api"}`), "ok.jsonl")
	if err != nil || g.Entities[0].NameZh != "😀" {
		t.Errorf("surrogate pair: %v %+v", err, g)
	}
}

// The repository's data files read through ReadYAML, written by WriteYAML,
// are still a valid data directory that the loader reads as the same graph.
func TestYAMLExportOfDataIsADataDirectory(t *testing.T) {
	g, err := ReadYAML(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "data")
	if err := WriteYAML(out, g); err != nil {
		t.Fatal(err)
	}
	want, err := dataset.Read(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := dataset.Read(out)
	if err != nil {
		t.Fatalf("dataset.Read(export): %v", err)
	}
	if len(got.Entities) != len(want.Entities) || len(got.Relations) != len(want.Relations) || len(got.Facts) != len(want.Facts) ||
		len(got.Documents) != len(want.Documents) {
		t.Fatalf("export read as %d/%d/%d/%d entities/relations/facts/documents; data has %d/%d/%d/%d",
			len(got.Entities), len(got.Relations), len(got.Facts), len(got.Documents),
			len(want.Entities), len(want.Relations), len(want.Facts), len(want.Documents))
	}
	byID := func(rs []kg.Relation) map[string]kg.Relation {
		m := map[string]kg.Relation{}
		for _, r := range rs {
			m[r.ID] = r
		}
		return m
	}
	gotRels := byID(got.Relations)
	for _, r := range want.Relations {
		if !reflect.DeepEqual(gotRels[r.ID], r) {
			t.Errorf("relation %s: export reads as %+v, data as %+v", r.ID, gotRels[r.ID], r)
		}
	}
	gotEnts := map[string]kg.Entity{}
	for _, e := range got.Entities {
		gotEnts[e.ID] = e
	}
	for _, e := range want.Entities {
		if !reflect.DeepEqual(gotEnts[e.ID], e) {
			t.Errorf("entity %s: export reads as %+v, data as %+v", e.ID, gotEnts[e.ID], e)
		}
	}
	gotFacts := map[string]kg.Fact{}
	for _, f := range got.Facts {
		gotFacts[f.ID] = f
	}
	for _, f := range want.Facts {
		if !reflect.DeepEqual(gotFacts[f.ID], f) {
			t.Errorf("fact %s: export reads as %+v, data as %+v", f.ID, gotFacts[f.ID], f)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "curation.yaml")); err == nil {
		t.Error("curation.yaml written for data without curation")
	}
}

func TestYAMLReaderProblems(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "in")
	if err := WriteYAML(dir, sample()); err != nil {
		t.Fatal(err)
	}
	appendFile(t, filepath.Join(dir, "sources", "doc_a", "relations.yaml"), "\n  - from: a\n    type: BUILT\n    to: b\n    colour: red\n")
	if err := os.WriteFile(filepath.Join(dir, "sources", "doc_b", "facts.yaml"), []byte("facts:\n  - id: \xff\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadYAML(dir)
	if !errors.Is(err, kg.ErrInvalidInput) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"sources/doc_a/relations.yaml: invalid YAML", "colour", "sources/doc_b/facts.yaml: is not valid UTF-8"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v\nlacks %q", err, want)
		}
	}
}

func TestGraphMLIsValidXML(t *testing.T) {
	for _, docs := range []bool{false, true} {
		var b bytes.Buffer
		g := sample()
		if err := WriteGraphML(&b, g, GraphMLOptions{Documents: docs}); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			XMLName xml.Name `xml:"graphml"`
			Keys    []struct {
				ID   string `xml:"id,attr"`
				For  string `xml:"for,attr"`
				Name string `xml:"attr.name,attr"`
				Type string `xml:"attr.type,attr"`
			} `xml:"key"`
			Graph struct {
				EdgeDefault string `xml:"edgedefault,attr"`
				Nodes       []struct {
					ID   string `xml:"id,attr"`
					Data []struct {
						Key   string `xml:"key,attr"`
						Value string `xml:",chardata"`
					} `xml:"data"`
				} `xml:"node"`
				Edges []struct {
					Source string `xml:"source,attr"`
					Target string `xml:"target,attr"`
					Data   []struct {
						Key   string `xml:"key,attr"`
						Value string `xml:",chardata"`
					} `xml:"data"`
				} `xml:"edge"`
			} `xml:"graph"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("documents=%v: not XML: %v", docs, err)
		}
		declared := map[string]string{}
		for _, k := range doc.Keys {
			declared[k.ID] = k.For
		}
		nodes := map[string]map[string]string{}
		for _, n := range doc.Graph.Nodes {
			nodes[n.ID] = map[string]string{}
			for _, d := range n.Data {
				if declared[d.Key] != "node" {
					t.Errorf("node %s: data key %q is not declared for nodes", n.ID, d.Key)
				}
				nodes[n.ID][d.Key] = d.Value
			}
		}
		wantNodes := len(g.Entities)
		if docs {
			wantNodes += len(g.Documents)
		}
		if len(nodes) != wantNodes {
			t.Errorf("documents=%v: %d nodes, want %d", docs, len(nodes), wantNodes)
		}
		if got := nodes["jia-college"]["n_aliases"]; got != strings.Join(tricky, "; ") {
			t.Errorf("aliases read back as %q", got)
		}
		if got := nodes["jia-college"]["n_descriptionZh"]; got != "描述\n第二行" {
			t.Errorf("a newline in a value read back as %q", got)
		}
		for _, e := range doc.Graph.Edges {
			if nodes[e.Source] == nil || nodes[e.Target] == nil {
				t.Errorf("edge %s → %s: an end is no node", e.Source, e.Target)
			}
			for _, d := range e.Data {
				if declared[d.Key] != "edge" {
					t.Errorf("edge: data key %q is not declared for edges", d.Key)
				}
			}
		}
		if wantEdges := len(g.Relations); !docs && len(doc.Graph.Edges) != wantEdges {
			t.Errorf("%d edges, want %d", len(doc.Graph.Edges), wantEdges)
		}
	}
}

func TestCSVForNeo4jAdmin(t *testing.T) {
	g := sample()
	jia := &g.Entities[indexOf(g, "jia-college")]
	jia.Aliases = []string{"甲", "JIA", "a,b", `q"uote`, "new\nline"}
	files, err := CSVFilesOf(g, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) [][]string {
		r := csv.NewReader(bytes.NewReader(files[name]))
		recs, err := r.ReadAll() // also checks every row has the header's number of fields
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return recs
	}
	nodes := read("nodes.csv")
	if h := strings.Join(nodes[0], ","); !strings.HasPrefix(h, "id:ID(Entity),:LABEL,kind,nameZh,nameEn,nameEnOfficial:boolean,aliases:string[],") {
		t.Errorf("nodes.csv header %s", h)
	}
	if len(nodes) != 1+len(g.Entities) {
		t.Errorf("nodes.csv has %d rows", len(nodes))
	}
	col := func(rec []string, header []string, name string) string {
		for i, h := range header {
			if h == name {
				return rec[i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	for _, rec := range nodes[1:] {
		if rec[0] == "jia-college" {
			if got := col(rec, nodes[0], "aliases:string[]"); got != "甲;JIA;a,b;q\"uote;new\nline" {
				t.Errorf("aliases field %q", got)
			}
			if rec[1] != "Entity;School" {
				t.Errorf(":LABEL %q", rec[1])
			}
		}
	}
	rels := read("relationships.csv")
	if h := strings.Join(rels[0][:3], ","); h != ":START_ID(Entity),:END_ID(Entity),:TYPE" || len(rels) != 1+len(g.Relations) {
		t.Errorf("relationships.csv: header %s, %d rows", h, len(rels))
	}
	for _, rec := range rels[1:] {
		if rec[3] == "doc_a:jia-college:LOCATED_IN:chongqing#second" {
			if got := col(rec, rels[0], "fromDate:date") + " " + col(rec, rels[0], "toDate:date"); got != "2024-05-12 2024-12-31" {
				t.Errorf("derived dates %q", got)
			}
		}
	}
	for _, name := range []string{"documents.csv", "facts.csv", "names.csv", "fact_of.csv", "stated_in.csv", "mentioned_in.csv", "name_of.csv"} {
		if recs := read(name); len(recs) < 2 {
			t.Errorf("%s: %d rows", name, len(recs))
		}
	}
	jia.Aliases = []string{"a;b"}
	if _, err := CSVFilesOf(g, CSVOptions{}); err == nil || !strings.Contains(err.Error(), "array delimiter") {
		t.Errorf("an alias holding the delimiter: %v", err)
	}
	if _, err := CSVFilesOf(g, CSVOptions{ArrayDelimiter: '|'}); err != nil {
		t.Errorf("with another delimiter: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "csv")
	if err := WriteCSV(dir, g, CSVOptions{ArrayDelimiter: '|'}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(CSVFiles.Nodes)+len(CSVFiles.Relationships) {
		t.Errorf("%d files written", len(entries))
	}
}

func TestYAMLScalar(t *testing.T) {
	for _, s := range append(tricky, "重庆工程职业技术学院", "Chongqing Vocational Institute of Engineering", "") {
		for _, got := range []string{yamlScalar(s), yamlFlowScalar(s)} {
			if plain := !strings.HasPrefix(got, `"`); plain && s != got {
				t.Errorf("yamlScalar(%q) = %q", s, got)
			}
		}
	}
	for s, wantPlain := range map[string][2]bool{
		"重庆工程职院": {true, true}, "CQVIE": {true, true}, "Xi'an": {true, true},
		"A college, in Chongqing": {true, false}, `He said "x"`: {true, false}, "a;b": {true, true},
		"yes": {false, false}, "2024": {false, false}, "a: b": {false, false}, "a #b": {false, false}, "": {false, false},
	} {
		if got := !strings.HasPrefix(yamlScalar(s), `"`); got != wantPlain[0] {
			t.Errorf("yamlScalar(%q) = %s; plain %v, want %v", s, yamlScalar(s), got, wantPlain[0])
		}
		if got := !strings.HasPrefix(yamlFlowScalar(s), `"`); got != wantPlain[1] {
			t.Errorf("yamlFlowScalar(%q) = %s; plain %v, want %v", s, yamlFlowScalar(s), got, wantPlain[1])
		}
	}
}

func assertSameTree(t *testing.T, a, b string) {
	t.Helper()
	files := func(root string) map[string][]byte {
		m := map[string][]byte{}
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				m[rel], _ = os.ReadFile(p)
			}
			return nil
		})
		return m
	}
	fa, fb := files(a), files(b)
	if len(fa) != len(fb) {
		t.Errorf("%d files vs %d", len(fa), len(fb))
	}
	for name, x := range fa {
		if !bytes.Equal(x, fb[name]) {
			t.Errorf("%s differs:\n%s\n---\n%s", name, x, fb[name])
		}
	}
}

func appendFile(t *testing.T, p, s string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func indexOf(g *store.ExportGraph, id string) int {
	for i, e := range g.Entities {
		if e.ID == id {
			return i
		}
	}
	panic("no entity " + id)
}

// withAddedTypes adds to g two relationship types an admin added (neither
// in the process's vocabulary) and relations of them, live and retracted.
func withAddedTypes(g *store.ExportGraph) *store.ExportGraph {
	g.RelationTypes = []store.ExportRelationType{
		{
			RelTypeInfo: kg.RelTypeInfo{
				Type: "TRAINS_STAFF_OF", Zh: "为…培训员工", En: "trains the staff of", InverseZh: "的员工由…培训",
				InverseEn: "has its staff trained by", From: []kg.Kind{kg.School}, To: []kg.Kind{kg.Enterprise, kg.Organization},
				Example: `(甲学院)-[:TRAINS_STAFF_OF]->(乙公司): "订单班", a: b #1`,
			},
			AddedAt: time.Date(2026, 1, 2, 3, 4, 5, 600000000, time.UTC), AddedBy: "admin: Li Wei",
		},
		{
			RelTypeInfo: kg.RelTypeInfo{
				Type: "FUNDED_BY", Zh: "由…资助", En: "is funded by", InverseZh: "资助", InverseEn: "funds",
				From: []kg.Kind{kg.Program, kg.School}, To: []kg.Kind{kg.Organization},
			},
			AddedAt: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), AddedBy: "admin",
		},
	}
	g.Relations = append(g.Relations, kg.Relation{
		ID: "doc_a:jia-college:TRAINS_STAFF_OF:yi-company", Type: "TRAINS_STAFF_OF",
		From: "jia-college", To: "yi-company", Evidence: kg.Evidence{DocumentID: "doc_a", Quote: "甲学院与乙公司"}, Origin: kg.OriginAPI,
	})
	g.Retracted = append(g.Retracted, store.Retraction{
		Relation: &kg.Relation{
			ID: "doc_b:jia-college:FUNDED_BY:chongqing", Type: "FUNDED_BY",
			From: "jia-college", To: "chongqing", Evidence: kg.Evidence{DocumentID: "doc_b", Quote: "B text."}, Origin: kg.OriginAPI,
		},
		At: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), By: "admin", Reason: "wrong type",
	})
	g.Sort()
	return g
}

// A graph that uses added relationship types carries them: YAML in
// relation-types.yaml, JSON Lines as relationType records first; both read
// back to the same graph and bytes. A graph without added types has
// neither.
func TestAddedRelationTypesRoundTrip(t *testing.T) {
	if _, known := kg.LookupRelType("TRAINS_STAFF_OF"); known {
		t.Fatal("TRAINS_STAFF_OF is in the vocabulary: the test needs a type the process does not know")
	}
	g := withAddedTypes(sample())
	if g.RelationTypes[0].Type != "TRAINS_STAFF_OF" {
		t.Fatalf("Sort: relation types %v; want oldest first", g.RelationTypes)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteYAML(dir, g); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, RelationTypesFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"relationTypes:\n  - type: TRAINS_STAFF_OF\n    zh: 为…培训员工\n", "    fromKinds: [School]\n    toKinds: [Enterprise, Organization]\n",
		`    addedAt: "2026-01-02T03:04:05.6Z"` + "\n    addedBy: \"admin: Li Wei\"\n\n  - type: FUNDED_BY\n",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q:\n%s", RelationTypesFile, want, b)
		}
	}
	back, err := ReadYAML(dir)
	if err != nil {
		t.Fatalf("ReadYAML: %v", err)
	}
	if !reflect.DeepEqual(back, g) {
		t.Errorf("YAML round trip changed the graph:\n got %+v\nwant %+v", back.RelationTypes, g.RelationTypes)
	}
	dir2 := filepath.Join(t.TempDir(), "again")
	if err := WriteYAML(dir2, back); err != nil {
		t.Fatal(err)
	}
	assertSameTree(t, dir, dir2)

	var j bytes.Buffer
	if err := WriteJSONL(&j, g); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(j.String(), "\n"), "\n")
	if want := `{"type":"relationType","relType":"TRAINS_STAFF_OF","zh":"为…培训员工","en":"trains the staff of","inverseZh":"的员工由…培训","inverseEn":"has its staff trained by","fromKinds":["School"],"toKinds":["Enterprise","Organization"],"example":"(甲学院)-[:TRAINS_STAFF_OF]->(乙公司): \"订单班\", a: b #1","addedAt":"2026-01-02T03:04:05.6Z","addedBy":"admin: Li Wei"}`; lines[0] != want {
		t.Errorf("first line\n%s\nwant\n%s", lines[0], want)
	}
	if !strings.HasPrefix(lines[1], `{"type":"relationType","relType":"FUNDED_BY"`) || !strings.HasPrefix(lines[2], `{"type":"document"`) {
		t.Errorf("the relation types do not come first, oldest first: %s / %s", lines[1], lines[2])
	}
	jback, err := ReadJSONL(bytes.NewReader(j.Bytes()), "g.jsonl")
	if err != nil {
		t.Fatalf("ReadJSONL: %v", err)
	}
	if !reflect.DeepEqual(jback, g) {
		t.Errorf("JSONL round trip changed the graph:\n got %+v\nwant %+v", jback.RelationTypes, g.RelationTypes)
	}
	var j2 bytes.Buffer
	if err := WriteJSONL(&j2, jback); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(j.Bytes(), j2.Bytes()) {
		t.Error("JSONL written twice differs")
	}

	// Without added types: no file, no record.
	files, err := YAMLFiles(sample())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files[RelationTypesFile]; ok {
		t.Errorf("%s written for a graph without added types", RelationTypesFile)
	}
	j.Reset()
	if err := WriteJSONL(&j, sample()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(j.String(), `"relationType"`) {
		t.Error("a relationType record written for a graph without added types")
	}
}

// A relation whose type is neither in the vocabulary nor defined by the
// input is refused by the readers, naming the file and line.
func TestReadersRefuseUnknownRelationType(t *testing.T) {
	g := withAddedTypes(sample())
	var j bytes.Buffer
	if err := WriteJSONL(&j, g); err != nil {
		t.Fatal(err)
	}
	// Without the relationType records, the relations of those types are
	// unknown: the live one and the retracted one, each at its line.
	var kept []string
	lineOf := map[string]int{}
	for _, l := range strings.Split(strings.TrimSuffix(j.String(), "\n"), "\n") {
		if strings.HasPrefix(l, `{"type":"relationType"`) {
			continue
		}
		kept = append(kept, l)
		for _, typ := range []string{"TRAINS_STAFF_OF", "FUNDED_BY"} {
			if strings.Contains(l, `"relType":"`+typ+`"`) {
				lineOf[typ] = len(kept)
			}
		}
	}
	_, err := ReadJSONL(strings.NewReader(strings.Join(kept, "\n")+"\n"), "in.jsonl")
	var re ReadErrors
	if !errors.As(err, &re) || !errors.Is(err, kg.ErrInvalidInput) || len(re) != 2 {
		t.Fatalf("err = %v; want two ReadErrors", err)
	}
	for i, typ := range []string{"TRAINS_STAFF_OF", "FUNDED_BY"} {
		if want := fmt.Sprintf(`in.jsonl:%d: relationship type %q is not in the vocabulary, and no relationType record defines it`, lineOf[typ], typ); re[i].Error() != want {
			t.Errorf("problem %d: %s\nwant %s", i, re[i], want)
		}
	}

	dir := filepath.Join(t.TempDir(), "in")
	if err := WriteYAML(dir, g); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, RelationTypesFile)); err != nil {
		t.Fatal(err)
	}
	rels, _ := os.ReadFile(filepath.Join(dir, "sources", "doc_a", "relations.yaml"))
	line := 1 + strings.Count(string(rels[:bytes.Index(rels, []byte("type: TRAINS_STAFF_OF"))]), "\n")
	cur, _ := os.ReadFile(filepath.Join(dir, "curation.yaml"))
	curLine := 1 + strings.Count(string(cur[:bytes.Index(cur, []byte("type: FUNDED_BY"))]), "\n")
	_, err = ReadYAML(dir)
	if !errors.As(err, &re) || len(re) != 2 {
		t.Fatalf("err = %v; want two ReadErrors", err)
	}
	for i, want := range []string{
		fmt.Sprintf(`sources/doc_a/relations.yaml:%d: relations[3] (jia-college TRAINS_STAFF_OF yi-company): relationship type "TRAINS_STAFF_OF" is not in the vocabulary, and relation-types.yaml does not define it`, line),
		fmt.Sprintf(`curation.yaml:%d: retractedRelations[1] (doc_b:jia-college:FUNDED_BY:chongqing): relationship type "FUNDED_BY" is not in the vocabulary, and relation-types.yaml does not define it`, curLine),
	} {
		if re[i].Error() != want {
			t.Errorf("problem %d: %s\nwant %s", i, re[i], want)
		}
	}
}

// relation-types.yaml and relationType records are read strictly: unknown
// fields, a missing name and a bad time are refused with file and line.
func TestReadersCheckRelationTypeRecords(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "in")
	if err := WriteYAML(dir, withAddedTypes(sample())); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, RelationTypesFile)
	b, _ := os.ReadFile(p)
	bad := strings.Replace(string(b), "  - type: FUNDED_BY\n", "  - type: \"\"\n", 1)
	bad = strings.Replace(bad, `addedAt: "2026-01-02T03:04:05.6Z"`, `addedAt: "2 January 2026"`, 1)
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	line := func(s string) int { return 1 + strings.Count(bad[:strings.Index(bad, s)], "\n") }
	_, err := ReadYAML(dir)
	for _, want := range []string{
		fmt.Sprintf(`relation-types.yaml:%d: relationTypes[0] (TRAINS_STAFF_OF): addedAt "2 January 2026": want an RFC 3339 time`, line("addedAt: \"2 January")),
		fmt.Sprintf(`relation-types.yaml:%d: relationTypes[1] (): type is required`, line(`type: ""`)),
		`curation.yaml:`, // its FUNDED_BY relation: no type of that name now
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v\nlacks %q", err, want)
		}
	}
	if err := os.WriteFile(p, append(b, "    colour: red\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadYAML(dir); err == nil || !strings.Contains(err.Error(), "relation-types.yaml: invalid YAML") || !strings.Contains(err.Error(), "colour") {
		t.Errorf("unknown field: %v", err)
	}

	for name, tc := range map[string]struct{ input, want string }{
		"unknown field": {`{"type":"relationType","relType":"FUNDED_BY","zh":"由…资助","en":"is funded by","inverseZh":"资助","inverseEn":"funds","fromKinds":["School"],"toKinds":["Organization"],"colour":"red"}`, `unknown field "colour"`},
		"no name":       {`{"type":"relationType","zh":"由…资助","en":"is funded by","inverseZh":"资助","inverseEn":"funds","fromKinds":["School"],"toKinds":["Organization"]}`, "relType is required"},
		"bad time":      {`{"type":"relationType","relType":"FUNDED_BY","zh":"由…资助","en":"is funded by","inverseZh":"资助","inverseEn":"funds","fromKinds":["School"],"toKinds":["Organization"],"addedAt":"yesterday"}`, `addedAt "yesterday"`},
		"kinds as text": {`{"type":"relationType","relType":"FUNDED_BY","zh":"由…资助","en":"is funded by","inverseZh":"资助","inverseEn":"funds","fromKinds":"School","toKinds":["Organization"]}`, "cannot unmarshal"},
	} {
		_, err := ReadJSONL(strings.NewReader("\n"+tc.input+"\n"), "in.jsonl")
		if !errors.Is(err, kg.ErrInvalidInput) || !strings.Contains(err.Error(), "in.jsonl:2: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want line 2 and %q", name, err, tc.want)
		}
	}
}

// GraphML labels an added type's edges from the graph's own definition
// (the process's vocabulary does not know it); CSV writes its relations
// like any other.
func TestGraphMLAndCSVWithAddedType(t *testing.T) {
	g := withAddedTypes(sample())
	var b bytes.Buffer
	if err := WriteGraphML(&b, g, GraphMLOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Edges []struct {
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"graph>edge"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range doc.Edges {
		d := map[string]string{}
		for _, x := range e.Data {
			d[x.Key] = x.Value
		}
		if d["e_type"] == "TRAINS_STAFF_OF" {
			found = true
			if d["e_label"] != "TRAINS_STAFF_OF" || d["e_labelZh"] != "为…培训员工" || d["e_labelEn"] != "trains the staff of" {
				t.Errorf("edge of an added type: %v", d)
			}
		}
	}
	if !found || len(doc.Edges) != len(g.Relations) {
		t.Errorf("%d edges, want %d with the added type's", len(doc.Edges), len(g.Relations))
	}
	g.Entities[indexOf(g, "jia-college")].Aliases = []string{"甲"} // none holding the array delimiter
	files, err := CSVFilesOf(g, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files["relationships.csv"], []byte("jia-college,yi-company,TRAINS_STAFF_OF,doc_a:jia-college:TRAINS_STAFF_OF:yi-company,")) {
		t.Errorf("relationships.csv lacks the added type's relation:\n%s", files["relationships.csv"])
	}
}
