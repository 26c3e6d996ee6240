package model

import (
	"strconv"

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
}

// Other is the entity at the other end; nil (a GraphQL error, the field is
// non-null) only if it was not read with the relation.
func (r Relation) Other() Entity {
	if r.OtherEntity == nil {
		return nil
	}
	return EntityToGQL(*r.OtherEntity)
}

func (r Relation) ID() string               { return r.R.ID }
func (r Relation) Type() RelationType       { return RelationType(r.R.Type) }
func (r Relation) Direction() Direction     { return r.Dir }
func (r Relation) At() *PartialDate         { return DateToGQL(r.R.At) }
func (r Relation) Since() *PartialDate      { return DateToGQL(r.R.Since) }
func (r Relation) Until() *PartialDate      { return DateToGQL(r.R.Until) }
func (r Relation) Detail(lang Lang) *string { return Pick(r.R.Detail, lang) }

// Label reads the relationship from the entity asked about.
func (r Relation) Label(lang Lang) string {
	info, _ := kg.LookupRelType(string(r.R.Type))
	switch {
	case r.Dir == DirectionIn && lang == LangEn:
		return info.InverseEn
	case r.Dir == DirectionIn:
		return info.InverseZh
	case lang == LangEn:
		return info.En
	default:
		return info.Zh
	}
}

// Fact wraps a domain fact.
type Fact struct{ F kg.Fact }

func (f Fact) ID() string               { return f.F.ID }
func (f Fact) Value() float64           { return f.F.Value }
func (f Fact) Unit() string             { return f.F.Unit }
func (f Fact) Qualifier() Qualifier     { return Qualifier(f.F.Qualifier) }
func (f Fact) At() *PartialDate         { return DateToGQL(f.F.At) }
func (f Fact) Period(lang Lang) *string { return Pick(f.F.Period, lang) }
func (f Fact) Label(lang Lang) string   { return *Pick(f.F.Label, lang) }

// Text is the number as a person reads it, in lang: "more than 700" /
// "700余", "more than 96%" / "96%以上", "more than 20000" / "2万余".
func (f Fact) Text(lang Lang) string {
	v := f.F.Value
	pct := ""
	if f.F.Unit == "percent" {
		pct = "%"
	}
	if lang == LangEn {
		n := strconv.FormatFloat(v, 'f', -1, 64) + pct
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
	n := strconv.FormatFloat(v, 'f', -1, 64)
	if v >= 10000 && pct == "" {
		n = strconv.FormatFloat(v/10000, 'f', -1, 64) + "万"
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

func (d Document) ID() string         { return d.D.ID }
func (d Document) Title() string      { return d.D.Title }
func (d Document) Language() string   { return d.D.Language }
func (d Document) Publisher() *string { return nonEmpty(d.D.Publisher) }
func (d Document) URL() *string       { return nonEmpty(d.D.URL) }
func (d Document) Text() string       { return d.D.Text }

// Date is the publication date; nil when not known.
func (d Document) Date() *PartialDate {
	if d.D.Date == "" {
		return nil
	}
	p, err := kg.ParsePartialDate(d.D.Date)
	if err != nil {
		return nil
	}
	return DateToGQL(&p)
}

// Evidence points at a document by id; the document resolves through the loader.
type Evidence struct{ E kg.Evidence }

func (e Evidence) Quote() string { return e.E.Quote }

// RelationTypeInfo wraps a vocabulary entry.
type RelationTypeInfo struct{ I kg.RelTypeInfo }

func (i RelationTypeInfo) Type() RelationType { return RelationType(i.I.Type) }
func (i RelationTypeInfo) Example() string    { return i.I.Example }
func (i RelationTypeInfo) FromKinds() []Kind  { return kindsToGQL(i.I.From) }
func (i RelationTypeInfo) ToKinds() []Kind    { return kindsToGQL(i.I.To) }
func (i RelationTypeInfo) Label(lang Lang) string {
	if lang == LangEn {
		return i.I.En
	}
	return i.I.Zh
}
func (i RelationTypeInfo) InverseLabel(lang Lang) string {
	if lang == LangEn {
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
func (r Relation) Evidence() *Evidence { return &Evidence{E: r.R.Evidence} }

// Evidence of the fact.
func (f Fact) Evidence() *Evidence { return &Evidence{E: f.F.Evidence} }

// Evidences of the relation, first first.
func (r Relation) Evidences() []*Evidence { return evidencesToGQL(r.R.AllEvidence()) }

// Rank of the relation; NORMAL when none was set.
func (r Relation) Rank() Rank { return RankToGQL(r.R.Rank) }

// SameAs is the first statement of the relation's group; nil when none.
func (r Relation) SameAs() *string { return nonEmpty(r.R.SameAs) }

// Origin says who owns the relation.
func (r Relation) Origin() Origin {
	if r.R.Origin == kg.OriginAPI {
		return OriginAPI
	}
	return OriginData
}

// Evidences of the fact, first first.
func (f Fact) Evidences() []*Evidence { return evidencesToGQL(f.F.AllEvidence()) }

// Rank of the fact; NORMAL when none was set.
func (f Fact) Rank() Rank { return RankToGQL(f.F.Rank) }

func evidencesToGQL(es []kg.Evidence) []*Evidence {
	out := make([]*Evidence, len(es))
	for i, e := range es {
		out[i] = &Evidence{E: e}
	}
	return out
}

// RankToGQL maps a domain rank ("" is NORMAL) to the enum.
func RankToGQL(r kg.Rank) Rank {
	if r == "" {
		return RankNormal
	}
	return Rank(r)
}
