package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// The vocabulary grows at runtime: an admin adds a relationship type
// (AddRelationType), which is stored as a :RelationType node and joins the
// built-in types of kg.Builtin in the process's vocabulary (kg.Vocabulary).
// Every replica reads the stored types at start (EnsureSchema) and again
// whenever RefreshVocabulary runs (the server does so periodically), so a
// type added on one replica is usable on all of them. A type, once added,
// is permanent: relations of it may exist anywhere in the graph.
//
// Relationship types are never parameters in Cypher, so a statement that
// names one is built from the stored vocabulary (never from request text):
// the name has passed kg.CheckRelTypeInfo's UPPER_SNAKE_CASE pattern before
// it was stored.

const (
	// readRelationTypes reads the added types, oldest first.
	readRelationTypes = `
MATCH (t:RelationType)
RETURN t {.*} AS t
ORDER BY t.addedAt, t.type`

	// relationTypeForWrite reads the stored type of that name, if any, and
	// how many types are stored.
	relationTypeForWrite = `
OPTIONAL MATCH (t:RelationType {type: $type})
RETURN t {.*} AS t, COUNT { MATCH (:RelationType) } AS stored`

	// createRelationType stores a new type (the relation_type_type
	// constraint refuses a second one of the same name).
	createRelationType = `
CREATE (t:RelationType {type: $type, zh: $zh, en: $en, inverseZh: $inverseZh, inverseEn: $inverseEn,
  fromKinds: $from, toKinds: $to, example: $example, addedAt: $at, addedBy: $actor})`
)

// relationTypeProps is the node's properties for info.
func relationTypeProps(info kg.RelTypeInfo) map[string]any {
	return map[string]any{
		"type": string(info.Type), "zh": info.Zh, "en": info.En, "inverseZh": info.InverseZh,
		"inverseEn": info.InverseEn, "from": kindStrings(info.From), "to": kindStrings(info.To), "example": info.Example,
	}
}

func kindStrings(ks []kg.Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// relationTypeFromProps reads a :RelationType node. Kinds the process does
// not know are dropped (a newer replica's kind).
func relationTypeFromProps(p map[string]any) kg.RelTypeInfo {
	kinds := func(v any) []kg.Kind {
		var out []kg.Kind
		for _, s := range strs(v) {
			if k, ok := kg.ParseKind(s); ok {
				out = append(out, k)
			}
		}
		return out
	}
	return kg.RelTypeInfo{
		Type: kg.RelType(str(p, "type")), Zh: str(p, "zh"), En: str(p, "en"), InverseZh: str(p, "inverseZh"),
		InverseEn: str(p, "inverseEn"), From: kinds(p["fromKinds"]), To: kinds(p["toKinds"]), Example: str(p, "example"),
	}
}

// RefreshVocabulary reads the stored relationship types into the process's
// vocabulary (kg.SetAddedTypes) and makes sure each type new to the
// process has its relationship id index. It reports whether the vocabulary
// changed. A stored type that fails today's rules is skipped and reported
// in the error after the others are in place.
func (s *Store) RefreshVocabulary(ctx context.Context) (bool, error) {
	recs, err := s.read(ctx, readRelationTypes, nil)
	if err != nil {
		return false, err
	}
	var added []kg.RelTypeInfo
	var bad []string
	for _, r := range recs {
		info := relationTypeFromProps(r.Values[0].(map[string]any))
		if p := kg.CheckRelTypeInfo(info); len(p) > 0 {
			bad = append(bad, string(info.Type)+": "+strings.Join(p, "; "))
			continue
		}
		added = append(added, info)
	}
	known := map[kg.RelType]bool{}
	for _, t := range kg.Vocabulary() {
		known[t.Type] = true
	}
	changed, err := kg.SetAddedTypes(added)
	if err != nil {
		return false, err
	}
	// One schema statement per type this process had not seen (at start:
	// every added type), not per type at every change.
	for _, info := range added {
		if !known[info.Type] {
			if err := s.ensureRelationIndex(ctx, info.Type); err != nil {
				return true, err
			}
		}
	}
	if len(bad) > 0 {
		return changed, fmt.Errorf("stored relationship types skipped: %s", strings.Join(bad, " | "))
	}
	return changed, nil
}

// ensureRelationIndex creates the id index and the full-text index of
// evidence search of relationship type t (a vocabulary type) if they are
// missing, and waits for the full-text index to be online (a full-text
// index still being populated refuses queries).
func (s *Store) ensureRelationIndex(ctx context.Context, t kg.RelType) error {
	if _, ok := kg.LookupRelType(string(t)); !ok {
		return fmt.Errorf("%w: relationship type %q is not in the vocabulary", kg.ErrInvalidInput, t)
	}
	for _, stmt := range []struct {
		cypher string
		params map[string]any
	}{
		{relationIDIndex(string(t)), nil},
		{relationTextIndex(string(t)), nil},
		{awaitIndex, map[string]any{"name": relationTextIndexName(string(t)), "seconds": 300}},
	} {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, stmt.cypher, stmt.params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.database)); err != nil {
			return translate(err)
		}
	}
	return nil
}

// RelationTypeResult is what AddRelationType did.
type RelationTypeResult struct {
	Type kg.RelTypeInfo
	// Created is false when the same type, defined the same way, was
	// already stored: nothing was written.
	Created bool
}

// AddRelationType stores a new relationship type (info has passed
// kg.CheckRelTypeInfo) and adds it to the process's vocabulary, so that it
// can be used at once. The same definition again changes nothing; another
// definition under a stored name is kg.ErrConflict (types are permanent);
// more than kg.MaxRelTypes types in all is kg.ErrLimit.
func (s *Store) AddRelationType(ctx context.Context, st kg.Stamp, info kg.RelTypeInfo) (RelationTypeResult, Outcome, error) {
	if p := kg.CheckRelTypeInfo(info); len(p) > 0 {
		return RelationTypeResult{}, Outcome{}, fmt.Errorf("%w: %s", kg.ErrInvalidInput, strings.Join(p, "; "))
	}
	var res RelationTypeResult
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		rec, err := one(ctx, tx, relationTypeForWrite, map[string]any{"type": string(info.Type)})
		if err != nil {
			return txResult{}, err
		}
		if p, ok := rec.Values[0].(map[string]any); ok {
			old := relationTypeFromProps(p)
			if sameRelationType(old, info) {
				return txResult{result: RelationTypeResult{Type: old}}, nil
			}
			return txResult{}, fmt.Errorf("%w: relationship type %s already exists with another definition (%s / %s, %v → %v); types cannot change once added, so choose another name",
				kg.ErrConflict, info.Type, old.Zh, old.En, old.From, old.To)
		}
		if n, _ := rec.Values[1].(int64); int(n)+len(kg.Builtin) >= kg.MaxRelTypes {
			return txResult{}, fmt.Errorf("%w: the vocabulary has %d types, the most it can have", kg.ErrLimit, int(n)+len(kg.Builtin))
		}
		params := relationTypeProps(info)
		params["at"], params["actor"] = st.At.UTC(), st.Actor.Name
		if _, err := collect(ctx, tx, createRelationType, params); err != nil {
			return txResult{}, err
		}
		return txResult{
			result: RelationTypeResult{Type: info, Created: true}, changed: true,
			summary:  fmt.Sprintf("added relationship type %s (%s / %s)", info.Type, info.Zh, info.En),
			subjects: []string{string(info.Type)}, after: relationTypeProps(info),
		}, nil
	})
	if err != nil {
		return res, o, err
	}
	// Usable at once on this replica (others pick it up at their next
	// refresh): the vocabulary, then the type's id index.
	if _, err := s.RefreshVocabulary(ctx); err != nil {
		return res, o, err
	}
	return res, o, nil
}

// sameRelationType reports whether a and b define the same type (kinds in
// any order).
func sameRelationType(a, b kg.RelTypeInfo) bool {
	sorted := func(ks []kg.Kind) []kg.Kind { c := slices.Clone(ks); slices.Sort(c); return c }
	return a.Type == b.Type && a.Zh == b.Zh && a.En == b.En && a.InverseZh == b.InverseZh && a.InverseEn == b.InverseEn &&
		a.Example == b.Example && slices.Equal(sorted(a.From), sorted(b.From)) && slices.Equal(sorted(a.To), sorted(b.To))
}
