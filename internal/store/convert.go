package store

import (
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// toEntity maps an Entity node to the domain type.
func toEntity(n neo4j.Node) kg.Entity { return entityFromProps(n.Props) }

// entityFromProps maps entity properties (all, or a projection) to the
// domain type; a property that is absent leaves its field zero.
func entityFromProps(p map[string]any) kg.Entity {
	e := kg.Entity{
		ID: str(p, "id"), Kind: kg.Kind(str(p, "kind")), NameZh: str(p, "nameZh"), NameEn: str(p, "nameEn"),
		Description: kg.Names{Zh: str(p, "descriptionZh"), En: str(p, "descriptionEn")},
		City:        str(p, "city"), SchoolType: str(p, "schoolType"), ISO2: str(p, "iso2"), ISO3: str(p, "iso3"),
		Category: str(p, "category"), Start: str(p, "start"), RegionType: str(p, "regionType"),
	}
	e.NameEnOfficial, _ = p["nameEnOfficial"].(bool)
	e.Version = asInt64(p["version"])
	if as, ok := p["aliases"].([]any); ok {
		for _, a := range as {
			if s, ok := a.(string); ok {
				e.Aliases = append(e.Aliases, s)
			}
		}
	}
	return e
}

// toRelation maps relationship properties to the domain type; From and To
// are set by the caller.
func toRelation(p map[string]any, typ string) kg.Relation {
	return kg.Relation{
		ID: str(p, "id"), Type: kg.RelType(typ),
		At: date(p, "at"), Since: date(p, "since"), Until: date(p, "until"),
		Detail:       kg.Names{Zh: str(p, "detailZh"), En: str(p, "detailEn")},
		Evidence:     kg.Evidence{DocumentID: str(p, "sourceId"), Quote: str(p, "quote")},
		MoreEvidence: moreEvidence(p),
		Rank:         kg.Rank(str(p, "rank")), SameAs: str(p, "sameAs"), Origin: str(p, "origin"),
	}
}

// moreEvidence reads the evidence added to a statement after its first
// (parallel lists moreSourceIds and moreQuotes); nil when there is none.
func moreEvidence(p map[string]any) []kg.Evidence {
	docs, _ := p["moreSourceIds"].([]any)
	quotes, _ := p["moreQuotes"].([]any)
	var out []kg.Evidence
	for i := range min(len(docs), len(quotes)) {
		d, _ := docs[i].(string)
		q, _ := quotes[i].(string)
		out = append(out, kg.Evidence{DocumentID: d, Quote: q})
	}
	return out
}

func toFact(p map[string]any) kg.Fact {
	v, _ := p["value"].(float64)
	return kg.Fact{
		ID: str(p, "id"), Label: kg.Names{Zh: str(p, "labelZh"), En: str(p, "labelEn")},
		Value: v, Unit: str(p, "unit"), Qualifier: kg.Qualifier(str(p, "qualifier")), At: date(p, "at"),
		Period:       kg.Names{Zh: str(p, "periodZh"), En: str(p, "periodEn")},
		Evidence:     kg.Evidence{DocumentID: str(p, "sourceId"), Quote: str(p, "quote")},
		MoreEvidence: moreEvidence(p),
		Rank:         kg.Rank(str(p, "rank")), SameAs: str(p, "sameAs"), Origin: str(p, "origin"),
	}
}

func str(p map[string]any, k string) string {
	s, _ := p[k].(string)
	return s
}

func date(p map[string]any, k string) *kg.PartialDate {
	s := str(p, k)
	if s == "" {
		return nil
	}
	d, err := kg.ParsePartialDate(s)
	if err != nil {
		return nil // written by Load from a validated date
	}
	return &d
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
