package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

var (
	idPattern    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	docIDPattern = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	iso2Pattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	iso3Pattern  = regexp.MustCompile(`^[A-Z]{3}$`)
)

// maxQuote bounds a quote's length in characters: evidence is a sentence, not a page.
const maxQuote = 400

func (r *reader) entity(file, entry string, kind kg.Kind, y entityYAML) (kg.Entity, bool) {
	n := len(r.problems)
	if !idPattern.MatchString(y.ID) {
		r.add(file, entry, "id %q must be lower-kebab-case ASCII (a-z, 0-9, -)", y.ID)
	}
	if strings.TrimSpace(y.NameZh) == "" {
		r.add(file, entry, "nameZh is required (the form the article uses)")
	}
	if y.NameEnMadeUp && y.NameEn == "" {
		r.add(file, entry, "nameEnMadeUp is set but nameEn is empty")
	}
	seen := map[string]bool{y.NameZh: true, y.NameEn: true}
	for _, a := range y.Aliases {
		if strings.TrimSpace(a) == "" {
			r.add(file, entry, "empty alias")
		} else if seen[a] {
			r.add(file, entry, "alias %q repeats a name or another alias", a)
		}
		seen[a] = true
	}
	allowed := map[kg.Kind][]string{
		kg.School:       {"city", "schoolType"},
		kg.Enterprise:   {"city"},
		kg.Organization: {"city"},
		kg.Country:      {"iso2", "iso3"},
		kg.Program:      {"category", "start"},
		kg.Region:       {"regionType"},
	}
	set := map[string]string{"city": y.City, "schoolType": y.SchoolType, "iso2": y.ISO2, "iso3": y.ISO3,
		"category": y.Category, "start": y.Start, "regionType": y.RegionType}
	for field, v := range set {
		if v != "" && !slices.Contains(allowed[kind], field) {
			r.add(file, entry, "field %s is not allowed on kind %s (allowed: %v)", field, kind, allowed[kind])
		}
	}
	if kind == kg.Country {
		if !iso2Pattern.MatchString(y.ISO2) || !iso3Pattern.MatchString(y.ISO3) {
			r.add(file, entry, "a Country needs iso2 (2 capital letters) and iso3 (3 capital letters) from ISO 3166-1")
		}
	}
	if y.Start != "" {
		if _, err := kg.ParsePartialDate(y.Start); err != nil {
			r.add(file, entry, "start: %v", err)
		}
	}
	if len(r.problems) > n {
		return kg.Entity{}, false
	}
	return kg.Entity{
		ID: y.ID, Kind: kind, NameZh: y.NameZh, NameEn: y.NameEn, NameEnOfficial: y.NameEn != "" && !y.NameEnMadeUp,
		Aliases: y.Aliases, Description: kg.Names(y.Description),
		City: y.City, SchoolType: y.SchoolType, ISO2: y.ISO2, ISO3: y.ISO3,
		Category: y.Category, Start: y.Start, RegionType: y.RegionType,
	}, true
}

// checkNames refuses a name or alias that two entities share: a lookup by it
// would be ambiguous.
func (r *reader) checkNames(es []kg.Entity) {
	owner := map[string]string{}
	for _, e := range es {
		for _, n := range append([]string{e.NameZh, e.NameEn}, e.Aliases...) {
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
	if y.ID != dirName || !docIDPattern.MatchString(y.ID) {
		r.add(file, "", "id %q must equal the folder name %q (letters, digits, _)", y.ID, dirName)
	}
	if y.Title == "" || y.Language == "" || y.TextFile == "" {
		r.add(file, "", "title, language and textFile are required")
	}
	if y.Date != "" {
		if _, err := kg.ParsePartialDate(y.Date); err != nil {
			r.add(file, "", "date: %v", err)
		}
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
	if len(r.problems) > n {
		return kg.Document{}, false
	}
	return kg.Document{ID: y.ID, Title: y.Title, Publisher: y.Publisher, Date: y.Date, Language: y.Language, URL: y.URL, Text: text}, true
}

func (r *reader) quote(file, entry string, doc kg.Document, q string) {
	switch {
	case strings.TrimSpace(q) == "":
		r.add(file, entry, "quote is required")
	case utf8.RuneCountInString(q) > maxQuote:
		r.add(file, entry, "quote is %d characters; keep it under %d", utf8.RuneCountInString(q), maxQuote)
	case !strings.Contains(doc.Text, q):
		r.add(file, entry, "quote %q is not a verbatim substring of document %s", short(q), doc.ID)
	}
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
	info, ok := kg.LookupRelType(y.Type)
	if !ok {
		r.add(file, entry, "type %q is not in the vocabulary (see docs/data-format.md)", y.Type)
	}
	from, okFrom := byID[y.From]
	if !okFrom {
		r.add(file, entry, "from %q: no such entity", y.From)
	}
	to, okTo := byID[y.To]
	if !okTo {
		r.add(file, entry, "to %q: no such entity", y.To)
	}
	if ok && okFrom && okTo && !info.Allows(from.Kind, to.Kind) {
		r.add(file, entry, "%s does not allow %s → %s (allowed from %v to %v)", info.Type, from.Kind, to.Kind, info.From, info.To)
	}
	if y.From != "" && y.From == y.To {
		r.add(file, entry, "from and to are the same entity")
	}
	if y.At != "" && (y.Since != "" || y.Until != "") {
		r.add(file, entry, "give either at, or since/until, not both")
	}
	at := r.time(file, entry, "at", y.At)
	since := r.time(file, entry, "since", y.Since)
	until := r.time(file, entry, "until", y.Until)
	if since != nil && until != nil {
		s, _ := since.Range()
		_, u := until.Range()
		if u.Before(s) {
			r.add(file, entry, "until %s is before since %s", until, since)
		}
	}
	if y.Key != "" && !idPattern.MatchString(y.Key) {
		r.add(file, entry, "key %q must be lower-kebab-case", y.Key)
	}
	r.quote(file, entry, doc, y.Quote)
	if len(r.problems) > n {
		return kg.Relation{}, false
	}
	id := fmt.Sprintf("%s:%s:%s:%s", doc.ID, y.From, y.Type, y.To)
	if y.Key != "" {
		id += "#" + y.Key
	}
	return kg.Relation{ID: id, Type: info.Type, From: y.From, To: y.To, At: at, Since: since, Until: until,
		Detail: kg.Names(y.Detail), Evidence: kg.Evidence{DocumentID: doc.ID, Quote: y.Quote}}, true
}

func (r *reader) fact(file, entry string, doc kg.Document, byID map[string]kg.Entity, y factYAML) (kg.Fact, bool) {
	n := len(r.problems)
	if !idPattern.MatchString(y.ID) {
		r.add(file, entry, "id %q must be lower-kebab-case ASCII", y.ID)
	}
	if _, ok := byID[y.Subject]; !ok {
		r.add(file, entry, "subject %q: no such entity", y.Subject)
	}
	if y.Label.Zh == "" || y.Label.En == "" {
		r.add(file, entry, "label needs zh and en (what is counted)")
	}
	if y.Value == nil {
		r.add(file, entry, "value is required")
	}
	if y.Unit == "" {
		r.add(file, entry, "unit is required (person, school, country, item, percent, …)")
	}
	q := kg.Qualifier(y.Qualifier)
	if !slices.Contains(kg.Qualifiers, q) {
		r.add(file, entry, "qualifier %q must be one of %v", y.Qualifier, kg.Qualifiers)
	}
	at := r.time(file, entry, "at", y.At)
	r.quote(file, entry, doc, y.Quote)
	if len(r.problems) > n {
		return kg.Fact{}, false
	}
	return kg.Fact{ID: y.ID, Subject: y.Subject, Label: kg.Names(y.Label), Value: *y.Value, Unit: y.Unit,
		Qualifier: q, At: at, Period: kg.Names(y.Period), Evidence: kg.Evidence{DocumentID: doc.ID, Quote: y.Quote}}, true
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

func short(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}
