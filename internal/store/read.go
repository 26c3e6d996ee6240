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
	// entityByName finds an entity by the key of any of its names.
	// entityByName finds the entities holding the name $key, in id order,
	// at most $limit (ResolveRefs's bound).
	entityByName = `
MATCH (:Name {key: $key})-[:NAME_OF]->(n:Entity)
RETURN n
ORDER BY n.id
LIMIT $limit`

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

	// documentsByID reads documents without their search tokens.
	documentsByID = `
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d {.*, searchTokens: null} AS d`
)

// EntityByName returns the entity one of whose names (Chinese, English, alias,
// abbreviation) has the same textkey.Key as name. It returns an error wrapping
// kg.ErrNotFound when there is none, and a *kg.AmbiguousNameError (argument
// "name", the holders in id order, at most MaxNameCandidates) when
// several entities hold it: writes refuse a name another entity holds, but a
// graph loaded from older files or merged by hand may still have one.
func (s *Store) EntityByName(ctx context.Context, name string) (kg.Entity, error) {
	key := textkey.Key(name)
	if key == "" {
		return kg.Entity{}, fmt.Errorf("entity named %q: %w", name, kg.ErrNotFound)
	}
	recs, err := s.read(ctx, entityByName, map[string]any{"key": key, "limit": MaxNameCandidates})
	if err != nil {
		return kg.Entity{}, err
	}
	switch len(recs) {
	case 0:
		return kg.Entity{}, fmt.Errorf("entity named %q: %w", name, kg.ErrNotFound)
	case 1:
		return toEntity(recs[0].Values[0].(neo4j.Node)), nil
	}
	amb := &kg.AmbiguousNameError{Argument: "name", Name: name}
	for _, r := range recs {
		amb.Candidates = append(amb.Candidates, toEntity(r.Values[0].(neo4j.Node)))
	}
	return kg.Entity{}, amb
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
	// Nested, when not "", is a query (EncodeNested) read in the same
	// statement for the entity at the other end of every relation of the
	// page; each RelationEnd then carries that entity's page in Nested.
	Nested string
	// RelProps and OtherProps narrow what is read of each relationship and
	// of the entity at its other end: comma-separated property names (of
	// RelationProperties, EntityProperties); "" reads every property. The
	// ids (and the other end's kind) are always read; the fields of other
	// properties are left zero.
	RelProps, OtherProps string
	// IncludeParts adds the relations of the entity's parts (entities
	// PART_OF it, directly or through at most MaxPartDepth PART_OF steps)
	// to its own, each read from the part (Out, Other) and saying which
	// part it came through (RelationEnd.Via). A part's relations to the
	// entity or to another part are left out. Types, kinds, direction and
	// time apply to every relation; the parts are found whatever their
	// PART_OF relation's time. ViaProps narrows what is read of the part,
	// as OtherProps.
	IncludeParts bool
	ViaProps     string
}

// RelationEnd is one relation seen from the entity asked about.
type RelationEnd struct {
	Relation kg.Relation
	Out      bool      // the entity asked about is the start node
	Other    string    // id of the entity at the other end
	Entity   kg.Entity // the entity at the other end (read in the same statement)
	Cursor   string
	// Nested is the other entity's page for the query's Nested query; nil
	// when it has none.
	Nested *RelationPage
	// Via is the part of the entity asked about that the relation was read
	// through (RelationQuery.IncludeParts); nil for the entity's own
	// relations. Out and Other are then seen from the part.
	Via *kg.Entity
}

// RelationPage is one page of an entity's relations.
type RelationPage struct {
	Relations []RelationEnd
	HasNext   bool
	Total     int // -1 unless asked
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
	params := map[string]any{
		"types": types, "kinds": kinds, "dir": string(dir), "limit": q.First + 1,
		"after": nil, "withCount": q.WithTotal,
	}
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
		doc, err := idOf(rec.Values[1], "a document")
		if err != nil {
			return nil, err
		}
		out[id] = append(out[id], doc)
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
		d := documentFromProps(rec.Values[0].(map[string]any))
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
		return nil, fmt.Errorf("%w: %w", kg.ErrInvalidInput, err)
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
