package store

import (
	"context"
	"encoding/json"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Where an entity's names come from (alias provenance): the documents that
// use a name, and the curator's write that added it.

// namesOf reads, for entities $ids: their names; per name key (the Name
// nodes, see mergeNames) the documents that mention the entity and whose
// text contains the key (NFKC, lower case: textkey.Key but for runs of
// space); and, once for all of them, the change-log entries that can have
// given them names ($ops: created or updated one, merged another entity into
// it, imported it; index change_op), oldest first.
const namesOf = `
CALL () {
  MATCH (c:Change) WHERE c.op IN $ops AND any(s IN c.subjects WHERE s IN $ids)
  WITH c ORDER BY c.id
  RETURN collect(c {.id, .at, .actor, .actorRole, .via, .requestId, .reason, .op, .subjects, .summary, .before, .after}) AS changes
}
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, n {.nameZh, .nameEn, .aliases, .origin} AS n,
  COLLECT {
    MATCH (k:Name)-[:NAME_OF]->(n)
    RETURN {key: k.key, docs: COLLECT {
      MATCH (n)-[:MENTIONED_IN]->(d:Document)
      WHERE toLower(normalize(coalesce(d.text, ''), NFKC)) CONTAINS k.key
      RETURN d.id ORDER BY d.id
    }}
  } AS keys,
  [c IN changes WHERE id IN c.subjects] AS changes`

// nameOps are the operations whose change-log entries can give an entity names.
var nameOps = []string{"upsertEntity", "mergeEntities", "import"}

// EntityName is one name of an entity with where it comes from.
type EntityName struct {
	Text  string
	Field MatchField // FieldNameZh, FieldNameEn or FieldAlias
	// Documents are the ids of the documents that mention the entity
	// (a statement about it cites them) and whose text contains the name,
	// ignoring case and full/half width; sorted.
	Documents []string
	// Added is the change-log entry of the curator's write that gave the
	// entity this name: created the entity with it, added it to its
	// names, merged in an entity that had it, or imported a curated entity
	// with it (when no write before did). Nil when no curator's write did:
	// a name from the data files.
	Added *kg.Change
}

// NamesOf returns the names of each entity id (the Chinese name, the
// English name, then the aliases in order) with their documents and the
// change that added them. Ids with no entity are absent.
func (s *Store) NamesOf(ctx context.Context, ids []string) (map[string][]EntityName, error) {
	recs, err := s.read(ctx, namesOf, map[string]any{"ids": ids, "ops": nameOps})
	if err != nil {
		return nil, err
	}
	out := map[string][]EntityName{}
	for _, rec := range recs {
		id, _ := rec.Values[0].(string)
		n, _ := rec.Values[1].(map[string]any)
		docs := map[string][]string{}
		keys, _ := rec.Values[2].([]any)
		for _, k := range keys {
			m, _ := k.(map[string]any)
			docs[str(m, "key")] = strs(m["docs"])
		}
		var changes []kg.Change
		cs, _ := rec.Values[3].([]any)
		for _, c := range cs {
			if m, ok := c.(map[string]any); ok {
				changes = append(changes, changeFromProps(m))
			}
		}
		added, imported := namesAdded(id, str(n, "origin") == kg.OriginAPI, changes)
		var names []EntityName
		add := func(text string, f MatchField) {
			if text == "" {
				return
			}
			key := textkey.Key(text)
			by := added[key]
			if by == nil {
				by = imported
			}
			names = append(names, EntityName{Text: text, Field: f, Documents: nonNil(docs[key]), Added: by})
		}
		add(str(n, "nameZh"), FieldNameZh)
		add(str(n, "nameEn"), FieldNameEn)
		for _, a := range strs(n["aliases"]) {
			add(a, FieldAlias)
		}
		out[id] = names
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// namesAdded replays the change log of entity id (changes, oldest first)
// and returns, per name key, the latest change that gave the entity that
// name: an upsertEntity whose snapshot after holds it and before did not, or
// a mergeEntities into id whose kept entity did not have it. Imports record
// no snapshots: when the first change of a curated entity is an import, that
// import is returned too, as the change of the names nothing else explains
// (nil otherwise: an entity of the data files, or one a curator created,
// whose first change explains every name).
func namesAdded(id string, curated bool, changes []kg.Change) (map[string]*kg.Change, *kg.Change) {
	added := map[string]*kg.Change{}
	var imported *kg.Change
	for i := range changes {
		c := &changes[i]
		var before, after map[string]bool
		switch c.Op {
		case "upsertEntity":
			before, after = snapshotNames(c.Before, ""), snapshotNames(c.After, "")
		case "mergeEntities":
			if len(c.Subjects) == 0 || c.Subjects[0] != id { // id is the entity merged away
				continue
			}
			before, after = snapshotNames(c.Before, "keep"), snapshotNames(c.After, "")
		case "import":
			// The first write of a curated entity an import made: its
			// names came with it.
			if i == 0 && curated {
				imported = c
			}
			continue
		default:
			continue
		}
		for k := range after {
			if !before[k] {
				added[k] = c
			}
		}
	}
	return added, imported
}

// snapshotNames returns the name keys of an entity snapshot in the change
// log (entitySnapshot's JSON: nameZh, nameEn, aliases), or of its member
// under key part (mergeEntities' before: keep, drop); nil for none.
func snapshotNames(snapshot, part string) map[string]bool {
	if snapshot == "" {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(snapshot), &m) != nil {
		return nil
	}
	if part != "" {
		var inner map[string]json.RawMessage
		if json.Unmarshal(m[part], &inner) != nil {
			return nil
		}
		m = inner
	}
	out := map[string]bool{}
	for _, f := range []string{"nameZh", "nameEn"} {
		var s string
		if json.Unmarshal(m[f], &s) == nil && s != "" {
			out[textkey.Key(s)] = true
		}
	}
	var aliases []string
	if json.Unmarshal(m["aliases"], &aliases) == nil {
		for _, a := range aliases {
			out[textkey.Key(a)] = true
		}
	}
	return out
}
