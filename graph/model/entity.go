// Package model holds the GraphQL types that gqlgen binds to. The hand-written
// ones here wrap domain values (kg) so that fields without a store round trip
// resolve as methods; models_gen.go is generated.
package model

import (
	"fmt"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Base carries what every Entity type shares. Each kind's type embeds it.
type Base struct{ E kg.Entity }

// IsEntity marks the Entity interface.
func (Base) IsEntity() {}

// Each method that serves a stored property answers the property's
// kg.DataError (code DATA_ERROR, at the field's path) when the store could
// not read it, instead of a default.

func (b Base) ID() (string, error)     { return b.E.ID, b.E.Problems.Check("id") }
func (b Base) NameZh() (string, error) { return b.E.NameZh, b.E.Problems.Check("nameZh") }
func (b Base) NameEn() (*string, error) {
	return nonEmpty(b.E.NameEn), b.E.Problems.Check("nameEn")
}

func (b Base) NameEnOfficial() (bool, error) {
	return b.E.NameEnOfficial, b.E.Problems.Check("nameEnOfficial")
}

// Aliases never returns nil.
func (b Base) Aliases() ([]string, error) {
	if err := b.E.Problems.Check("aliases"); err != nil {
		return nil, err
	}
	if b.E.Aliases == nil {
		return []string{}, nil
	}
	return b.E.Aliases, nil
}

// Kind is the GraphQL enum value of the entity's kind.
func (b Base) Kind() (Kind, error) {
	if err := b.E.Problems.Check("kind"); err != nil {
		return "", err
	}
	return KindToGQL(b.E.Kind), nil
}

// Name is the name in lang (null: ZH), falling back to the other language.
func (b Base) Name(lang *Lang) (string, error) {
	if LangOf(lang) == LangEn {
		if err := b.E.Problems.Check("nameEn"); err != nil {
			return "", err
		}
		if b.E.NameEn != "" {
			return b.E.NameEn, nil
		}
	}
	return b.E.NameZh, b.E.Problems.Check("nameZh")
}

// Description is the description in lang with fallback; nil when there is none.
func (b Base) Description(lang *Lang) (*string, error) {
	return Pick(b.E.Description, LangOf(lang)), b.E.Problems.Check("descriptionZh", "descriptionEn")
}

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

func (b Base) optional(v, prop string) (*string, error) { return nonEmpty(v), b.E.Problems.Check(prop) }

func (s School) City() (*string, error)       { return s.optional(s.E.City, "city") }
func (s School) SchoolType() (*string, error) { return s.optional(s.E.SchoolType, "schoolType") }
func (c Country) Iso2() (string, error)       { return c.E.ISO2, c.E.Problems.Check("iso2") }
func (c Country) Iso3() (string, error)       { return c.E.ISO3, c.E.Problems.Check("iso3") }
func (e Enterprise) City() (*string, error)   { return e.optional(e.E.City, "city") }
func (o Organization) City() (*string, error) { return o.optional(o.E.City, "city") }
func (r Region) RegionType() (*string, error) { return r.optional(r.E.RegionType, "regionType") }
func (p Program) Category() (*string, error)  { return p.optional(p.E.Category, "category") }

// Start is when the programme started; nil when not known.
func (p Program) Start() (*PartialDate, error) { return storedDate(p.E.Start, p.E.Problems, "start") }

// storedDate serves a date property held as text (kg.ParseStoredDate).
func storedDate(s string, problems kg.DataProblems, prop string) (*PartialDate, error) {
	if err := problems.Check(prop); err != nil || s == "" {
		return nil, err
	}
	d, err := kg.ParseStoredDate(s)
	if err != nil { // the store checked it
		return nil, &kg.DataError{Property: prop, Why: "holds a malformed date"}
	}
	return DateToGQL(&d), nil
}

// EntityToGQL wraps a domain entity in the GraphQL type of its kind. An
// entity whose stored kind is not one of kg.Kinds has no GraphQL type: it
// is the kind's kg.DataError, never another type.
func EntityToGQL(e kg.Entity) (Entity, error) {
	b := Base{E: e}
	switch e.Kind {
	case kg.School:
		return School{b}, nil
	case kg.Country:
		return Country{b}, nil
	case kg.Enterprise:
		return Enterprise{b}, nil
	case kg.Alliance:
		return Alliance{b}, nil
	case kg.Program:
		return Program{b}, nil
	case kg.Organization:
		return Organization{b}, nil
	case kg.Region:
		return Region{b}, nil
	case kg.Event:
		return Event{b}, nil
	case kg.Award:
		return Award{b}, nil
	case kg.Person:
		return Person{b}, nil
	}
	if err := e.Problems.Check("kind"); err != nil {
		return nil, err
	}
	return nil, &kg.DataError{Property: "kind", Why: fmt.Sprintf("is %q, which is not a kind", kg.Short(string(e.Kind)))}
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

// DateToGQL converts a partial date; nil stays nil. A date the graph holds
// as a Neo4j datetime keeps its ISO-8601 text (offset and zone) as value.
func DateToGQL(d *kg.PartialDate) *PartialDate {
	if d == nil {
		return nil
	}
	first, last := d.Range()
	value := d.String()
	if d.Stored != "" {
		value = d.Stored
	}
	out := &PartialDate{Value: value, Precision: Precision(d.Precision()), Start: first.Format("2006-01-02"), End: last.Format("2006-01-02")}
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
func (b Base) Version() (int64, error) { return b.E.Version, b.E.Problems.Check("version") }

// LangOf is the language a lang argument asks for: an explicit null is the
// argument's default, ZH.
func LangOf(l *Lang) Lang {
	if l == nil {
		return LangZh
	}
	return *l
}

// IsNode marks the Node interface: every entity is a node, its global id
// its id.
func (Base) IsNode() {}
