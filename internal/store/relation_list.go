package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// The list of relations of the whole graph (Query.relations): each
// vocabulary relationship once, read from its start node a to its end
// node b, filtered, ordered and keyset-paged as the entity lists are
// (list.go). A page is one statement, assembled for the request's shape
// from the fixed fragments below; the only text spliced into Cypher is
// relationship types from kg.Vocabulary(), kind labels from kg.Kinds,
// property names from EntityProperties and RelationProperties, ASC/DESC
// and comparison operators, all chosen by code. Values are $parameters.
//
// How the candidates are found, most selective first:
//   - ids at an end (from, to, either): from those nodes (the entity_id
//     index), along their relationships of the types asked for;
//   - a document: from the entities it mentions (MENTIONED_IN, which the
//     loader and every curated statement record for both ends of a
//     relation they cite it for), along their outgoing relationships;
//   - otherwise every relationship of the types asked for. In id order this
//     is one branch per type, each read in order from the type's id index
//     (rel_<type>_id, schema.go) and cut at the page size, so a page reads
//     about (page size × types) index entries however large the graph; in
//     time order every relationship of the types is read and sorted.
const (
	// relAnchorFrom, relAnchorTo and relAnchorEither bind a, r and b from
	// the entities $fromIds, $toIds or $eitherIds ({{TYPES}} the type
	// expression); relAnchorDocument from the entities document $document
	// mentions; relScan from every relationship of the types.
	relAnchorFrom   = "MATCH (a:Entity) WHERE a.id IN $fromIds\n  MATCH (a)-[r:{{TYPES}}]->(b)"
	relAnchorTo     = "MATCH (b:Entity) WHERE b.id IN $toIds\n  MATCH (a)-[r:{{TYPES}}]->(b)"
	relAnchorEither = "MATCH (x:Entity) WHERE x.id IN $eitherIds\n  MATCH (x)-[r:{{TYPES}}]-()\n  WITH DISTINCT r\n  MATCH (a)-[r]->(b)"
	relAnchorDoc    = "MATCH (:Document {id: $document})<-[:MENTIONED_IN]-(a:Entity)-[r:{{TYPES}}]->(b)"
	relScan         = "MATCH (a)-[r:{{TYPES}}]->(b)"

	// relScanBranch is one type's branch of an id-ordered scan: the
	// relationships of type {{TYPE}} that pass {{WHERE}} (the filters and
	// the cursors, on r.id so that the id index seeks to the cursor), in
	// id order {{DIR}}, at most $limit.
	relScanBranch = `MATCH (a)-[r:{{TYPE}}]->(b){{WHERE}}
    RETURN r, a, b ORDER BY r.id {{DIR}} LIMIT $limit`

	// The conditions of the filters, each used only when given:
	//   relCondDocument  an evidence of r cites $document
	//   relCondTimeFrom  r's stated time ends on or after $timeFrom (a relation
	//                    with no stated time never matches), as RelationQuery.TimeFrom
	//   relCondTimeTo    r's stated time starts on or before $timeTo
	//   relCondAsOf      r had begun by $asOf and not ended before it (a relation
	//                    with no stated time is kept), as RelationQuery.AsOf
	// Ids and kinds at an end are `a.id IN $fromIds`, `b:School|Program`, and
	// for either end the same over a or b (relEndCond).
	relCondDocument = `(r.sourceId = $document OR $document IN coalesce(r.moreSourceIds, []))`
	relCondTimeFrom = `(r.fromDate IS NOT NULL OR r.toDate IS NOT NULL) AND (r.toDate IS NULL OR r.toDate >= $timeFrom)`
	relCondTimeTo   = `(r.fromDate IS NOT NULL OR r.toDate IS NOT NULL) AND (r.fromDate IS NULL OR r.fromDate <= $timeTo)`
	relCondAsOf     = `(r.fromDate IS NULL OR r.fromDate <= $asOf) AND (r.endDate IS NULL OR r.endDate >= $asOf)`

	// relListPageTmpl returns one page as rows (a list of {props, type,
	// from, to, key} in scan order: {{REL}} the relationship's projection,
	// {{A}} and {{B}} the ends'), total (the number of matching relations,
	// or -1: {{TOTAL}}) and beyond (whether a matching relation lies on the
	// far side of the cursor the scan starts from: {{BEYOND}}).
	//   {{CANDIDATES}}  the candidates with the filters (and, for the id
	//                   order, the cursors) applied
	//   {{KEY}}         the sort key over r; {{KEYWHERE}} the cursor
	//                   conditions over a computed key
	//   {{DIR}}         ASC or DESC: the list order, or its reverse for last/before
	relListPageTmpl = `
CALL () {
  {{CANDIDATES}}
  WITH r, a, b, {{KEY}} AS key{{KEYWHERE}}
  ORDER BY key {{DIR}}, r.id {{DIR}}
  LIMIT $limit
  RETURN collect({props: {{REL}}, type: type(r), from: {{A}}, to: {{B}}, key: key}) AS rows
}
RETURN rows,
  {{TOTAL}} AS total,
  {{BEYOND}} AS beyond`

	// relListCount counts the candidates passing the filters;
	// relListBeyond is whether one of them is on the far side of
	// $startKey/$startId ({{KEYWHERE}}).
	relListCount  = "COUNT {\n    {{CANDIDATES}}\n    RETURN r }"
	relListBeyond = "EXISTS {\n    {{CANDIDATES}}\n    WITH r, {{KEY}} AS key{{KEYWHERE}}\n    RETURN r }"

	// relCursorCond is the condition that a relation of key %[1]s is on the
	// %[2]s side of the cursor $%[3]sKey/$%[3]sId (%[4]s the other
	// operator); relBeyondCond that it is the cursor $startKey/$startId or
	// on its %[2]s side (%[3]s the other operator). In id order the key is
	// r.id itself.
	relCursorCond = `%[1]s %[2]s= $%[3]sKey AND NOT (%[1]s = $%[3]sKey AND r.id %[4]s= $%[3]sId)`
	relBeyondCond = `%[1]s %[2]s= $startKey AND NOT (%[1]s = $startKey AND r.id %[3]s $startId)`
)

// relSortKeys are the sort keys of the relations list: ID the relation id;
// TIME the first day of the stated time (at, or since; else the last day
// of until), relations with none last in either direction ($noneKey).
var relSortKeys = map[RelationSortField]string{
	RelSortID:   `r.id`,
	RelSortTime: `coalesce(toString(coalesce(r.fromDate, r.toDate)), $noneKey)`,
}

// RelationSortField names what the relations list is ordered by; ties are
// broken by relation id.
type RelationSortField string

// The orders of the relations list.
const (
	RelSortID   RelationSortField = "ID"
	RelSortTime RelationSortField = "TIME"
)

// RelationOrder orders the relations list; the zero value is by id, ascending.
type RelationOrder struct {
	Field RelationSortField // "" means RelSortID
	Desc  bool
}

// MaxFilterIDs bounds the ids one end of a relations filter lists.
const MaxFilterIDs = 100

// RelationEndFilter narrows the entities at one end of a relation; both
// conditions hold when both are given.
type RelationEndFilter struct {
	IDs   []string  // the entity is one of these (an unknown id matches nothing); at most MaxFilterIDs
	Kinds []kg.Kind // the entity is of one of these kinds
}

func (f RelationEndFilter) given() bool { return len(f.IDs) > 0 || len(f.Kinds) > 0 }

// RelationFilter narrows the relations list; every condition given holds.
type RelationFilter struct {
	Types []kg.RelType // empty: every vocabulary type
	From  RelationEndFilter
	To    RelationEndFilter
	// Either: one end or the other meets every condition given.
	Either RelationEndFilter
	// Document: an evidence of the relation cites this document ("" any).
	Document string
	// TimeFrom/TimeTo and AsOf are partial dates ("" for none), as in
	// RelationQuery.
	TimeFrom, TimeTo, AsOf string
}

// RelationListQuery selects one page of the relations list.
type RelationListQuery struct {
	Filter RelationFilter
	Order  RelationOrder
	// First pages forward from After, Last backward from Before: exactly
	// one of them is ≥ 1. After and Before are cursors of this list and
	// order ("" for none).
	First, Last   int
	After, Before string
	WithTotal     bool
	// RelProps and EndProps narrow what is read of each relationship and
	// of the entities at its ends, as RelationQuery.RelProps/OtherProps.
	RelProps, EndProps string
}

// ListedRelation is one relation of the list with both its ends.
type ListedRelation struct {
	Relation kg.Relation // From and To set
	From, To kg.Entity
}

// RelationListPage is one page of the relations list, in list order.
type RelationListPage struct {
	Relations []ListedRelation
	Cursors   []string // Cursors[i] is the cursor of Relations[i]
	// HasNext and HasPrev as EntityPage's.
	HasNext, HasPrev bool
	Total            int64 // -1 unless asked
}

// relationCursor is the content of a relations-list cursor (base64url
// JSON): the list ("Relation") and order it belongs to, the sort key (none
// in id order, where it is the id) and the relation id.
type relationCursor struct {
	List  string            `json:"l"`
	Field RelationSortField `json:"f"`
	Desc  bool              `json:"d,omitempty"`
	Key   string            `json:"k,omitempty"`
	ID    string            `json:"i"`
}

// relationListName marks the cursors of the relations list.
const relationListName = "Relation"

// relListShape is everything a page statement depends on besides
// parameter values.
type relListShape struct {
	types    []string // the relationship types, from the vocabulary
	anchor   string   // "from", "to", "either", "document" or "" (scan)
	conds    []string // the filters' conditions over a, r and b
	field    RelationSortField
	desc     bool // the list is in descending order
	backward bool // the scan runs against the list order (last/before)
	after    bool
	before   bool
	total    bool
	rel, end string // projections: of r, and of an end over "{{V}}"
}

// candidates returns the clauses that bind a, r and b to the relations
// passing the filters and, in id order, the cursor conditions extra
// (applied with the filters, where the id index can serve them), each
// line after the first indented by indent.
func (sh relListShape) candidates(extra []string, indent string, union bool) string {
	types := strings.Join(sh.types, "|")
	conds := append(slices.Clone(sh.conds), extra...)
	var out string
	switch sh.anchor {
	case "from":
		out = relAnchorFrom
	case "to":
		out = relAnchorTo
	case "either":
		out = relAnchorEither
	case "document":
		out = relAnchorDoc
	default:
		if !union {
			out = relScan
			break
		}
		// One branch per type, each in id order from the type's index.
		dir := "ASC"
		if sh.desc != sh.backward {
			dir = "DESC"
		}
		branches := make([]string, len(sh.types))
		for i, t := range sh.types {
			branches[i] = strings.NewReplacer("{{TYPE}}", t, "{{WHERE}}", where(append(slices.Clone(conds), "r.id IS NOT NULL"), "    "),
				"{{DIR}}", dir).Replace(relScanBranch)
		}
		return strings.ReplaceAll("CALL () {\n    "+strings.Join(branches, "\n    UNION ALL\n    ")+"\n  }", "\n", "\n"+indent)
	}
	out = strings.ReplaceAll(out, "{{TYPES}}", types) + where(conds, "  ")
	return strings.ReplaceAll(out, "\n", "\n"+indent)
}

// cypher assembles the page statement of the shape.
func (sh relListShape) cypher() string {
	key := relSortKeys[sh.field]
	after, before := ">", "<"
	if sh.desc {
		after, before = before, after
	}
	dir := "ASC"
	if sh.desc != sh.backward {
		dir = "DESC"
	}
	other, startSet := before, sh.after
	if sh.backward {
		other, startSet = after, sh.before
	}
	var cursors []string
	if sh.after {
		cursors = append(cursors, fmt.Sprintf(relCursorCond, key, after, "after", before))
	}
	if sh.before {
		cursors = append(cursors, fmt.Sprintf(relCursorCond, key, before, "before", after))
	}
	beyondCursor := fmt.Sprintf(relBeyondCond, key, other, opposite[other])
	byID := sh.field == RelSortID
	var cands, keyWhere, beyondCands, beyondKey string
	if byID {
		// The key is r.id: the cursors join the filters, where the id
		// index can seek to them.
		cands = sh.candidates(cursors, "  ", true)
		beyondCands = sh.candidates([]string{beyondCursor}, "    ", false)
	} else {
		cands = sh.candidates(nil, "  ", false)
		keyWhere = where(cursors, "  ")
		beyondCands = sh.candidates(nil, "    ", false)
		beyondKey = where([]string{beyondCursor}, "    ")
	}
	total := "-1"
	if sh.total {
		total = strings.ReplaceAll(relListCount, "{{CANDIDATES}}", sh.candidates(nil, "    ", false))
	}
	beyond := "false"
	if startSet {
		beyond = strings.NewReplacer("{{CANDIDATES}}", beyondCands, "{{KEY}}", key, "{{KEYWHERE}}", beyondKey).Replace(relListBeyond)
	}
	return strings.NewReplacer("{{CANDIDATES}}", cands, "{{KEY}}", key, "{{KEYWHERE}}", keyWhere, "{{DIR}}", dir,
		"{{REL}}", sh.rel, "{{A}}", strings.ReplaceAll(sh.end, "{{V}}", "a"), "{{B}}", strings.ReplaceAll(sh.end, "{{V}}", "b"),
		"{{TOTAL}}", total, "{{BEYOND}}", beyond).Replace(relListPageTmpl)
}

// relFilterParams checks a relations filter and turns it into the shape's
// candidates and conditions and their parameters.
func relFilterParams(f RelationFilter, sh *relListShape) (map[string]any, error) {
	params := map[string]any{}
	types, err := splitTypes(joinRelTypes(f.Types))
	if err != nil {
		return nil, err
	}
	sh.types = types
	ends := []struct {
		name string
		f    RelationEndFilter
	}{{"from", f.From}, {"to", f.To}, {"either", f.Either}}
	for _, e := range ends {
		if len(e.f.IDs) > MaxFilterIDs {
			return nil, fmt.Errorf("%w: filter.%s.ids lists %d ids; at most %d", kg.ErrInvalidInput, e.name, len(e.f.IDs), MaxFilterIDs)
		}
		if len(e.f.IDs) > 0 && sh.anchor == "" {
			sh.anchor = e.name
		}
	}
	if sh.anchor == "" && f.Document != "" {
		sh.anchor = "document"
	}
	for _, e := range ends {
		if !e.f.given() {
			continue
		}
		labels, err := kindLabels(e.f.Kinds)
		if err != nil {
			return nil, err
		}
		if len(e.f.IDs) > 0 {
			params[e.name+"Ids"] = slices.Clone(e.f.IDs)
		}
		cond := func(v string) string {
			var cs []string
			if len(e.f.IDs) > 0 {
				cs = append(cs, v+".id IN $"+e.name+"Ids")
			}
			if labels != "" {
				cs = append(cs, v+":"+labels)
			}
			return strings.Join(cs, " AND ")
		}
		switch e.name {
		case "from":
			if c := cond("a"); c != "" && (sh.anchor != "from" || labels != "") {
				sh.conds = append(sh.conds, c)
			}
		case "to":
			if c := cond("b"); c != "" && (sh.anchor != "to" || labels != "") {
				sh.conds = append(sh.conds, c)
			}
		case "either":
			sh.conds = append(sh.conds, "(("+cond("a")+") OR ("+cond("b")+"))")
		}
	}
	if f.Document != "" {
		params["document"] = f.Document
		sh.conds = append(sh.conds, relCondDocument)
	}
	for _, t := range []struct {
		name, s, cond string
		last          bool
	}{{"timeFrom", f.TimeFrom, relCondTimeFrom, false}, {"timeTo", f.TimeTo, relCondTimeTo, true}, {"asOf", f.AsOf, relCondAsOf, true}} {
		d, err := DateParam(t.s, t.last)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		if d != nil {
			params[t.name] = d
			sh.conds = append(sh.conds, t.cond)
		}
	}
	return params, nil
}

// kindLabels returns the kinds as a label expression (School|Program),
// "" for none; an unknown kind is kg.ErrInvalidInput.
func kindLabels(kinds []kg.Kind) (string, error) {
	var out []string
	for _, k := range kinds {
		kind, ok := kg.ParseKind(string(k))
		if !ok {
			return "", fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, k)
		}
		if !slices.Contains(out, string(kind)) {
			out = append(out, string(kind))
		}
	}
	return strings.Join(out, "|"), nil
}

func joinRelTypes(ts []kg.RelType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

// RelationList returns one page of the relations of the whole graph: each
// relationship of the vocabulary once, from its start node to its end
// node, matching q.Filter, in q.Order with ties broken by relation id,
// keyset-paged so that a page does not shift when relations are added or
// removed elsewhere in the order. A malformed filter, order or page
// request, or a cursor not made by this list and order, gives
// kg.ErrInvalidInput. One statement.
func (s *Store) RelationList(ctx context.Context, q RelationListQuery) (RelationListPage, error) {
	if q.Order.Field == "" {
		q.Order.Field = RelSortID
	}
	if _, ok := relSortKeys[q.Order.Field]; !ok {
		return RelationListPage{}, fmt.Errorf("%w: unknown sort field %q", kg.ErrInvalidInput, q.Order.Field)
	}
	backward := q.Last > 0
	if (q.First > 0) == backward || q.First < 0 || q.Last < 0 {
		return RelationListPage{}, fmt.Errorf("%w: give one of first and last, ≥ 1 (first %d, last %d)", kg.ErrInvalidInput, q.First, q.Last)
	}
	sh := relListShape{
		field: q.Order.Field, desc: q.Order.Desc, backward: backward, after: q.After != "", before: q.Before != "",
		total: q.WithTotal,
	}
	params, err := relFilterParams(q.Filter, &sh)
	if err != nil {
		return RelationListPage{}, err
	}
	if sh.rel, err = projection("r", q.RelProps, RelationProperties, []string{"id"}); err != nil {
		return RelationListPage{}, err
	}
	if q.RelProps == "" {
		sh.rel = "properties(r)"
	}
	if sh.end, err = projection("{{V}}", q.EndProps, EntityProperties, []string{"id", "kind"}); err != nil {
		return RelationListPage{}, err
	}
	size := q.First
	if backward {
		size = q.Last
	}
	params["limit"] = size + 1
	if q.Order.Field == RelSortTime {
		params["noneKey"] = "~" // after every date
		if q.Order.Desc {
			params["noneKey"] = "" // before every date
		}
	}
	for _, c := range []struct{ name, cursor string }{{"after", q.After}, {"before", q.Before}} {
		if c.cursor == "" {
			continue
		}
		var cur relationCursor
		if err := decodeCursor(c.cursor, &cur); err != nil || cur.List != relationListName || cur.ID == "" ||
			cur.Field != q.Order.Field || cur.Desc != q.Order.Desc {
			return RelationListPage{}, fmt.Errorf("%s: %w: cursor %q is not a cursor of this list and order", c.name, kg.ErrInvalidInput, c.cursor)
		}
		if cur.Field == RelSortID {
			cur.Key = cur.ID
		}
		params[c.name+"Key"], params[c.name+"Id"] = cur.Key, cur.ID
	}
	start := "after"
	if backward {
		start = "before"
	}
	if id, ok := params[start+"Id"]; ok {
		params["startKey"], params["startId"] = params[start+"Key"], id
	}
	cypher := statement(fmt.Sprintf("relationList %+v", sh), sh.cypher)
	recs, err := s.read(ctx, cypher, params)
	if err != nil {
		return RelationListPage{}, err
	}
	rows, total, hasNext, hasPrev, err := pageRows(recs, size, backward, "relations")
	if err != nil {
		return RelationListPage{}, err
	}
	page := RelationListPage{Total: total, HasNext: hasNext, HasPrev: hasPrev}
	page.Relations = make([]ListedRelation, len(rows))
	page.Cursors = make([]string, len(rows))
	for i, row := range rows {
		m := row.(map[string]any)
		rel := toRelation(m["props"].(map[string]any), m["type"].(string))
		from, to := entityOf(m["from"]), entityOf(m["to"])
		rel.From, rel.To = from.ID, to.ID
		key, _ := m["key"].(string)
		if q.Order.Field == RelSortID {
			key = "" // the id
		}
		j := i
		if backward {
			j = len(rows) - 1 - i
		}
		page.Relations[j] = ListedRelation{Relation: rel, From: from, To: to}
		page.Cursors[j] = encodeCursor(relationCursor{List: relationListName, Field: q.Order.Field, Desc: q.Order.Desc, Key: key, ID: rel.ID})
	}
	return page, nil
}
