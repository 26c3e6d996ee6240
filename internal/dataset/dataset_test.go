package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
)

const doc = "000_c17574c6fccee1e4"

// copyData copies the repository's data directory into a temp dir.
func copyData(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := "../../data"
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func appendTo(t *testing.T, dir, rel, text string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, rel), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func TestRepositoryDataIsValid(t *testing.T) {
	g, err := Read("../../data")
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Documents) != 1 || len(g.Entities) < 80 || len(g.Relations) < 100 || len(g.Facts) < 30 {
		t.Errorf("data set too small: %d documents, %d entities, %d relations, %d facts",
			len(g.Documents), len(g.Entities), len(g.Relations), len(g.Facts))
	}
	kinds := map[kg.Kind]int{}
	for _, e := range g.Entities {
		kinds[e.Kind]++
	}
	for _, k := range kg.Kinds {
		// The seed article names no person; people come in through curation.
		if kinds[k] == 0 && k != kg.Person {
			t.Errorf("no entity of kind %s", k)
		}
	}
}

// A broken data set is refused as a whole, with one problem per mistake,
// each naming file, entry and reason.
func TestBrokenDataIsReportedWhole(t *testing.T) {
	dir := copyData(t)
	rels := filepath.Join("sources", doc, "relations.yaml")
	appendTo(t, dir, rels, `
  - from: cqvie
    type: BUILT
    to: tanzania-luban-workshop
    key: bad-quote
    quote: 重庆工程职业技术学院在月球上建设了鲁班工坊
  - from: cqvie
    type: RUNS
    to: no-such-programme
    quote: 重庆工程职业技术学院
  - from: cqvie
    type: INVENTED
    to: cqipc
    quote: 重庆工程职业技术学院
  - from: tanzania
    type: CHAIRS
    to: cqipc
    quote: 坦桑尼亚
  - from: cqvie
    type: PARTICIPATES_IN
    to: chuanyu-cup-skills-competition-1st
    key: bad-time
    at: "2024-13"
    quote: 首届“川渝杯”职业院校技能大赛
`)
	appendTo(t, dir, "entities/schools.yaml", `
  - id: cqvie
    nameZh: 重庆工程职业技术学院分身
`)
	_, err := Read(dir)
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, kg.ErrInvalidInput) {
		t.Fatalf("Read = %v, want a *ValidationError wrapping ErrInvalidInput", err)
	}
	want := []struct{ file, entry, reason string }{
		{rels, "(cqvie BUILT tanzania-luban-workshop)", "not a verbatim substring"},
		{rels, "(cqvie RUNS no-such-programme)", `to "no-such-programme": no such entity`},
		{rels, "(cqvie INVENTED cqipc)", `type "INVENTED" is not in the vocabulary`},
		{rels, "(tanzania CHAIRS cqipc)", "CHAIRS does not allow Country → School"},
		{rels, "(cqvie PARTICIPATES_IN chuanyu-cup-skills-competition-1st)", "month must be 01–12"},
		{"entities/schools.yaml", "(cqvie)", `duplicate id "cqvie"`},
	}
	for _, w := range want {
		found := false
		for _, p := range ve.Problems {
			if p.File == w.file && strings.Contains(p.Entry, w.entry) && strings.Contains(p.Reason, w.reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem reported for %s %s (%s); got:\n%v", w.file, w.entry, w.reason, err)
		}
	}
	if len(ve.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(ve.Problems), len(want), err)
	}
}

func TestValidationRules(t *testing.T) {
	for _, tc := range []struct {
		name, file, text, reason string
	}{
		{"shared alias", "entities/schools.yaml", "\n  - id: other-school\n    nameZh: 重庆工程职院\n", "is also used by"},
		{"name not in any document", "entities/schools.yaml", "\n  - id: ghost-school\n    nameZh: 不存在的学院\n", "occurs verbatim"},
		{"bad id", "entities/schools.yaml", "\n  - id: Bad_ID\n    nameZh: 渝北区职校\n", "lower-kebab-case"},
		{"country without iso", "entities/countries.yaml", "\n  - id: laos-2\n    nameZh: 老挝2\n", "iso2"},
		{"field of another kind", "entities/schools.yaml", "\n  - id: school-x\n    nameZh: 学堂在线学院\n    iso2: XX\n", "not allowed on kind School"},
		{"unknown YAML field", "entities/schools.yaml", "\n  - id: school-y\n    nameZh: 重庆\n    colour: red\n", "invalid YAML"},
		{
			"fact without qualifier", filepath.Join("sources", doc, "facts.yaml"),
			"\n  - id: f-x\n    subject: cqvie\n    label: {zh: 次, en: times}\n    value: 3\n    unit: time\n    quote: 3届\n", "qualifier",
		},
		{
			"since after until", filepath.Join("sources", doc, "relations.yaml"),
			"\n  - from: cqvie\n    type: PARTICIPATES_IN\n    to: chuanyu-cup-skills-competition-1st\n    key: x\n    since: \"2024\"\n    until: \"2020\"\n    quote: 首届“川渝杯”职业院校技能大赛\n", "before since",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyData(t)
			appendTo(t, dir, tc.file, tc.text)
			_, err := Read(dir)
			if err == nil || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Read = %v, want a problem containing %q", err, tc.reason)
			}
		})
	}
}
