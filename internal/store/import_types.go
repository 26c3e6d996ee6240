package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// The relationship types an input brings (ExportGraph.RelationTypes: the
// types admins added where it was exported) are added before its relations
// are written, as AddRelationType adds one:
//
//   - Each is checked with kg.CheckRelTypeInfo. One the database stores
//     with the same definition is unchanged (nothing is written; its
//     addedAt and addedBy stay the stored ones); one it stores with another
//     definition is a conflict (types cannot change once added): the import
//     is refused, like any other problem, before anything is written.
//   - While the input is checked, the process's vocabulary is the stored
//     types plus the input's new ones (kg.SetAddedTypes), so that the
//     relations of a new type are checked with its kinds. A dry run, a
//     refused import and one that fails before the types are written put
//     the vocabulary back as it was. The vocabulary is process-wide: an
//     import runs in a process of its own (vetgraph import), never beside a
//     server answering requests from the same vocabulary.
//   - The new types are written in one write transaction of their own,
//     before any relation, and then get their relationship id indexes
//     (RefreshVocabulary). They cannot share the relations' transactions:
//     Neo4j does not allow a schema change (the index) in a transaction
//     that writes data, and the relations' MERGE on id should find the
//     index in place. So when that transaction fails nothing at all is
//     written, and when the index step fails the types stay added (types
//     are permanent) but no relation, fact or anything else is written:
//     the error and the change entry say which types were added, and
//     importing the same input again completes it (the types are then
//     unchanged). The batches after that behave as before: a failed batch
//     leaves the earlier batches written (see Import).

// relationTypePlan is what Import does with the input's relationship
// types.
type relationTypePlan struct {
	problems []string
	conflict bool // a problem is a type stored with another definition
	diff     ImportCounts
	// create are the types to add, in the input's order (oldest first),
	// with the addedAt and addedBy they get: the input's with KeepOrigin,
	// else the import's time and actor (types added by one import then
	// share the time, and the vocabulary lists them by name).
	create []ExportRelationType
	// vocabulary is the added types while the input is checked: the stored
	// ones (oldest first), then create.
	vocabulary []kg.RelTypeInfo
}

// planRelationTypes checks the input's types against the stored ones; nil
// when the input brings none (the vocabulary is then left alone).
func (s *Store) planRelationTypes(ctx context.Context, st kg.Stamp, g *ExportGraph, opt ImportOptions) (*relationTypePlan, error) {
	if len(g.RelationTypes) == 0 {
		return nil, nil
	}
	p := &relationTypePlan{}
	recs, err := s.read(ctx, readRelationTypes, nil)
	if err != nil {
		return nil, err
	}
	var stored []kg.RelTypeInfo
	for _, r := range recs {
		info := relationTypeFromProps(r.Values[0].(map[string]any))
		if len(kg.CheckRelTypeInfo(info)) == 0 { // as RefreshVocabulary: a type failing today's rules is no vocabulary type
			stored = append(stored, info)
		}
	}
	byType := make(map[kg.RelType]kg.RelTypeInfo, len(stored))
	for _, t := range stored {
		byType[t.Type] = t
	}
	p.vocabulary = slices.Clone(stored)
	at := st.At
	if at.IsZero() {
		at = time.Now()
	}
	seen := map[kg.RelType]bool{}
	for _, t := range g.RelationTypes {
		where := fmt.Sprintf("relation type %s", t.Type)
		if seen[t.Type] {
			p.problems = append(p.problems, where+": appears twice in the input")
			continue
		}
		seen[t.Type] = true
		ps := kg.CheckRelTypeInfo(t.RelTypeInfo)
		if q := kg.CheckText("addedBy", t.AddedBy, kg.MaxName); q != "" {
			ps = append(ps, q)
		}
		if len(ps) > 0 {
			p.problems = append(p.problems, prefix(where+": ", ps)...)
			continue
		}
		if old, ok := byType[t.Type]; ok {
			if sameRelationType(old, t.RelTypeInfo) {
				p.diff.Unchanged++
				continue
			}
			p.conflict = true
			p.problems = append(p.problems, fmt.Sprintf("%s: conflict: the database has it with another definition (%s / %s, %v → %v; the input: %s / %s, %v → %v); types cannot change once added",
				where, old.Zh, old.En, old.From, old.To, t.Zh, t.En, t.From, t.To))
			continue
		}
		c := t
		if !opt.KeepOrigin || c.AddedAt.IsZero() {
			c.AddedAt = at
		}
		if !opt.KeepOrigin || c.AddedBy == "" {
			c.AddedBy = st.Actor.Name
		}
		p.create = append(p.create, c)
		p.diff.Created = append(p.diff.Created, string(t.Type))
		p.vocabulary = append(p.vocabulary, t.RelTypeInfo)
	}
	if n := len(kg.Builtin) + len(p.vocabulary); len(p.create) > 0 && n > kg.MaxRelTypes {
		p.problems = append(p.problems, fmt.Sprintf("relation types: adding %d would make %d types, more than the vocabulary can have (%d)", len(p.create), n, kg.MaxRelTypes))
	}
	slices.Sort(p.diff.Created)
	return p, nil
}

// useVocabulary makes the plan's types the process's added types while the
// input is checked; the function it returns puts back the ones before.
func (p *relationTypePlan) useVocabulary() (restore func(), err error) {
	before := slices.Clone(kg.Vocabulary()[len(kg.Builtin):])
	if _, err := kg.SetAddedTypes(p.vocabulary); err != nil {
		return func() {}, err
	}
	return func() { _, _ = kg.SetAddedTypes(before) }, nil
}

// writeRelationTypes adds the plan's new types in one write transaction,
// checking again that none was stored meanwhile with another definition
// (the same definition stored meanwhile is left as it is). It returns the
// types it created and adds what it wrote to st.
func (s *Store) writeRelationTypes(ctx context.Context, p *relationTypePlan, st *LoadStats) ([]string, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite,
		Bookmarks: neo4j.BookmarksFromRawValues(BookmarksFrom(ctx)...),
	})
	defer sess.Close(ctx)
	var created []string
	var counters LoadStats
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		created, counters = nil, LoadStats{}
		for i, t := range p.create {
			rec, err := one(ctx, tx, relationTypeForWrite, map[string]any{"type": string(t.Type)})
			if err != nil {
				return nil, err
			}
			if old, ok := rec.Values[0].(map[string]any); ok {
				if o := relationTypeFromProps(old); !sameRelationType(o, t.RelTypeInfo) {
					return nil, fmt.Errorf("%w: relationship type %s was added meanwhile with another definition (%s / %s, %v → %v); types cannot change once added",
						kg.ErrConflict, t.Type, o.Zh, o.En, o.From, o.To)
				}
				continue
			}
			if n, _ := rec.Values[1].(int64); i == 0 && int(n)+len(kg.Builtin)+len(p.create) > kg.MaxRelTypes {
				return nil, fmt.Errorf("%w: the vocabulary has %d types; %d more would be more than it can have (%d)",
					kg.ErrLimit, int(n)+len(kg.Builtin), len(p.create), kg.MaxRelTypes)
			}
			params := relationTypeProps(t.RelTypeInfo)
			params["at"], params["actor"] = t.AddedAt.UTC(), t.AddedBy
			countStatement(ctx)
			res, err := tx.Run(ctx, createRelationType, params)
			if err != nil {
				return nil, err
			}
			sum, err := res.Consume(ctx)
			if err != nil {
				return nil, err
			}
			counters.NodesCreated += sum.Counters().NodesCreated()
			counters.PropertiesSet += sum.Counters().PropertiesSet()
			counters.LabelsAdded += sum.Counters().LabelsAdded()
			created = append(created, string(t.Type))
		}
		return nil, nil
	}, neo4j.WithTxTimeout(importWriteTimeout))
	if err != nil {
		return nil, fmt.Errorf("import: relation types (nothing written): %w", translateWrite(err))
	}
	st.NodesCreated += counters.NodesCreated
	st.PropertiesSet += counters.PropertiesSet
	st.LabelsAdded += counters.LabelsAdded
	return created, nil
}

// indexRelationTypes reads the stored types into the vocabulary and makes
// sure each created one has its relationship id index.
func (s *Store) indexRelationTypes(ctx context.Context, created []string) error {
	if _, err := s.RefreshVocabulary(ctx); err != nil {
		return err
	}
	for _, t := range created {
		if err := s.ensureRelationIndex(ctx, kg.RelType(t)); err != nil {
			return err
		}
	}
	return nil
}

// typesLeftBehind says which types a failed import added.
func typesLeftBehind(created []string) string {
	if len(created) == 0 {
		return "nothing was written"
	}
	return fmt.Sprintf("relationship types %s were added (types are permanent) but nothing else was written", strings.Join(created, ", "))
}
