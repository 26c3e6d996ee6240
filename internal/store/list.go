package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Entity lists and counts. Every statement here takes its values as
// $parameters. A list or count statement is assembled for the shape of the
// request from the fixed fragments below: how the candidates are found
// (every entity, the nodes of one kind label, or the neighbours of the
// country of the country filter), the condition of each filter actually
// given (a filter left out adds nothing), the sort key, and the cursor
// conditions of the page asked for. Besides those fragments, the only text
// spliced into Cypher is a kind label from kg.Kinds, relationship types from
// kg.Vocabulary(), property names from EntityProperties, ASC/DESC and a
// comparison operator, all chosen by code, never taken from input.
// Statements are kept per shape (statement, in relations.go).
//
// Only relationship types of the vocabulary count anywhere: internal
// relationships (NAME_OF, FACT_OF, STATED_IN, MENTIONED_IN) never make an
// entity match a filter, never count towards RELATION_COUNT and never
// appear in relationCounts or stats. Patterns name the vocabulary's types
// ({{VOCAB}}), so they never expand the others; a vocabulary relationship
// always joins two entities (the loader writes them so), so the other end
// is not checked for the Entity label.
//
// A kind is a label ("every entity node carries the label Entity plus
// exactly one kind label", package kg): a list of one kind scans or reaches
// that label. Several kinds in the filter compare the kind property.
//
// The property sort keys (id, nameZh, sortEn) are set on every entity by
// the loader. A list in such an order is read from a range index on the
// label and (key, id) (listIndexes, in schema.go), so that a page of an
// unfiltered list reads about as many index entries as it returns rows
// instead of sorting every entity: its statement asks for the key and id
// to be present, which the planner needs to scan the index in order.
const (
	// scanLabel finds the candidates n without the country filter: every
	// node of {{LABEL}} (Entity, or a kind).
	scanLabel = `MATCH (n:{{LABEL}})`

	// scanCountry finds the candidates n with the country filter: the nodes
	// {{N}} (n, or n with a kind label) joined to the Country $country by a
	// vocabulary relationship, either way, each once. An id that is not a
	// country's finds none.
	scanCountry = `MATCH (anchor:Entity {id: $country})-[:{{VOCAB}}]-({{N}})
WHERE anchor:Country
WITH DISTINCT n`

	// The conditions of the filters over a candidate n, each used only when
	// its filter is given:
	//   condKinds     $kinds, several kinds (one kind is a label instead)
	//   condNameKey   $nameKey, textkey.Key of nameContains: a substring of a Name key of n
	//   condRelTypes  $relTypes: n has a relationship of one of these types, either way
	//   condTime      $timeFrom and/or $timeTo (dates): n has a vocabulary
	//                 relationship whose stated time overlaps [timeFrom, timeTo]
	//                 ({{SPAN}}: timeFromSpan, timeToSpan or both), as
	//                 RelationQuery.TimeFrom/TimeTo: a relationship with no
	//                 stated time never matches
	condKinds    = `n.kind IN $kinds`
	condNameKey  = `EXISTS { MATCH (k:Name)-[:NAME_OF]->(n) WHERE k.key CONTAINS $nameKey }`
	condRelTypes = `EXISTS { MATCH (n)-[r]-() WHERE type(r) IN $relTypes }`
	condTime     = `EXISTS { MATCH (n)-[r:{{VOCAB}}]-() WHERE (r.fromDate IS NOT NULL OR r.toDate IS NOT NULL){{SPAN}} }`
	timeFromSpan = ` AND (r.toDate IS NULL OR r.toDate >= $timeFrom)`
	timeToSpan   = ` AND (r.fromDate IS NULL OR r.fromDate <= $timeTo)`

	// entitiesPageTmpl returns one page of the candidates {{SCAN}} that
	// satisfy the filters, keyset-paged in (sort key, id) order, as rows (a
	// list of {props, key} in scan order, props the map projection {{PROPS}}
	// of the entity); total, the number of matching entities, or -1
	// ({{TOTAL}}: totalCount, or -1 when not asked); and beyond, whether a
	// matching entity lies on the far side of the cursor the scan starts
	// from, the page before a forward page or the page after a backward one
	// ({{BEYOND}}: beyondCheck, or false without such a cursor).
	//   {{WHERE}}     the filters, the presence of a property key, and the
	//                 cursor conditions when the key is a property (so that an
	//                 index on the key and id can seek to the cursor)
	//   {{KEY}}       the sort-key expression over n (entitySortKeys)
	//   {{KEYWHERE}}  the cursor conditions over a computed key
	//   {{SCANDIR}}   ASC or DESC: the list order, or its reverse for last/before
	// Parameters besides the filters':
	//   $afterKey/$afterId, $beforeKey/$beforeId  cursors bounding the list
	//   $startKey/$startId  the cursor the scan starts from
	//   $limit     one more than the page, so that one more row is known to exist
	//   $noneKey   the TIME key of an entity with no dated relation ("~" ascending,
	//              "" descending: last either way)
	entitiesPageTmpl = `
CALL () {
  {{SCAN}}{{WHERE}}
  WITH n, {{KEY}} AS key{{KEYWHERE}}
  ORDER BY key {{SCANDIR}}, n.id {{SCANDIR}}
  LIMIT $limit
  RETURN collect({props: {{PROPS}}, key: key}) AS rows
}
RETURN rows,
  {{TOTAL}} AS total,
  {{BEYOND}} AS beyond`

	// totalCount counts the matching entities (an unfiltered kind from the
	// count store).
	totalCount = `COUNT {
    {{SCAN}}{{WHERE}}
    RETURN n }`

	// beyondCheck is whether a matching entity is on the far side of
	// $startKey/$startId; {{WHERE}} and {{KEY}} (empty for a property key,
	// else the key computed and the condition on it) hold that condition as
	// the page's {{WHERE}} and {{KEYWHERE}} hold the cursors'.
	beyondCheck = `EXISTS {
    {{SCAN}}{{WHERE}}{{KEY}}
    RETURN n }`

	// cursorCond is the condition that the entity of key expression %[1]s
	// is on the %[2]s side of the cursor $%[3]sKey/$%[3]sId (%[4]s is the
	// other operator): a range on the key, which an index on (key, id) seeks
	// to and then reads in order, and a tie-break by id. (The tie-break is
	// not written as "key > $k OR n.id > $id", which the planner may answer
	// with a union of two index seeks that loses the order.) beyondCond is
	// the condition that the entity is the cursor $startKey/$startId or on
	// its %[2]s side (%[3]s is the other operator).
	cursorCond = `%[1]s %[2]s= $%[3]sKey AND NOT (%[1]s = $%[3]sKey AND n.id %[4]s= $%[3]sId)`
	beyondCond = `%[1]s %[2]s= $startKey AND NOT (%[1]s = $startKey AND n.id %[3]s $startId)`

	// entityCountsByKind counts the matching entities per kind, largest first.
	entityCountsByKind = `{{SCAN}}{{WHERE}}
RETURN n.kind AS key, count(n) AS count
ORDER BY count DESC, key`

	// entityCountsByCountry counts, per Country, the distinct matching
	// entities that a vocabulary relationship joins to it (either way),
	// largest first. An entity related to two countries counts in both;
	// countries with no such entity are absent.
	entityCountsByCountry = `{{SCAN}}{{WHERE}}
MATCH (n)-[:{{VOCAB}}]-(c:Country)
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

// vocabPattern is every vocabulary relationship type as a relationship
// type expression (MEMBER_OF|CHAIRS|…), from kg.Vocabulary(). Statements
// that contain it are cached by statement, which forgets them when the
// vocabulary grows.
func vocabPattern() string { return strings.Join(vocabularyTypes(), "|") }

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

// sortKey is one entry of the allow-list of sort keys.
type sortKey struct {
	// expr is the key over an entity n: a non-null string, or RELATION_COUNT's
	// integer, so that keyset comparisons never meet a null. {{COUNTED}} is
	// the relationship type expression RELATION_COUNT counts.
	expr string
	// props, for a key that is a property of n, are the properties a range
	// index orders the list by (the key, then id); nil for a computed key,
	// which no index can give and which is sorted after it is computed.
	props []string
}

// entitySortKeys is the allow-list of sort keys.
var entitySortKeys = map[SortField]sortKey{
	SortID:     {expr: `n.id`, props: []string{"id"}},
	SortNameZh: {expr: `n.nameZh`, props: []string{"nameZh", "id"}},
	SortNameEn: {expr: `n.sortEn`, props: []string{"sortEn", "id"}},
	SortTime: {expr: "coalesce(toString(COLLECT { MATCH (n)-[r:{{VOCAB}}]-() WHERE r.fromDate IS NOT NULL " +
		"RETURN r.fromDate AS d ORDER BY d LIMIT 1 }[0]), $noneKey)"},
	// The degree of n in the counted types: planned as getDegree, which
	// reads a dense node's relationship counts instead of expanding them.
	SortRelationCount: {expr: `COUNT { (n)-[:{{COUNTED}}]-() }`},
}

// entityScan is the shape of the candidates of a list or count: which
// fragments find them and which filters apply. It is set by filterParams
// from checked input.
type entityScan struct {
	label   kg.Kind // the one kind the candidates are of (a label), "" for any
	kinds   bool    // several kinds: condKinds
	country bool    // the country filter: scanCountry instead of scanLabel
	// the other filters given: condNameKey, condRelTypes, condTime
	nameKey, relTypes, timeFrom, timeTo bool
	// none is set when the list's kind is not among the kinds of the
	// filter: nothing matches, and no statement is needed.
	none bool
}

// scan returns the clauses that find the candidates, each line after the
// first indented by indent.
func (sc entityScan) scan(indent string) string {
	if sc.country {
		n := "n"
		if sc.label != "" {
			n += ":" + string(sc.label)
		}
		return strings.NewReplacer("{{VOCAB}}", vocabPattern(), "{{N}}", n, "\n", "\n"+indent).Replace(scanCountry)
	}
	return strings.ReplaceAll(scanLabel, "{{LABEL}}", cmp.Or(string(sc.label), "Entity"))
}

// conds returns the conditions of the filters given.
func (sc entityScan) conds() []string {
	var out []string
	if sc.kinds {
		out = append(out, condKinds)
	}
	if sc.nameKey {
		out = append(out, condNameKey)
	}
	if sc.relTypes {
		out = append(out, condRelTypes)
	}
	if sc.timeFrom || sc.timeTo {
		span := ""
		if sc.timeFrom {
			span += timeFromSpan
		}
		if sc.timeTo {
			span += timeToSpan
		}
		out = append(out, strings.NewReplacer("{{VOCAB}}", vocabPattern(), "{{SPAN}}", span).Replace(condTime))
	}
	return out
}

// where returns a WHERE clause of the conditions on a line of its own
// indented by indent, or "" for none.
func where(conds []string, indent string) string {
	if len(conds) == 0 {
		return ""
	}
	return "\n" + indent + "WHERE " + strings.Join(conds, "\n"+indent+"  AND ")
}

// opposite maps a comparison operator to the other one.
var opposite = map[string]string{">": "<", "<": ">"}

// pageShape is everything a page statement depends on besides parameter
// values; equal shapes have equal statements.
type pageShape struct {
	scan     entityScan
	field    SortField
	counted  string // RELATION_COUNT: the counted types, a relationship type expression
	desc     bool   // the list is in descending order
	backward bool   // the scan runs against the list order (last/before)
	after    bool   // an after cursor is given
	before   bool   // a before cursor is given
	total    bool   // count the whole list
	props    string // the map projection of n the rows carry
}

// cypher assembles the page statement of the shape.
func (sh pageShape) cypher() string {
	key := entitySortKeys[sh.field]
	expr := strings.NewReplacer("{{VOCAB}}", vocabPattern(), "{{COUNTED}}", sh.counted).Replace(key.expr)
	after, before := ">", "<"
	if sh.desc {
		after, before = before, after
	}
	scanDir := "ASC"
	if sh.desc != sh.backward {
		scanDir = "DESC"
	}
	// beyond looks on the other side of the cursor the scan starts from
	// (other: the operator of that side).
	other, startSet := before, sh.after
	if sh.backward {
		other, startSet = after, sh.before
	}

	filters := sh.scan.conds()
	pageConds, beyondConds := slices.Clone(filters), slices.Clone(filters)
	keyRef := "key" // how the cursor conditions refer to the key
	if key.props != nil {
		keyRef = expr
		for _, p := range key.props {
			present := "n." + p + " IS NOT NULL"
			pageConds = append(pageConds, present)
			beyondConds = append(beyondConds, present)
		}
	}
	var cursors []string
	if sh.after {
		cursors = append(cursors, fmt.Sprintf(cursorCond, keyRef, after, "after", before))
	}
	if sh.before {
		cursors = append(cursors, fmt.Sprintf(cursorCond, keyRef, before, "before", after))
	}
	beyondCursor := fmt.Sprintf(beyondCond, keyRef, other, opposite[other])
	keyWhere, beyondKey := "", ""
	if key.props != nil {
		// The key is a property: conditions on it join the filters, where
		// an index on (key, id) can serve them.
		pageConds = append(pageConds, cursors...)
		beyondConds = append(beyondConds, beyondCursor)
	} else {
		keyWhere = where(cursors, "  ")
		beyondKey = "\n    WITH n, " + expr + " AS key" + where([]string{beyondCursor}, "    ")
	}

	total := "-1"
	if sh.total {
		total = strings.NewReplacer("{{SCAN}}", sh.scan.scan("    "), "{{WHERE}}", where(filters, "    ")).Replace(totalCount)
	}
	beyond := "false"
	if startSet {
		beyond = strings.NewReplacer("{{SCAN}}", sh.scan.scan("    "), "{{WHERE}}", where(beyondConds, "    "),
			"{{KEY}}", beyondKey).Replace(beyondCheck)
	}
	return strings.NewReplacer(
		"{{SCAN}}", sh.scan.scan("  "), "{{WHERE}}", where(pageConds, "  "), "{{KEY}}", expr, "{{KEYWHERE}}", keyWhere,
		"{{SCANDIR}}", scanDir, "{{PROPS}}", sh.props, "{{TOTAL}}", total, "{{BEYOND}}", beyond,
	).Replace(entitiesPageTmpl)
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
	// Props narrows what is read of each entity: comma-separated property
	// names of EntityProperties; "" reads every one of them. The id and
	// kind are always read; the fields of other properties are left zero.
	// A name not in EntityProperties is invalid input.
	Props string
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
// made by this list and order, gives kg.ErrInvalidInput. One statement,
// or none when the list's kind and the kinds of the filter exclude each
// other.
func (s *Store) Entities(ctx context.Context, q EntityQuery) (EntityPage, error) {
	if q.Order.Field == "" {
		q.Order.Field = SortNameZh
	}
	backward := q.Last > 0
	if (q.First > 0) == backward || q.First < 0 || q.Last < 0 {
		return EntityPage{}, fmt.Errorf("%w: give one of first and last, ≥ 1 (first %d, last %d)", kg.ErrInvalidInput, q.First, q.Last)
	}
	if _, ok := entitySortKeys[q.Order.Field]; !ok {
		return EntityPage{}, fmt.Errorf("%w: unknown sort field %q", kg.ErrInvalidInput, q.Order.Field)
	}
	sc, params, err := filterParams(q.List, q.Filter)
	if err != nil {
		return EntityPage{}, err
	}
	counted, err := orderParams(q.Order, params)
	if err != nil {
		return EntityPage{}, err
	}
	props, err := projection("n", cmp.Or(q.Props, strings.Join(EntityProperties, ",")), EntityProperties, []string{"id", "kind"})
	if err != nil {
		return EntityPage{}, err
	}
	size := q.First
	if backward {
		size = q.Last
	}
	params["limit"] = size + 1
	for _, c := range []struct{ name, cursor string }{{"after", q.After}, {"before", q.Before}} {
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
	if id, ok := params[start+"Id"]; ok {
		params["startKey"], params["startId"] = params[start+"Key"], id
	}
	if sc.none {
		page := EntityPage{Entities: []kg.Entity{}, Cursors: []string{}, Total: -1}
		if q.WithTotal {
			page.Total = 0
		}
		return page, nil
	}

	sh := pageShape{
		scan: sc, field: q.Order.Field, counted: counted, desc: q.Order.Desc, backward: backward,
		after: q.After != "", before: q.Before != "", total: q.WithTotal, props: props,
	}
	cypher := statement(fmt.Sprintf("entities %+v", sh), sh.cypher)
	recs, err := s.read(ctx, cypher, params)
	if err != nil {
		return EntityPage{}, err
	}
	rows, total, hasNext, hasPrev, err := pageRows(recs, size, backward, "entities")
	if err != nil {
		return EntityPage{}, err
	}
	page := EntityPage{Total: total, HasNext: hasNext, HasPrev: hasPrev}
	page.Entities = make([]kg.Entity, len(rows))
	page.Cursors = make([]string, len(rows))
	for i, row := range rows {
		m := row.(map[string]any)
		e := entityFromProps(m["props"].(map[string]any))
		key, _ := json.Marshal(m["key"])
		j := i
		if backward {
			j = len(rows) - 1 - i
		}
		page.Entities[j] = e
		page.Cursors[j] = encodeCursor(entityCursor{
			List: q.List, Field: q.Order.Field, Desc: q.Order.Desc,
			RelType: q.Order.RelType, Key: key, ID: e.ID,
		})
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

// filterParams checks a filter (and the kind of a per-kind list) and turns
// it into the shape of the candidates and the parameters of their
// conditions.
func filterParams(list kg.Kind, f EntityFilter) (entityScan, map[string]any, error) {
	var sc entityScan
	params := map[string]any{}
	var kinds []kg.Kind
	for _, k := range f.Kinds {
		kind, ok := kg.ParseKind(string(k))
		if !ok {
			return sc, nil, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, k)
		}
		if !slices.Contains(kinds, kind) {
			kinds = append(kinds, kind)
		}
	}
	switch {
	case list != "":
		kind, ok := kg.ParseKind(string(list))
		if !ok {
			return sc, nil, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, list)
		}
		sc.label = kind
		sc.none = len(kinds) > 0 && !slices.Contains(kinds, kind)
	case len(kinds) == 1:
		sc.label = kinds[0]
	case len(kinds) > 1:
		sc.kinds = true
		ks := make([]string, len(kinds))
		for i, k := range kinds {
			ks[i] = string(k)
		}
		params["kinds"] = ks
	}
	if f.NameContains != "" {
		key := textkey.Key(f.NameContains)
		if n := utf8.RuneCountInString(f.NameContains); key == "" || n > MaxNameContains {
			return sc, nil, fmt.Errorf("%w: nameContains must be 1–%d characters and not blank, got %d", kg.ErrInvalidInput, MaxNameContains, n)
		}
		sc.nameKey, params["nameKey"] = true, key
	}
	if f.Country != "" {
		sc.country, params["country"] = true, f.Country
	}
	if len(f.RelTypes) > 0 {
		types, err := checkTypes(f.RelTypes)
		if err != nil {
			return sc, nil, err
		}
		sc.relTypes, params["relTypes"] = true, types
	}
	for _, t := range []struct {
		name string
		s    string
		last bool
		set  *bool
	}{{"timeFrom", f.TimeFrom, false, &sc.timeFrom}, {"timeTo", f.TimeTo, true, &sc.timeTo}} {
		d, err := DateParam(t.s, t.last)
		if err != nil {
			return sc, nil, fmt.Errorf("%s: %w", t.name, err)
		}
		if d != nil {
			*t.set, params[t.name] = true, d
		}
	}
	return sc, params, nil
}

// orderParams checks an order, adds the parameters its sort key needs and
// returns the relationship types RELATION_COUNT counts, as a relationship
// type expression from the vocabulary.
func orderParams(o EntityOrder, params map[string]any) (string, error) {
	counted := vocabPattern()
	if o.RelType != "" {
		if o.Field != SortRelationCount {
			return "", fmt.Errorf("%w: relationType applies to the RELATION_COUNT order only", kg.ErrInvalidInput)
		}
		info, ok := kg.LookupRelType(string(o.RelType))
		if !ok {
			return "", fmt.Errorf("%w: relationship type %q is not in the vocabulary", kg.ErrInvalidInput, o.RelType)
		}
		counted = string(info.Type)
	}
	if o.Field == SortTime {
		params["noneKey"] = "~" // after every date string
		if o.Desc {
			params["noneKey"] = "" // before every date string
		}
	}
	return counted, nil
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
	out := make([]string, len(kg.Vocabulary()))
	for i, v := range kg.Vocabulary() {
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
// with no entity are absent. One statement, built as the lists' are.
func (s *Store) EntityCounts(ctx context.Context, by EntityGrouping, f EntityFilter) ([]Group, error) {
	sc, params, err := filterParams("", f)
	if err != nil {
		return nil, err
	}
	var tmpl string
	switch by {
	case ByKind:
		tmpl = entityCountsByKind
	case ByCountry:
		tmpl = entityCountsByCountry
	default:
		return nil, fmt.Errorf("%w: grouping %q", kg.ErrInvalidInput, by)
	}
	cypher := statement(fmt.Sprintf("entityCounts %s %+v", by, sc), func() string {
		return strings.NewReplacer("{{SCAN}}", sc.scan(""), "{{WHERE}}", where(sc.conds(), ""), "{{VOCAB}}", vocabPattern()).Replace(tmpl)
	})
	recs, err := s.read(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(recs))
	for _, rec := range recs {
		var g Group
		if by == ByKind {
			s, _ := rec.Values[0].(string)
			k, ok := kg.ParseKind(s)
			if !ok {
				return nil, &kg.DataError{Property: "kind", Why: "of an entity holds " + valueName(rec.Values[0]) + ", which is not a kind"}
			}
			l := kg.KindLabels[k]
			g = Group{Key: string(k), Names: kg.Names{Zh: l[0], En: l[1]}, Count: rec.Values[1].(int64)}
		} else {
			p := props{m: map[string]any{"id": rec.Values[0], "nameZh": rec.Values[1], "nameEn": rec.Values[2]}, whole: true}
			g = Group{Key: p.required("id"), Names: kg.Names{Zh: p.required("nameZh"), En: p.str("nameEn")}, Count: rec.Values[3].(int64)}
			if ps := p.problems.All(); len(ps) > 0 {
				return nil, &kg.DataError{Property: ps[0].Property, Why: "of a country " + ps[0].Why}
			}
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

// pageRows reads the one result row of a keyset page statement (rows,
// total, whether rows lie beyond the start): at most size rows, the total,
// and hasNext/hasPrev in the reader's direction. what names the list in an
// error.
func pageRows(recs []*neo4j.Record, size int, backward bool, what string) (rows []any, total int64, hasNext, hasPrev bool, err error) {
	if len(recs) != 1 {
		return nil, 0, false, false, fmt.Errorf("%s: %d result rows, want 1", what, len(recs))
	}
	rows, _ = recs[0].Values[0].([]any)
	total, _ = recs[0].Values[1].(int64)
	more := len(rows) > size
	if more {
		rows = rows[:size]
	}
	beyond, _ := recs[0].Values[2].(bool)
	if backward {
		return rows, total, beyond, more, nil
	}
	return rows, total, more, beyond, nil
}
