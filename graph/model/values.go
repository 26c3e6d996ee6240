package model

import (
	"github.com/vetgraph/vetgraph/internal/kg"
)

// Relation is one relationship seen from the entity asked about, with the
// entity at its other end as read in the same statement.
type Relation struct {
	R       kg.Relation
	Dir     Direction // OUT or IN, seen from the entity asked about
	OtherID string
	// OtherEntity is the entity at the other end, read with the relation
	// (with the properties the query selects).
	OtherEntity *kg.Entity
	// FromEntity and ToEntity are the start and end node when both were
	// read with the relation (the relations list); nil otherwise.
	FromEntity, ToEntity *kg.Entity
	// ViaEntity is the part of the entity asked about that the relation
	// was read through (includeParts); nil for the entity's own relations.
	ViaEntity *kg.Entity
}

// Other is the entity at the other end; nil (a GraphQL error, the field is
// non-null) only if it was not read with the relation.
func (r Relation) Other() (Entity, error) {
	if r.OtherEntity == nil {
		return nil, nil
	}
	return EntityToGQL(*r.OtherEntity)
}

func (r Relation) ID() (string, error)       { return r.R.ID, r.R.Problems.Check("id") }
func (r Relation) Type() RelationType        { return RelationType(r.R.Type) }
func (r Relation) Direction() Direction      { return r.Dir }
func (r Relation) At() (*PartialDate, error) { return DateToGQL(r.R.At), r.R.Problems.Check("at") }
func (r Relation) Since() (*PartialDate, error) {
	return DateToGQL(r.R.Since), r.R.Problems.Check("since")
}

func (r Relation) Until() (*PartialDate, error) {
	return DateToGQL(r.R.Until), r.R.Problems.Check("until")
}

func (r Relation) Detail(lang *Lang) (*string, error) {
	return Pick(r.R.Detail, LangOf(lang)), r.R.Problems.Check("detailZh", "detailEn")
}

// Label reads the relationship from the entity asked about (lang null: ZH).
func (r Relation) Label(lang *Lang) string {
	info, _ := kg.LookupRelType(string(r.R.Type))
	switch l := LangOf(lang); {
	case r.Dir == DirectionIn && l == LangEn:
		return info.InverseEn
	case r.Dir == DirectionIn:
		return info.InverseZh
	case l == LangEn:
		return info.En
	default:
		return info.Zh
	}
}

// Fact wraps a domain fact.
type Fact struct{ F kg.Fact }

func (f Fact) ID() (string, error)       { return f.F.ID, f.F.Problems.Check("id") }
func (f Fact) Unit() (string, error)     { return f.F.Unit, f.F.Problems.Check("unit") }
func (f Fact) At() (*PartialDate, error) { return DateToGQL(f.F.At), f.F.Problems.Check("at") }
func (f Fact) Qualifier() (Qualifier, error) {
	return Qualifier(f.F.Qualifier), f.F.Problems.Check("qualifier")
}

func (f Fact) Period(lang *Lang) (*string, error) {
	return Pick(f.F.Period, LangOf(lang)), f.F.Problems.Check("periodZh", "periodEn")
}

func (f Fact) Label(lang *Lang) (string, error) {
	if err := f.F.Problems.Check("labelZh", "labelEn"); err != nil {
		return "", err
	}
	return *Pick(f.F.Label, LangOf(lang)), nil
}

// Value is the number exactly as stored: an integer keeps all its 64 bits.
func (f Fact) Value() (Number, error) {
	if err := f.F.Problems.Check("value"); err != nil {
		return Number{}, err
	}
	return Number{F: f.F.Value, I: f.F.ValueInt}, nil
}

// Text is the number as a person reads it, in lang (null: ZH): "more than
// 700" / "700余", "more than 96%" / "96%以上", "more than 20000" / "2万余".
func (f Fact) Text(lang *Lang) (string, error) {
	if err := f.F.Problems.Check("value", "qualifier", "unit"); err != nil {
		return "", err
	}
	return f.text(LangOf(lang)), nil
}

func (f Fact) text(lang Lang) string {
	v := f.F.Value
	n := Number{F: v, I: f.F.ValueInt}.decimal()
	pct := ""
	if f.F.Unit == "percent" {
		pct = "%"
	}
	if lang == LangEn {
		n += pct
		switch f.F.Qualifier {
		case kg.MoreThan:
			return "more than " + n
		case kg.Nearly:
			return "nearly " + n
		case kg.About:
			return "about " + n
		case kg.AtLeast:
			return "at least " + n
		}
		return n
	}
	if v >= 10000 && pct == "" {
		n = shiftDecimal(n, 4) + "万"
	}
	n += pct
	switch f.F.Qualifier {
	case kg.MoreThan:
		if pct != "" {
			return n + "以上"
		}
		return n + "余"
	case kg.Nearly:
		return "近" + n
	case kg.About:
		return n + "左右"
	case kg.AtLeast:
		return "至少" + n
	}
	return n
}

// Document wraps a source document.
type Document struct{ D kg.Document }

func (d Document) ID() (string, error)       { return d.D.ID, d.D.Problems.Check("id") }
func (d Document) Title() (string, error)    { return d.D.Title, d.D.Problems.Check("title") }
func (d Document) Language() (string, error) { return d.D.Language, d.D.Problems.Check("language") }
func (d Document) Text() (string, error)     { return d.D.Text, d.D.Problems.Check("text") }
func (d Document) Publisher() (*string, error) {
	return nonEmpty(d.D.Publisher), d.D.Problems.Check("publisher")
}
func (d Document) URL() (*string, error) { return nonEmpty(d.D.URL), d.D.Problems.Check("url") }

// Date is the publication date; nil when not known.
func (d Document) Date() (*PartialDate, error) { return storedDate(d.D.Date, d.D.Problems, "date") }

// Evidence points at a document by id; the document resolves through the
// loader. Problems are those of the relation or fact it belongs to; First
// says it is the statement's first evidence (properties sourceId and
// quote; the others are moreSourceIds and moreQuotes, checked as a list).
type Evidence struct {
	E        kg.Evidence
	Problems kg.DataProblems
	First    bool
}

func (e Evidence) Quote() (string, error) { return e.E.Quote, e.check("quote") }

// DocumentID is the id of the evidence's document.
func (e Evidence) DocumentID() (string, error) { return e.E.DocumentID, e.check("sourceId") }

func (e Evidence) check(prop string) error {
	if !e.First {
		return nil
	}
	return e.Problems.Check(prop)
}

// RelationTypeInfo wraps a vocabulary entry.
type RelationTypeInfo struct{ I kg.RelTypeInfo }

func (i RelationTypeInfo) Type() RelationType { return RelationType(i.I.Type) }
func (i RelationTypeInfo) Example() string    { return i.I.Example }
func (i RelationTypeInfo) FromKinds() []Kind  { return kindsToGQL(i.I.From) }
func (i RelationTypeInfo) ToKinds() []Kind    { return kindsToGQL(i.I.To) }
func (i RelationTypeInfo) Label(lang *Lang) string {
	if LangOf(lang) == LangEn {
		return i.I.En
	}
	return i.I.Zh
}

func (i RelationTypeInfo) InverseLabel(lang *Lang) string {
	if LangOf(lang) == LangEn {
		return i.I.InverseEn
	}
	return i.I.InverseZh
}

// Symmetric reports whether the type reads the same both ways.
func (i RelationTypeInfo) Symmetric() bool { return i.I.Symmetric() }

// Builtin is false for a type an admin added at runtime.
func (i RelationTypeInfo) Builtin() bool { return kg.IsBuiltin(i.I.Type) }

func kindsToGQL(ks []kg.Kind) []Kind {
	out := make([]Kind, len(ks))
	for i, k := range ks {
		out[i] = KindToGQL(k)
	}
	return out
}

// Evidence of the relation.
func (r Relation) Evidence() *Evidence {
	return &Evidence{E: r.R.Evidence, Problems: r.R.Problems, First: true}
}

// Evidence of the fact.
func (f Fact) Evidence() *Evidence {
	return &Evidence{E: f.F.Evidence, Problems: f.F.Problems, First: true}
}

// Evidences of the relation, first first.
func (r Relation) Evidences() ([]*Evidence, error) {
	return evidencesToGQL(r.R.AllEvidence(), r.R.Problems)
}

// Rank of the relation; NORMAL when none was set.
func (r Relation) Rank() (Rank, error) { return RankToGQL(r.R.Rank), r.R.Problems.Check("rank") }

// SameAs is the first statement of the relation's group; nil when none.
func (r Relation) SameAs() (*string, error) {
	return nonEmpty(r.R.SameAs), r.R.Problems.Check("sameAs")
}

// Origin says who owns the relation.
func (r Relation) Origin() (Origin, error) {
	if r.R.Origin == kg.OriginAPI {
		return OriginAPI, nil
	}
	return OriginData, r.R.Problems.Check("origin")
}

// Evidences of the fact, first first.
func (f Fact) Evidences() ([]*Evidence, error) {
	return evidencesToGQL(f.F.AllEvidence(), f.F.Problems)
}

// Rank of the fact; NORMAL when none was set.
func (f Fact) Rank() (Rank, error) { return RankToGQL(f.F.Rank), f.F.Problems.Check("rank") }

func evidencesToGQL(es []kg.Evidence, problems kg.DataProblems) ([]*Evidence, error) {
	if err := problems.Check("moreSourceIds", "moreQuotes"); err != nil {
		return nil, err
	}
	out := make([]*Evidence, len(es))
	for i, e := range es {
		out[i] = &Evidence{E: e, Problems: problems, First: i == 0}
	}
	return out, nil
}

// RankToGQL maps a domain rank ("" is NORMAL) to the enum.
func RankToGQL(r kg.Rank) Rank {
	if r == "" {
		return RankNormal
	}
	return Rank(r)
}
