package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

const (
	// entitiesByID returns one row per id that exists, in no particular order.
	entitiesByID = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n`

	// entityByName finds an entity by the key of any of its names.
	entityByName = `
MATCH (:Name {key: $key})-[:NAME_OF]->(n:Entity)
RETURN n
LIMIT 1`

	// relationsPage returns, for each entity id, one page of its relations of
	// the given types and direction to entities of the given kinds, ordered by
	// relation id, starting after $after; and their total when $withCount.
	// $timeFrom/$timeTo (dates) keep relations whose stated time overlaps the
	// span; $asOf keeps relations that had begun by then and not yet ended.
	relationsPage = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
CALL (n) {
  MATCH (n)-[r]-(m:Entity)
  WHERE type(r) IN $types
    AND ($dir = 'BOTH' OR ($dir = 'OUT' AND startNode(r) = n) OR ($dir = 'IN' AND endNode(r) = n))
    AND ($kinds IS NULL OR m.kind IN $kinds)
    AND ($timeFrom IS NULL OR ((r.fromDate IS NOT NULL OR r.toDate IS NOT NULL) AND (r.toDate IS NULL OR r.toDate >= $timeFrom)))
    AND ($timeTo IS NULL OR ((r.fromDate IS NOT NULL OR r.toDate IS NOT NULL) AND (r.fromDate IS NULL OR r.fromDate <= $timeTo)))
    AND ($asOf IS NULL OR ((r.fromDate IS NULL OR r.fromDate <= $asOf) AND (r.endDate IS NULL OR r.endDate >= $asOf)))
    AND ($after IS NULL OR r.id > $after)
  WITH r, m
  ORDER BY r.id
  LIMIT $limit
  RETURN collect({props: properties(r), type: type(r), other: m, out: startNode(r) = n}) AS rels
}
RETURN id, rels,
  CASE WHEN $withCount THEN COUNT {
    MATCH (n)-[r]-(m:Entity)
    WHERE type(r) IN $types
      AND ($dir = 'BOTH' OR ($dir = 'OUT' AND startNode(r) = n) OR ($dir = 'IN' AND endNode(r) = n))
    AND ($kinds IS NULL OR m.kind IN $kinds)
      AND ($timeFrom IS NULL OR ((r.fromDate IS NOT NULL OR r.toDate IS NOT NULL) AND (r.toDate IS NULL OR r.toDate >= $timeFrom)))
      AND ($timeTo IS NULL OR ((r.fromDate IS NOT NULL OR r.toDate IS NOT NULL) AND (r.fromDate IS NULL OR r.fromDate <= $timeTo)))
      AND ($asOf IS NULL OR ((r.fromDate IS NULL OR r.fromDate <= $asOf) AND (r.endDate IS NULL OR r.endDate >= $asOf)))
  } ELSE -1 END AS total`

	factsOf = `
UNWIND $ids AS id
MATCH (f:Fact)-[:FACT_OF]->(:Entity {id: id})
RETURN id, f
ORDER BY f.id`

	sourcesOf = `
UNWIND $ids AS id
MATCH (:Entity {id: id})-[:MENTIONED_IN]->(d:Document)
RETURN id, d.id AS doc
ORDER BY d.id`

	documentsByID = `
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d`
)

// EntitiesByID returns the entities with the given ids, keyed by id; ids with
// no entity are absent from the map.
func (s *Store) EntitiesByID(ctx context.Context, ids []string) (map[string]kg.Entity, error) {
	recs, err := s.read(ctx, entitiesByID, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]kg.Entity, len(recs))
	for _, rec := range recs {
		e := toEntity(rec.Values[0].(neo4j.Node))
		out[e.ID] = e
	}
	return out, nil
}

// EntityByName returns the entity one of whose names (Chinese, English, alias,
// abbreviation) has the same textkey.Key as name. It returns an error wrapping
// kg.ErrNotFound when there is none.
func (s *Store) EntityByName(ctx context.Context, name string) (kg.Entity, error) {
	key := textkey.Key(name)
	if key == "" {
		return kg.Entity{}, fmt.Errorf("entity named %q: %w", name, kg.ErrNotFound)
	}
	recs, err := s.read(ctx, entityByName, map[string]any{"key": key})
	if err != nil {
		return kg.Entity{}, err
	}
	if len(recs) == 0 {
		return kg.Entity{}, fmt.Errorf("entity named %q: %w", name, kg.ErrNotFound)
	}
	return toEntity(recs[0].Values[0].(neo4j.Node)), nil
}

// Direction of relations seen from an entity.
type Direction string

// Directions.
const (
	Out  Direction = "OUT"
	In   Direction = "IN"
	Both Direction = "BOTH"
)

// RelationQuery selects a page of one entity's relations. It is comparable,
// so it can key a per-request batch loader; queries that differ only in
// EntityID are answered by one statement.
type RelationQuery struct {
	EntityID  string
	Types     string // comma-separated relationship types from the vocabulary; "" means all
	Kinds     string // comma-separated kinds of the other end; "" means all
	Dir       Direction
	First     int // ≥ 1
	After     string
	WithTotal bool
	// Time filters, partial dates ("" for none): relations whose stated time
	// overlaps [TimeFrom, TimeTo]; relations that held on AsOf.
	TimeFrom, TimeTo, AsOf string
}

// RelationEnd is one relation seen from the entity asked about.
type RelationEnd struct {
	Relation kg.Relation
	Out      bool      // the entity asked about is the start node
	Other    string    // id of the entity at the other end
	Entity   kg.Entity // the entity at the other end (read in the same statement)
	Cursor   string
}

// RelationPage is one page of an entity's relations.
type RelationPage struct {
	Relations []RelationEnd
	HasNext   bool
	Total     int // -1 unless asked
}

// Relations answers a batch of relation queries with one statement per
// distinct filter (usually one per GraphQL level), returning pages in the
// order of qs. An entity that does not exist gets an empty page.
func (s *Store) Relations(ctx context.Context, qs []RelationQuery) ([]RelationPage, error) {
	type group struct {
		q   RelationQuery
		ids []string
	}
	groups := map[RelationQuery]*group{}
	var order []RelationQuery
	for _, q := range qs {
		k := q
		k.EntityID = ""
		g, ok := groups[k]
		if !ok {
			g = &group{q: k}
			groups[k] = g
			order = append(order, k)
		}
		g.ids = append(g.ids, q.EntityID)
	}
	pages := map[RelationQuery]RelationPage{}
	for _, k := range order {
		g := groups[k]
		params, err := relationParams(g.q)
		if err != nil {
			return nil, err
		}
		params["ids"] = g.ids
		recs, err := s.read(ctx, relationsPage, params)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			id := rec.Values[0].(string)
			rows := rec.Values[1].([]any)
			page := RelationPage{Total: int(rec.Values[2].(int64))}
			for i, row := range rows {
				if i == g.q.First {
					page.HasNext = true
					break
				}
				m := row.(map[string]any)
				rel := toRelation(m["props"].(map[string]any), m["type"].(string))
				out := m["out"].(bool)
				other := toEntity(m["other"].(neo4j.Node))
				rel.From, rel.To = id, other.ID
				if !out {
					rel.From, rel.To = rel.To, rel.From
				}
				page.Relations = append(page.Relations, RelationEnd{Relation: rel, Out: out, Other: other.ID, Entity: other, Cursor: encodeCursor(rel.ID)})
			}
			q := g.q
			q.EntityID = id
			pages[q] = page
		}
	}
	out := make([]RelationPage, len(qs))
	for i, q := range qs {
		p, ok := pages[q]
		if !ok {
			p = RelationPage{Total: 0}
			if !q.WithTotal {
				p.Total = -1
			}
		}
		out[i] = p
	}
	return out, nil
}

func relationParams(q RelationQuery) (map[string]any, error) {
	types, err := splitTypes(q.Types)
	if err != nil {
		return nil, err
	}
	kinds, err := splitKinds(q.Kinds)
	if err != nil {
		return nil, err
	}
	dir := q.Dir
	if dir == "" {
		dir = Both
	}
	if dir != Out && dir != In && dir != Both {
		return nil, fmt.Errorf("%w: direction %q", kg.ErrInvalidInput, q.Dir)
	}
	params := map[string]any{"types": types, "kinds": kinds, "dir": string(dir), "limit": q.First + 1,
		"after": nil, "withCount": q.WithTotal}
	for name, v := range map[string]struct {
		s    string
		last bool
	}{"timeFrom": {q.TimeFrom, false}, "timeTo": {q.TimeTo, true}, "asOf": {q.AsOf, true}} {
		d, err := DateParam(v.s, v.last)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		params[name] = d
	}
	if q.After != "" {
		var after string
		if err := decodeCursor(q.After, &after); err != nil || after == "" {
			return nil, fmt.Errorf("%w: cursor %q is not an endCursor of a relations list", kg.ErrInvalidInput, q.After)
		}
		params["after"] = after
	}
	return params, nil
}

// FactsOf returns the facts about each entity id, ordered by fact id.
func (s *Store) FactsOf(ctx context.Context, ids []string) (map[string][]kg.Fact, error) {
	recs, err := s.read(ctx, factsOf, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string][]kg.Fact{}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		f := toFact(rec.Values[1].(neo4j.Node).Props)
		f.Subject = id
		out[id] = append(out[id], f)
	}
	return out, nil
}

// SourcesOf returns, for each entity id, the ids of the documents that state
// something about it, sorted.
func (s *Store) SourcesOf(ctx context.Context, ids []string) (map[string][]string, error) {
	recs, err := s.read(ctx, sourcesOf, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, rec := range recs {
		id := rec.Values[0].(string)
		out[id] = append(out[id], rec.Values[1].(string))
	}
	return out, nil
}

// DocumentsByID returns the documents with the given ids; missing ones are absent.
func (s *Store) DocumentsByID(ctx context.Context, ids []string) (map[string]kg.Document, error) {
	recs, err := s.read(ctx, documentsByID, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string]kg.Document{}
	for _, rec := range recs {
		p := rec.Values[0].(neo4j.Node).Props
		d := kg.Document{ID: str(p, "id"), Title: str(p, "title"), Publisher: str(p, "publisher"), Date: str(p, "date"),
			Language: str(p, "language"), URL: str(p, "url"), Text: str(p, "text")}
		out[d.ID] = d
	}
	return out, nil
}

// DateParam turns a partial date into a Cypher date parameter: its first day,
// or its last day when last is set; nil for "". A malformed date gives
// kg.ErrInvalidInput naming the accepted forms.
func DateParam(s string, last bool) (any, error) {
	if s == "" {
		return nil, nil
	}
	d, err := kg.ParsePartialDate(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", kg.ErrInvalidInput, err)
	}
	lo, hi := d.Range()
	if last {
		return neo4j.DateOf(hi), nil
	}
	return neo4j.DateOf(lo), nil
}

func encodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
