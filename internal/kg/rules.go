package kg

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rules every way data comes in shares: the data-file loader (package
// dataset) and every mutation (package curation) call these same checks, so a
// rule cannot differ between the two. Each Check function returns the
// problems it found as sentences a person can act on ("nameZh is required
// (the form the article uses)"), nil when there are none; callers add where
// (a file and entry, or a GraphQL argument) and wrap them as ErrInvalidInput.

// Limits on written text, in characters (runes) unless stated. They bound
// what one write stores; a longer value is refused, never cut.
const (
	MaxQuote        = 400     // a quote: a sentence, not a page
	MaxName         = 200     // nameZh, nameEn, one alias
	MaxAliases      = 50      // aliases per entity
	MaxDescription  = 2000    // one description
	MaxDetail       = 500     // a relation's detail, a fact's label or period
	MaxTitle        = 500     // a document's title or publisher
	MaxURL          = 2000    // a document's URL
	MaxReason       = 1000    // the reason given for a write
	MaxDocumentText = 500_000 // a document's full text, in bytes of UTF-8
	MaxUnit         = 40      // a fact's unit word
)

var (
	// EntityIDPattern is the form of an entity id: lower-kebab-case ASCII.
	EntityIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// DocumentIDPattern is the form of a document id: letters, digits, _.
	DocumentIDPattern = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	// RelTypePattern is the form of a relationship type a curator adds:
	// UPPER_SNAKE_CASE ASCII, as Neo4j's style guide names types; it is
	// also a valid GraphQL enum value.
	RelTypePattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)
	iso2Pattern    = regexp.MustCompile(`^[A-Z]{2}$`)
	iso3Pattern    = regexp.MustCompile(`^[A-Z]{3}$`)
)

// MaxRelTypeLength bounds a relationship type's name (bytes; ASCII), and
// MaxRelTypes the number of types (built-in and added): every type is a
// GraphQL enum value, an index and part of the statements that list them.
const (
	MaxRelTypeLength = 50
	MaxRelTypes      = 200
)

// MaxIDLength bounds entity and document ids (bytes; they are ASCII).
const MaxIDLength = 100

// CheckText returns the problem with a string that is to be stored, or "":
// it must be valid UTF-8 without NUL bytes, control characters other than
// tab and newline, or surrogate code points, and at most max characters.
// Nothing is ever stored altered: a string that fails is refused.
func CheckText(field, s string, max int) string {
	if !utf8.ValidString(s) {
		return field + " is not valid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == 0:
			return field + " contains a NUL character"
		case r == utf8.RuneError:
			return field + " contains U+FFFD (a character that could not be decoded); send the original text"
		case r >= 0xD800 && r <= 0xDFFF:
			return field + " contains a lone surrogate"
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			return fmt.Sprintf("%s contains the control character U+%04X", field, r)
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("%s is %d characters; the limit is %d", field, n, max)
	}
	return ""
}

// CheckName is CheckText for a name or alias, which lookups compare: it
// also refuses invisible format characters (zero-width spaces and joiners,
// soft hyphens, byte-order marks, direction marks: Unicode category Cf), with
// which a look-alike of a held name would pass as another, and spaces at
// either end.
func CheckName(field, s string, max int) string {
	if p := CheckText(field, s, max); p != "" {
		return p
	}
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			return fmt.Sprintf("%s contains the invisible character U+%04X; remove it", field, r)
		}
	}
	if strings.TrimSpace(s) != s {
		return field + " starts or ends with a space"
	}
	return ""
}

// checkTexts runs CheckText over pairs of (field, value) with one limit.
func checkTexts(out []string, max int, fv ...string) []string {
	for i := 0; i+1 < len(fv); i += 2 {
		if p := CheckText(fv[i], fv[i+1], max); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// KindFieldsSet lists the kind fields (see KindFields) e has a value for,
// in a fixed order.
func (e Entity) KindFieldsSet() []string {
	var out []string
	for _, f := range []struct{ name, value string }{
		{"city", e.City},
		{"schoolType", e.SchoolType},
		{"iso2", e.ISO2},
		{"iso3", e.ISO3},
		{"category", e.Category},
		{"start", e.Start},
		{"regionType", e.RegionType},
	} {
		if f.value != "" {
			out = append(out, f.name)
		}
	}
	return out
}

// KindFields lists, per kind, the kind fields it may carry.
var KindFields = map[Kind][]string{
	School:       {"city", "schoolType"},
	Enterprise:   {"city"},
	Organization: {"city"},
	Country:      {"iso2", "iso3"},
	Program:      {"category", "start"},
	Region:       {"regionType"},
}

// CheckEntity checks one entity on its own: id form, a Chinese name, aliases
// that are neither empty nor repeated, kind fields only on their kinds, ISO
// codes on a country, a valid start date, and every text within its limit.
// Names shared with other entities are checked by the caller against what
// it knows (see NameForms).
func CheckEntity(e Entity) []string {
	var out []string
	if !EntityIDPattern.MatchString(e.ID) || len(e.ID) > MaxIDLength {
		out = append(out, fmt.Sprintf("id %q must be lower-kebab-case ASCII (a-z, 0-9, -), at most %d characters", e.ID, MaxIDLength))
	}
	if !slices.Contains(Kinds, e.Kind) {
		out = append(out, fmt.Sprintf("kind %q is not one of %v", e.Kind, Kinds))
	}
	if strings.TrimSpace(e.NameZh) == "" {
		out = append(out, "nameZh is required (the form the article uses)")
	}
	for _, p := range []string{CheckName("nameZh", e.NameZh, MaxName), CheckName("nameEn", e.NameEn, MaxName)} {
		if p != "" {
			out = append(out, p)
		}
	}
	out = checkTexts(out, MaxDescription, "description.zh", e.Description.Zh, "description.en", e.Description.En)
	out = checkTexts(out, MaxName, "city", e.City, "schoolType", e.SchoolType, "category", e.Category, "regionType", e.RegionType)
	if len(e.Aliases) > MaxAliases {
		out = append(out, fmt.Sprintf("%d aliases; the limit is %d", len(e.Aliases), MaxAliases))
	}
	seen := map[string]bool{e.NameZh: true, e.NameEn: true}
	for _, a := range e.Aliases {
		if p := CheckName("alias", a, MaxName); p != "" {
			out = append(out, p)
		} else if strings.TrimSpace(a) == "" {
			out = append(out, "empty alias")
		} else if seen[a] {
			out = append(out, fmt.Sprintf("alias %q repeats a name or another alias", a))
		}
		seen[a] = true
	}
	for _, field := range e.KindFieldsSet() {
		if !slices.Contains(KindFields[e.Kind], field) {
			out = append(out, fmt.Sprintf("field %s is not allowed on kind %s (allowed: %v)", field, e.Kind, KindFields[e.Kind]))
		}
	}
	if e.Kind == Country && (!iso2Pattern.MatchString(e.ISO2) || !iso3Pattern.MatchString(e.ISO3)) {
		out = append(out, "a Country needs iso2 (2 capital letters) and iso3 (3 capital letters) from ISO 3166-1")
	}
	if e.Start != "" {
		if _, err := ParsePartialDate(e.Start); err != nil {
			out = append(out, "start: "+err.Error())
		}
	}
	return out
}

// NameForms returns every non-blank form an entity is looked up by: its
// Chinese name, its English name and its aliases. Two entities may not share
// one (compared in a normal form: see package textkey), or a lookup by it
// would be ambiguous.
func (e Entity) NameForms() []string {
	var out []string
	for _, n := range append([]string{e.NameZh, e.NameEn}, e.Aliases...) {
		if strings.TrimSpace(n) != "" {
			out = append(out, n)
		}
	}
	return out
}

// CheckDocument checks a source document: id form, title, language, a valid
// date, the limits of each text, and a non-empty text within MaxDocumentText
// bytes.
func CheckDocument(d Document) []string {
	var out []string
	if !DocumentIDPattern.MatchString(d.ID) || len(d.ID) > MaxIDLength {
		out = append(out, fmt.Sprintf("id %q must be letters, digits and _ only, at most %d characters", d.ID, MaxIDLength))
	}
	if strings.TrimSpace(d.Title) == "" || strings.TrimSpace(d.Language) == "" {
		out = append(out, "title and language are required")
	}
	out = checkTexts(out, MaxTitle, "title", d.Title, "publisher", d.Publisher)
	out = checkTexts(out, MaxURL, "url", d.URL)
	if d.Language != "" && !languagePattern.MatchString(d.Language) {
		out = append(out, fmt.Sprintf("language %q must be a BCP 47 tag such as zh, en or zh-Hans", d.Language))
	}
	if d.Date != "" {
		if _, err := ParsePartialDate(d.Date); err != nil {
			out = append(out, "date: "+err.Error())
		}
	}
	if d.URL != "" && !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://") {
		out = append(out, fmt.Sprintf("url %q must start with http:// or https://", d.URL))
	}
	switch {
	case strings.TrimSpace(d.Text) == "":
		out = append(out, "text is required: the document's full text, which every quote must occur in")
	case len(d.Text) > MaxDocumentText:
		out = append(out, fmt.Sprintf("text is %d bytes; the limit is %d", len(d.Text), MaxDocumentText))
	default:
		if p := CheckText("text", d.Text, MaxDocumentText); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var languagePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

// CheckQuote checks evidence against its document's stored text: a quote is
// required, within MaxQuote characters, and occurs verbatim in text.
func CheckQuote(docID, text, quote string) []string {
	switch {
	case strings.TrimSpace(quote) == "":
		return []string{"quote is required"}
	case CheckText("quote", quote, MaxQuote) != "":
		return []string{CheckText("quote", quote, MaxQuote)}
	case !strings.Contains(text, quote):
		return []string{fmt.Sprintf("quote %q is not a verbatim substring of document %s", Short(quote), docID)}
	}
	return nil
}

// CheckRelation checks a relation whose ends have the kinds from and to, and
// whose evidence cites a document with the text docText: the type is in the
// vocabulary and allows those kinds, the ends differ, the time is a point or
// an interval that does not end before it starts, the detail is within its
// limit and the quote occurs verbatim.
func CheckRelation(r Relation, from, to Kind, docText string) []string {
	var out []string
	info, ok := LookupRelType(string(r.Type))
	if !ok {
		out = append(out, fmt.Sprintf("type %q is not in the vocabulary (see relationTypes)", r.Type))
	} else if from != "" && to != "" && !info.Allows(from, to) {
		out = append(out, fmt.Sprintf("%s does not allow %s → %s (allowed from %v to %v)", info.Type, from, to, info.From, info.To))
	}
	if r.From != "" && r.From == r.To {
		out = append(out, "from and to are the same entity")
	}
	out = append(out, CheckTime(r.At, r.Since, r.Until)...)
	out = checkTexts(out, MaxDetail, "detail.zh", r.Detail.Zh, "detail.en", r.Detail.En)
	out = append(out, CheckQuote(r.Evidence.DocumentID, docText, r.Evidence.Quote)...)
	return out
}

// CheckTime checks a statement's time: a point (at) or an interval
// (since/until), not both, and an interval that does not end before it
// starts.
func CheckTime(at, since, until *PartialDate) []string {
	var out []string
	if at != nil && (since != nil || until != nil) {
		out = append(out, "give either at, or since/until, not both")
	}
	if since != nil && until != nil {
		s, _ := since.Range()
		_, u := until.Range()
		if u.Before(s) {
			out = append(out, fmt.Sprintf("until %s is before since %s", until, since))
		}
	}
	return out
}

// CheckFact checks a numeric fact whose evidence cites a document with the
// text docText: id form, a label in both languages, a unit, a known
// qualifier, a finite value, texts within their limits and a verbatim quote.
func CheckFact(f Fact, docText string) []string {
	var out []string
	if !EntityIDPattern.MatchString(f.ID) || len(f.ID) > MaxIDLength {
		out = append(out, fmt.Sprintf("id %q must be lower-kebab-case ASCII", f.ID))
	}
	if strings.TrimSpace(f.Label.Zh) == "" || strings.TrimSpace(f.Label.En) == "" {
		out = append(out, "label needs zh and en (what is counted)")
	}
	out = checkTexts(out, MaxDetail, "label.zh", f.Label.Zh, "label.en", f.Label.En, "period.zh", f.Period.Zh, "period.en", f.Period.En)
	if strings.TrimSpace(f.Unit) == "" {
		out = append(out, "unit is required (person, school, country, item, percent, …)")
	} else if p := CheckText("unit", f.Unit, MaxUnit); p != "" {
		out = append(out, p)
	}
	if !slices.Contains(Qualifiers, f.Qualifier) {
		out = append(out, fmt.Sprintf("qualifier %q must be one of %v", f.Qualifier, Qualifiers))
	}
	if f.Value != f.Value || f.Value > 1e15 || f.Value < -1e15 {
		out = append(out, "value must be a finite number within ±10^15")
	}
	out = append(out, CheckQuote(f.Evidence.DocumentID, docText, f.Evidence.Quote)...)
	return out
}

// Short returns s cut to 40 characters with an ellipsis, for messages.
func Short(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// CheckRelTypeInfo checks a relationship type an admin proposes to add:
// its name (RelTypePattern, at most MaxRelTypeLength, not built in, not one
// of ReservedRelTypes), both labels and both
// inverse labels (a symmetric type repeats its labels), at least one kind at
// each end, and the example.
func CheckRelTypeInfo(i RelTypeInfo) []string {
	var out []string
	switch t := string(i.Type); {
	case t == "":
		out = append(out, "type is required: an UPPER_SNAKE_CASE name such as FUNDED_BY")
	case len(t) > MaxRelTypeLength || !RelTypePattern.MatchString(t):
		out = append(out, fmt.Sprintf("type %q must be UPPER_SNAKE_CASE ASCII (A–Z, 0–9, single underscores between words), at most %d characters", Short(t), MaxRelTypeLength))
	case slices.Contains(ReservedRelTypes, i.Type):
		out = append(out, fmt.Sprintf("type %s is used by vetgraph itself (reserved: %v)", t, ReservedRelTypes))
	case IsBuiltin(i.Type):
		out = append(out, fmt.Sprintf("type %s is built in; use it", t))
	}
	for _, f := range []struct{ name, v string }{{"zh", i.Zh}, {"en", i.En}, {"inverseZh", i.InverseZh}, {"inverseEn", i.InverseEn}} {
		if strings.TrimSpace(f.v) == "" {
			out = append(out, f.name+" is required")
		} else if p := CheckName(f.name, f.v, MaxName); p != "" {
			out = append(out, p)
		}
	}
	if p := CheckText("example", i.Example, MaxDetail); p != "" {
		out = append(out, p)
	}
	for _, end := range []struct {
		name  string
		kinds []Kind
	}{{"fromKinds", i.From}, {"toKinds", i.To}} {
		if len(end.kinds) == 0 {
			out = append(out, end.name+" needs at least one kind")
		}
		for j, k := range end.kinds {
			if !slices.Contains(Kinds, k) {
				out = append(out, fmt.Sprintf("%s[%d]: %q is not a kind", end.name, j, k))
			} else if slices.Index(end.kinds, k) != j {
				out = append(out, fmt.Sprintf("%s lists %s twice", end.name, k))
			}
		}
	}
	return out
}
