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

// Retraction, ranks, merges and the change log.
//
// A retracted relation becomes a :RETRACTED relationship between the same
// entities, keeping every property plus its type, who retracted it, when and
// why: no read of the vocabulary's types sees it, a load does not bring it
// back, and Retracted lists it. A retracted fact is relabelled
// :RetractedFact in the same way.

const (
	// retractRelationTmpl replaces the relation $id of type %s by a
	// :RETRACTED relationship with its properties.
	retractRelationTmpl = `
MATCH (a:Entity)-[r:%s]->(b:Entity)
WHERE r.id = $id
CREATE (a)-[x:RETRACTED]->(b)
SET x = properties(r), x.type = type(r), x.retractedAt = $at, x.retractedBy = $actor, x.retractReason = $reason
DELETE r`

	retractFact = `
MATCH (f:Fact {id: $id})
REMOVE f:Fact
SET f:RetractedFact, f.retractedAt = $at, f.retractedBy = $actor, f.retractReason = $reason`

	// setRelationRankTmpl sets the rank of relation $id of type %s.
	setRelationRankTmpl = `
MATCH (:Entity)-[r:%s]->(:Entity)
WHERE r.id = $id
SET r.rank = $rank, r.updatedAt = $at`

	setFactRank = `
MATCH (f:Fact {id: $id})
SET f.rank = $rank, f.updatedAt = $at`

	// retractedOf lists the retracted relations and facts of an entity.
	retractedOf = `
CALL (){
  MATCH (:Entity {id: $id})-[x:RETRACTED]-(:Entity)
  WITH DISTINCT x
  RETURN x.id AS id, 'relation' AS what, properties(x) AS props, startNode(x).id AS from, endNode(x) AS to
  UNION ALL
  MATCH (f:RetractedFact)-[:FACT_OF]->(n:Entity {id: $id})
  RETURN f.id AS id, 'fact' AS what, properties(f) AS props, n.id AS from, null AS to
}
RETURN id, what, props, from, to
ORDER BY props.retractedAt DESC, id`
)

// Retraction is a statement hidden from reads, with why.
type Retraction struct {
	Relation *kg.Relation // set for a relation (From, To set)
	// End is the entity at the relation's end, read with it (Retracted
	// only; nil elsewhere).
	End    *kg.Entity `json:"-"`
	Fact   *kg.Fact   // set for a fact (Subject set)
	At     time.Time
	By     string
	Reason string
	// Problems are those of At, By and Reason (see kg.DataProblems).
	Problems kg.DataProblems `json:"-"`
}

// readRetraction reads when, by whom and why a statement was retracted
// from its properties.
func readRetraction(m map[string]any) Retraction {
	p := props{m: m}
	x := Retraction{By: p.str("retractedBy"), Reason: p.str("retractReason"), At: p.datetime("retractedAt")}
	x.Problems = p.problems
	return x
}

// Retract hides the relation or fact id (relation ids hold ':'; fact ids do
// not) with a reason, keeping it in history and in Retracted. An unknown id
// gives kg.ErrNotFound.
func (s *Store) Retract(ctx context.Context, st kg.Stamp, id string) (Retraction, Outcome, error) {
	var res Retraction
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		at := st.At.UTC()
		params := map[string]any{"id": id, "at": at, "actor": st.Actor.Name, "reason": st.Reason}
		if typ, ok := relTypeOfID(id); ok {
			rec, err := one(ctx, tx, perType(relationByIDTmpl, typ), map[string]any{"id": id})
			if err != nil {
				return txResult{}, err
			}
			if rec == nil {
				return txResult{}, fmt.Errorf("%w: no relation %q (it may be retracted already)", kg.ErrNotFound, id)
			}
			r := toRelation(rec.Values[0].(map[string]any), string(typ))
			r.From, r.To = rec.Values[1].(string), rec.Values[2].(string)
			if _, err := collect(ctx, tx, perType(retractRelationTmpl, typ), params); err != nil {
				return txResult{}, err
			}
			return txResult{
				result: Retraction{Relation: &r, At: at, By: st.Actor.Name, Reason: st.Reason}, changed: true,
				summary:  fmt.Sprintf("retracted relation %s (%s %s %s)", id, r.From, r.Type, r.To),
				subjects: []string{id, r.From, r.To}, before: relationSnapshot(r),
			}, nil
		}
		if strings.Contains(id, ":") {
			return txResult{}, fmt.Errorf("%w: no relation or fact %q (relation ids read <source>:<from>:<TYPE>:<to> with a TYPE of the vocabulary)", kg.ErrNotFound, id)
		}
		rec, err := one(ctx, tx, factByID, map[string]any{"id": id})
		if err != nil {
			return txResult{}, err
		}
		if rec == nil {
			return txResult{}, fmt.Errorf("%w: no relation or fact %q (relation ids read <source>:<from>:<TYPE>:<to>; it may be retracted already)", kg.ErrNotFound, id)
		}
		f := toFact(rec.Values[0].(map[string]any))
		f.Subject = rec.Values[1].(string)
		if _, err := collect(ctx, tx, retractFact, params); err != nil {
			return txResult{}, err
		}
		return txResult{
			result: Retraction{Fact: &f, At: at, By: st.Actor.Name, Reason: st.Reason}, changed: true,
			summary:  fmt.Sprintf("retracted fact %s of %s", id, f.Subject),
			subjects: []string{id, f.Subject}, before: factSnapshot(f),
		}, nil
	})
	return res, o, err
}

// RankResult is what SetRank returns: the statement with its new rank.
type RankResult struct {
	Relation *kg.Relation
	Fact     *kg.Fact
}

// SetRank sets the rank of the relation or fact id. Setting the rank it has
// changes nothing. An unknown id gives kg.ErrNotFound.
func (s *Store) SetRank(ctx context.Context, st kg.Stamp, id string, rank kg.Rank) (RankResult, Outcome, error) {
	var res RankResult
	if !slices.Contains(kg.Ranks, rank) {
		return res, Outcome{}, fmt.Errorf("%w: rank %q must be one of %v", kg.ErrInvalidInput, rank, kg.Ranks)
	}
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		params := map[string]any{"id": id, "rank": string(rank), "at": st.At.UTC()}
		if typ, ok := relTypeOfID(id); ok {
			rec, err := one(ctx, tx, perType(relationByIDTmpl, typ), map[string]any{"id": id})
			if err != nil {
				return txResult{}, err
			}
			if rec == nil {
				return txResult{}, fmt.Errorf("%w: no relation %q", kg.ErrNotFound, id)
			}
			r := toRelation(rec.Values[0].(map[string]any), string(typ))
			r.From, r.To = rec.Values[1].(string), rec.Values[2].(string)
			before := relationSnapshot(r)
			if effectiveRank(r.Rank) == rank {
				return txResult{result: RankResult{Relation: &r}}, nil
			}
			if _, err := collect(ctx, tx, perType(setRelationRankTmpl, typ), params); err != nil {
				return txResult{}, err
			}
			r.Rank = rank
			return txResult{
				result: RankResult{Relation: &r}, changed: true,
				summary:  fmt.Sprintf("ranked relation %s %s", id, rank),
				subjects: []string{id, r.From, r.To}, before: before, after: relationSnapshot(r),
			}, nil
		}
		rec, err := one(ctx, tx, factByID, map[string]any{"id": id})
		if err != nil {
			return txResult{}, err
		}
		if rec == nil {
			return txResult{}, fmt.Errorf("%w: no relation or fact %q", kg.ErrNotFound, id)
		}
		f := toFact(rec.Values[0].(map[string]any))
		f.Subject = rec.Values[1].(string)
		before := factSnapshot(f)
		if effectiveRank(f.Rank) == rank {
			return txResult{result: RankResult{Fact: &f}}, nil
		}
		if _, err := collect(ctx, tx, setFactRank, params); err != nil {
			return txResult{}, err
		}
		f.Rank = rank
		return txResult{
			result: RankResult{Fact: &f}, changed: true,
			summary:  fmt.Sprintf("ranked fact %s %s", id, rank),
			subjects: []string{id, f.Subject}, before: before, after: factSnapshot(f),
		}, nil
	})
	return res, o, err
}

func effectiveRank(r kg.Rank) kg.Rank {
	if r == "" {
		return kg.RankNormal
	}
	return r
}

// Retracted lists the retracted relations and facts of entity id, latest
// first.
func (s *Store) Retracted(ctx context.Context, id string) ([]Retraction, error) {
	recs, err := s.read(ctx, retractedOf, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	out := make([]Retraction, 0, len(recs))
	for _, rec := range recs {
		p := rec.Values[2].(map[string]any)
		x := readRetraction(p)
		if rec.Values[1] == "relation" {
			r := toRelation(p, str(p, "type"))
			end := entityOf(rec.Values[4])
			r.From, r.To = rec.Values[3].(string), end.ID
			x.Relation, x.End = &r, &end
		} else {
			f := toFact(p)
			f.Subject = rec.Values[3].(string)
			x.Fact = &f
		}
		out = append(out, x)
	}
	return out, nil
}

const (
	// mergeEntities moves everything of entity $drop to entity $keep:
	// relationships of every type (vocabulary, retracted, mentions; created
	// anew at $keep with the same type and properties, since a
	// relationship's ends cannot change), facts, names; $drop's names
	// become aliases of $keep; $drop turns into a :Redirect to $keep, and
	// redirects to $drop now point at $keep. Relationships between the two
	// become :RETRACTED (a link of an entity to itself says nothing).
	mergeEntities = `
MATCH (k:Entity {id: $keep}), (d:Entity {id: $drop})
CALL (k, d) {
  MATCH (d)-[r]->(m) WHERE NOT m:Name AND NOT type(r) IN ['REDIRECTS_TO']
  WITH k, d, r, m, type(r) AS t, properties(r) AS p
  CALL (k, m, t, p) {
    WITH k, m, t, p WHERE m <> k
    CREATE (k)-[nr:$(t)]->(m) SET nr = p
  }
  CALL (k, m, t, p) {
    WITH k, m, t, p WHERE m = k AND t <> 'RETRACTED'
    CREATE (k)-[x:RETRACTED]->(k)
    SET x = p, x.type = t, x.retractedAt = $at, x.retractedBy = $actor, x.retractReason = 'merge of ' + $drop + ' into ' + $keep + ' made it a link of an entity to itself'
  }
  DELETE r
}
CALL (k, d) {
  MATCH (m)-[r]->(d) WHERE NOT m:Name AND NOT m:Redirect AND NOT m:Fact AND NOT m:RetractedFact
  WITH k, d, r, m, type(r) AS t, properties(r) AS p
  CALL (k, m, t, p) {
    WITH k, m, t, p WHERE m <> k
    CREATE (m)-[nr:$(t)]->(k) SET nr = p
  }
  CALL (k, m, t, p) {
    WITH k, m, t, p WHERE m = k AND t <> 'RETRACTED'
    CREATE (k)-[x:RETRACTED]->(k)
    SET x = p, x.type = t, x.retractedAt = $at, x.retractedBy = $actor, x.retractReason = 'merge of ' + $drop + ' into ' + $keep + ' made it a link of an entity to itself'
  }
  DELETE r
}
CALL (k) {
  MATCH (k)-[m:MENTIONED_IN]->(doc:Document)
  WITH doc, collect(m) AS ms
  WHERE size(ms) > 1
  UNWIND tail(ms) AS extra
  DELETE extra
}
CALL (k, d) {
  MATCH (f)-[r:FACT_OF]->(d)
  CREATE (f)-[:FACT_OF]->(k)
  DELETE r
}
CALL (k, d) {
  MATCH (x:Name)-[r:NAME_OF]->(d)
  SET x.field = 'alias', x.origin = 'api'
  CREATE (x)-[:NAME_OF]->(k)
  DELETE r
}
CALL (k, d) {
  MATCH (x:Redirect)-[r:REDIRECTS_TO]->(d)
  CREATE (x)-[:REDIRECTS_TO]->(k)
  DELETE r
}
WITH k, d, [a IN [d.nameZh, d.nameEn] + coalesce(d.aliases, []) WHERE a IS NOT NULL AND a <> '' AND NOT a IN [k.nameZh, coalesce(k.nameEn, '')] + coalesce(k.aliases, [])] AS extra
SET k.aliases = coalesce(k.aliases, []) + extra, k.origin = 'api', k.version = coalesce(k.version, 0) + 1, k.updatedAt = $at
WITH k, d
CALL (d) {
  WITH d, [l IN labels(d) WHERE l <> 'Entity'] AS ls
  REMOVE d:Entity
  REMOVE d:$(ls)
}
SET d = {id: d.id, mergedAt: $at, mergedBy: $actor, nameZh: d.nameZh}, d:Redirect
CREATE (d)-[:REDIRECTS_TO]->(k)
RETURN properties(k) AS k`

	// mergeEntityPair reads both entities of a merge, write-locking them.
	mergeEntityPair = `
OPTIONAL MATCH (k:Entity {id: $keep})
OPTIONAL MATCH (d:Entity {id: $drop})
CALL (k, d) {
  WITH k, d WHERE k IS NOT NULL AND d IS NOT NULL
  SET k.lock = true, d.lock = true
  REMOVE k.lock, d.lock
}
RETURN properties(k) AS k, properties(d) AS d`
)

// MergeResult is what Merge returns: the kept entity after the merge.
type MergeResult struct {
	Entity kg.Entity
	Merged string // the merged-away id, which now resolves to Entity
}

// Merge merges entity drop into entity keep (see mergeEntities): afterwards
// drop resolves to keep everywhere an id is taken. Both must exist and
// differ (kg.ErrNotFound, kg.ErrInvalidInput).
func (s *Store) Merge(ctx context.Context, st kg.Stamp, keep, drop string) (MergeResult, Outcome, error) {
	var res MergeResult
	if keep == drop {
		return res, Outcome{}, fmt.Errorf("%w: keep and drop are the same entity %q", kg.ErrInvalidInput, keep)
	}
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		rec, err := one(ctx, tx, mergeEntityPair, map[string]any{"keep": keep, "drop": drop})
		if err != nil {
			return txResult{}, err
		}
		var missing []string
		if rec.Values[0] == nil {
			missing = append(missing, fmt.Sprintf("keep: no entity %q", keep))
		}
		if rec.Values[1] == nil {
			missing = append(missing, fmt.Sprintf("drop: no entity %q", drop))
		}
		if len(missing) > 0 {
			return txResult{}, fmt.Errorf("%w: %s", kg.ErrNotFound, strings.Join(missing, "; "))
		}
		k, d := entityFromProps(rec.Values[0].(map[string]any)), entityFromProps(rec.Values[1].(map[string]any))
		if k.Kind != d.Kind {
			return txResult{}, fmt.Errorf("%w: %s is a %s and %s a %s; only entities of one kind merge", kg.ErrInvalidInput, keep, k.Kind, drop, d.Kind)
		}
		rec, err = one(ctx, tx, mergeEntities, map[string]any{"keep": keep, "drop": drop, "at": st.At.UTC(), "actor": st.Actor.Name})
		if err != nil {
			return txResult{}, err
		}
		after := entityFromProps(rec.Values[0].(map[string]any))
		return txResult{
			result: MergeResult{Entity: after, Merged: drop}, changed: true,
			summary:  fmt.Sprintf("merged %s (%s) into %s (%s)", drop, d.NameZh, keep, k.NameZh),
			subjects: []string{keep, drop}, before: map[string]any{"keep": entitySnapshot(k, k.Version), "drop": entitySnapshot(d, d.Version)},
			after: entitySnapshot(after, after.Version),
		}, nil
	})
	return res, o, err
}

// ResolveRedirect returns the entity id a merged-away id resolves to, and
// false when id is not a merged-away id.
func (s *Store) ResolveRedirect(ctx context.Context, id string) (string, bool, error) {
	recs, err := s.read(ctx, redirectOf, map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return "", false, err
	}
	t, _ := recs[0].Values[0].(string)
	return t, true, nil
}

// ChangeQuery selects change-log entries: since a time (inclusive; zero for
// all), about one subject id (entity, relation, fact or document; "" for
// all), at most First after the cursor After (a change id), oldest first.
type ChangeQuery struct {
	Since   time.Time
	Subject string
	First   int
	After   string
}

// ChangePage is a page of the change log.
type ChangePage struct {
	Changes []kg.Change
	HasNext bool
}

const changesPage = `
MATCH (c:Change)
WHERE c.id > $after AND ($since IS NULL OR c.at >= $since) AND ($subject IS NULL OR $subject IN c.subjects)
RETURN properties(c) AS c
ORDER BY c.id
LIMIT $limit`

// Changes reads a page of the change log.
func (s *Store) Changes(ctx context.Context, q ChangeQuery) (ChangePage, error) {
	params := map[string]any{"after": q.After, "since": nil, "subject": nilIfEmpty(q.Subject), "limit": q.First + 1}
	if !q.Since.IsZero() {
		params["since"] = q.Since.UTC()
	}
	recs, err := s.read(ctx, changesPage, params)
	if err != nil {
		return ChangePage{}, err
	}
	var page ChangePage
	for i, rec := range recs {
		if i == q.First {
			page.HasNext = true
			break
		}
		page.Changes = append(page.Changes, changeFromProps(rec.Values[0].(map[string]any)))
	}
	return page, nil
}

// changeFromProps maps a :Change node's properties to the domain type.
func changeFromProps(m map[string]any) kg.Change {
	p := props{m: m, whole: true}
	c := kg.Change{
		ID: p.required("id"), RequestID: p.str("requestId"), Reason: p.str("reason"), Op: p.str("op"),
		Subjects: p.strings("subjects"), Summary: p.str("summary"), Before: p.str("before"), After: p.str("after"),
		Actor: kg.Actor{Name: p.str("actor"), Role: kg.Role(p.str("actorRole")), Via: p.str("via")}, At: p.datetime("at"),
	}
	c.Problems = p.problems
	return c
}

const (
	// entityForDelete reads an entity with what still uses it, and
	// write-locks it.
	entityForDelete = `
MATCH (n:Entity {id: $id})
SET n.lock = true
REMOVE n.lock
RETURN properties(n) AS n,
  COUNT { (n)-[r]-(:Entity) WHERE type(r) IN $vocab } AS relations,
  COUNT { (n)<-[:FACT_OF]-(:Fact) } AS facts,
  COUNT { (n)<-[:REDIRECTS_TO]-(:Redirect) } AS redirects`

	// deleteEntity removes an entity, its names, its mentions and its
	// retracted statements (the change log keeps them).
	deleteEntity = `
MATCH (n:Entity {id: $id})
OPTIONAL MATCH (k:Name)-[:NAME_OF]->(n)
OPTIONAL MATCH (f:RetractedFact)-[:FACT_OF]->(n)
DETACH DELETE k, f, n`
)

// DeleteResult is what Delete returns: the entity as it was.
type DeleteResult struct {
	Entity kg.Entity
}

// Delete removes entity id, which no relation, fact or merged-away id may
// still use (kg.ErrConflict says which: retract them, or merge the entity
// instead). The change log keeps the entity as it was. An unknown id gives
// kg.ErrNotFound.
func (s *Store) Delete(ctx context.Context, st kg.Stamp, id string) (DeleteResult, Outcome, error) {
	var res DeleteResult
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		rec, err := one(ctx, tx, entityForDelete, map[string]any{"id": id, "vocab": vocabularyTypes()})
		if err != nil {
			return txResult{}, err
		}
		if rec == nil {
			return txResult{}, fmt.Errorf("%w: no entity %q", kg.ErrNotFound, id)
		}
		e := entityFromProps(rec.Values[0].(map[string]any))
		rels, facts, redirects := asInt64(rec.Values[1]), asInt64(rec.Values[2]), asInt64(rec.Values[3])
		if rels+facts+redirects > 0 {
			return txResult{}, fmt.Errorf("%w: entity %s is still used by %d relations, %d facts and %d merged-away ids; retract those statements first, or merge the entity into another instead of deleting it",
				kg.ErrConflict, id, rels, facts, redirects)
		}
		if _, err := collect(ctx, tx, deleteEntity, map[string]any{"id": id}); err != nil {
			return txResult{}, err
		}
		return txResult{
			result: DeleteResult{Entity: e}, changed: true,
			summary:  fmt.Sprintf("deleted %s %s (%s)", e.Kind, id, e.NameZh),
			subjects: []string{id}, before: entitySnapshot(e, e.Version),
		}, nil
	})
	return res, o, err
}
