package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

var idPattern = kg.EntityIDPattern

// The checks themselves are kg's (kg.CheckEntity, kg.CheckDocument,
// kg.CheckRelation, kg.CheckFact), shared with every mutation; this file adds
// what only files have: YAML fields, file names, and the problems' places.

func (r *reader) addAll(file, entry string, problems []string) {
	for _, p := range problems {
		r.add(file, entry, "%s", p)
	}
}

func (r *reader) entity(file, entry string, kind kg.Kind, y entityYAML) (kg.Entity, bool) {
	n := len(r.problems)
	if y.NameEnMadeUp && y.NameEn == "" {
		r.add(file, entry, "nameEnMadeUp is set but nameEn is empty")
	}
	e := kg.Entity{
		ID: y.ID, Kind: kind, NameZh: y.NameZh, NameEn: y.NameEn, NameEnOfficial: y.NameEn != "" && !y.NameEnMadeUp,
		Aliases: y.Aliases, Description: kg.Names(y.Description),
		City: y.City, SchoolType: y.SchoolType, ISO2: y.ISO2, ISO3: y.ISO3,
		Category: y.Category, Start: y.Start, RegionType: y.RegionType,
	}
	r.addAll(file, entry, kg.CheckEntity(e))
	return e, len(r.problems) == n
}

// checkNames refuses a name or alias that two entities share: a lookup by it
// would be ambiguous.
func (r *reader) checkNames(es []kg.Entity) {
	owner := map[string]string{}
	for _, e := range es {
		for _, n := range e.NameForms() {
			key := textkey.Key(n)
			if key == "" {
				continue
			}
			if o, ok := owner[key]; ok && o != e.ID {
				r.add("entities/", e.ID, "name or alias %q is also used by %s; names must identify one entity", n, o)
				continue
			}
			owner[key] = e.ID
		}
	}
}

func (r *reader) document(dirName string) (kg.Document, bool) {
	file := filepath.Join("sources", dirName, "document.yaml")
	var y documentYAML
	if !r.decode(file, &y) {
		return kg.Document{}, false
	}
	n := len(r.problems)
	if y.ID != dirName {
		r.add(file, "", "id %q must equal the folder name %q", y.ID, dirName)
	}
	if y.TextFile == "" {
		r.add(file, "", "textFile is required (the full text, in the same folder)")
	}
	var text string
	if y.TextFile != "" {
		if strings.Contains(y.TextFile, "..") || filepath.IsAbs(y.TextFile) {
			r.add(file, "", "textFile %q must be a file in the same folder", y.TextFile)
		} else if b, err := os.ReadFile(filepath.Join(r.dir, "sources", dirName, y.TextFile)); err != nil {
			r.add(file, "", "textFile: %v", err)
		} else if !utf8.Valid(b) {
			r.add(file, "", "textFile %s is not UTF-8", y.TextFile)
		} else {
			text = string(b)
		}
	}
	d := kg.Document{ID: y.ID, Title: y.Title, Publisher: y.Publisher, Date: y.Date, Language: y.Language, URL: y.URL, Text: text}
	if len(r.problems) == n {
		r.addAll(file, "", kg.CheckDocument(d))
	}
	if len(r.problems) > n {
		return kg.Document{}, false
	}
	return d, true
}

func (r *reader) time(file, entry, field, s string) *kg.PartialDate {
	if s == "" {
		return nil
	}
	d, err := kg.ParsePartialDate(s)
	if err != nil {
		r.add(file, entry, "%s: %v", field, err)
		return nil
	}
	return &d
}

func (r *reader) relation(file, entry string, doc kg.Document, byID map[string]kg.Entity, y relationYAML) (kg.Relation, bool) {
	n := len(r.problems)
	from, okFrom := byID[y.From]
	if !okFrom {
		r.add(file, entry, "from %q: no such entity", y.From)
	}
	to, okTo := byID[y.To]
	if !okTo {
		r.add(file, entry, "to %q: no such entity", y.To)
	}
	at := r.time(file, entry, "at", y.At)
	since := r.time(file, entry, "since", y.Since)
	until := r.time(file, entry, "until", y.Until)
	if y.Key != "" && !idPattern.MatchString(y.Key) {
		r.add(file, entry, "key %q must be lower-kebab-case", y.Key)
	}
	rel := kg.Relation{
		Type: kg.RelType(y.Type), From: y.From, To: y.To, At: at, Since: since, Until: until,
		Detail: kg.Names(y.Detail), Evidence: kg.Evidence{DocumentID: doc.ID, Quote: y.Quote},
	}
	r.addAll(file, entry, kg.CheckRelation(rel, from.Kind, to.Kind, doc.Text))
	if len(r.problems) > n {
		return kg.Relation{}, false
	}
	rel.ID = fmt.Sprintf("%s:%s:%s:%s", doc.ID, y.From, y.Type, y.To)
	if y.Key != "" {
		rel.ID += "#" + y.Key
	}
	return rel, true
}

func (r *reader) fact(file, entry string, doc kg.Document, byID map[string]kg.Entity, y factYAML) (kg.Fact, bool) {
	n := len(r.problems)
	if _, ok := byID[y.Subject]; !ok {
		r.add(file, entry, "subject %q: no such entity", y.Subject)
	}
	if y.Value == nil {
		r.add(file, entry, "value is required")
	}
	at := r.time(file, entry, "at", y.At)
	f := kg.Fact{
		ID: y.ID, Subject: y.Subject, Label: kg.Names(y.Label), Unit: y.Unit,
		Qualifier: kg.Qualifier(y.Qualifier), At: at, Period: kg.Names(y.Period), Evidence: kg.Evidence{DocumentID: doc.ID, Quote: y.Quote},
	}
	if y.Value != nil {
		f.Value = *y.Value
	}
	r.addAll(file, entry, kg.CheckFact(f, doc.Text))
	if len(r.problems) > n {
		return kg.Fact{}, false
	}
	return f, true
}

// checkMentioned refuses an entity none of whose names occurs in any
// document: it is a typo or comes from no source.
func (r *reader) checkMentioned(g *Graph) {
	if len(g.Documents) == 0 {
		return
	}
	for _, e := range g.Entities {
		found := false
		for _, d := range g.Documents {
			for _, n := range append([]string{e.NameZh}, e.Aliases...) {
				if n != "" && strings.Contains(d.Text, n) {
					found = true
				}
			}
		}
		if !found {
			r.add("entities/", e.ID, "neither nameZh %q nor any alias occurs verbatim in a source document", e.NameZh)
		}
	}
}
