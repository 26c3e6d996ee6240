package store

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// The converters below map what Neo4j returns to domain values. A stored
// value that does not fit (a property of an unexpected type, an unknown
// kind, a malformed date, a float JSON cannot carry) is never replaced by a
// default: it is recorded in the value's Problems (kg.DataProblems), and
// whoever serves that property answers kg.ErrData instead. Integers stay
// exact (64 bits), and temporal values keep their offset and zone.

// toEntity maps an Entity node to the domain type.
func toEntity(n neo4j.Node) kg.Entity { return readEntity(props{m: n.Props, whole: true}) }

// entityFromProps maps entity properties (a projection: a property that is
// absent was not asked for and leaves its field zero) to the domain type.
func entityFromProps(p map[string]any) kg.Entity { return readEntity(props{m: p}) }

func readEntity(p props) kg.Entity {
	e := kg.Entity{
		ID: p.required("id"), NameZh: p.required("nameZh"), NameEn: p.str("nameEn"),
		Description: kg.Names{Zh: p.str("descriptionZh"), En: p.str("descriptionEn")},
		City:        p.str("city"), SchoolType: p.str("schoolType"), ISO2: p.str("iso2"), ISO3: p.str("iso3"),
		Category: p.str("category"), Start: p.dateText("start"), RegionType: p.str("regionType"),
		NameEnOfficial: p.boolean("nameEnOfficial"), Version: p.int64("version"), Aliases: p.strings("aliases"),
	}
	if k := p.required("kind"); k != "" {
		if kind, ok := kg.ParseKind(k); ok {
			e.Kind = kind
		} else {
			p.bad("kind", fmt.Sprintf("is %q, which is not a kind (%s)", kg.Short(k), kindList()))
		}
	}
	e.Problems = p.problems
	return e
}

func kindList() string {
	s := make([]string, len(kg.Kinds))
	for i, k := range kg.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// toRelation maps relationship properties to the domain type; From and To
// are set by the caller.
func toRelation(m map[string]any, typ string) kg.Relation {
	p := props{m: m}
	r := kg.Relation{
		ID: p.str("id"), Type: kg.RelType(typ),
		At: p.date("at"), Since: p.date("since"), Until: p.date("until"),
		Detail:       kg.Names{Zh: p.str("detailZh"), En: p.str("detailEn")},
		Evidence:     kg.Evidence{DocumentID: p.str("sourceId"), Quote: p.str("quote")},
		MoreEvidence: p.moreEvidence(),
		Rank:         p.rank(), SameAs: p.str("sameAs"), Origin: p.origin(),
	}
	r.Problems = p.problems
	return r
}

func toFact(m map[string]any) kg.Fact {
	p := props{m: m, whole: true}
	f := kg.Fact{
		ID: p.required("id"), Label: kg.Names{Zh: p.str("labelZh"), En: p.str("labelEn")},
		Unit: p.required("unit"), At: p.date("at"),
		Period:       kg.Names{Zh: p.str("periodZh"), En: p.str("periodEn")},
		Evidence:     kg.Evidence{DocumentID: p.str("sourceId"), Quote: p.str("quote")},
		MoreEvidence: p.moreEvidence(),
		Rank:         p.rank(), SameAs: p.str("sameAs"), Origin: p.origin(),
	}
	f.Value, f.ValueInt = p.number("value")
	if f.Label.Zh == "" && f.Label.En == "" {
		p.bad("labelZh", "is missing (and so is labelEn)")
	}
	switch q := kg.Qualifier(p.required("qualifier")); {
	case q == "":
	case isQualifier(q):
		f.Qualifier = q
	default:
		p.bad("qualifier", fmt.Sprintf("is %q, which is not a qualifier", kg.Short(string(q))))
	}
	f.Problems = p.problems
	return f
}

func isQualifier(q kg.Qualifier) bool {
	for _, x := range kg.Qualifiers {
		if x == q {
			return true
		}
	}
	return false
}

// documentFromProps maps a Document node's properties to the domain type.
func documentFromProps(m map[string]any) kg.Document {
	p := props{m: m, whole: true}
	d := kg.Document{
		ID: p.required("id"), Title: p.required("title"), Publisher: p.str("publisher"), Date: p.dateText("date"),
		Language: p.str("language"), URL: p.str("url"), Text: p.str("text"),
	}
	d.Problems = p.problems
	return d
}

// props reads the properties of one node or relationship, recording each
// value that does not fit in problems. whole says the map holds every
// property of the node (not a projection), so that an absent required
// property is missing rather than not asked for.
type props struct {
	m        map[string]any
	whole    bool
	problems kg.DataProblems
}

func (p *props) bad(k, why string) { p.problems.Add(k, why) }

// str reads an optional text property: absent or null is "".
func (p *props) str(k string) string {
	switch v := p.m[k].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		p.bad(k, "holds "+typeName(v)+", not a string")
		return ""
	}
}

// required reads a text property the model needs: a null (or, for a whole
// node, absent) value is a problem too.
func (p *props) required(k string) string {
	v, ok := p.m[k]
	switch {
	case (ok && v == nil) || (!ok && p.whole):
		p.bad(k, "is missing")
		return ""
	case v == "":
		p.bad(k, "is empty")
		return ""
	}
	return p.str(k)
}

func (p *props) boolean(k string) bool {
	switch v := p.m[k].(type) {
	case nil:
		return false
	case bool:
		return v
	default:
		p.bad(k, "holds "+typeName(v)+", not a boolean")
		return false
	}
}

// int64 reads an integer exactly; a float (even a whole one) or a string
// is a problem, never rounded or parsed.
func (p *props) int64(k string) int64 {
	switch v := p.m[k].(type) {
	case nil:
		return 0
	case int64:
		return v
	default:
		p.bad(k, "holds "+typeName(v)+", not an integer")
		return 0
	}
}

// number reads a number: a float as it is, an integer exactly (in the
// second result; the first rounds past 2^53). NaN and infinities, which
// JSON cannot carry, are problems.
func (p *props) number(k string) (float64, *int64) {
	switch v := p.m[k].(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			p.bad(k, fmt.Sprintf("holds %v, which is not a finite number", v))
			return 0, nil
		}
		return v, nil
	case int64:
		return float64(v), &v
	case nil:
		p.bad(k, "is missing")
	default:
		p.bad(k, "holds "+typeName(v)+", not a number")
	}
	return 0, nil
}

// strings reads a list of texts; absent, null or empty is nil.
func (p *props) strings(k string) []string {
	switch v := p.m[k].(type) {
	case nil:
		return nil
	case []any:
		var out []string
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				p.bad(k, fmt.Sprintf("holds %s at index %d, not a string", typeName(x), i))
				return nil
			}
			out = append(out, s)
		}
		return out
	default:
		p.bad(k, "holds "+typeName(v)+", not a list of strings")
		return nil
	}
}

// moreEvidence reads the evidence added to a statement after its first
// (parallel lists moreSourceIds and moreQuotes); nil when there is none.
func (p *props) moreEvidence() []kg.Evidence {
	docs, quotes := p.strings("moreSourceIds"), p.strings("moreQuotes")
	if len(docs) != len(quotes) {
		p.bad("moreQuotes", fmt.Sprintf("has %d items and moreSourceIds %d; they go in pairs", len(quotes), len(docs)))
		return nil
	}
	var out []kg.Evidence
	for i := range docs {
		out = append(out, kg.Evidence{DocumentID: docs[i], Quote: quotes[i]})
	}
	return out
}

func (p *props) rank() kg.Rank {
	r := kg.Rank(p.str("rank"))
	if r == "" {
		return ""
	}
	for _, x := range kg.Ranks {
		if x == r {
			return r
		}
	}
	p.bad("rank", fmt.Sprintf("is %q, which is not a rank", kg.Short(string(r))))
	return ""
}

func (p *props) origin() string {
	switch o := p.str("origin"); o {
	case "", kg.OriginData, kg.OriginAPI:
		return o
	default:
		p.bad("origin", fmt.Sprintf("is %q, not %q or %q", kg.Short(o), kg.OriginData, kg.OriginAPI))
		return ""
	}
}

// datetime reads an instant vetgraph wrote (a Neo4j datetime); any other
// value, a local datetime included (it names no instant), is a problem.
func (p *props) datetime(k string) time.Time {
	switch v := p.m[k].(type) {
	case time.Time:
		return v
	case nil:
		p.bad(k, "is missing")
	default:
		p.bad(k, "holds "+typeName(v)+", not a datetime")
	}
	return time.Time{}
}

// date reads a point in time of a statement: a partial date written as
// text, or a Neo4j temporal value with a calendar date (date, local
// datetime, datetime), which keeps its ISO-8601 text with offset and zone
// (kg.PartialDate.Stored). Absent or null is nil.
func (p *props) date(k string) *kg.PartialDate {
	s := p.dateText(k)
	if s == "" {
		return nil
	}
	d, err := kg.ParseStoredDate(s)
	if err != nil { // dateText checked it
		p.bad(k, "holds a malformed date")
		return nil
	}
	return &d
}

// dateText reads a date property as the text kg.ParseStoredDate reads: a
// partial date as written (checked), or the ISO-8601 form of a temporal
// value that has a calendar date. A time of day without a date, a
// duration or any other type is a problem.
func (p *props) dateText(k string) string {
	switch v := p.m[k].(type) {
	case nil:
		return ""
	case string:
		if _, err := kg.ParsePartialDate(v); err != nil {
			p.bad(k, fmt.Sprintf("holds %q, not a date YYYY[-MM[-DD]]", kg.Short(v)))
			return ""
		}
		return v
	case dbtype.Date:
		return kg.TemporalISO(time.Time(v), true, false, false)
	case dbtype.LocalDateTime:
		return kg.TemporalISO(time.Time(v), true, true, false)
	case time.Time:
		return kg.TemporalISO(v, true, true, true)
	case dbtype.Time:
		p.bad(k, "holds a time of day ("+kg.TemporalISO(time.Time(v), false, true, true)+") without a date")
	case dbtype.LocalTime:
		p.bad(k, "holds a time of day ("+kg.TemporalISO(time.Time(v), false, true, false)+") without a date")
	default:
		p.bad(k, "holds "+typeName(v)+", not a date")
	}
	return ""
}

// idOf reads the id of a node a statement returned with a row (what
// names the node): a string, or a *kg.DataError.
func idOf(v any, what string) (string, error) {
	if s, ok := v.(string); ok && s != "" {
		return s, nil
	}
	return "", &kg.DataError{Property: "id", Why: "of " + what + " holds " + valueName(v) + ", not an id"}
}

// valueName names a value for a DataError: a text by its first characters,
// anything else by its type.
func valueName(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", kg.Short(s))
	}
	return typeName(v)
}

// typeName names a value's Cypher type for a DataError.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	case []byte:
		return "bytes"
	case dbtype.Date:
		return "a date"
	case dbtype.LocalDateTime:
		return "a local datetime"
	case time.Time:
		return "a datetime"
	case dbtype.Time:
		return "a time"
	case dbtype.LocalTime:
		return "a local time"
	case dbtype.Duration:
		return "a duration"
	case dbtype.Point2D, dbtype.Point3D:
		return "a point"
	case *dbtype.InvalidValue:
		return "a value the driver cannot read (e.g. a datetime in a zone unknown here)"
	}
	return fmt.Sprintf("a %T", v)
}

// str reads an optional text property, ignoring a value of another type
// (for the write paths, which compare what is stored with what is sent).
func str(p map[string]any, k string) string {
	s, _ := p[k].(string)
	return s
}

// splitTypes turns "A,B" into a list of vocabulary types; "" means every
// type of the vocabulary (which also keeps internal relationships such as
// NAME_OF out of every answer).
func splitTypes(s string) ([]string, error) {
	if s == "" {
		out := make([]string, len(kg.Vocabulary()))
		for i, v := range kg.Vocabulary() {
			out[i] = string(v.Type)
		}
		return out, nil
	}
	parts := strings.Split(s, ",")
	for _, t := range parts {
		if _, ok := kg.LookupRelType(t); !ok {
			return nil, fmt.Errorf("%w: relationship type %q is not in the vocabulary", kg.ErrInvalidInput, t)
		}
	}
	return parts, nil
}

// splitKinds turns "School,Country" into a list; "" gives nil (all kinds).
func splitKinds(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	for _, k := range parts {
		if _, ok := kg.ParseKind(k); !ok {
			return nil, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, k)
		}
	}
	return parts, nil
}
