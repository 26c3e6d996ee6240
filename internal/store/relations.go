package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Relation pages, one statement per request shape.
//
// A RelationQuery may carry a nested query (Nested) for the entity at the
// other end of each of its relations, which may carry one in turn: a GraphQL
// query that walks relations of relations (a school's alliances and each
// alliance's members) is answered by one statement, not one per level. The
// statement is built from fixed fragments for the shape of the query: the
// relationship types (from kg.Vocabulary()) spelled in the pattern, the arrow
// of the direction, the kind labels (from kg.Kinds) as a label expression,
// and only the filter conjuncts the query uses. No text of the request is
// spliced in: every type and kind is checked against its allow-list first,
// and every value is a $parameter, suffixed with the level (limit0, asOf1…).
// Statements are kept per shape (statement, in store.go).

// MaxRelationLevels bounds the levels of relations (a query and its nested
// queries) one statement reads. A deeper nesting gives kg.ErrInvalidInput.
const MaxRelationLevels = 4

// EntityProperties are the properties of an entity node an answer may
// carry (see toEntity); a projection names a subset of them.
var EntityProperties = []string{
	"id", "kind", "nameZh", "nameEn", "nameEnOfficial", "aliases",
	"descriptionZh", "descriptionEn", "city", "schoolType", "iso2", "iso3", "category", "start", "regionType", "version",
}

// RelationProperties are the properties of a relationship an answer may
// carry (see toRelation); a projection names a subset of them.
var RelationProperties = []string{
	"id", "sourceId", "quote", "detailZh", "detailEn", "at", "since", "until",
	"moreSourceIds", "moreQuotes", "rank", "sameAs", "origin",
}

// projection returns the Cypher map projection of variable v onto props
// (comma-separated names of allowed, plus always), or v itself for "" (every
// property). A name not in allowed gives kg.ErrInvalidInput.
func projection(v, props string, allowed, always []string) (string, error) {
	if props == "" {
		return v, nil
	}
	names := slices.Clone(always)
	for _, p := range strings.Split(props, ",") {
		if !slices.Contains(allowed, p) {
			return "", fmt.Errorf("%w: %q is not a property that can be read", kg.ErrInvalidInput, p)
		}
		if !slices.Contains(names, p) {
			names = append(names, p)
		}
	}
	slices.Sort(names)
	return v + " {." + strings.Join(names, ", .") + "}", nil
}

// EncodeNested returns q, without its EntityID, in the form RelationQuery.Nested holds.
func EncodeNested(q RelationQuery) string {
	q.EntityID = ""
	b, _ := json.Marshal(q)
	return string(b)
}

// NestedOf returns q's nested query (RelationQuery.Nested) without an
// EntityID: with the id of a relation's other end, the key its
// RelationEnd.Nested page answers. False when q has none or it is not one
// EncodeNested wrote.
func NestedOf(q RelationQuery) (RelationQuery, bool) {
	var n RelationQuery
	if q.Nested == "" || json.Unmarshal([]byte(q.Nested), &n) != nil {
		return RelationQuery{}, false
	}
	return n, true
}

// relLevel is one level of a relations statement: a validated query and its
// parameters, named without the level suffix.
type relLevel struct {
	q      RelationQuery
	types  []string
	kinds  []string // nil: any kind
	params map[string]any
	// rel and other are the projections of the relationship and the other
	// end, over the variables r<i> and n<i+1>; via, of the part a relation
	// was read through (IncludeParts), over p<i>.
	rel, other, via string
}

// levelsOf validates q and its nested queries, outermost first.
func levelsOf(q RelationQuery) ([]relLevel, error) {
	var out []relLevel
	for {
		if len(out) == MaxRelationLevels {
			return nil, fmt.Errorf("%w: relations nested more than %d levels deep in one read", kg.ErrInvalidInput, MaxRelationLevels)
		}
		if q.First < 1 {
			return nil, fmt.Errorf("%w: first must be at least 1, got %d", kg.ErrInvalidInput, q.First)
		}
		params, err := relationParams(q)
		if err != nil {
			return nil, err
		}
		l := relLevel{q: q, types: params["types"].([]string), params: params}
		i := strconv.Itoa(len(out))
		if l.rel, err = projection("r"+i, q.RelProps, RelationProperties, []string{"id"}); err != nil {
			return nil, err
		}
		if q.RelProps == "" {
			l.rel = "properties(r" + i + ")"
		}
		if l.other, err = projection("n"+strconv.Itoa(len(out)+1), q.OtherProps, EntityProperties, []string{"id", "kind"}); err != nil {
			return nil, err
		}
		if q.IncludeParts {
			if l.via, err = projection("p"+i, q.ViaProps, EntityProperties, []string{"id", "kind"}); err != nil {
				return nil, err
			}
		}
		if ks, ok := params["kinds"].([]string); ok {
			l.kinds = ks
		}
		out = append(out, l)
		if q.Nested == "" {
			return out, nil
		}
		var next RelationQuery
		dec := json.NewDecoder(strings.NewReader(q.Nested))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&next); err != nil {
			return nil, fmt.Errorf("%w: nested relation query: %w", kg.ErrInvalidInput, err)
		}
		q = next
	}
}

// shape is the part of the levels that decides the statement's text.
func shape(ls []relLevel) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "%s/%s/%s/%t%t%t%t%t/%s/%s/%t/%s;", strings.Join(l.types, "|"), l.q.Dir, strings.Join(l.kinds, "|"),
			l.params["timeFrom"] != nil, l.params["timeTo"] != nil, l.params["asOf"] != nil, l.params["after"] != nil, l.q.WithTotal,
			l.rel, l.other, l.q.IncludeParts, l.via)
	}
	return b.String()
}

// relationsExpr is the Cypher expression for level i of ls, read from node
// variable n<i>: a map {rows, total}. rows are the level's relations in
// relation-id order, at most $limit<i> (one more than the page), each a map
// {props, type, out, other, nested}; nested is the next level's map for the
// other end, or null. total counts the relations that pass the filters (the
// cursor aside) when the level asks for it, else -1.
func relationsExpr(ls []relLevel, i int) string {
	l := ls[i]
	n, m, r := "n"+strconv.Itoa(i), "n"+strconv.Itoa(i+1), "r"+strconv.Itoa(i)
	sfx := strconv.Itoa(i)
	left, right := "-", "-"
	switch l.q.Dir {
	case Out:
		right = "->"
	case In:
		left = "<-"
	}
	// from is the node the relations are read from: n<i> itself, or with
	// IncludeParts each of its parts p<i> too (partsMatch).
	from := n
	if l.q.IncludeParts {
		from = "p" + sfx
	}
	pattern := fmt.Sprintf("(%s)%s[%s:%s]%s(%s:Entity)", from, left, r, strings.Join(l.types, "|"), right, m)
	var conds []string
	if l.q.IncludeParts {
		conds = append(conds, fmt.Sprintf(partsOutside, from, n, m))
	}
	if l.kinds != nil {
		conds = append(conds, m+":"+strings.Join(l.kinds, "|"))
	}
	if l.params["timeFrom"] != nil {
		conds = append(conds, fmt.Sprintf("(%[1]s.fromDate IS NOT NULL OR %[1]s.toDate IS NOT NULL) AND (%[1]s.toDate IS NULL OR %[1]s.toDate >= $timeFrom%[2]s)", r, sfx))
	}
	if l.params["timeTo"] != nil {
		conds = append(conds, fmt.Sprintf("(%[1]s.fromDate IS NOT NULL OR %[1]s.toDate IS NOT NULL) AND (%[1]s.fromDate IS NULL OR %[1]s.fromDate <= $timeTo%[2]s)", r, sfx))
	}
	if l.params["asOf"] != nil {
		conds = append(conds, fmt.Sprintf("(%[1]s.fromDate IS NULL OR %[1]s.fromDate <= $asOf%[2]s) AND (%[1]s.endDate IS NULL OR %[1]s.endDate >= $asOf%[2]s)", r, sfx))
	}
	where := ""
	if len(conds) > 0 {
		where = "\n  WHERE " + strings.Join(conds, "\n    AND ")
	}
	pageWhere := where
	if l.params["after"] != nil {
		c := fmt.Sprintf("%s.id > $after%s", r, sfx)
		if pageWhere == "" {
			pageWhere = "\n  WHERE " + c
		} else {
			pageWhere += "\n    AND " + c
		}
	}
	nested := "null"
	if i+1 < len(ls) {
		nested = relationsExpr(ls, i+1)
	}
	match, via, keep := "MATCH "+pattern, "null", ""
	if l.q.IncludeParts {
		match = fmt.Sprintf(partsMatch, n, from) + "\n  MATCH " + pattern
		via = fmt.Sprintf("CASE WHEN %s = %s THEN null ELSE %s END", from, n, l.via)
		keep = ", " + from
	}
	total := "-1"
	if l.q.WithTotal {
		total = fmt.Sprintf("COUNT {\n  %s%s\n  RETURN %s\n}", match, where, r)
	}
	return fmt.Sprintf(`{rows: COLLECT {
  %[1]s%[2]s
  WITH %[3]s, %[4]s%[12]s
  ORDER BY %[3]s.id
  LIMIT $limit%[5]s
  RETURN {props: %[9]s, type: type(%[3]s), out: startNode(%[3]s) = %[6]s, other: %[10]s, via: %[11]s, nested: %[7]s} AS row
}, total: %[8]s}`, match, pageWhere, r, m, sfx, from, nested, total, l.rel, l.other, via, keep)
}

// Roll-up (RelationQuery.IncludeParts): the relations of an entity n and
// of its parts, the entities PART_OF it directly or through at most
// MaxPartDepth PART_OF steps.
//
// MaxPartDepth bounds how many PART_OF steps below an entity a roll-up
// looks for parts (a variable-length bound is a literal in Cypher).
const MaxPartDepth = 3

var (
	// partsMatch binds %[2]s to n (%[1]s) and to each of its parts, once.
	partsMatch = "MATCH (%[1]s)<-[:PART_OF*0.." + strconv.Itoa(MaxPartDepth) + "]-(%[2]s:Entity)\n  WITH DISTINCT %[1]s, %[2]s"
	// partsOutside keeps a relation read from %[1]s (n %[2]s or a part)
	// whose other end %[3]s is outside the family: a part's relation to n
	// or to another part is left out (n's own relations to its parts are
	// its direct relations, and are kept), so every relation is read once.
	partsOutside = "(%[1]s = %[2]s OR NOT (%[3]s = %[2]s OR EXISTS { (%[3]s)-[:PART_OF*1.." + strconv.Itoa(MaxPartDepth) + "]->(%[2]s) }))"
)

// levelParams returns the parameters of every level, suffixed.
func levelParams(ls []relLevel, into map[string]any) map[string]any {
	for i, l := range ls {
		sfx := strconv.Itoa(i)
		for _, k := range []string{"timeFrom", "timeTo", "asOf", "after"} {
			if v := l.params[k]; v != nil {
				into[k+sfx] = v
			}
		}
		into["limit"+sfx] = l.q.First + 1
	}
	return into
}

// Relations answers a batch of relation queries, returning pages in the
// order of qs: one statement per distinct query apart from EntityID (usually
// one per GraphQL level), which also reads every nested query (see
// RelationQuery.Nested). An entity that does not exist gets an empty page
// (Total 0 when asked for, else -1). Invalid types, kinds, directions,
// dates, cursors or nesting give an error wrapping kg.ErrInvalidInput.
func (s *Store) Relations(ctx context.Context, qs []RelationQuery) ([]RelationPage, error) {
	type group struct {
		levels []relLevel
		ids    []string
	}
	groups := map[RelationQuery]*group{}
	var order []RelationQuery
	for _, q := range qs {
		k := q
		k.EntityID = ""
		g, ok := groups[k]
		if !ok {
			ls, err := levelsOf(k)
			if err != nil {
				return nil, err
			}
			g = &group{levels: ls}
			groups[k] = g
			order = append(order, k)
		}
		g.ids = append(g.ids, q.EntityID)
	}
	pages := map[RelationQuery]RelationPage{}
	for _, k := range order {
		g := groups[k]
		cypher := statement("rels:"+shape(g.levels), func() string {
			return "UNWIND $ids AS id\nMATCH (n0:Entity {id: id})\nRETURN id, " + relationsExpr(g.levels, 0) + " AS rels"
		})
		recs, err := s.read(ctx, cypher, levelParams(g.levels, map[string]any{"ids": g.ids}))
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			q := k
			q.EntityID = rec.Values[0].(string)
			pages[q] = toPage(g.levels, 0, q.EntityID, rec.Values[1])
		}
	}
	out := make([]RelationPage, len(qs))
	for i, q := range qs {
		p, ok := pages[q]
		if !ok {
			p = emptyPage(q.WithTotal)
		}
		out[i] = p
	}
	return out, nil
}

func emptyPage(withTotal bool) RelationPage {
	if withTotal {
		return RelationPage{Total: 0}
	}
	return RelationPage{Total: -1}
}

// toPage decodes level i's {rows, total} map read from entity id.
func toPage(ls []relLevel, i int, id string, v any) RelationPage {
	m, _ := v.(map[string]any)
	page := RelationPage{Total: -1}
	if t, ok := m["total"].(int64); ok {
		page.Total = int(t)
	}
	rows, _ := m["rows"].([]any)
	for j, row := range rows {
		if j == ls[i].q.First {
			page.HasNext = true
			break
		}
		rm := row.(map[string]any)
		rel := toRelation(rm["props"].(map[string]any), rm["type"].(string))
		out := rm["out"].(bool)
		other := entityOf(rm["other"])
		rel.From, rel.To = id, other.ID
		if !out {
			rel.From, rel.To = rel.To, rel.From
		}
		end := RelationEnd{Relation: rel, Out: out, Other: other.ID, Entity: other, Cursor: encodeCursor(rel.ID)}
		if v := rm["via"]; v != nil {
			part := entityOf(v)
			end.Via = &part
			rel.From, rel.To = part.ID, other.ID
			if !out {
				rel.From, rel.To = rel.To, rel.From
			}
			end.Relation = rel
		}
		if i+1 < len(ls) {
			np := toPage(ls, i+1, other.ID, rm["nested"])
			end.Nested = &np
		}
		page.Relations = append(page.Relations, end)
	}
	return page
}

// entityOf decodes an entity read whole (a node) or projected (a map).
func entityOf(v any) kg.Entity {
	switch n := v.(type) {
	case neo4j.Node:
		return toEntity(n)
	case map[string]any:
		return entityFromProps(n)
	}
	return kg.Entity{}
}

// EntityRead says what EntityByID reads of an entity in one statement (a
// second runs only for an id that names no entity: merged away, or unknown).
type EntityRead struct {
	// Props are the properties to read (names as in Neo4j: nameZh,
	// descriptionEn, …; id and kind are always read); nil reads all. A name
	// that is not an entity property gives kg.ErrInvalidInput.
	Props []string
	// Relations, when set, is a page of the entity's relations (and its
	// nested queries) read in the same statement; its EntityID is ignored.
	Relations *RelationQuery
}

// entityByIDMatch binds n0 to the entity with id $id (an index seek);
// entityByRedirectMatch to the entity a merged-away id $id now resolves to
// (see Merge). EntityByID runs the second only when the first finds no
// entity, so that looking up an existing entity costs what a plain seek
// costs: a UNION of the two in one statement made the benchmark's point
// lookup ~1.5× the floor's time, where a plain seek had been 0.9×.
const (
	entityByIDMatch       = "MATCH (n0:Entity {id: $id})\n"
	entityByRedirectMatch = "MATCH (:Redirect {id: $id})-[:REDIRECTS_TO]->(n0:Entity)\n"
)

// EntityByID returns the entity with the given id (or, for an id merged
// into another entity, that entity) with the properties r asks
// for (the others are zero), and the page of its relations r asks for (nil
// when r asks for none). An id with no entity gives an error wrapping
// kg.ErrNotFound.
func (s *Store) EntityByID(ctx context.Context, id string, r EntityRead) (kg.Entity, *RelationPage, error) {
	var ls []relLevel
	if r.Relations != nil {
		q := *r.Relations
		q.EntityID = ""
		var err error
		if ls, err = levelsOf(q); err != nil {
			return kg.Entity{}, nil, err
		}
	}
	proj := "n0"
	if r.Props != nil {
		var err error
		if proj, err = projection("n0", strings.Join(append([]string{"id"}, r.Props...), ","), EntityProperties, []string{"id", "kind"}); err != nil {
			return kg.Entity{}, nil, err
		}
	}
	key := "entity:" + proj + ":" + shape(ls)
	ret := func() string {
		rels := "null"
		if ls != nil {
			rels = relationsExpr(ls, 0)
		}
		return "RETURN " + proj + " AS n, " + rels + " AS rels"
	}
	params := levelParams(ls, map[string]any{"id": id})
	recs, err := s.read(ctx, statement(key, func() string { return entityByIDMatch + ret() }), params)
	if err == nil && len(recs) == 0 {
		recs, err = s.read(ctx, statement(key+":redirect", func() string { return entityByRedirectMatch + ret() }), params)
	}
	if err != nil {
		return kg.Entity{}, nil, err
	}
	if len(recs) == 0 {
		return kg.Entity{}, nil, fmt.Errorf("entity %q: %w", id, kg.ErrNotFound)
	}
	e := entityOf(recs[0].Values[0])
	if ls == nil {
		return e, nil, nil
	}
	page := toPage(ls, 0, e.ID, recs[0].Values[1])
	return e, &page, nil
}
