// Package dataset provides reading and validation of vetgraph's data files:
// entities per kind under data/entities/, and per source document under
// data/sources/<documentID>/ its metadata, full text, relations and facts.
// The format is documented in docs/data-format.md.
//
// Read validates the files as a whole and returns every problem at once (file,
// entry, reason); a Graph is returned only when there are none, so nothing
// invalid ever reaches the store.
package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Graph is a validated data set, ready to write.
type Graph struct {
	Documents []kg.Document
	Entities  []kg.Entity
	Relations []kg.Relation
	Facts     []kg.Fact
	// Mentions maps a document id to the ids of the entities its relations
	// and facts name, sorted.
	Mentions map[string][]string
}

// Problem is one thing wrong with the data files.
type Problem struct {
	File   string // path relative to the data directory
	Entry  string // e.g. `relations[3] (cqvie BUILT tanzania-luban-workshop)`; empty for the whole file
	Reason string
}

func (p Problem) String() string {
	if p.Entry == "" {
		return fmt.Sprintf("%s: %s", p.File, p.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, p.Entry, p.Reason)
}

// ValidationError lists every problem found; it wraps kg.ErrInvalidInput.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "data files have %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, kg.ErrInvalidInput) true.
func (e *ValidationError) Unwrap() error { return kg.ErrInvalidInput }

// File shapes (YAML). Unknown fields are errors.

type entityFile struct {
	Kind     string       `yaml:"kind"`
	Entities []entityYAML `yaml:"entities"`
}

type namesYAML struct {
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
}

type entityYAML struct {
	ID           string    `yaml:"id"`
	NameZh       string    `yaml:"nameZh"`
	NameEn       string    `yaml:"nameEn"`
	NameEnMadeUp bool      `yaml:"nameEnMadeUp"`
	Aliases      []string  `yaml:"aliases"`
	Description  namesYAML `yaml:"description"`
	City         string    `yaml:"city"`
	SchoolType   string    `yaml:"schoolType"`
	ISO2         string    `yaml:"iso2"`
	ISO3         string    `yaml:"iso3"`
	Category     string    `yaml:"category"`
	Start        string    `yaml:"start"`
	RegionType   string    `yaml:"regionType"`
}

type documentYAML struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	Publisher string `yaml:"publisher"`
	Date      string `yaml:"date"`
	Language  string `yaml:"language"`
	URL       string `yaml:"url"`
	TextFile  string `yaml:"textFile"`
}

type relationsFile struct {
	Relations []relationYAML `yaml:"relations"`
}

type relationYAML struct {
	From   string    `yaml:"from"`
	Type   string    `yaml:"type"`
	To     string    `yaml:"to"`
	At     string    `yaml:"at"`
	Since  string    `yaml:"since"`
	Until  string    `yaml:"until"`
	Detail namesYAML `yaml:"detail"`
	Quote  string    `yaml:"quote"`
	Key    string    `yaml:"key"`
}

type factsFile struct {
	Facts []factYAML `yaml:"facts"`
}

type factYAML struct {
	ID        string    `yaml:"id"`
	Subject   string    `yaml:"subject"`
	Label     namesYAML `yaml:"label"`
	Value     *float64  `yaml:"value"`
	Unit      string    `yaml:"unit"`
	Qualifier string    `yaml:"qualifier"`
	At        string    `yaml:"at"`
	Period    namesYAML `yaml:"period"`
	Quote     string    `yaml:"quote"`
}

// Read reads and validates the data directory dir. It returns a
// *ValidationError listing every problem when the files are not valid as a
// whole, or another error when dir cannot be read.
func Read(dir string) (*Graph, error) {
	r := &reader{dir: dir}
	g := r.read()
	if len(r.problems) > 0 {
		return nil, &ValidationError{Problems: r.problems}
	}
	return g, nil
}

type reader struct {
	dir      string
	problems []Problem
}

func (r *reader) add(file, entry, format string, args ...any) {
	r.problems = append(r.problems, Problem{File: file, Entry: entry, Reason: fmt.Sprintf(format, args...)})
}

// decode reads one YAML file strictly into v; problems are recorded.
func (r *reader) decode(rel string, v any) bool {
	b, err := os.ReadFile(filepath.Join(r.dir, rel))
	if err != nil {
		r.add(rel, "", "cannot read: %v", err)
		return false
	}
	if err := yaml.UnmarshalWithOptions(b, v, yaml.Strict()); err != nil {
		r.add(rel, "", "invalid YAML: %s", strings.ReplaceAll(yaml.FormatError(err, false, false), "\n", " "))
		return false
	}
	return true
}

func (r *reader) read() *Graph {
	g := &Graph{Mentions: map[string][]string{}}
	entityFiles, err := filepath.Glob(filepath.Join(r.dir, "entities", "*.yaml"))
	if err != nil || len(entityFiles) == 0 {
		r.add("entities/", "", "no entity files (*.yaml) found")
	}
	sort.Strings(entityFiles)
	byID := map[string]kg.Entity{}
	where := map[string]string{}
	for _, abs := range entityFiles {
		rel, _ := filepath.Rel(r.dir, abs)
		var f entityFile
		if !r.decode(rel, &f) {
			continue
		}
		kind, ok := kg.ParseKind(f.Kind)
		if !ok {
			r.add(rel, "", "kind %q is not one of %v", f.Kind, kg.Kinds)
			continue
		}
		for i, y := range f.Entities {
			entry := fmt.Sprintf("entities[%d] (%s)", i, y.ID)
			e, ok := r.entity(rel, entry, kind, y)
			if !ok {
				continue
			}
			if prev, dup := where[e.ID]; dup {
				r.add(rel, entry, "duplicate id %q (first defined in %s)", e.ID, prev)
				continue
			}
			where[e.ID] = rel
			byID[e.ID] = e
			g.Entities = append(g.Entities, e)
		}
	}
	r.checkNames(g.Entities)

	srcDirs, _ := os.ReadDir(filepath.Join(r.dir, "sources"))
	relIDs := map[string]string{}
	factIDs := map[string]string{}
	for _, sd := range srcDirs {
		if !sd.IsDir() {
			continue
		}
		doc, ok := r.document(sd.Name())
		if !ok {
			continue
		}
		g.Documents = append(g.Documents, doc)
		mentioned := map[string]bool{}
		base := filepath.Join("sources", sd.Name())

		relFile := filepath.Join(base, "relations.yaml")
		var rf relationsFile
		if exists(filepath.Join(r.dir, relFile)) && r.decode(relFile, &rf) {
			for i, y := range rf.Relations {
				entry := fmt.Sprintf("relations[%d] (%s %s %s)", i, y.From, y.Type, y.To)
				rel, ok := r.relation(relFile, entry, doc, byID, y)
				if !ok {
					continue
				}
				if prev, dup := relIDs[rel.ID]; dup {
					r.add(relFile, entry, "duplicate relation %s (also %s); add a distinct key: to both", rel.ID, prev)
					continue
				}
				relIDs[rel.ID] = entry
				mentioned[rel.From], mentioned[rel.To] = true, true
				g.Relations = append(g.Relations, rel)
			}
		}
		factFile := filepath.Join(base, "facts.yaml")
		var ff factsFile
		if exists(filepath.Join(r.dir, factFile)) && r.decode(factFile, &ff) {
			for i, y := range ff.Facts {
				entry := fmt.Sprintf("facts[%d] (%s)", i, y.ID)
				f, ok := r.fact(factFile, entry, doc, byID, y)
				if !ok {
					continue
				}
				if prev, dup := factIDs[f.ID]; dup {
					r.add(factFile, entry, "duplicate fact id %q (first in %s)", f.ID, prev)
					continue
				}
				factIDs[f.ID] = factFile
				mentioned[f.Subject] = true
				g.Facts = append(g.Facts, f)
			}
		}
		ids := make([]string, 0, len(mentioned))
		for id := range mentioned {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		g.Mentions[doc.ID] = ids
	}
	if len(g.Documents) == 0 {
		r.add("sources/", "", "no source documents found")
	}
	r.checkMentioned(g)
	return g
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil || !errors.Is(err, fs.ErrNotExist)
}
