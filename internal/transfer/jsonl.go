package transfer

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// JSON Lines: one JSON object per line, each with "type": "relationType"
// (a relationship type an admin added), "document", "entity", "relation",
// "fact", "retracted" (a retracted relation or fact, "statement" saying
// which) or "redirect". The relationship types come first (oldest first;
// none for a graph without added types), then documents, entities,
// relations, facts, retracted statements and redirects, each in id order. Property names are the graph's (nameZh, descriptionEn,
// sourceId…), evidence is a list of {document, quote} (the first is the
// statement's first evidence), and origin is always written.

type evidenceJSON struct {
	Document string `json:"document"`
	Quote    string `json:"quote"`
}

// relationTypeJSON is an added relationship type: the fields of the API's
// RelationTypeInput (the type's name as relType, "type" being the
// record's), and when and by whom it was added.
type relationTypeJSON struct {
	Type      string   `json:"type"`
	RelType   string   `json:"relType"`
	Zh        string   `json:"zh"`
	En        string   `json:"en"`
	InverseZh string   `json:"inverseZh"`
	InverseEn string   `json:"inverseEn"`
	FromKinds []string `json:"fromKinds"`
	ToKinds   []string `json:"toKinds"`
	Example   string   `json:"example,omitempty"`
	AddedAt   string   `json:"addedAt,omitempty"`
	AddedBy   string   `json:"addedBy,omitempty"`
}

type documentJSON struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	Title     string `json:"title"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
	Language  string `json:"language"`
	URL       string `json:"url,omitempty"`
	Text      string `json:"text"`
	Origin    string `json:"origin"`
}

type entityJSON struct {
	Type           string   `json:"type"`
	ID             string   `json:"id"`
	Kind           string   `json:"kind"`
	NameZh         string   `json:"nameZh"`
	NameEn         string   `json:"nameEn,omitempty"`
	NameEnOfficial bool     `json:"nameEnOfficial,omitempty"`
	Aliases        []string `json:"aliases,omitempty"`
	DescriptionZh  string   `json:"descriptionZh,omitempty"`
	DescriptionEn  string   `json:"descriptionEn,omitempty"`
	City           string   `json:"city,omitempty"`
	SchoolType     string   `json:"schoolType,omitempty"`
	ISO2           string   `json:"iso2,omitempty"`
	ISO3           string   `json:"iso3,omitempty"`
	Category       string   `json:"category,omitempty"`
	Start          string   `json:"start,omitempty"`
	RegionType     string   `json:"regionType,omitempty"`
	Version        int64    `json:"version,omitempty"`
	Origin         string   `json:"origin"`
}

// statementJSON is a relation, a fact, or a retracted one of either.
type statementJSON struct {
	Type      string `json:"type"`
	Statement string `json:"statement,omitempty"` // "relation" or "fact", for type "retracted"
	ID        string `json:"id"`
	// Relations.
	RelType string `json:"relType,omitempty"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	// Facts.
	Subject   string   `json:"subject,omitempty"`
	LabelZh   string   `json:"labelZh,omitempty"`
	LabelEn   string   `json:"labelEn,omitempty"`
	Value     *float64 `json:"value,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Qualifier string   `json:"qualifier,omitempty"`
	// Both.
	At       string         `json:"at,omitempty"`
	Since    string         `json:"since,omitempty"`
	Until    string         `json:"until,omitempty"`
	DetailZh string         `json:"detailZh,omitempty"`
	DetailEn string         `json:"detailEn,omitempty"`
	PeriodZh string         `json:"periodZh,omitempty"`
	PeriodEn string         `json:"periodEn,omitempty"`
	Evidence []evidenceJSON `json:"evidence"`
	Rank     string         `json:"rank,omitempty"`
	SameAs   string         `json:"sameAs,omitempty"`
	Origin   string         `json:"origin"`
	// Retracted statements.
	RetractedAt   string `json:"retractedAt,omitempty"`
	RetractedBy   string `json:"retractedBy,omitempty"`
	RetractReason string `json:"retractReason,omitempty"`
}

type redirectJSON struct {
	Type     string `json:"type"`
	ID       string `json:"id"`
	To       string `json:"to"`
	NameZh   string `json:"nameZh,omitempty"`
	MergedAt string `json:"mergedAt,omitempty"`
	MergedBy string `json:"mergedBy,omitempty"`
}

func evidenceOut(ev []kg.Evidence) []evidenceJSON {
	out := make([]evidenceJSON, len(ev))
	for i, e := range ev {
		out[i] = evidenceJSON{Document: e.DocumentID, Quote: e.Quote}
	}
	return out
}

func relationJSON(r kg.Relation) statementJSON {
	return statementJSON{
		Type: "relation", ID: r.ID, RelType: string(r.Type), From: r.From, To: r.To,
		At: dateString(r.At), Since: dateString(r.Since), Until: dateString(r.Until), DetailZh: r.Detail.Zh, DetailEn: r.Detail.En,
		Evidence: evidenceOut(r.AllEvidence()), Rank: string(r.Rank), SameAs: r.SameAs, Origin: originOr(r.Origin),
	}
}

func factJSON(f kg.Fact) statementJSON {
	v := f.Value
	return statementJSON{
		Type: "fact", ID: f.ID, Subject: f.Subject, LabelZh: f.Label.Zh, LabelEn: f.Label.En, Value: &v,
		Unit: f.Unit, Qualifier: string(f.Qualifier), At: dateString(f.At), PeriodZh: f.Period.Zh, PeriodEn: f.Period.En,
		Evidence: evidenceOut(f.AllEvidence()), Rank: string(f.Rank), SameAs: f.SameAs, Origin: originOr(f.Origin),
	}
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// WriteJSONL writes g to w as JSON Lines.
func WriteJSONL(w io.Writer, g *store.ExportGraph) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, t := range g.RelationTypes {
		if err := enc.Encode(relationTypeJSON{
			Type: "relationType", RelType: string(t.Type), Zh: t.Zh, En: t.En,
			InverseZh: t.InverseZh, InverseEn: t.InverseEn, FromKinds: kindStrings(t.From), ToKinds: kindStrings(t.To),
			Example: t.Example, AddedAt: timeString(t.AddedAt), AddedBy: t.AddedBy,
		}); err != nil {
			return err
		}
	}
	for _, d := range g.Documents {
		if err := enc.Encode(documentJSON{
			Type: "document", ID: d.ID, Title: d.Title, Publisher: d.Publisher, Date: d.Date,
			Language: d.Language, URL: d.URL, Text: d.Text, Origin: originOr(d.Origin),
		}); err != nil {
			return err
		}
	}
	for _, e := range g.Entities {
		if err := enc.Encode(entityJSON{
			Type: "entity", ID: e.ID, Kind: string(e.Kind), NameZh: e.NameZh, NameEn: e.NameEn,
			NameEnOfficial: e.NameEnOfficial, Aliases: e.Aliases, DescriptionZh: e.Description.Zh, DescriptionEn: e.Description.En,
			City: e.City, SchoolType: e.SchoolType, ISO2: e.ISO2, ISO3: e.ISO3, Category: e.Category, Start: e.Start,
			RegionType: e.RegionType, Version: e.Version, Origin: originOr(e.Origin),
		}); err != nil {
			return err
		}
	}
	for _, r := range g.Relations {
		if err := enc.Encode(relationJSON(r)); err != nil {
			return err
		}
	}
	for _, f := range g.Facts {
		if err := enc.Encode(factJSON(f)); err != nil {
			return err
		}
	}
	for _, x := range g.Retracted {
		var s statementJSON
		switch {
		case x.Relation != nil:
			s = relationJSON(*x.Relation)
			s.Statement = "relation"
		case x.Fact != nil:
			s = factJSON(*x.Fact)
			s.Statement = "fact"
		default:
			continue
		}
		s.Type, s.RetractedAt, s.RetractedBy, s.RetractReason = "retracted", timeString(x.At), x.By, x.Reason
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	for _, r := range g.Redirects {
		if err := enc.Encode(redirectJSON{
			Type: "redirect", ID: r.ID, To: r.To, NameZh: r.NameZh,
			MergedAt: timeString(r.At), MergedBy: r.By,
		}); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// maxJSONLLine bounds one line: a document of kg.MaxDocumentText bytes
// with every character escaped fits.
const maxJSONLLine = 8 * kg.MaxDocumentText

// ReadJSONL reads JSON Lines from r (named name in problems) into a graph,
// in id order. Blank lines are skipped. Problems with the form (bad JSON,
// unknown record types or fields, invalid UTF-8) come back as ReadErrors,
// each with its line number.
func ReadJSONL(r io.Reader, name string) (*store.ExportGraph, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxJSONLLine)
	g := &store.ExportGraph{}
	var problems ReadErrors
	bad := func(line int, format string, args ...any) {
		problems = append(problems, &ReadError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	decode := func(line int, b []byte, v any) bool {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			bad(line, "%v", err)
			return false
		}
		if dec.More() {
			bad(line, "more than one JSON value on the line")
			return false
		}
		return true
	}
	parseTime := func(line int, field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			bad(line, "%s %q: want an RFC 3339 time such as 2025-01-02T15:04:05Z", field, s)
		}
		return t.UTC()
	}
	var uses []typeUse // every relation's type, checked at the end
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if !utf8.Valid(b) {
			// encoding/json would replace the bytes with U+FFFD: refused
			// instead, so that nothing is stored altered.
			bad(line, "is not valid UTF-8")
			continue
		}
		if hasSurrogateEscape(b) {
			bad(line, "holds a \\u escape of a surrogate that encodes no character (a lone surrogate)")
			continue
		}
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			bad(line, "not a JSON object: %v", err)
			continue
		}
		switch head.Type {
		case "relationType":
			var t relationTypeJSON
			if !decode(line, b, &t) {
				continue
			}
			if t.RelType == "" {
				bad(line, "relType is required: the type's name, such as FUNDED_BY")
			}
			g.RelationTypes = append(g.RelationTypes, store.ExportRelationType{
				RelTypeInfo: kg.RelTypeInfo{
					Type: kg.RelType(t.RelType), Zh: t.Zh, En: t.En, InverseZh: t.InverseZh, InverseEn: t.InverseEn,
					From: kindsOf(t.FromKinds), To: kindsOf(t.ToKinds), Example: t.Example,
				},
				AddedAt: parseTime(line, "addedAt", t.AddedAt), AddedBy: t.AddedBy,
			})
		case "document":
			var d documentJSON
			if decode(line, b, &d) {
				g.Documents = append(g.Documents, store.ExportDocument{Document: kg.Document{
					ID: d.ID, Title: d.Title,
					Publisher: d.Publisher, Date: d.Date, Language: d.Language, URL: d.URL, Text: d.Text,
				}, Origin: originOr(d.Origin)})
			}
		case "entity":
			var e entityJSON
			if decode(line, b, &e) {
				g.Entities = append(g.Entities, store.ExportEntity{
					Entity: kg.Entity{
						ID: e.ID, Kind: kg.Kind(e.Kind), NameZh: e.NameZh,
						NameEn: e.NameEn, NameEnOfficial: e.NameEnOfficial, Aliases: e.Aliases,
						Description: kg.Names{Zh: e.DescriptionZh, En: e.DescriptionEn}, City: e.City, SchoolType: e.SchoolType,
						ISO2: e.ISO2, ISO3: e.ISO3, Category: e.Category, Start: e.Start, RegionType: e.RegionType, Version: e.Version,
					},
					Origin: originOr(e.Origin),
				})
			}
		case "relation", "fact", "retracted":
			var s statementJSON
			if !decode(line, b, &s) {
				continue
			}
			what := s.Type
			if s.Type == "retracted" {
				what = s.Statement
				if what != "relation" && what != "fact" {
					bad(line, `a retracted record needs "statement": "relation" or "fact"`)
					continue
				}
			} else if s.Statement != "" || s.RetractedAt != "" || s.RetractedBy != "" || s.RetractReason != "" {
				bad(line, "statement and retracted* belong to records of type retracted")
			}
			if len(s.Evidence) == 0 {
				bad(line, "evidence is required: [{document, quote}, …]")
				continue
			}
			ev := make([]kg.Evidence, len(s.Evidence))
			for i, e := range s.Evidence {
				ev[i] = kg.Evidence{DocumentID: e.Document, Quote: e.Quote}
			}
			dates := [3]*kg.PartialDate{}
			for i, v := range []string{s.At, s.Since, s.Until} {
				if v == "" {
					continue
				}
				d, err := kg.ParsePartialDate(v)
				if err != nil {
					bad(line, "%v", err)
					continue
				}
				dates[i] = &d
			}
			var rel *kg.Relation
			var fact *kg.Fact
			if what == "relation" {
				if s.Subject != "" || s.LabelZh != "" || s.LabelEn != "" || s.Value != nil || s.Unit != "" || s.Qualifier != "" || s.PeriodZh != "" || s.PeriodEn != "" {
					bad(line, "a relation has no subject, label, value, unit, qualifier or period")
				}
				uses = append(uses, typeUse{file: name, line: line, typ: kg.RelType(s.RelType)})
				rel = &kg.Relation{
					ID: s.ID, Type: kg.RelType(s.RelType), From: s.From, To: s.To, At: dates[0], Since: dates[1], Until: dates[2],
					Detail: kg.Names{Zh: s.DetailZh, En: s.DetailEn}, Evidence: ev[0], MoreEvidence: ev[1:],
					Rank: kg.Rank(s.Rank), SameAs: s.SameAs, Origin: originOr(s.Origin),
				}
				if len(rel.MoreEvidence) == 0 {
					rel.MoreEvidence = nil
				}
			} else {
				if s.RelType != "" || s.From != "" || s.To != "" || s.Since != "" || s.Until != "" || s.DetailZh != "" || s.DetailEn != "" {
					bad(line, "a fact has no relType, from, to, since, until or detail")
				}
				if s.Value == nil {
					bad(line, "value is required")
					continue
				}
				fact = &kg.Fact{
					ID: s.ID, Subject: s.Subject, Label: kg.Names{Zh: s.LabelZh, En: s.LabelEn}, Value: *s.Value,
					Unit: s.Unit, Qualifier: kg.Qualifier(s.Qualifier), At: dates[0], Period: kg.Names{Zh: s.PeriodZh, En: s.PeriodEn},
					Evidence: ev[0], MoreEvidence: ev[1:], Rank: kg.Rank(s.Rank), SameAs: s.SameAs, Origin: originOr(s.Origin),
				}
				if len(fact.MoreEvidence) == 0 {
					fact.MoreEvidence = nil
				}
			}
			switch {
			case s.Type == "retracted":
				g.Retracted = append(g.Retracted, store.Retraction{
					Relation: rel, Fact: fact,
					At: parseTime(line, "retractedAt", s.RetractedAt), By: s.RetractedBy, Reason: s.RetractReason,
				})
			case rel != nil:
				g.Relations = append(g.Relations, *rel)
			default:
				g.Facts = append(g.Facts, *fact)
			}
		case "redirect":
			var rd redirectJSON
			if decode(line, b, &rd) {
				g.Redirects = append(g.Redirects, store.Redirect{
					ID: rd.ID, To: rd.To, NameZh: rd.NameZh,
					At: parseTime(line, "mergedAt", rd.MergedAt), By: rd.MergedBy,
				})
			}
		case "":
			bad(line, `"type" is required: relationType, document, entity, relation, fact, retracted or redirect`)
		default:
			bad(line, "unknown record type %q (want relationType, document, entity, relation, fact, retracted or redirect)", head.Type)
		}
	}
	if err := sc.Err(); err != nil {
		bad(line+1, "%v", err)
	}
	for _, u := range unknownTypes(g, uses) {
		if u.typ == "" {
			bad(u.line, "relType is required")
		} else {
			bad(u.line, "relationship type %q is not in the vocabulary, and no relationType record defines it", u.typ)
		}
	}
	slices.SortStableFunc(problems, func(a, b *ReadError) int { return cmp.Compare(a.Line, b.Line) })
	if len(problems) > 0 {
		return nil, problems
	}
	g.Sort()
	return g, nil
}

// hasSurrogateEscape reports whether b holds a \u escape of a UTF-16
// surrogate (\uD800–\uDFFF) that is not part of a valid pair: encoding/json
// would turn it into U+FFFD.
func hasSurrogateEscape(b []byte) bool {
	for i := 0; i+6 <= len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if b[i+1] != 'u' {
			i++ // skip the escaped character (\\ among them)
			continue
		}
		hi, ok := hex4(b[i+2 : i+6])
		if !ok || hi < 0xD800 || hi > 0xDFFF {
			continue
		}
		if hi <= 0xDBFF && i+12 <= len(b) && b[i+6] == '\\' && b[i+7] == 'u' {
			if lo, ok := hex4(b[i+8 : i+12]); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				i += 11
				continue
			}
		}
		return true
	}
	return false
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	return r, true
}
