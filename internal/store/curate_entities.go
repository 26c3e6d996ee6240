package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Documents and entities written by curators.

const (
	// documentForWrite reads a document and whether any statement cites it.
	documentForWrite = `
MATCH (d:Document {id: $id})
SET d.lock = true
REMOVE d.lock
RETURN properties(d) AS d,
  EXISTS { (:Fact)-[:STATED_IN]->(d) }
  OR EXISTS { MATCH (f:Fact) WHERE $id IN coalesce(f.moreSourceIds, []) }
  OR EXISTS { MATCH (:Entity)-[:MENTIONED_IN]->(d) } AS cited`

	// createDocument adds a document through the API.
	createDocument = `
CREATE (d:Document {id: $id})
SET d += $props, d.origin = 'api', d.createdAt = $at, d.createdBy = $actor`

	// updateDocument changes a curated document's metadata (and its text
	// while nothing cites it).
	updateDocument = `
MATCH (d:Document {id: $id})
SET d += $props, d.updatedAt = $at`
)

// DocumentResult is what AddDocument returns.
type DocumentResult struct {
	Document kg.Document
	Created  bool
}

// AddDocument adds a source document, or updates one curators added: its
// metadata may change, its text only while no statement cites it
// (kg.ErrConflict otherwise). The same document added again changes nothing.
// A document of the data files cannot be changed through the API
// (kg.ErrConflict: change the files).
func (s *Store) AddDocument(ctx context.Context, st kg.Stamp, d kg.Document) (DocumentResult, Outcome, error) {
	var res DocumentResult
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		props := map[string]any{
			"title": d.Title, "publisher": nilIfEmpty(d.Publisher), "date": nilIfEmpty(d.Date),
			"language": d.Language, "url": nilIfEmpty(d.URL), "text": d.Text, "searchTokens": documentTokens(d.Title, d.Text),
		}
		rec, err := one(ctx, tx, documentForWrite, map[string]any{"id": d.ID})
		if err != nil {
			return txResult{}, err
		}
		if rec == nil {
			if _, err := collect(ctx, tx, createDocument, map[string]any{"id": d.ID, "props": props, "at": st.At.UTC(), "actor": st.Actor.Name}); err != nil {
				return txResult{}, err
			}
			return txResult{
				result: DocumentResult{Document: d, Created: true}, changed: true,
				summary:  fmt.Sprintf("added document %s (%q, %d bytes)", d.ID, kg.Short(d.Title), len(d.Text)),
				subjects: []string{d.ID}, after: documentSnapshot(d),
			}, nil
		}
		old := documentFromProps(rec.Values[0].(map[string]any))
		cited, _ := rec.Values[1].(bool)
		if old == d {
			return txResult{result: DocumentResult{Document: d}}, nil
		}
		if origin, _ := rec.Values[0].(map[string]any)["origin"].(string); origin != kg.OriginAPI {
			return txResult{}, fmt.Errorf("%w: document %s comes from the data files; change it there", kg.ErrConflict, d.ID)
		}
		if old.Text != d.Text && cited {
			return txResult{}, fmt.Errorf("%w: document %s is cited by relations or facts, so its text cannot change; add the new text as another document", kg.ErrConflict, d.ID)
		}
		if _, err := collect(ctx, tx, updateDocument, map[string]any{"id": d.ID, "props": props, "at": st.At.UTC()}); err != nil {
			return txResult{}, err
		}
		return txResult{
			result: DocumentResult{Document: d}, changed: true, summary: "updated document " + d.ID,
			subjects: []string{d.ID}, before: documentSnapshot(old), after: documentSnapshot(d),
		}, nil
	})
	return res, o, err
}

// documentSnapshot is a document in the change log: its text by length
// only (the document itself keeps the text).
func documentSnapshot(d kg.Document) map[string]any {
	return map[string]any{
		"id": d.ID, "title": d.Title, "publisher": d.Publisher, "date": d.Date,
		"language": d.Language, "url": d.URL, "textBytes": len(d.Text),
	}
}

const (
	// entityForWrite takes the entity with id $id for writing: it creates
	// a bare node when there is none (MERGE under the entity_id
	// constraint, so concurrent creators of one id get one node, the later
	// ones waiting for the first), and write-locks it, so concurrent
	// writers of one entity run one after the other. A merged-away id
	// (:Redirect) answers its target instead and creates nothing.
	entityForWrite = `
MERGE (n:Entity {id: $id})
ON CREATE SET n.origin = 'api', n.version = 0, n.fresh = true
SET n.lock = true
REMOVE n.lock
WITH n, coalesce(n.fresh, false) AS fresh
REMOVE n.fresh
RETURN properties(n) AS n, fresh,
  COUNT { (n)-[r]-(:Entity) WHERE type(r) IN $vocab } AS relations`

	// redirectOf returns the entity a merged-away id now resolves to.
	redirectOf = `
MATCH (:Redirect {id: $id})-[:REDIRECTS_TO]->(t:Entity)
RETURN t.id AS id`

	// nameHolders returns, for the normalised names $keys, the entities
	// other than $id that hold them.
	nameHolders = `
UNWIND $keys AS key
MATCH (k:Name {key: key})-[:NAME_OF]->(o:Entity)
WHERE o.id <> $id
RETURN k.text AS name, o.id AS id, o.nameZh AS nameZh`

	// replaceNames points the normalised names $rows at entity $id and
	// removes its other names; then reports names held by another entity
	// too (a concurrent write that took one first), which the caller
	// refuses.
	replaceNames = `
MATCH (n:Entity {id: $id})
OPTIONAL MATCH (old:Name)-[:NAME_OF]->(n) WHERE NOT old.key IN $keys
DETACH DELETE old
WITH DISTINCT n
UNWIND $rows AS row
MERGE (k:Name {key: row.key})
SET k.text = row.text, k.field = row.field, k.origin = 'api',
    k.words = row.words, k.pinyinWords = row.pinyinWords, k.tokens = row.tokens,
    k.pinyin = row.pinyin, k.pinyinJoined = row.pinyinJoined, k.initials = row.initials
MERGE (k)-[:NAME_OF]->(n)
WITH k, n
MATCH (k)-[:NAME_OF]->(o:Entity) WHERE o <> n
RETURN k.text AS name, o.id AS id, o.nameZh AS nameZh`

	// setEntityTmpl writes a curated entity's properties, its kind label
	// (%[1]s, from kg.Kinds) and removes the other kind labels (%[2]s).
	setEntityTmpl = `
MATCH (n:Entity {id: $id})
SET n += $props, n.origin = 'api', n.version = $version, n.updatedAt = $at, n:%[1]s
REMOVE n%[2]s`
)

// EntityPatch is an upsert of one entity: the fields to set. A nil field
// keeps the entity's value (or, on create, leaves it empty); a non-nil one
// replaces it (an empty string or list clears it).
type EntityPatch struct {
	ID                                     string
	Kind                                   *kg.Kind
	NameZh, NameEn                         *string
	NameEnOfficial                         *bool
	Aliases                                *[]string
	DescriptionZh, DescriptionEn           *string
	City, SchoolType, ISO2, ISO3, Category *string
	Start, RegionType                      *string
}

// Apply returns e with the patch's fields set.
func (p EntityPatch) Apply(e kg.Entity) kg.Entity {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	e.ID = p.ID
	if p.Kind != nil {
		e.Kind = *p.Kind
	}
	set(&e.NameZh, p.NameZh)
	set(&e.NameEn, p.NameEn)
	switch {
	case p.NameEnOfficial != nil:
		e.NameEnOfficial = *p.NameEnOfficial
	case p.NameEn != nil:
		// a new English name is the official one unless the caller says not
		e.NameEnOfficial = true
	}
	if p.Aliases != nil {
		e.Aliases = slices.Clone(*p.Aliases)
	}
	set(&e.Description.Zh, p.DescriptionZh)
	set(&e.Description.En, p.DescriptionEn)
	set(&e.City, p.City)
	set(&e.SchoolType, p.SchoolType)
	set(&e.ISO2, p.ISO2)
	set(&e.ISO3, p.ISO3)
	set(&e.Category, p.Category)
	set(&e.Start, p.Start)
	set(&e.RegionType, p.RegionType)
	if e.NameEn == "" {
		e.NameEnOfficial = false
	}
	return e
}

// EntityResult is what UpsertEntity returns.
type EntityResult struct {
	Entity  kg.Entity
	Version int64
	Created bool
}

// UpsertEntity creates the entity p.ID or updates it with p, in one
// transaction, after kg.CheckEntity. expectedVersion, when not nil, is the
// version the client read (0: the entity must not exist yet): when the
// entity's version differs the write is refused with kg.ErrConflict. A name
// or alias another entity holds is refused with kg.ErrConflict naming that
// entity (a *kg.NameHeldError). The kind of an entity that relations use
// cannot change (kg.ErrConflict). A merged-away id is refused with
// kg.ErrConflict naming the entity it was merged into. Writing the values
// the entity already has changes nothing (no new version, no change entry).
// An entity of the data files that a curator updates belongs to the
// curators from then on: loads no longer change it.
func (s *Store) UpsertEntity(ctx context.Context, st kg.Stamp, p EntityPatch, expectedVersion *int64) (EntityResult, Outcome, error) {
	var res EntityResult
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		if rec, err := one(ctx, tx, redirectOf, map[string]any{"id": p.ID}); err != nil {
			return txResult{}, err
		} else if rec != nil {
			into, _ := rec.Values[0].(string)
			return txResult{}, fmt.Errorf("%w: entity %s was merged into %s; update %s instead", kg.ErrConflict, p.ID, into, into)
		}
		rec, err := one(ctx, tx, entityForWrite, map[string]any{"id": p.ID, "vocab": vocabularyTypes()})
		if err != nil {
			return txResult{}, err
		}
		props, _ := rec.Values[0].(map[string]any)
		fresh, _ := rec.Values[1].(bool)
		version := asInt64(props["version"])
		if expectedVersion != nil && *expectedVersion != version {
			if fresh {
				return txResult{}, fmt.Errorf("%w: entity %s does not exist (expectedVersion %d); omit expectedVersion or give 0 to create it", kg.ErrConflict, p.ID, *expectedVersion)
			}
			return txResult{}, fmt.Errorf("%w: entity %s is at version %d, not %d: someone changed it since you read it; read it again and reapply your change", kg.ErrConflict, p.ID, version, *expectedVersion)
		}
		var old kg.Entity
		if !fresh {
			old = entityFromProps(props)
		}
		if fresh && p.Kind == nil {
			return txResult{}, fmt.Errorf("%w: kind is required to create entity %s", kg.ErrInvalidInput, p.ID)
		}
		e := p.Apply(old)
		kindChange := !fresh && e.Kind != old.Kind
		if kindChange && asInt64(rec.Values[2]) > 0 {
			return txResult{}, fmt.Errorf("%w: entity %s has relations (%d), so its kind cannot change from %s to %s; retract them first, or merge it into an entity of the right kind",
				kg.ErrConflict, p.ID, asInt64(rec.Values[2]), old.Kind, e.Kind)
		}
		if problems := kg.CheckEntity(e); len(problems) > 0 {
			msg := fmt.Sprintf("entity %s: %s", p.ID, strings.Join(problems, "; "))
			if kindChange {
				if kept := kindFieldsKept(old, e); len(kept) == 1 {
					msg += fmt.Sprintf(" (it is a %s, and changing its kind to %s keeps its %s: clear it in the same upsert by sending %s: \"\")",
						old.Kind, e.Kind, kept[0], kept[0])
				} else if len(kept) > 1 {
					msg += fmt.Sprintf(" (it is a %s, and changing its kind to %s keeps its %s: clear them in the same upsert by sending each as \"\")",
						old.Kind, e.Kind, strings.Join(kept, ", "))
				}
			}
			return txResult{}, fmt.Errorf("%w: %s", kg.ErrInvalidInput, msg)
		}
		if !fresh && entityEqual(old, e) {
			return txResult{result: EntityResult{Entity: old, Version: version}}, nil
		}
		var rows, keys []any
		for _, nf := range []struct{ text, field string }{{e.NameZh, "nameZh"}, {e.NameEn, "nameEn"}} {
			if row := nameRow(e.ID, nf.text, nf.field); row != nil {
				rows, keys = append(rows, row), append(keys, row["key"])
			}
		}
		for _, a := range e.Aliases {
			if row := nameRow(e.ID, a, "alias"); row != nil {
				rows, keys = append(rows, row), append(keys, row["key"])
			}
		}
		recs, err := collect(ctx, tx, nameHolders, map[string]any{"keys": keys, "id": e.ID})
		if err != nil {
			return txResult{}, err
		}
		if len(recs) > 0 {
			return txResult{}, nameHeld(recs[0])
		}
		v := version + 1
		entProps := entityProps(e)
		entProps["origin"] = kg.OriginAPI
		if _, err := collect(ctx, tx, setEntityCypher[e.Kind], map[string]any{"id": e.ID, "props": entProps, "version": v, "at": st.At.UTC()}); err != nil {
			return txResult{}, err
		}
		if recs, err = collect(ctx, tx, replaceNames, map[string]any{"id": e.ID, "keys": keys, "rows": rows}); err != nil {
			return txResult{}, err
		}
		if len(recs) > 0 {
			return txResult{}, nameHeld(recs[0])
		}
		r := txResult{
			result: EntityResult{Entity: e, Version: v, Created: fresh}, changed: true,
			subjects: []string{e.ID}, after: entitySnapshot(e, v),
		}
		if fresh {
			r.summary = fmt.Sprintf("created %s %s (%s)", e.Kind, e.ID, e.NameZh)
		} else {
			r.summary = fmt.Sprintf("updated %s %s (%s) to version %d", e.Kind, e.ID, e.NameZh, v)
			r.before = entitySnapshot(old, version)
		}
		return r, nil
	})
	return res, o, err
}

func nameHeld(rec *neo4j.Record) error {
	name, _ := rec.Values[0].(string)
	id, _ := rec.Values[1].(string)
	zh, _ := rec.Values[2].(string)
	return &kg.NameHeldError{Name: name, EntityID: id, EntityName: zh}
}

func entityEqual(a, b kg.Entity) bool {
	return a.Kind == b.Kind && a.NameZh == b.NameZh && a.NameEn == b.NameEn && a.NameEnOfficial == b.NameEnOfficial &&
		slices.Equal(a.Aliases, b.Aliases) && a.Description == b.Description && a.City == b.City &&
		a.SchoolType == b.SchoolType && a.ISO2 == b.ISO2 && a.ISO3 == b.ISO3 && a.Category == b.Category &&
		a.Start == b.Start && a.RegionType == b.RegionType
}

func entitySnapshot(e kg.Entity, version int64) map[string]any {
	m := map[string]any{}
	for k, v := range entityProps(e) {
		if v != nil && k != "origin" && k != "sortEn" {
			m[k] = v
		}
	}
	m["id"], m["version"] = e.ID, version
	return m
}

var setEntityCypher = map[kg.Kind]string{}

func init() {
	for _, k := range kg.Kinds {
		setEntityCypher[k] = fmt.Sprintf(setEntityTmpl, k, otherKindLabels(k))
	}
}

// kindFieldsKept lists the kind fields (schoolType, iso2, …) that e, a
// change of old's kind, keeps from old although e's kind does not allow
// them.
func kindFieldsKept(old, e kg.Entity) []string {
	var out []string
	for _, f := range e.KindFieldsSet() {
		if slices.Contains(old.KindFieldsSet(), f) && !slices.Contains(kg.KindFields[e.Kind], f) {
			out = append(out, f)
		}
	}
	return out
}
