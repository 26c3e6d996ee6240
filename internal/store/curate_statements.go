package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/searchkey"
)

// Relations and facts written by curators: each with evidence whose quote
// occurs verbatim in its document's stored text (kg.CheckRelation,
// kg.CheckFact). The same statement from another document adds evidence to
// the statement instead of a duplicate; statements that disagree (a date, a
// number) each stay with their own source, grouped by SameAs and ranked.

const (
	// endsForWrite resolves both ends of a relation (an id, or a merged-away
	// id through its redirect), write-locks them, so that concurrent writers
	// of one statement run one after the other, and reads the cited
	// document's text. Missing ones come back null.
	endsForWrite = `
OPTIONAL MATCH (a0:Entity {id: $from})
OPTIONAL MATCH (:Redirect {id: $from})-[:REDIRECTS_TO]->(a1:Entity)
OPTIONAL MATCH (b0:Entity {id: $to})
OPTIONAL MATCH (:Redirect {id: $to})-[:REDIRECTS_TO]->(b1:Entity)
OPTIONAL MATCH (d:Document {id: $doc})
WITH coalesce(a0, a1) AS a, coalesce(b0, b1) AS b, d
CALL (a, b) {
  WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL
  SET a.lock = true, b.lock = true
  REMOVE a.lock, b.lock
}
CALL (d) {
  ` + lockUncitedDocument + `
}
RETURN a.id AS from, a.kind AS fromKind, b.id AS to, b.kind AS toKind, d.text AS text`

	// sameStatementTmpl finds the statement of type %s between the ends
	// with the same time: the one that evidence from another document adds
	// to.
	sameStatementTmpl = `
MATCH (:Entity {id: $from})-[r:%s]->(:Entity {id: $to})
WHERE coalesce(r.at, '') = $at AND coalesce(r.since, '') = $since AND coalesce(r.until, '') = $until
RETURN properties(r) AS r
ORDER BY r.id
LIMIT 1`

	// sameSymmetricStatementTmpl is sameStatementTmpl for a symmetric type
	// %s: the statement in either direction counts, and its own ends are
	// returned.
	sameSymmetricStatementTmpl = `
MATCH (a:Entity {id: $from})-[r:%s]-(b:Entity {id: $to})
WHERE coalesce(r.at, '') = $at AND coalesce(r.since, '') = $since AND coalesce(r.until, '') = $until
RETURN properties(r) AS r, startNode(r).id AS from, endNode(r).id AS to
ORDER BY r.id
LIMIT 1`

	// relationByIDTmpl finds a relation of type %s by id (through the
	// per-type index rel_<type>_id), with its ends.
	relationByIDTmpl = `
MATCH (a:Entity)-[r:%s]->(b:Entity)
WHERE r.id = $id
RETURN properties(r) AS r, a.id AS from, b.id AS to`

	// addRelationEvidenceTmpl appends evidence to the relation $id of type %s.
	addRelationEvidenceTmpl = `
MATCH (:Entity)-[r:%s]->(:Entity)
WHERE r.id = $id
SET r.moreSourceIds = coalesce(r.moreSourceIds, []) + $doc,
    r.moreQuotes = coalesce(r.moreQuotes, []) + $quote,
    r.moreTokens = trim(coalesce(r.moreTokens, '') + ' ' + $tokens),
    r.updatedAt = $at`

	// createRelationTmpl creates a curated relation of type %s.
	createRelationTmpl = `
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
CREATE (a)-[r:%s]->(b)
SET r = $props, r.origin = 'api', r.createdAt = $at, r.createdBy = $actor`

	// relationIDTaken reports whether any relationship between the ends
	// (retracted ones included) has the id $id.
	relationIDTaken = `
RETURN EXISTS { MATCH (:Entity {id: $from})-[r]->(:Entity {id: $to}) WHERE r.id = $id } AS taken`

	// mentionsOf records that document $doc mentions the entities
	// $entities, which this transaction has write-locked (endsForWrite,
	// factForWrite): so a mention cannot be created twice, and no MERGE is
	// needed, whose exclusive lock on the document would queue every write
	// that cites it (creating a relationship takes no lock that conflicts
	// with another creation on the same node).
	mentionsOf = `
MATCH (d:Document {id: $doc})
UNWIND $entities AS id
MATCH (n:Entity {id: id})
WHERE NOT EXISTS { (n)-[:MENTIONED_IN]->(d) }
CREATE (n)-[:MENTIONED_IN {origin: 'api'}]->(d)`
)

// mentionParams are mentionsOf's parameters for evidence ev about the
// entities.
func mentionParams(ev kg.Evidence, entities ...string) map[string]any {
	return map[string]any{"doc": ev.DocumentID, "entities": entities}
}

// mention runs mentionsOf.
func mention(ctx context.Context, tx neo4j.ManagedTransaction, params map[string]any) error {
	_, err := collect(ctx, tx, mentionsOf, params)
	return err
}

// RelationResult is what AddRelation returns.
type RelationResult struct {
	Relation kg.Relation
	From, To string
	// Created is true when a new statement was made; EvidenceAdded when
	// the evidence was added to an existing one. Both false: the statement
	// already had this evidence, and nothing changed.
	Created, EvidenceAdded bool
}

// AddRelation records the statement r (its ID is ignored) with its evidence,
// after kg.CheckRelation against the ends' kinds and the cited document's
// stored text. When the same statement (type, ends and time) exists, the
// evidence is added to it; when it already has that evidence, nothing
// changes. sameAs, when set, is the id of a statement of the same type and
// ends that r restates: with the same time the evidence is added to it;
// with a different time r becomes a statement of its group (a disagreement,
// both shown with their sources). Missing ends or document give
// kg.ErrNotFound; a merged-away end is resolved to the entity it was merged
// into.
func (s *Store) AddRelation(ctx context.Context, st kg.Stamp, r kg.Relation, sameAs string) (RelationResult, Outcome, error) {
	var res RelationResult
	info, ok := kg.LookupRelType(string(r.Type))
	if !ok {
		return res, Outcome{}, fmt.Errorf("%w: type %q is not in the vocabulary (see relationTypes)", kg.ErrInvalidInput, r.Type)
	}
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		rec, err := one(ctx, tx, endsForWrite, map[string]any{"from": r.From, "to": r.To, "doc": r.Evidence.DocumentID})
		if err != nil {
			return txResult{}, err
		}
		var missing []string
		if rec.Values[0] == nil {
			missing = append(missing, fmt.Sprintf("from: no entity %q", r.From))
		}
		if rec.Values[2] == nil {
			missing = append(missing, fmt.Sprintf("to: no entity %q", r.To))
		}
		if rec.Values[4] == nil {
			missing = append(missing, fmt.Sprintf("evidence.document: no document %q (add it with addDocument first)", r.Evidence.DocumentID))
		}
		if len(missing) > 0 {
			return txResult{}, fmt.Errorf("%w: %s", kg.ErrNotFound, strings.Join(missing, "; "))
		}
		r.From, r.To = rec.Values[0].(string), rec.Values[2].(string)
		fromKind, toKind := kg.Kind(rec.Values[1].(string)), kg.Kind(rec.Values[3].(string))
		if problems := kg.CheckRelation(r, fromKind, toKind, rec.Values[4].(string)); len(problems) > 0 {
			return txResult{}, fmt.Errorf("%w: %s", kg.ErrInvalidInput, strings.Join(problems, "; "))
		}
		timeParams := map[string]any{"from": r.From, "to": r.To, "at": dateOrEmpty(r.At), "since": dateOrEmpty(r.Since), "until": dateOrEmpty(r.Until)}

		var existing map[string]any
		if sameAs != "" {
			typ, ok := relTypeOfID(sameAs)
			if !ok || typ != info.Type {
				return txResult{}, fmt.Errorf("%w: sameAs %q is not a %s relation id", kg.ErrInvalidInput, sameAs, info.Type)
			}
			rec, err := one(ctx, tx, perType(relationByIDTmpl, typ), map[string]any{"id": sameAs})
			if err != nil {
				return txResult{}, err
			}
			if rec == nil {
				return txResult{}, fmt.Errorf("%w: sameAs: no relation %q", kg.ErrNotFound, sameAs)
			}
			if rec.Values[1] != r.From || rec.Values[2] != r.To {
				return txResult{}, fmt.Errorf("%w: sameAs %s links %v → %v, not %s → %s", kg.ErrInvalidInput, sameAs, rec.Values[1], rec.Values[2], r.From, r.To)
			}
			p := rec.Values[0].(map[string]any)
			if sameTime(p, timeParams) {
				existing = p
			} else {
				r.SameAs = str(p, "sameAs")
				if r.SameAs == "" {
					r.SameAs = sameAs
				}
			}
		} else if info.Symmetric() {
			// b PARTNERS_WITH a restates a PARTNERS_WITH b: the evidence
			// goes to the statement as it was first written.
			rec, err := one(ctx, tx, perType(sameSymmetricStatementTmpl, info.Type), timeParams)
			if err != nil {
				return txResult{}, err
			}
			if rec != nil {
				existing = rec.Values[0].(map[string]any)
				r.From, r.To = rec.Values[1].(string), rec.Values[2].(string)
			}
		} else {
			rec, err := one(ctx, tx, perType(sameStatementTmpl, info.Type), timeParams)
			if err != nil {
				return txResult{}, err
			}
			if rec != nil {
				existing = rec.Values[0].(map[string]any)
			}
		}
		mentions := mentionParams(r.Evidence, r.From, r.To)

		if existing != nil {
			cur := toRelation(existing, string(info.Type))
			cur.From, cur.To = r.From, r.To
			if slices.Contains(cur.AllEvidence(), r.Evidence) {
				return txResult{result: RelationResult{Relation: cur, From: r.From, To: r.To}}, nil
			}
			if _, err := collect(ctx, tx, perType(addRelationEvidenceTmpl, info.Type), map[string]any{
				"id":  cur.ID,
				"doc": r.Evidence.DocumentID, "quote": r.Evidence.Quote, "tokens": searchkey.TextTokens(r.Evidence.Quote), "at": st.At.UTC(),
			}); err != nil {
				return txResult{}, err
			}
			if err := mention(ctx, tx, mentions); err != nil {
				return txResult{}, err
			}
			before := relationSnapshot(cur)
			cur.MoreEvidence = append(cur.MoreEvidence, r.Evidence)
			return txResult{
				result: RelationResult{Relation: cur, From: r.From, To: r.To, EvidenceAdded: true}, changed: true,
				summary:  fmt.Sprintf("added evidence from %s to relation %s", r.Evidence.DocumentID, cur.ID),
				subjects: []string{cur.ID, r.From, r.To, r.Evidence.DocumentID}, before: before, after: relationSnapshot(cur),
			}, nil
		}

		base := fmt.Sprintf("api:%s:%s:%s", r.From, r.Type, r.To)
		if t := timeKey(r); t != "" {
			base += "@" + t
		}
		r.ID = base
		for n := 2; ; n++ {
			rec, err := one(ctx, tx, relationIDTaken, map[string]any{"from": r.From, "to": r.To, "id": r.ID})
			if err != nil {
				return txResult{}, err
			}
			if taken, _ := rec.Values[0].(bool); !taken {
				break
			}
			r.ID = fmt.Sprintf("%s#%d", base, n)
		}
		r.Origin = kg.OriginAPI
		props := relationProps(r)
		props["id"], props["origin"] = r.ID, kg.OriginAPI
		if r.SameAs != "" {
			props["sameAs"] = r.SameAs
		}
		if r.Rank != "" && r.Rank != kg.RankNormal {
			props["rank"] = string(r.Rank)
		}
		for k, v := range props {
			if v == nil {
				delete(props, k)
			}
		}
		if _, err := collect(ctx, tx, perType(createRelationTmpl, info.Type), map[string]any{
			"from": r.From, "to": r.To,
			"props": props, "at": st.At.UTC(), "actor": st.Actor.Name,
		}); err != nil {
			return txResult{}, err
		}
		if err := mention(ctx, tx, mentions); err != nil {
			return txResult{}, err
		}
		return txResult{
			result: RelationResult{Relation: r, From: r.From, To: r.To, Created: true}, changed: true,
			summary:  fmt.Sprintf("added relation %s (%s %s %s) from %s", r.ID, r.From, r.Type, r.To, r.Evidence.DocumentID),
			subjects: []string{r.ID, r.From, r.To, r.Evidence.DocumentID}, after: relationSnapshot(r),
		}, nil
	})
	return res, o, err
}

// relTypeOfID returns the relationship type a relation id names: ids are
// "<document or api>:<from>:<TYPE>:<to>…".
func relTypeOfID(id string) (kg.RelType, bool) {
	parts := strings.SplitN(id, ":", 4)
	if len(parts) < 4 {
		return "", false
	}
	info, ok := kg.LookupRelType(parts[2])
	return info.Type, ok
}

func sameTime(p map[string]any, t map[string]any) bool {
	return str(p, "at") == t["at"] && str(p, "since") == t["since"] && str(p, "until") == t["until"]
}

func dateOrEmpty(d *kg.PartialDate) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// timeKey is the time part of a curated relation's id: "2019", "2019..2022".
func timeKey(r kg.Relation) string {
	switch {
	case r.At != nil:
		return r.At.String()
	case r.Since != nil || r.Until != nil:
		return dateOrEmpty(r.Since) + ".." + dateOrEmpty(r.Until)
	}
	return ""
}

func relationSnapshot(r kg.Relation) map[string]any {
	ev := make([]map[string]string, 0, 1+len(r.MoreEvidence))
	for _, e := range r.AllEvidence() {
		ev = append(ev, map[string]string{"document": e.DocumentID, "quote": e.Quote})
	}
	m := map[string]any{"id": r.ID, "type": string(r.Type), "from": r.From, "to": r.To, "evidence": ev}
	for k, v := range map[string]string{
		"at": dateOrEmpty(r.At), "since": dateOrEmpty(r.Since), "until": dateOrEmpty(r.Until),
		"detailZh": r.Detail.Zh, "detailEn": r.Detail.En, "rank": string(r.Rank), "sameAs": r.SameAs,
	} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

const (
	// lockUncitedDocument write-locks document d (before its text is read)
	// while nothing cites it: its text may still change (addDocument, which
	// locks it too), so the quote is checked against the text as it is
	// committed. A cited document's text never changes, so writes citing it
	// take no lock on it and do not queue behind each other.
	lockUncitedDocument = `WITH d WHERE d IS NOT NULL AND NOT EXISTS { (d)<-[:MENTIONED_IN]-() } AND NOT EXISTS { (d)<-[:STATED_IN]-() }
  SET d.lock = true
  REMOVE d.lock`

	// factForWrite reads the subject (resolving a merged-away id) and the
	// cited document's text, and write-locks the subject.
	factForWrite = `
OPTIONAL MATCH (n0:Entity {id: $subject})
OPTIONAL MATCH (:Redirect {id: $subject})-[:REDIRECTS_TO]->(n1:Entity)
OPTIONAL MATCH (d:Document {id: $doc})
WITH coalesce(n0, n1) AS n, d
CALL (n) {
  WITH n WHERE n IS NOT NULL
  SET n.lock = true
  REMOVE n.lock
}
CALL (d) {
  ` + lockUncitedDocument + `
}
RETURN n.id AS subject, d.text AS text`

	// sameFactCandidates are the facts of the subject with the same unit,
	// time and value: the same number, which another document's evidence
	// adds to when its label matches.
	sameFactCandidates = `
MATCH (f:Fact)-[:FACT_OF]->(:Entity {id: $subject})
WHERE f.unit = $unit AND coalesce(f.at, '') = $at AND f.value = $value AND f.qualifier = $qualifier
RETURN properties(f) AS f
ORDER BY f.id`

	factByID = `
MATCH (f:Fact {id: $id})-[:FACT_OF]->(n:Entity)
RETURN properties(f) AS f, n.id AS subject`

	addFactEvidence = `
MATCH (f:Fact {id: $id})
SET f.moreSourceIds = coalesce(f.moreSourceIds, []) + $doc,
    f.moreQuotes = coalesce(f.moreQuotes, []) + $quote,
    f.moreTokens = trim(coalesce(f.moreTokens, '') + ' ' + $tokens),
    f.updatedAt = $at`

	createFact = `
MATCH (n:Entity {id: $subject}), (d:Document {id: $doc})
CREATE (f:Fact)
SET f = $props, f.origin = 'api', f.createdAt = $at, f.createdBy = $actor
CREATE (f)-[:FACT_OF]->(n)
CREATE (f)-[:STATED_IN]->(d)`

	factIDTaken = `
RETURN EXISTS { MATCH (f:Fact {id: $id}) } OR EXISTS { MATCH (f:RetractedFact {id: $id}) } AS taken`
)

// FactResult is what AddFact returns.
type FactResult struct {
	Fact                   kg.Fact
	Created, EvidenceAdded bool
}

// AddFact records the number f with its evidence, after kg.CheckFact
// against the cited document's stored text. f.ID may be empty (an id is
// made from the subject and the label). The same number (subject, unit,
// time, value, qualifier and a label equal in either language) stated by
// another document adds the evidence to the existing fact. sameAs, when set,
// is the id of a fact about the same quantity: with the same value the
// evidence is added to it; with another value (a disagreement) f becomes a
// new fact of its group, and both stay with their sources.
func (s *Store) AddFact(ctx context.Context, st kg.Stamp, f kg.Fact, sameAs string) (FactResult, Outcome, error) {
	var res FactResult
	o, err := s.command(ctx, st, &res, func(tx neo4j.ManagedTransaction) (txResult, error) {
		rec, err := one(ctx, tx, factForWrite, map[string]any{"subject": f.Subject, "doc": f.Evidence.DocumentID})
		if err != nil {
			return txResult{}, err
		}
		var missing []string
		if rec.Values[0] == nil {
			missing = append(missing, fmt.Sprintf("subject: no entity %q", f.Subject))
		}
		if rec.Values[1] == nil {
			missing = append(missing, fmt.Sprintf("evidence.document: no document %q (add it with addDocument first)", f.Evidence.DocumentID))
		}
		if len(missing) > 0 {
			return txResult{}, fmt.Errorf("%w: %s", kg.ErrNotFound, strings.Join(missing, "; "))
		}
		f.Subject = rec.Values[0].(string)
		if f.ID == "" {
			f.ID = factID(f)
		}
		if problems := kg.CheckFact(f, rec.Values[1].(string)); len(problems) > 0 {
			return txResult{}, fmt.Errorf("%w: %s", kg.ErrInvalidInput, strings.Join(problems, "; "))
		}
		var existing map[string]any
		if sameAs != "" {
			rec, err := one(ctx, tx, factByID, map[string]any{"id": sameAs})
			if err != nil {
				return txResult{}, err
			}
			if rec == nil {
				return txResult{}, fmt.Errorf("%w: sameAs: no fact %q", kg.ErrNotFound, sameAs)
			}
			if rec.Values[1] != f.Subject {
				return txResult{}, fmt.Errorf("%w: sameAs %s is a fact of %v, not of %s", kg.ErrInvalidInput, sameAs, rec.Values[1], f.Subject)
			}
			p := rec.Values[0].(map[string]any)
			old := toFact(p)
			if old.Value == f.Value && old.Qualifier == f.Qualifier && old.Unit == f.Unit && dateOrEmpty(old.At) == dateOrEmpty(f.At) {
				existing = p
			} else {
				f.SameAs = old.SameAs
				if f.SameAs == "" {
					f.SameAs = old.ID
				}
			}
		} else {
			recs, err := collect(ctx, tx, sameFactCandidates, map[string]any{
				"subject": f.Subject, "unit": f.Unit,
				"at": dateOrEmpty(f.At), "value": f.Value, "qualifier": string(f.Qualifier),
			})
			if err != nil {
				return txResult{}, err
			}
			for _, c := range recs {
				p := c.Values[0].(map[string]any)
				if old := toFact(p); sameLabel(old.Label, f.Label) {
					existing = p
					break
				}
			}
		}
		mentions := mentionParams(f.Evidence, f.Subject)
		if existing != nil {
			cur := toFact(existing)
			cur.Subject = f.Subject
			if slices.Contains(cur.AllEvidence(), f.Evidence) {
				return txResult{result: FactResult{Fact: cur}}, nil
			}
			if _, err := collect(ctx, tx, addFactEvidence, map[string]any{
				"id": cur.ID, "doc": f.Evidence.DocumentID,
				"quote": f.Evidence.Quote, "tokens": searchkey.TextTokens(f.Evidence.Quote), "at": st.At.UTC(),
			}); err != nil {
				return txResult{}, err
			}
			if err := mention(ctx, tx, mentions); err != nil {
				return txResult{}, err
			}
			before := factSnapshot(cur)
			cur.MoreEvidence = append(cur.MoreEvidence, f.Evidence)
			return txResult{
				result: FactResult{Fact: cur, EvidenceAdded: true}, changed: true,
				summary:  fmt.Sprintf("added evidence from %s to fact %s", f.Evidence.DocumentID, cur.ID),
				subjects: []string{cur.ID, f.Subject, f.Evidence.DocumentID}, before: before, after: factSnapshot(cur),
			}, nil
		}
		base := f.ID
		for n := 2; ; n++ {
			rec, err := one(ctx, tx, factIDTaken, map[string]any{"id": f.ID})
			if err != nil {
				return txResult{}, err
			}
			if taken, _ := rec.Values[0].(bool); !taken {
				break
			}
			f.ID = fmt.Sprintf("%s-%d", base, n)
		}
		f.Origin = kg.OriginAPI
		props := factProps(f)
		props["id"], props["origin"] = f.ID, kg.OriginAPI
		if f.SameAs != "" {
			props["sameAs"] = f.SameAs
		}
		for k, v := range props {
			if v == nil {
				delete(props, k)
			}
		}
		if _, err := collect(ctx, tx, createFact, map[string]any{
			"subject": f.Subject, "doc": f.Evidence.DocumentID,
			"props": props, "at": st.At.UTC(), "actor": st.Actor.Name,
		}); err != nil {
			return txResult{}, err
		}
		if err := mention(ctx, tx, mentions); err != nil {
			return txResult{}, err
		}
		return txResult{
			result: FactResult{Fact: f, Created: true}, changed: true,
			summary:  fmt.Sprintf("added fact %s of %s from %s", f.ID, f.Subject, f.Evidence.DocumentID),
			subjects: []string{f.ID, f.Subject, f.Evidence.DocumentID}, after: factSnapshot(f),
		}, nil
	})
	return res, o, err
}

// factID makes a fact id from its subject and a hash of what it counts.
func factID(f kg.Fact) string {
	h := sha256.Sum256([]byte(f.Label.Zh + "\x00" + f.Label.En + "\x00" + f.Unit + "\x00" + dateOrEmpty(f.At)))
	id := f.Subject
	if len(id) > 80 {
		id = strings.TrimRight(id[:80], "-")
	}
	return id + "-" + hex.EncodeToString(h[:4])
}

func sameLabel(a, b kg.Names) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	return (a.Zh != "" && norm(a.Zh) == norm(b.Zh)) || (a.En != "" && norm(a.En) == norm(b.En))
}

func factSnapshot(f kg.Fact) map[string]any {
	ev := make([]map[string]string, 0, 1+len(f.MoreEvidence))
	for _, e := range f.AllEvidence() {
		ev = append(ev, map[string]string{"document": e.DocumentID, "quote": e.Quote})
	}
	m := map[string]any{
		"id": f.ID, "subject": f.Subject, "labelZh": f.Label.Zh, "labelEn": f.Label.En, "value": f.Value,
		"unit": f.Unit, "qualifier": string(f.Qualifier), "evidence": ev,
	}
	for k, v := range map[string]string{
		"at": dateOrEmpty(f.At), "periodZh": f.Period.Zh, "periodEn": f.Period.En,
		"rank": string(f.Rank), "sameAs": f.SameAs,
	} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// perType is the statement tmpl builds for relationship type t (a
// vocabulary type, never request text), cached by statement.
func perType(tmpl string, t kg.RelType) string {
	return statement(tmpl+"\x00"+string(t), func() string { return fmt.Sprintf(tmpl, t) })
}
