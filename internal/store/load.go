package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/searchkey"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Load statements. The data files own what came from them (origin 'data' on
// nodes and relationships) and nothing else: a load adds, updates and removes
// only what the files own, so what curators wrote through the API (origin
// 'api': entities, names, relations, facts, evidence added to a file's
// relation or fact, ranks, retractions, merges) survives every load. Loading
// the same files twice changes nothing.
//
// An entity a curator has edited belongs to the curators from then on
// (origin 'api'): the files no longer update it. A file relation or fact a
// curator retracted stays retracted. A stale file relation that curators
// added evidence to is kept on that evidence.
const (
	// loadConflicts finds what the files would take from curators: a name
	// or alias of a file entity held by a curated entity, and a document id
	// of the files held by a document added through the API. The load is
	// refused when there is any (names must identify one entity).
	loadConflicts = `
CALL () {
  UNWIND $names AS row
  MATCH (k:Name {key: row.key})-[:NAME_OF]->(o:Entity)
  WHERE o.origin = 'api' AND o.id <> row.entity
  RETURN 'name ' + row.text + ' of ' + row.entity + ' is held by the curated entity ' + o.id AS problem
  UNION
  UNWIND $docs AS id
  MATCH (d:Document {id: id}) WHERE d.origin = 'api'
  RETURN 'document id ' + id + ' is held by a document added through the API' AS problem
}
RETURN problem ORDER BY problem LIMIT 20`

	// heldByCurators lists the entities of the files that curators wrote.
	heldByCurators = `
UNWIND $ids AS id
MATCH (n:Entity {id: id}) WHERE n.origin = 'api'
RETURN n.id AS id ORDER BY id`

	// loadRedirects maps the ids of merged-away entities (see Merge) that
	// the files name to the entities they were merged into.
	loadRedirects = `
UNWIND $ids AS id
MATCH (:Redirect {id: id})-[:REDIRECTS_TO]->(n:Entity)
RETURN id, n.id AS target`

	mergeDocuments = `
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
ON CREATE SET d.origin = 'data'
SET d += row.props`

	// mergeEntitiesTmpl is completed with a kind label from kg.Kinds (%[1]s)
	// and the other kind labels to remove (%[2]s), so that a changed kind
	// leaves no stale label. Curated entities are left as curators left them.
	mergeEntitiesTmpl = `
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
ON CREATE SET n.origin = 'data'
WITH n, row WHERE n.origin = 'data'
SET n += row.props, n:%[1]s
REMOVE n%[2]s`

	// deleteStaleEntities removes the file entities the files no longer
	// hold; one that curated statements use (a relation, a fact or evidence
	// written through the API) passes to the curators instead.
	deleteStaleEntities = `
MATCH (n:Entity {origin: 'data'})
WHERE NOT n.id IN $ids
CALL (n) {
  WITH n WHERE EXISTS { (n)-[r]-() WHERE r.origin = 'api' OR size(coalesce(r.moreSourceIds, [])) > 0 }
    OR EXISTS { (n)<-[:FACT_OF]-(f) WHERE f.origin = 'api' OR size(coalesce(f.moreSourceIds, [])) > 0 }
  SET n.origin = 'api'
}
WITH n WHERE n.origin = 'data'
DETACH DELETE n`

	// mergeNames points each normalised name of a file entity at it,
	// moving it when the files moved it, and gives it its search forms (see
	// nameRow). Names of curated entities are the curators'.
	mergeNames = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.entity}) WHERE n.origin = 'data'
MERGE (k:Name {key: row.key})
SET k.text = row.text, k.field = row.field, k.origin = 'data',
    k.words = row.words, k.pinyinWords = row.pinyinWords, k.tokens = row.tokens,
    k.pinyin = row.pinyin, k.pinyinJoined = row.pinyinJoined, k.initials = row.initials
WITH k, n
OPTIONAL MATCH (k)-[old:NAME_OF]->(o)
WHERE o <> n
DELETE old
MERGE (k)-[:NAME_OF]->(n)`

	// deleteStaleNames removes names the files no longer hold, except the
	// names of curated entities.
	deleteStaleNames = `
MATCH (k:Name)
WHERE NOT k.key IN $keys AND NOT EXISTS { (k)-[:NAME_OF]->(:Entity {origin: 'api'}) }
DETACH DELETE k`

	// mergeRelationsTmpl is completed with a relationship type from the
	// vocabulary. A file relation a curator retracted (see Retract) stays
	// retracted.
	mergeRelationsTmpl = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
WHERE NOT EXISTS { (a)-[x:RETRACTED]->(b) WHERE x.id = row.id }
MERGE (a)-[r:%s {id: row.id}]->(b)
SET r += row.props`

	// deleteStaleRelations removes the file relations of the files'
	// documents that the files no longer hold. One that curators added
	// evidence to stays, on that evidence, as a curated relation.
	deleteStaleRelations = `
MATCH (:Entity)-[r]->(:Entity)
WHERE coalesce(r.origin, 'data') = 'data' AND r.sourceId IN $docs AND NOT r.id IN $ids
CALL (r) {
  WITH r WHERE size(coalesce(r.moreSourceIds, [])) > 0
  SET r.origin = 'api', r.sourceId = r.moreSourceIds[0], r.quote = r.moreQuotes[0],
      r.moreSourceIds = r.moreSourceIds[1..], r.moreQuotes = r.moreQuotes[1..]
}
WITH r WHERE coalesce(r.origin, 'data') = 'data'
DELETE r`

	mergeFacts = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.subject}), (d:Document {id: row.doc})
WHERE NOT EXISTS { MATCH (:RetractedFact {id: row.id}) }
MERGE (f:Fact {id: row.id})
SET f += row.props
WITH f, n, d
OPTIONAL MATCH (f)-[old:FACT_OF|STATED_IN]->(o)
WHERE o <> n AND o <> d
DELETE old
MERGE (f)-[:FACT_OF]->(n)
MERGE (f)-[:STATED_IN]->(d)`

	// deleteStaleFacts removes the file facts the files no longer hold,
	// except those curators added evidence to.
	deleteStaleFacts = `
MATCH (f:Fact)
WHERE coalesce(f.origin, 'data') = 'data' AND NOT f.id IN $ids AND size(coalesce(f.moreSourceIds, [])) = 0
DETACH DELETE f`

	mergeMentions = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.entity}), (d:Document {id: row.doc})
MERGE (n)-[m:MENTIONED_IN]->(d)
ON CREATE SET m.origin = 'data'`

	// deleteStaleMentions removes the files' mentions they no longer
	// state; curated mentions stay.
	deleteStaleMentions = `
MATCH (n:Entity)-[m:MENTIONED_IN]->(d:Document)
WHERE coalesce(m.origin, 'data') = 'data' AND NOT (n.id + ' ' + d.id) IN $pairs
DELETE m`
)

// loadTimeout bounds the load transaction. It is set by the client because
// the server's default (30 s for the embedded Neo4j, for queries) is too
// short for a whole data set on a busy machine.
const loadTimeout = 10 * time.Minute

// LoadStats counts what a load wrote, from Neo4j's own counters.
type LoadStats struct {
	NodesCreated, NodesDeleted, RelationshipsCreated, RelationshipsDeleted, PropertiesSet, LabelsAdded, LabelsRemoved int
	// HeldByCurators are the ids of entities of the files that curators
	// have written, which the load left as the curators left them.
	HeldByCurators []string
}

// Changed reports whether the load changed anything other than setting
// properties to the values they already had.
func (s LoadStats) Changed() bool {
	return s.NodesCreated+s.NodesDeleted+s.RelationshipsCreated+s.RelationshipsDeleted+s.LabelsAdded+s.LabelsRemoved > 0
}

// Load writes a validated data set in one write transaction: all of it or,
// on any error, nothing. Call EnsureSchema first.
func (s *Store) Load(ctx context.Context, g *dataset.Graph) (LoadStats, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	var st LoadStats
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		st = LoadStats{}
		run := func(cypher string, params map[string]any) error {
			res, err := tx.Run(ctx, cypher, params)
			if err != nil {
				return err
			}
			sum, err := res.Consume(ctx)
			if err != nil {
				return err
			}
			c := sum.Counters()
			st.NodesCreated += c.NodesCreated()
			st.NodesDeleted += c.NodesDeleted()
			st.RelationshipsCreated += c.RelationshipsCreated()
			st.RelationshipsDeleted += c.RelationshipsDeleted()
			st.PropertiesSet += c.PropertiesSet()
			st.LabelsAdded += c.LabelsAdded()
			st.LabelsRemoved += c.LabelsRemoved()
			return nil
		}
		g, err := resolveAgainstCurated(ctx, tx, g)
		if err != nil {
			return nil, err
		}
		ids := make([]any, len(g.Entities))
		for i, e := range g.Entities {
			ids[i] = e.ID
		}
		recs, err := collect(ctx, tx, heldByCurators, map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			st.HeldByCurators = append(st.HeldByCurators, r.Values[0].(string))
		}
		return nil, loadAll(g, run)
	}, neo4j.WithTxTimeout(loadTimeout))
	if err != nil {
		if errors.Is(err, kg.ErrConflict) {
			return LoadStats{}, err
		}
		return LoadStats{}, translate(err)
	}
	return st, nil
}

// resolveAgainstCurated refuses a data set that would take a name or a
// document id from curated data (kg.ErrConflict listing what), and returns
// g with the ids of merged-away entities replaced by the entities they were
// merged into (their own entries dropped: the kept entity holds them).
func resolveAgainstCurated(ctx context.Context, tx neo4j.ManagedTransaction, g *dataset.Graph) (*dataset.Graph, error) {
	var names, docs, ids []any
	for _, e := range g.Entities {
		ids = append(ids, e.ID)
		for _, n := range e.NameForms() {
			if key := textkey.Key(n); key != "" {
				names = append(names, map[string]any{"key": key, "text": n, "entity": e.ID})
			}
		}
	}
	for _, d := range g.Documents {
		docs = append(docs, d.ID)
	}
	recs, err := collect(ctx, tx, loadConflicts, map[string]any{"names": names, "docs": docs})
	if err != nil {
		return nil, err
	}
	if len(recs) > 0 {
		var b strings.Builder
		for _, r := range recs {
			b.WriteString("\n  ")
			b.WriteString(r.Values[0].(string))
		}
		return nil, fmt.Errorf("%w: the data files conflict with curated data (rename in the files, or merge through the API):%s", kg.ErrConflict, b.String())
	}
	recs, err = collect(ctx, tx, loadRedirects, map[string]any{"ids": ids})
	if err != nil || len(recs) == 0 {
		return g, err
	}
	to := map[string]string{}
	for _, r := range recs {
		to[r.Values[0].(string)] = r.Values[1].(string)
	}
	res := func(id string) string {
		if t, ok := to[id]; ok {
			return t
		}
		return id
	}
	out := *g
	out.Entities = nil
	for _, e := range g.Entities {
		if _, merged := to[e.ID]; !merged {
			out.Entities = append(out.Entities, e)
		}
	}
	out.Relations = nil
	for _, r := range g.Relations {
		if r.From, r.To = res(r.From), res(r.To); r.From != r.To {
			out.Relations = append(out.Relations, r)
		}
	}
	out.Facts = make([]kg.Fact, len(g.Facts))
	for i, f := range g.Facts {
		f.Subject = res(f.Subject)
		out.Facts[i] = f
	}
	out.Mentions = map[string][]string{}
	for d, es := range g.Mentions {
		for _, e := range es {
			out.Mentions[d] = append(out.Mentions[d], res(e))
		}
	}
	return &out, nil
}

// collect runs one statement in tx and returns its records.
func collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	countStatement(ctx)
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

func loadAll(g *dataset.Graph, run func(string, map[string]any) error) error {
	docs := make([]any, len(g.Documents))
	docIDs := make([]any, len(g.Documents))
	for i, d := range g.Documents {
		docs[i] = map[string]any{"id": d.ID, "props": map[string]any{
			"title": d.Title, "publisher": nilIfEmpty(d.Publisher), "date": nilIfEmpty(d.Date),
			"language": d.Language, "url": nilIfEmpty(d.URL), "text": d.Text,
			"searchTokens": documentTokens(d.Title, d.Text),
		}}
		docIDs[i] = d.ID
	}
	if err := run(mergeDocuments, map[string]any{"rows": docs}); err != nil {
		return fmt.Errorf("documents: %w", err)
	}

	byKind := map[kg.Kind][]any{}
	ids := make([]any, 0, len(g.Entities))
	var names []any
	var keys []any
	for _, e := range g.Entities {
		byKind[e.Kind] = append(byKind[e.Kind], map[string]any{"id": e.ID, "props": entityProps(e)})
		ids = append(ids, e.ID)
		add := func(text, field string) {
			if row := nameRow(e.ID, text, field); row != nil {
				names = append(names, row)
				keys = append(keys, row["key"])
			}
		}
		add(e.NameZh, "nameZh")
		add(e.NameEn, "nameEn")
		for _, a := range e.Aliases {
			add(a, "alias")
		}
	}
	for _, k := range kg.Kinds {
		if len(byKind[k]) == 0 {
			continue
		}
		if err := run(mergeEntitiesCypher[k], map[string]any{"rows": byKind[k]}); err != nil {
			return fmt.Errorf("entities %s: %w", k, err)
		}
	}
	if err := run(deleteStaleEntities, map[string]any{"ids": ids}); err != nil {
		return fmt.Errorf("stale entities: %w", err)
	}
	if err := run(mergeNames, map[string]any{"rows": names}); err != nil {
		return fmt.Errorf("names: %w", err)
	}
	if err := run(deleteStaleNames, map[string]any{"keys": keys}); err != nil {
		return fmt.Errorf("stale names: %w", err)
	}

	byType := map[kg.RelType][]any{}
	relIDs := make([]any, 0, len(g.Relations))
	for _, r := range g.Relations {
		byType[r.Type] = append(byType[r.Type], map[string]any{"id": r.ID, "from": r.From, "to": r.To, "props": relationProps(r)})
		relIDs = append(relIDs, r.ID)
	}
	for _, v := range kg.Vocabulary() {
		if len(byType[v.Type]) == 0 {
			continue
		}
		if err := run(mergeRelationsCypher[v.Type], map[string]any{"rows": byType[v.Type]}); err != nil {
			return fmt.Errorf("relations %s: %w", v.Type, err)
		}
	}
	if err := run(deleteStaleRelations, map[string]any{"docs": docIDs, "ids": relIDs}); err != nil {
		return fmt.Errorf("stale relations: %w", err)
	}

	facts := make([]any, len(g.Facts))
	factIDs := make([]any, len(g.Facts))
	for i, f := range g.Facts {
		facts[i] = map[string]any{"id": f.ID, "subject": f.Subject, "doc": f.Evidence.DocumentID, "props": factProps(f)}
		factIDs[i] = f.ID
	}
	if err := run(mergeFacts, map[string]any{"rows": facts}); err != nil {
		return fmt.Errorf("facts: %w", err)
	}
	if err := run(deleteStaleFacts, map[string]any{"ids": factIDs}); err != nil {
		return fmt.Errorf("stale facts: %w", err)
	}

	var mentions, pairs []any
	for doc, ents := range g.Mentions {
		for _, e := range ents {
			mentions = append(mentions, map[string]any{"entity": e, "doc": doc})
			pairs = append(pairs, e+" "+doc)
		}
	}
	if err := run(mergeMentions, map[string]any{"rows": mentions}); err != nil {
		return fmt.Errorf("mentions: %w", err)
	}
	if err := run(deleteStaleMentions, map[string]any{"pairs": pairs}); err != nil {
		return fmt.Errorf("stale mentions: %w", err)
	}
	return nil
}

// nameRow is the row of mergeNames for one name of an entity: its key
// (textkey.Key) and its search forms (package searchkey), each a string of
// space-separated forms or null when it has none: words and pinyinWords, what
// search compares words with; tokens, what the full-text index name_tokens
// holds (words, pinyin words, joined pinyin, initials); pinyin, the readable
// pinyin ("chongqing gongcheng zhiye jishu xueyuan"); pinyinJoined and
// initials, what search compares the text without spaces with. Names without
// Han characters have no pinyin forms. nil for a blank name.
func nameRow(entity, text, field string) map[string]any {
	f := searchkey.FormsOf(text)
	if f.Key == "" {
		return nil
	}
	return map[string]any{
		"entity": entity, "key": f.Key, "text": text, "field": field,
		"words": nilIfEmpty(strings.Join(f.Words, " ")), "pinyinWords": nilIfEmpty(strings.Join(f.PinyinWords, " ")),
		"tokens": nilIfEmpty(f.Tokens()), "pinyin": nilIfEmpty(f.Pinyin.Words),
		"pinyinJoined": nilIfEmpty(f.Pinyin.Joined), "initials": nilIfEmpty(f.Pinyin.Initials),
	}
}

// Statements built once from the allow-lists.
var (
	mergeEntitiesCypher  = map[kg.Kind]string{}
	mergeRelationsCypher = map[kg.RelType]string{}
)

// otherKindLabels is every kind label but k's, as a label list to REMOVE
// (":Country:Enterprise:…"), so that a changed kind leaves no stale label.
func otherKindLabels(k kg.Kind) string {
	var others strings.Builder
	for _, o := range kg.Kinds {
		if o != k {
			others.WriteString(":" + string(o))
		}
	}
	return others.String()
}

func init() {
	for _, k := range kg.Kinds {
		mergeEntitiesCypher[k] = fmt.Sprintf(mergeEntitiesTmpl, k, otherKindLabels(k))
	}
	for _, v := range kg.Vocabulary() {
		mergeRelationsCypher[v.Type] = fmt.Sprintf(mergeRelationsTmpl, v.Type)
	}
}

func entityProps(e kg.Entity) map[string]any {
	sortEn := e.NameEn
	if sortEn == "" {
		sortEn = e.NameZh
	}
	aliases := e.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	return map[string]any{
		"kind": string(e.Kind), "origin": "data",
		"nameZh": e.NameZh, "nameEn": nilIfEmpty(e.NameEn), "nameEnOfficial": e.NameEnOfficial,
		"sortEn": strings.ToLower(sortEn), "aliases": aliases,
		"descriptionZh": nilIfEmpty(e.Description.Zh), "descriptionEn": nilIfEmpty(e.Description.En),
		"city": nilIfEmpty(e.City), "schoolType": nilIfEmpty(e.SchoolType),
		"iso2": nilIfEmpty(e.ISO2), "iso3": nilIfEmpty(e.ISO3),
		"category": nilIfEmpty(e.Category), "start": nilIfEmpty(e.Start), "regionType": nilIfEmpty(e.RegionType),
	}
}

func relationProps(r kg.Relation) map[string]any {
	p := map[string]any{
		"origin": "data", "sourceId": r.Evidence.DocumentID, "quote": r.Evidence.Quote,
		"detailZh": nilIfEmpty(r.Detail.Zh), "detailEn": nilIfEmpty(r.Detail.En),
		"at": dateString(r.At), "since": dateString(r.Since), "until": dateString(r.Until),
		"fromDate": nil, "toDate": nil, "endDate": nil, "searchTokens": relationTokens(r),
	}
	// fromDate/toDate bound the time the relation covers, as Neo4j dates,
	// for time filters: a point covers its own range; an interval from the
	// first day of since to the last day of until (open where not stated).
	// endDate is set only from until: the day after which the relation no
	// longer held (asOf filters use it; a point in time never "ends").
	switch {
	case r.At != nil:
		lo, hi := r.At.Range()
		p["fromDate"], p["toDate"] = neo4j.DateOf(lo), neo4j.DateOf(hi)
	default:
		if r.Since != nil {
			lo, _ := r.Since.Range()
			p["fromDate"] = neo4j.DateOf(lo)
		}
		if r.Until != nil {
			_, hi := r.Until.Range()
			p["toDate"], p["endDate"] = neo4j.DateOf(hi), neo4j.DateOf(hi)
		}
	}
	return p
}

func factProps(f kg.Fact) map[string]any {
	return map[string]any{
		"origin": "data", "sourceId": f.Evidence.DocumentID, "quote": f.Evidence.Quote,
		"labelZh": f.Label.Zh, "labelEn": f.Label.En, "value": f.Value, "unit": f.Unit,
		"qualifier": string(f.Qualifier), "at": dateString(f.At),
		"periodZh": nilIfEmpty(f.Period.Zh), "periodEn": nilIfEmpty(f.Period.En),
		"searchTokens": factTokens(f),
	}
}

func dateString(d *kg.PartialDate) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
