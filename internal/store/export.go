package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Export and import (import.go) move whole graphs, or one source's part of
// one, between databases and files (package transfer writes and reads the
// formats). What they carry is an ExportGraph: the relationship types
// admins added (see AddRelationType), every document, entity, relation and
// fact with its evidence, rank, sameAs group and origin, the retracted
// statements and the redirects of merged-away ids. They carry
// neither the search names (:Name, rebuilt from the entities' names), nor the
// mentions (MENTIONED_IN, rebuilt from the statements' evidence), nor the
// change log (:Change), nor API keys.

// ExportGraph is a graph, or one source's part of it, as export reads it and
// import writes it. Every list is in id order (relations and retractions by
// id, then ends), so that writing it twice gives the same bytes.
type ExportGraph struct {
	// RelationTypes are the relationship types admins added (never the
	// built-in ones), oldest first (by AddedAt, then type): the whole
	// graph's all, one source's those its relations (live or retracted)
	// use. Import adds them before it checks the relations.
	RelationTypes []ExportRelationType
	Documents     []ExportDocument
	Entities      []ExportEntity
	// Relations have From and To set.
	Relations []kg.Relation
	// Facts have Subject set.
	Facts []kg.Fact
	// Retracted are the retracted relations and facts (see Retract), each
	// with who retracted it, when and why.
	Retracted []Retraction
	// Redirects are the merged-away ids and the entities they resolve to.
	Redirects []Redirect
}

// ExportDocument is a source document with its origin (kg.OriginData: the
// data files own it; kg.OriginAPI: curators do).
type ExportDocument struct {
	kg.Document
	Origin string
}

// ExportEntity is an entity with its origin (see ExportDocument). Its
// Version is the number of curator writes it has had.
type ExportEntity struct {
	kg.Entity
	Origin string
}

// ExportRelationType is a relationship type an admin added, with when and
// by whom (its provenance: Import keeps them with ImportOptions.KeepOrigin,
// as it keeps origins and versions; without it the type is the importer's,
// added at the import's time).
type ExportRelationType struct {
	kg.RelTypeInfo
	AddedAt time.Time
	AddedBy string
}

// Redirect is a merged-away entity id (see Merge): ID now resolves to the
// entity To. NameZh is the merged entity's Chinese name; At and By say when
// and by whom it was merged.
type Redirect struct {
	ID, To, NameZh string
	At             time.Time
	By             string
}

// ID returns the id of the retracted relation or fact.
func (r Retraction) ID() string {
	if r.Relation != nil {
		return r.Relation.ID
	}
	if r.Fact != nil {
		return r.Fact.ID
	}
	return ""
}

// Export statements: the whole graph, or the part of one document ($doc).
// A statement belongs to a document when any of its evidence cites it.
const (
	exportDocuments = `
MATCH (d:Document)
WHERE $ids IS NULL OR d.id IN $ids
RETURN properties(d) AS d`

	exportEntities = `
MATCH (n:Entity)
WHERE $ids IS NULL OR n.id IN $ids
RETURN properties(n) AS n`

	// exportRelations reads the relations of the vocabulary's types.
	exportRelations = `
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) IN $types
  AND ($doc IS NULL OR r.sourceId = $doc OR $doc IN coalesce(r.moreSourceIds, []))
RETURN type(r) AS type, properties(r) AS r, a.id AS from, b.id AS to`

	exportFacts = `
MATCH (f:Fact)-[:FACT_OF]->(n:Entity)
WHERE $doc IS NULL OR f.sourceId = $doc OR $doc IN coalesce(f.moreSourceIds, [])
RETURN properties(f) AS f, n.id AS subject`

	exportRetractedRelations = `
MATCH (a:Entity)-[x:RETRACTED]->(b:Entity)
WHERE $doc IS NULL OR x.sourceId = $doc OR $doc IN coalesce(x.moreSourceIds, [])
RETURN properties(x) AS x, a.id AS from, b.id AS to`

	exportRetractedFacts = `
MATCH (f:RetractedFact)-[:FACT_OF]->(n:Entity)
WHERE $doc IS NULL OR f.sourceId = $doc OR $doc IN coalesce(f.moreSourceIds, [])
RETURN properties(f) AS f, n.id AS subject`

	exportRedirects = `
MATCH (r:Redirect)-[:REDIRECTS_TO]->(t:Entity)
RETURN properties(r) AS r, t.id AS to`

	// exportStatementsByID reads the relations and facts, live or
	// retracted, with the ids $ids: the heads of the sameAs groups a
	// source's statements belong to.
	exportStatementsByID = `
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE (type(r) IN $types OR type(r) = 'RETRACTED') AND r.id IN $ids
  RETURN type(r) AS what, properties(r) AS p, a.id AS from, b.id AS to
  UNION ALL
  MATCH (f:Fact)-[:FACT_OF]->(n:Entity) WHERE f.id IN $ids
  RETURN 'FACT' AS what, properties(f) AS p, n.id AS from, null AS to
  UNION ALL
  MATCH (f:RetractedFact)-[:FACT_OF]->(n:Entity) WHERE f.id IN $ids
  RETURN 'RETRACTED_FACT' AS what, properties(f) AS p, n.id AS from, null AS to
}
RETURN what, p, from, to`

	exportDocumentExists = `
RETURN EXISTS { MATCH (:Document {id: $doc}) } AS found`
)

// exportTimeout bounds the export's read transaction.
const exportTimeout = 10 * time.Minute

// Export reads the whole graph when source is "", or else the part of
// document source: that document, every statement (relation or fact,
// retracted ones included) that cites it in any of its evidence, the
// statements their sameAs names, the entities those statements name, and
// the other documents they cite (so that the part imports on its own); no
// redirects. An unknown source gives
// kg.ErrNotFound. Everything is read in one read transaction: a consistent
// state even while others write. The graph is held in memory.
func (s *Store) Export(ctx context.Context, source string) (*ExportGraph, error) {
	countStatement(ctx)
	var g *ExportGraph
	err := s.readTx(ctx, exportTimeout, func(tx neo4j.ManagedTransaction) error {
		var err error
		g, err = exportIn(ctx, tx, source)
		return err
	})
	if err != nil {
		if errors.Is(err, kg.ErrNotFound) {
			return nil, err
		}
		return nil, translate(err)
	}
	return g, nil
}

func exportIn(ctx context.Context, tx neo4j.ManagedTransaction, source string) (*ExportGraph, error) {
	g := &ExportGraph{}
	var doc any // nil: the whole graph
	if source != "" {
		rec, err := one(ctx, tx, exportDocumentExists, map[string]any{"doc": source})
		if err != nil {
			return nil, err
		}
		if found, _ := rec.Values[0].(bool); !found {
			return nil, fmt.Errorf("export: no document %q: %w", source, kg.ErrNotFound)
		}
		doc = source
	}
	// The added types come from the same snapshot as the relations: the
	// relations read are those of the built-in types and of the types
	// stored now (a process whose vocabulary lags behind still exports
	// them all).
	added, err := exportRelationTypes(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("relation types: %w", err)
	}
	types := make([]string, 0, len(kg.Builtin)+len(added))
	for _, t := range kg.Builtin {
		types = append(types, string(t.Type))
	}
	for _, t := range added {
		types = append(types, string(t.Type))
	}
	params := map[string]any{"doc": doc, "types": types}

	recs, err := collect(ctx, tx, exportRelations, params)
	if err != nil {
		return nil, fmt.Errorf("relations: %w", err)
	}
	for _, rec := range recs {
		r := toRelation(rec.Values[1].(map[string]any), rec.Values[0].(string))
		r.From, r.To = rec.Values[2].(string), rec.Values[3].(string)
		g.Relations = append(g.Relations, r)
	}
	if recs, err = collect(ctx, tx, exportFacts, params); err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	for _, rec := range recs {
		f := toFact(rec.Values[0].(map[string]any))
		f.Subject = rec.Values[1].(string)
		g.Facts = append(g.Facts, f)
	}
	if recs, err = collect(ctx, tx, exportRetractedRelations, params); err != nil {
		return nil, fmt.Errorf("retracted relations: %w", err)
	}
	for _, rec := range recs {
		p := rec.Values[0].(map[string]any)
		r := toRelation(p, str(p, "type"))
		r.From, r.To = rec.Values[1].(string), rec.Values[2].(string)
		g.Retracted = append(g.Retracted, retractionOf(p, &r, nil))
	}
	if recs, err = collect(ctx, tx, exportRetractedFacts, params); err != nil {
		return nil, fmt.Errorf("retracted facts: %w", err)
	}
	for _, rec := range recs {
		p := rec.Values[0].(map[string]any)
		f := toFact(p)
		f.Subject = rec.Values[1].(string)
		g.Retracted = append(g.Retracted, retractionOf(p, nil, &f))
	}

	// Documents and entities: all of them, or those the statements name.
	var docIDs, entityIDs any
	if source != "" {
		if err := addSameAsHeads(ctx, tx, g, types); err != nil {
			return nil, err
		}
		docs, ents := map[string]bool{source: true}, map[string]bool{}
		addEv := func(ev []kg.Evidence) {
			for _, e := range ev {
				docs[e.DocumentID] = true
			}
		}
		for _, r := range g.Relations {
			ents[r.From], ents[r.To] = true, true
			addEv(r.AllEvidence())
		}
		for _, f := range g.Facts {
			ents[f.Subject] = true
			addEv(f.AllEvidence())
		}
		for _, x := range g.Retracted {
			if x.Relation != nil {
				ents[x.Relation.From], ents[x.Relation.To] = true, true
				addEv(x.Relation.AllEvidence())
			} else {
				ents[x.Fact.Subject] = true
				addEv(x.Fact.AllEvidence())
			}
		}
		docIDs, entityIDs = sortedKeys(docs), sortedKeys(ents)
		used := map[kg.RelType]bool{}
		for _, r := range g.Relations {
			used[r.Type] = true
		}
		for _, x := range g.Retracted {
			if x.Relation != nil {
				used[x.Relation.Type] = true
			}
		}
		added = slices.DeleteFunc(added, func(t ExportRelationType) bool { return !used[t.Type] })
	}
	g.RelationTypes = added
	if recs, err = collect(ctx, tx, exportDocuments, map[string]any{"ids": docIDs}); err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	for _, rec := range recs {
		p := rec.Values[0].(map[string]any)
		g.Documents = append(g.Documents, ExportDocument{Document: documentFromProps(p), Origin: originOf(p)})
	}
	if recs, err = collect(ctx, tx, exportEntities, map[string]any{"ids": entityIDs}); err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	for _, rec := range recs {
		p := rec.Values[0].(map[string]any)
		g.Entities = append(g.Entities, ExportEntity{Entity: entityFromProps(p), Origin: originOf(p)})
	}
	if source == "" {
		if recs, err = collect(ctx, tx, exportRedirects, nil); err != nil {
			return nil, fmt.Errorf("redirects: %w", err)
		}
		for _, rec := range recs {
			p := rec.Values[0].(map[string]any)
			r := Redirect{ID: str(p, "id"), To: rec.Values[1].(string), NameZh: str(p, "nameZh"), By: str(p, "mergedBy")}
			r.At = timeOf(p["mergedAt"])
			g.Redirects = append(g.Redirects, r)
		}
	}
	g.Sort()
	return g, nil
}

// exportRelationTypes reads the added relationship types, oldest first.
// A stored type that fails today's rules is left out, as RefreshVocabulary
// leaves it out of the vocabulary (its relations are not exported either).
func exportRelationTypes(ctx context.Context, tx neo4j.ManagedTransaction) ([]ExportRelationType, error) {
	recs, err := collect(ctx, tx, readRelationTypes, nil)
	if err != nil {
		return nil, err
	}
	var out []ExportRelationType
	for _, rec := range recs {
		p := rec.Values[0].(map[string]any)
		info := relationTypeFromProps(p)
		if kg.IsBuiltin(info.Type) || len(kg.CheckRelTypeInfo(info)) > 0 {
			continue
		}
		out = append(out, ExportRelationType{RelTypeInfo: info, AddedAt: timeOf(p["addedAt"]), AddedBy: str(p, "addedBy")})
	}
	return out, nil
}

// addSameAsHeads adds to a source's statements the statements their
// sameAs names (the first of each group) that the source does not cite, so
// that the part imports on its own.
func addSameAsHeads(ctx context.Context, tx neo4j.ManagedTransaction, g *ExportGraph, types []string) error {
	have, want := map[string]bool{}, map[string]bool{}
	note := func(id, sameAs string) {
		have[id] = true
		if sameAs != "" {
			want[sameAs] = true
		}
	}
	for _, r := range g.Relations {
		note(r.ID, r.SameAs)
	}
	for _, f := range g.Facts {
		note(f.ID, f.SameAs)
	}
	for _, x := range g.Retracted {
		if x.Relation != nil {
			note(x.Relation.ID, x.Relation.SameAs)
		} else {
			note(x.Fact.ID, x.Fact.SameAs)
		}
	}
	var ids []string
	for id := range want {
		if !have[id] {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	recs, err := collect(ctx, tx, exportStatementsByID, map[string]any{"ids": ids, "types": types})
	if err != nil {
		return fmt.Errorf("sameAs statements: %w", err)
	}
	for _, rec := range recs {
		p := rec.Values[1].(map[string]any)
		from, _ := rec.Values[2].(string)
		to, _ := rec.Values[3].(string)
		switch what := rec.Values[0].(string); what {
		case "FACT", "RETRACTED_FACT":
			f := toFact(p)
			f.Subject = from
			if what == "FACT" {
				g.Facts = append(g.Facts, f)
			} else {
				g.Retracted = append(g.Retracted, retractionOf(p, nil, &f))
			}
		case "RETRACTED":
			r := toRelation(p, str(p, "type"))
			r.From, r.To = from, to
			g.Retracted = append(g.Retracted, retractionOf(p, &r, nil))
		default:
			r := toRelation(p, what)
			r.From, r.To = from, to
			g.Relations = append(g.Relations, r)
		}
	}
	return nil
}

// Sort puts every list of g in the order Export returns: the relationship
// types oldest first (by AddedAt, then type), the rest by id (relations and
// retractions then by their ends), in byte order.
func (g *ExportGraph) Sort() {
	slices.SortStableFunc(g.RelationTypes, func(a, b ExportRelationType) int {
		return cmp.Or(a.AddedAt.Compare(b.AddedAt), cmp.Compare(a.Type, b.Type))
	})
	slices.SortFunc(g.Documents, func(a, b ExportDocument) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Entities, func(a, b ExportEntity) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Relations, func(a, b kg.Relation) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	slices.SortFunc(g.Facts, func(a, b kg.Fact) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Retracted, func(a, b Retraction) int {
		ka, kb := retractionKey(a), retractionKey(b)
		return cmp.Or(cmp.Compare(ka[0], kb[0]), cmp.Compare(ka[1], kb[1]), cmp.Compare(ka[2], kb[2]), cmp.Compare(ka[3], kb[3]))
	})
	slices.SortFunc(g.Redirects, func(a, b Redirect) int { return cmp.Compare(a.ID, b.ID) })
}

// retractionKey orders retractions: relations before facts, then by id and
// ends.
func retractionKey(x Retraction) [4]string {
	if x.Relation != nil {
		return [4]string{"relation", x.Relation.ID, x.Relation.From, x.Relation.To}
	}
	if x.Fact != nil {
		return [4]string{"fact", x.Fact.ID, x.Fact.Subject, ""}
	}
	return [4]string{}
}

func retractionOf(p map[string]any, r *kg.Relation, f *kg.Fact) Retraction {
	return Retraction{Relation: r, Fact: f, At: timeOf(p["retractedAt"]), By: str(p, "retractedBy"), Reason: str(p, "retractReason")}
}

// originOf reads a node's origin; nodes written before origins existed
// are the data files'.
func originOf(p map[string]any) string {
	if o := str(p, "origin"); o != "" {
		return o
	}
	return kg.OriginData
}

// timeOf reads a Neo4j DATETIME property as UTC; zero when absent.
func timeOf(v any) time.Time {
	t, ok := v.(time.Time)
	if !ok {
		return time.Time{}
	}
	return t.UTC()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// EntityNodeProperties returns the properties the store writes on an entity
// node (origin "data" until a caller sets it; sortEn, the key English name
// lists sort by), for writers of other formats that must produce the same
// node (package transfer's CSV for neo4j-admin import).
func EntityNodeProperties(e kg.Entity) map[string]any { return entityProps(e) }

// NameProperties returns the search name node the store keeps for one name
// of an entity (key, text, field and the search forms: words, pinyin…), or
// nil for a blank name. See nameRow.
func NameProperties(entity, text, field string) map[string]any { return nameRow(entity, text, field) }
