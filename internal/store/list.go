package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Entity lists and counts. Every statement here takes its values as
// $parameters. The only text spliced into Cypher is a sort-key expression
// from entitySortKeys, an ASC/DESC keyword and a comparison operator, all
// chosen from fixed tables by code, never taken from input; they are
// spliced once, at start-up, into entitiesPageCypher.
//
// Only relationship types of the vocabulary ($vocab, or a subset of it)
// count anywhere: internal relationships (NAME_OF, FACT_OF, STATED_IN,
// MENTIONED_IN) never make an entity match a filter, never count towards
// RELATION_COUNT and never appear in relationCounts or stats.
const (
	// entityFilter is the WHERE condition every entity list and count
	// shares, over an entity n; a null parameter switches its filter off.
	//   $kind      the kind of a per-kind list (schools, countries, …)
	//   $kinds     the kinds asked for in the filter
	//   $nameKey   textkey.Key of nameContains: a substring of a Name key of n
	//   $country   id of a Country joined to n by a vocabulary relationship, either way
	//   $relTypes  n has a relationship of one of these types, either way
	//   $timeFrom, $timeTo  (dates) n has a vocabulary relationship whose stated
	//              time overlaps [timeFrom, timeTo], with the same semantics as
	//              relationsPage: a relationship with no stated time never matches
	//   $vocab     every vocabulary relationship type
	entityFilter = `($kind IS NULL OR n.kind = $kind)
  AND ($kinds IS NULL OR n.kind IN $kinds)
  AND ($nameKey IS NULL OR EXISTS { MATCH (k:Name)-[:NAME_OF]->(n) WHERE k.key CONTAINS $nameKey })
  AND ($country IS NULL OR EXISTS { MATCH (n)-[r]-(:Country {id: $country}) WHERE type(r) IN $vocab })
  AND ($relTypes IS NULL OR EXISTS { MATCH (n)-[r]-(:Entity) WHERE type(r) IN $relTypes })
  AND (($timeFrom IS NULL AND $timeTo IS NULL) OR EXISTS {
    MATCH (n)-[r]-(:Entity)
    WHERE type(r) IN $vocab
      AND (r.fromDate IS NOT NULL OR r.toDate IS NOT NULL)
      AND ($timeFrom IS NULL OR r.toDate IS NULL OR r.toDate >= $timeFrom)
      AND ($timeTo IS NULL OR r.fromDate IS NULL OR r.fromDate <= $timeTo) })`

	// entitiesPageTmpl returns one page of the entities matching
	// entityFilter, keyset-paged in (sort key, id) order, as rows (a list of
	// {node, key} in scan order); total, the number of matching entities
	// when $withTotal (else -1); and beyond, whether a matching entity lies
	// on the far side of the cursor the scan starts from (the page before a
	// forward page, the page after a backward one).
	//
	// Placeholders, filled at start-up from fixed tables:
	//   {{KEY}}    the sort-key expression over n (entitySortKeys)
	//   {{AFTER}}  ">" for an ascending list, "<" for a descending one: the
	//              side of a cursor that comes after it in list order
	//   {{BEFORE}} the other operator
	//   {{SCAN}}   ASC or DESC: the list order, or its reverse for last/before
	//   {{START}}  {{AFTER}} when scanning forward, {{BEFORE}} backward
	//   {{MATCH}}  how the candidates n are found: every entity (matchAll), or,
	//              when the country filter is set, the entities related to that
	//              country (matchCountry), which starts from the country node
	//              instead of scanning every entity
	// Parameters besides the filter's:
	//   $afterKey/$afterId, $beforeKey/$beforeId  cursors bounding the list (null: none)
	//   $startKey/$startId  the cursor the scan starts from (null: none)
	//   $limit     one more than the page, so that one more row is known to exist
	//   $noneKey   the TIME key of an entity with no dated relation ("~" ascending,
	//              "" descending: last either way)
	//   $countTypes  relationship types RELATION_COUNT counts
	entitiesPageTmpl = `
CALL () {
  {{MATCH}}
  WHERE ` + entityFilter + `
  WITH n, {{KEY}} AS key
  WHERE ($afterId IS NULL OR key {{AFTER}} $afterKey OR (key = $afterKey AND n.id {{AFTER}} $afterId))
    AND ($beforeId IS NULL OR key {{BEFORE}} $beforeKey OR (key = $beforeKey AND n.id {{BEFORE}} $beforeId))
  WITH n, key
  ORDER BY key {{SCAN}}, n.id {{SCAN}}
  LIMIT $limit
  RETURN collect({node: n, key: key}) AS rows
}
RETURN rows,
  CASE WHEN $withTotal THEN COUNT { {{MATCH}} WHERE ` + entityFilter + ` RETURN n } ELSE -1 END AS total,
  CASE WHEN $startId IS NULL THEN false ELSE EXISTS {
    {{MATCH}}
    WHERE ` + entityFilter + `
    WITH n, {{KEY}} AS key
    WHERE NOT (key {{START}} $startKey OR (key = $startKey AND n.id {{START}} $startId))
    RETURN n
  } END AS beyond`

	// matchAll and matchCountry are the two {{MATCH}} clauses of
	// entitiesPageTmpl (the country filter is also in entityFilter; anchoring
	// on it only changes where the scan starts).
	matchAll     = `MATCH (n:Entity)`
	matchCountry = `MATCH (:Country {id: $country})-[cr]-(n:Entity) WHERE type(cr) IN $vocab WITH DISTINCT n`

	// entityCountsByKind counts the entities matching entityFilter per kind,
	// largest first.
	entityCountsByKind = `
MATCH (n:Entity)
WHERE ` + entityFilter + `
RETURN n.kind AS key, count(n) AS count
ORDER BY count DESC, key`

	// entityCountsByCountry counts, per Country, the distinct entities
	// matching entityFilter that a vocabulary relationship joins to it
	// (either way), largest first. An entity related to two countries counts
	// in both; countries with no such entity are absent.
	entityCountsByCountry = `
MATCH (n:Entity)
WHERE ` + entityFilter + `
MATCH (n)-[r]-(c:Country)
WHERE type(r) IN $vocab
WITH c, count(DISTINCT n) AS count
RETURN c.id AS key, c.nameZh AS zh, c.nameEn AS en, count
ORDER BY count DESC, key`

	// relationCountsByType counts relationships of the types $types
	// between entities per type, largest first.
	relationCountsByType = `
MATCH (:Entity)-[r]->(:Entity)
WHERE type(r) IN $types
RETURN type(r) AS key, count(r) AS count
ORDER BY count DESC, key`

	// relationCountsByYear counts relationships of the types $types between
	// entities per year of their stated time (at, else since: partial-date
	// strings that start with the year), years ascending, the undated last
	// under the key 'none'.
	relationCountsByYear = `
MATCH (:Entity)-[r]->(:Entity)
WHERE type(r) IN $types
WITH coalesce(left(coalesce(r.at, r.since), 4), 'none') AS key
RETURN key, count(*) AS count
ORDER BY key = 'none', key`

	// graphStats counts the whole graph: entities, vocabulary relationships
	// between them, facts and documents.
	graphStats = `
RETURN COUNT { MATCH (n:Entity) } AS entities,
  COUNT { MATCH (:Entity)-[r]->(:Entity) WHERE type(r) IN $vocab } AS relations,
  COUNT { MATCH (f:Fact) } AS facts,
  COUNT { MATCH (d:Document) } AS documents`
)

// SortField names what an entity list is ordered by. Ties are broken by id.
type SortField string

// The orders of an entity list.
const (
	SortID     SortField = "ID"
	SortNameZh SortField = "NAME_ZH" // nameZh, Unicode code point order
	SortNameEn SortField = "NAME_EN" // sortEn: nameEn (else nameZh), lower case
	// SortTime orders by the earliest fromDate of the entity's vocabulary
	// relationships; entities with none come last in either direction.
	SortTime SortField = "TIME"
	// SortRelationCount orders by the number of the entity's vocabulary
	// relationships (of EntityOrder.RelType when set), either direction.
	SortRelationCount SortField = "RELATION_COUNT"
)

// entitySortKeys is the allow-list of sort-key expressions over an entity n.
// Every key is a non-null string, except RELATION_COUNT's integer, so that
// keyset comparisons never meet a null.
var entitySortKeys = map[SortField]string{
	SortID:     `n.id`,
	SortNameZh: `coalesce(n.nameZh, '')`,
	SortNameEn: `coalesce(n.sortEn, '')`,
	SortTime: `coalesce(toString(COLLECT {
    MATCH (n)-[r]-(:Entity) WHERE type(r) IN $vocab AND r.fromDate IS NOT NULL
    RETURN r.fromDate AS d ORDER BY d LIMIT 1 }[0]), $noneKey)`,
	SortRelationCount: `COUNT { MATCH (n)-[r]-(:Entity) WHERE type(r) IN $countTypes }`,
}

// pageStatement identifies one statement completed from entitiesPageTmpl.
type pageStatement struct {
	field    SortField
	desc     bool // the list is in descending order
	backward bool // the scan runs against the list order (last/before)
	anchored bool // the country filter is set: start from the country (matchCountry)
}

var entitiesPageCypher = map[pageStatement]string{}

func init() {
	for field, key := range entitySortKeys {
		for _, desc := range []bool{false, true} {
			for _, backward := range []bool{false, true} {
				after, before := ">", "<"
				if desc {
					after, before = before, after
				}
				scan := "ASC"
				if desc != backward {
					scan = "DESC"
				}
				start := after
				if backward {
					start = before
				}
				for anchored, match := range map[bool]string{false: matchAll, true: matchCountry} {
					entitiesPageCypher[pageStatement{field, desc, backward, anchored}] = strings.NewReplacer(
						"{{KEY}}", key, "{{AFTER}}", after, "{{BEFORE}}", before, "{{SCAN}}", scan, "{{START}}", start,
						"{{MATCH}}", match,
					).Replace(entitiesPageTmpl)
				}
			}
		}
	}
}

// EntityFilter narrows an entity list or count; every filter set must hold.
// The zero value matches every entity.
type EntityFilter struct {
	Kinds []kg.Kind // empty: every kind
	// NameContains matches entities one of whose names (Chinese, English,
	// alias) has textkey.Key(NameContains) as a substring; "" matches all.
	// A text that is blank after normalisation, or longer than
	// MaxNameContains characters, is invalid input.
	NameContains string
	Country      string       // id of a country the entity is related to, either way; "" for any
	RelTypes     []kg.RelType // the entity has a relation of one of these types; empty: no condition
	// TimeFrom and TimeTo (partial dates, "" for open) keep entities with a
	// relation whose stated time overlaps [TimeFrom, TimeTo].
	TimeFrom, TimeTo string
}

// MaxNameContains is the longest EntityFilter.NameContains, in characters.
const MaxNameContains = 200

// EntityOrder orders an entity list; the zero value is by Chinese name, ascending.
type EntityOrder struct {
	Field SortField // "" means SortNameZh
	Desc  bool
	// RelType, for SortRelationCount only, counts relations of this type
	// alone; "" counts every vocabulary type. Set with another field, it is
	// invalid input.
	RelType kg.RelType
}

// EntityQuery selects one page of an entity list.
type EntityQuery struct {
	// List is the kind a per-kind list (schools, countries, …) is of, ""
	// for the list of every kind. It narrows the list like a filter, and a
	// cursor made by one list is refused by another.
	List   kg.Kind
	Filter EntityFilter
	Order  EntityOrder
	// First pages forward from After, Last backward from Before: exactly
	// one of them is ≥ 1 (the caller enforces the maximum). After and Before
	// are cursors of this list and order ("" for none); either may bound
	// either direction.
	First, Last   int
	After, Before string
	WithTotal     bool // compute Total (in the same statement)
}

// EntityPage is one page of an entity list, in list order.
type EntityPage struct {
	Entities []kg.Entity
	Cursors  []string // Cursors[i] is the cursor of Entities[i]
	// HasNext and HasPrev say whether matching entities exist after the
	// last and before the first of the page. The side the scan moves
	// towards is known from one extra row; the side it starts from from an
	// existence check against the starting cursor (false when there is
	// none). Entities beyond a second bounding cursor are not looked for.
	HasNext, HasPrev bool
	Total            int64 // -1 unless asked
}

// entityCursor is the content of an entity-list cursor (base64url JSON):
// the list and order it belongs to, and the sort key and id of its entity.
type entityCursor struct {
	List    kg.Kind         `json:"l,omitempty"`
	Field   SortField       `json:"f"`
	Desc    bool            `json:"d,omitempty"`
	RelType kg.RelType      `json:"t,omitempty"`
	Key     json.RawMessage `json:"k"`
	ID      string          `json:"i"`
}

// Entities returns one page of an entity list: the entities matching
// q.Filter (and q.List), in q.Order with ties broken by id, keyset-paged so
// that a page does not shift when entities are added or removed elsewhere
// in the order. A malformed filter, order or page request, or a cursor not
// made by this list and order, gives kg.ErrInvalidInput.
func (s *Store) Entities(ctx context.Context, q EntityQuery) (EntityPage, error) {
	if q.Order.Field == "" {
		q.Order.Field = SortNameZh
	}
	backward := q.Last > 0
	if (q.First > 0) == backward || q.First < 0 || q.Last < 0 {
		return EntityPage{}, fmt.Errorf("%w: give one of first and last, ≥ 1 (first %d, last %d)", kg.ErrInvalidInput, q.First, q.Last)
	}
	cypher, ok := entitiesPageCypher[pageStatement{q.Order.Field, q.Order.Desc, backward, q.Filter.Country != ""}]
	if !ok {
		return EntityPage{}, fmt.Errorf("%w: unknown sort field %q", kg.ErrInvalidInput, q.Order.Field)
	}
	params, err := filterParams(q.List, q.Filter)
	if err != nil {
		return EntityPage{}, err
	}
	if err := orderParams(q.Order, params); err != nil {
		return EntityPage{}, err
	}
	size := q.First
	if backward {
		size = q.Last
	}
	params["limit"] = size + 1
	params["withTotal"] = q.WithTotal
	for _, c := range []struct{ name, cursor string }{{"after", q.After}, {"before", q.Before}} {
		params[c.name+"Key"], params[c.name+"Id"] = nil, nil
		if c.cursor == "" {
			continue
		}
		key, id, err := decodeEntityCursor(c.cursor, q.List, q.Order)
		if err != nil {
			return EntityPage{}, fmt.Errorf("%s: %w", c.name, err)
		}
		params[c.name+"Key"], params[c.name+"Id"] = key, id
	}
	start := "after"
	if backward {
		start = "before"
	}
	params["startKey"], params["startId"] = params[start+"Key"], params[start+"Id"]

	recs, err := s.read(ctx, cypher, params)
	if err != nil {
		return EntityPage{}, err
	}
	if len(recs) != 1 {
		return EntityPage{}, fmt.Errorf("entities: %d result rows, want 1", len(recs))
	}
	rows, _ := recs[0].Values[0].([]any)
	page := EntityPage{Total: recs[0].Values[1].(int64)}
	more := len(rows) > size
	if more {
		rows = rows[:size]
	}
	beyond, _ := recs[0].Values[2].(bool)
	page.HasNext, page.HasPrev = more, beyond
	if backward {
		page.HasNext, page.HasPrev = beyond, more
	}
	page.Entities = make([]kg.Entity, len(rows))
	page.Cursors = make([]string, len(rows))
	for i, row := range rows {
		m := row.(map[string]any)
		e := toEntity(m["node"].(neo4j.Node))
		key, _ := json.Marshal(m["key"])
		j := i
		if backward {
			j = len(rows) - 1 - i
		}
		page.Entities[j] = e
		page.Cursors[j] = encodeCursor(entityCursor{List: q.List, Field: q.Order.Field, Desc: q.Order.Desc,
			RelType: q.Order.RelType, Key: key, ID: e.ID})
	}
	return page, nil
}

// decodeEntityCursor returns the sort key (a string, or an int64 for
// RELATION_COUNT) and the id a cursor holds, after checking that it was
// made by the same list and order.
func decodeEntityCursor(s string, list kg.Kind, o EntityOrder) (any, string, error) {
	var c entityCursor
	bad := fmt.Errorf("%w: cursor %q is not a cursor of this list and order", kg.ErrInvalidInput, s)
	if err := decodeCursor(s, &c); err != nil || c.ID == "" || c.List != list || c.Field != o.Field ||
		c.Desc != o.Desc || c.RelType != o.RelType {
		return nil, "", bad
	}
	if o.Field == SortRelationCount {
		n, err := strconv.ParseInt(string(bytes.TrimSpace(c.Key)), 10, 64)
		if err != nil {
			return nil, "", bad
		}
		return n, c.ID, nil
	}
	var key string
	if err := json.Unmarshal(c.Key, &key); err != nil {
		return nil, "", bad
	}
	return key, c.ID, nil
}

// filterParams turns a filter (and the kind of a per-kind list) into the
// parameters of entityFilter, checking every value.
func filterParams(list kg.Kind, f EntityFilter) (map[string]any, error) {
	params := map[string]any{"kind": nil, "kinds": nil, "nameKey": nil, "country": nil, "relTypes": nil,
		"vocab": vocabularyTypes()}
	if list != "" {
		if _, ok := kg.ParseKind(string(list)); !ok {
			return nil, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, list)
		}
		params["kind"] = string(list)
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			if _, ok := kg.ParseKind(string(k)); !ok {
				return nil, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, k)
			}
			kinds[i] = string(k)
		}
		params["kinds"] = kinds
	}
	if f.NameContains != "" {
		key := textkey.Key(f.NameContains)
		if n := utf8.RuneCountInString(f.NameContains); key == "" || n > MaxNameContains {
			return nil, fmt.Errorf("%w: nameContains must be 1–%d characters and not blank, got %d", kg.ErrInvalidInput, MaxNameContains, n)
		}
		params["nameKey"] = key
	}
	if f.Country != "" {
		params["country"] = f.Country
	}
	if len(f.RelTypes) > 0 {
		types, err := checkTypes(f.RelTypes)
		if err != nil {
			return nil, err
		}
		params["relTypes"] = types
	}
	for name, v := range map[string]struct {
		s    string
		last bool
	}{"timeFrom": {f.TimeFrom, false}, "timeTo": {f.TimeTo, true}} {
		d, err := DateParam(v.s, v.last)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		params[name] = d
	}
	return params, nil
}

// orderParams adds the parameters the sort keys need.
func orderParams(o EntityOrder, params map[string]any) error {
	params["countTypes"] = params["vocab"]
	if o.RelType != "" {
		if o.Field != SortRelationCount {
			return fmt.Errorf("%w: relationType applies to the RELATION_COUNT order only", kg.ErrInvalidInput)
		}
		types, err := checkTypes([]kg.RelType{o.RelType})
		if err != nil {
			return err
		}
		params["countTypes"] = types
	}
	params["noneKey"] = "~" // after every date string
	if o.Desc {
		params["noneKey"] = "" // before every date string
	}
	return nil
}

// checkTypes returns the types as strings, or kg.ErrInvalidInput for one
// outside the vocabulary.
func checkTypes(ts []kg.RelType) ([]string, error) {
	out := make([]string, len(ts))
	for i, t := range ts {
		if _, ok := kg.LookupRelType(string(t)); !ok {
			return nil, fmt.Errorf("%w: relationship type %q is not in the vocabulary", kg.ErrInvalidInput, t)
		}
		out[i] = string(t)
	}
	return out, nil
}

// vocabularyTypes lists every relationship type of the vocabulary.
func vocabularyTypes() []string {
	out := make([]string, len(kg.Vocabulary))
	for i, v := range kg.Vocabulary {
		out[i] = string(v.Type)
	}
	return out
}

// Group is one group of a count. Key is a kind ("School"), a country id, a
// relationship type or a year ("none" for undated); Names is its label.
type Group struct {
	Key   string
	Names kg.Names
	Count int64
}

// EntityGrouping names how EntityCounts groups.
type EntityGrouping string

// RelationGrouping names how RelationCounts groups.
type RelationGrouping string

// The groupings.
const (
	ByKind    EntityGrouping   = "KIND"    // key: the kind, label kg.KindLabels
	ByCountry EntityGrouping   = "COUNTRY" // key: the country id, label its names
	ByType    RelationGrouping = "TYPE"    // key: the type, label the vocabulary's
	ByYear    RelationGrouping = "YEAR"    // key: the year, or "none"
)

// EntityCounts counts the entities matching f, grouped by kind or by each
// country they are related to; largest group first, ties by key. Groups
// with no entity are absent. One statement.
func (s *Store) EntityCounts(ctx context.Context, by EntityGrouping, f EntityFilter) ([]Group, error) {
	params, err := filterParams("", f)
	if err != nil {
		return nil, err
	}
	var cypher string
	switch by {
	case ByKind:
		cypher = entityCountsByKind
	case ByCountry:
		cypher = entityCountsByCountry
	default:
		return nil, fmt.Errorf("%w: grouping %q", kg.ErrInvalidInput, by)
	}
	recs, err := s.read(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(recs))
	for _, rec := range recs {
		g := Group{Key: rec.Values[0].(string)}
		if by == ByKind {
			l := kg.KindLabels[kg.Kind(g.Key)]
			g.Names = kg.Names{Zh: l[0], En: l[1]}
			g.Count = rec.Values[1].(int64)
		} else {
			zh, _ := rec.Values[1].(string)
			en, _ := rec.Values[2].(string)
			g.Names = kg.Names{Zh: zh, En: en}
			g.Count = rec.Values[3].(int64)
		}
		out = append(out, g)
	}
	return out, nil
}

// RelationCounts counts the relations of the given types (empty: every
// vocabulary type), grouped by type (largest first, ties by type) or by
// the year of their stated time (years ascending, the undated last as
// "none"). Groups with no relation are absent. One statement.
func (s *Store) RelationCounts(ctx context.Context, by RelationGrouping, types []kg.RelType) ([]Group, error) {
	ts := vocabularyTypes()
	if len(types) > 0 {
		var err error
		if ts, err = checkTypes(types); err != nil {
			return nil, err
		}
	}
	var cypher string
	switch by {
	case ByType:
		cypher = relationCountsByType
	case ByYear:
		cypher = relationCountsByYear
	default:
		return nil, fmt.Errorf("%w: grouping %q", kg.ErrInvalidInput, by)
	}
	recs, err := s.read(ctx, cypher, map[string]any{"types": ts})
	if err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(recs))
	for _, rec := range recs {
		g := Group{Key: rec.Values[0].(string), Count: rec.Values[1].(int64)}
		switch {
		case by == ByType:
			info, _ := kg.LookupRelType(g.Key)
			g.Names = kg.Names{Zh: info.Zh, En: info.En}
		case g.Key == "none":
			g.Names = kg.Names{Zh: "未注明时间", En: "no stated time"}
		default:
			g.Names = kg.Names{Zh: g.Key + "年", En: g.Key}
		}
		out = append(out, g)
	}
	return out, nil
}

// Stats are totals over the whole graph.
type Stats struct {
	Entities  int64
	Relations int64 // vocabulary relationships between entities
	Facts     int64
	Documents int64
}

// Stats counts the whole graph in one statement.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	recs, err := s.read(ctx, graphStats, map[string]any{"vocab": vocabularyTypes()})
	if err != nil {
		return Stats{}, err
	}
	v := recs[0].Values
	return Stats{Entities: v[0].(int64), Relations: v[1].(int64), Facts: v[2].(int64), Documents: v[3].(int64)}, nil
}
