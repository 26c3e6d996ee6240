// Package model holds the GraphQL types that gqlgen binds to. The hand-written
// ones here wrap domain values (kg) so that fields without a store round trip
// resolve as methods; models_gen.go is generated.
package model

import (
	"github.com/vetgraph/vetgraph/internal/kg"
)

// Base carries what every Entity type shares. Each kind's type embeds it.
type Base struct{ E kg.Entity }

// IsEntity marks the Entity interface.
func (Base) IsEntity() {}

func (b Base) ID() string           { return b.E.ID }
func (b Base) NameZh() string       { return b.E.NameZh }
func (b Base) NameEn() *string      { return nonEmpty(b.E.NameEn) }
func (b Base) NameEnOfficial() bool { return b.E.NameEnOfficial }

// Aliases never returns nil.
func (b Base) Aliases() []string {
	if b.E.Aliases == nil {
		return []string{}
	}
	return b.E.Aliases
}

// Kind is the GraphQL enum value of the entity's kind.
func (b Base) Kind() Kind { return KindToGQL(b.E.Kind) }

// Name is the name in lang, falling back to the other language.
func (b Base) Name(lang Lang) string {
	if lang == LangEn && b.E.NameEn != "" {
		return b.E.NameEn
	}
	return b.E.NameZh
}

// Description is the description in lang with fallback; nil when there is none.
func (b Base) Description(lang Lang) *string { return Pick(b.E.Description, lang) }

// Entity types, one per kind.
type (
	School       struct{ Base }
	Country      struct{ Base }
	Enterprise   struct{ Base }
	Alliance     struct{ Base }
	Program      struct{ Base }
	Organization struct{ Base }
	Region       struct{ Base }
	Event        struct{ Base }
	Award        struct{ Base }
	Person       struct{ Base }
)

func (s School) City() *string       { return nonEmpty(s.E.City) }
func (s School) SchoolType() *string { return nonEmpty(s.E.SchoolType) }
func (c Country) Iso2() string       { return c.E.ISO2 }
func (c Country) Iso3() string       { return c.E.ISO3 }
func (e Enterprise) City() *string   { return nonEmpty(e.E.City) }
func (o Organization) City() *string { return nonEmpty(o.E.City) }
func (r Region) RegionType() *string { return nonEmpty(r.E.RegionType) }
func (p Program) Category() *string  { return nonEmpty(p.E.Category) }

// Start is when the programme started; nil when not known.
func (p Program) Start() *PartialDate {
	if p.E.Start == "" {
		return nil
	}
	d, err := kg.ParsePartialDate(p.E.Start)
	if err != nil {
		return nil // validated at load; unreachable for loaded data
	}
	return DateToGQL(&d)
}

// EntityToGQL wraps a domain entity in the GraphQL type of its kind.
func EntityToGQL(e kg.Entity) Entity {
	b := Base{E: e}
	switch e.Kind {
	case kg.School:
		return School{b}
	case kg.Country:
		return Country{b}
	case kg.Enterprise:
		return Enterprise{b}
	case kg.Alliance:
		return Alliance{b}
	case kg.Program:
		return Program{b}
	case kg.Organization:
		return Organization{b}
	case kg.Region:
		return Region{b}
	case kg.Event:
		return Event{b}
	case kg.Person:
		return Person{b}
	default:
		return Award{b}
	}
}

// KindToGQL maps a domain kind to the GraphQL enum (School → SCHOOL).
func KindToGQL(k kg.Kind) Kind {
	for _, v := range AllKind {
		if kindFromGQL[v] == k {
			return v
		}
	}
	return ""
}

// KindFromGQL maps the GraphQL enum to the domain kind.
func KindFromGQL(k Kind) kg.Kind { return kindFromGQL[k] }

var kindFromGQL = map[Kind]kg.Kind{
	KindSchool: kg.School, KindCountry: kg.Country, KindEnterprise: kg.Enterprise,
	KindAlliance: kg.Alliance, KindProgram: kg.Program, KindOrganization: kg.Organization,
	KindRegion: kg.Region, KindEvent: kg.Event, KindAward: kg.Award, KindPerson: kg.Person,
}

// Pick returns the text in lang, falling back to the other; nil when both are empty.
func Pick(n kg.Names, lang Lang) *string {
	if lang == LangEn && n.En != "" {
		return &n.En
	}
	if n.Zh != "" {
		return &n.Zh
	}
	return nonEmpty(n.En)
}

// DateToGQL converts a partial date; nil stays nil.
func DateToGQL(d *kg.PartialDate) *PartialDate {
	if d == nil {
		return nil
	}
	first, last := d.Range()
	out := &PartialDate{Value: d.String(), Precision: Precision(d.Precision()), Start: first.Format("2006-01-02"), End: last.Format("2006-01-02")}
	if d.Part != "" {
		p := string(d.Part)
		out.Part = &p
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Version counts the curators' writes to the entity.
func (b Base) Version() int64 { return b.E.Version }
