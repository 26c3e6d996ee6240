package store

import (
	"context"
	"fmt"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// References to entities by id or by name, as the exploration fields and
// the relations list take them: a name resolves exactly as EntityByName
// does (the textkey.Key of the name against the keys of the :Name nodes),
// an id to its entity or, for an id merged away, to the entity it was
// merged into (see Merge).

// MaxNameCandidates bounds the entities one name reference reports.
const MaxNameCandidates = 10

// resolveRefs resolves every reference of $refs ({i, id, key}; one of id
// and key is null) in one statement: per reference, the entities holding
// the name key (at most $max, by id), and the entity with the id or the one
// it was merged into. Each entity is projected to id, kind and names.
const resolveRefs = `
UNWIND $refs AS ref
RETURN ref.i AS i,
  COLLECT {
    MATCH (:Name {key: ref.key})-[:NAME_OF]->(n:Entity)
    WITH n ORDER BY n.id LIMIT $max
    RETURN n {.id, .kind, .nameZh, .nameEn} AS n
  } AS named,
  COLLECT {
    MATCH (n:Entity {id: ref.id})
    RETURN n {.id, .kind, .nameZh, .nameEn} AS n
    UNION
    MATCH (:Redirect {id: ref.id})-[:REDIRECTS_TO]->(n:Entity)
    RETURN n {.id, .kind, .nameZh, .nameEn} AS n
  } AS byID`

// EntityRef names an entity by its id or by one of its names (Chinese,
// English, alias, abbreviation); exactly one of the two is set.
type EntityRef struct {
	ID   string
	Name string
}

// ResolveRefs returns, for each reference, the entities it names, with id,
// kind and names read: for a name, every entity holding it (none when no
// entity does; more than one only when the graph holds the name twice,
// which writes refuse, so callers treat it as ambiguous), at most
// MaxNameCandidates, by id; for an id, its entity or the one it was merged
// into (none when there is neither). A blank name names no entity. A
// reference with both or neither of ID and Name is kg.ErrInvalidInput.
// One statement for all of them.
func (s *Store) ResolveRefs(ctx context.Context, refs []EntityRef) ([][]kg.Entity, error) {
	out := make([][]kg.Entity, len(refs))
	rows := make([]any, 0, len(refs))
	for i, r := range refs {
		if (r.ID == "") == (r.Name == "") {
			return nil, fmt.Errorf("%w: an entity reference needs an id or a name, not both", kg.ErrInvalidInput)
		}
		row := map[string]any{"i": i, "id": nil, "key": nil}
		if r.ID != "" {
			row["id"] = r.ID
		} else {
			key := textkey.Key(r.Name)
			if key == "" {
				continue // names nothing
			}
			row["key"] = key
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, resolveRefs, map[string]any{"refs": rows, "max": MaxNameCandidates})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		i := int(rec.Values[0].(int64))
		found := rec.Values[1]
		if refs[i].ID != "" {
			found = rec.Values[2]
		}
		list, _ := found.([]any)
		for _, v := range list {
			out[i] = append(out[i], entityOf(v))
		}
	}
	return out, nil
}

// entitiesByID reads the entities with the ids $ids, whole.
const entitiesByID = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n`

// EntitiesByID returns the entities with the given ids, every property
// read; ids with no entity are absent (a merged-away id too).
func (s *Store) EntitiesByID(ctx context.Context, ids []string) (map[string]kg.Entity, error) {
	recs, err := s.read(ctx, entitiesByID, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]kg.Entity, len(recs))
	for _, rec := range recs {
		e := entityOf(rec.Values[0])
		out[e.ID] = e
	}
	return out, nil
}
