package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/searchkey"
)

// Load statements. The data set is the whole truth for what it covers:
// entities, names, relations and facts that came from data files and are no
// longer in them are removed, so loading the same files twice changes nothing.
const (
	mergeDocuments = `
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d += row.props`

	// mergeEntitiesTmpl is completed with a kind label from kg.Kinds (%[1]s)
	// and the other kind labels to remove (%[2]s), so that a changed kind
	// leaves no stale label.
	mergeEntitiesTmpl = `
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n += row.props, n:%[1]s
REMOVE n%[2]s`

	deleteStaleEntities = `
MATCH (n:Entity {origin: 'data'})
WHERE NOT n.id IN $ids
DETACH DELETE n`

	// mergeNames points each normalised name at its entity, moving it when
	// the data moved it, and gives it its search forms (see nameRow).
	mergeNames = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.entity})
MERGE (k:Name {key: row.key})
SET k.text = row.text, k.field = row.field,
    k.words = row.words, k.pinyinWords = row.pinyinWords, k.tokens = row.tokens,
    k.pinyin = row.pinyin, k.pinyinJoined = row.pinyinJoined, k.initials = row.initials
WITH k, n
OPTIONAL MATCH (k)-[old:NAME_OF]->(o)
WHERE o <> n
DELETE old
MERGE (k)-[:NAME_OF]->(n)`

	deleteStaleNames = `
MATCH (k:Name)
WHERE NOT k.key IN $keys
DETACH DELETE k`

	// mergeRelationsTmpl is completed with a relationship type from the
	// vocabulary.
	mergeRelationsTmpl = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
MERGE (a)-[r:%s {id: row.id}]->(b)
SET r += row.props`

	deleteStaleRelations = `
MATCH (:Entity)-[r]->(:Entity)
WHERE r.sourceId IN $docs AND NOT r.id IN $ids
DELETE r`

	mergeFacts = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.subject}), (d:Document {id: row.doc})
MERGE (f:Fact {id: row.id})
SET f += row.props
WITH f, n, d
OPTIONAL MATCH (f)-[old:FACT_OF|STATED_IN]->(o)
WHERE o <> n AND o <> d
DELETE old
MERGE (f)-[:FACT_OF]->(n)
MERGE (f)-[:STATED_IN]->(d)`

	deleteStaleFacts = `
MATCH (f:Fact)
WHERE NOT f.id IN $ids
DETACH DELETE f`

	mergeMentions = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.entity}), (d:Document {id: row.doc})
MERGE (n)-[:MENTIONED_IN]->(d)`

	deleteStaleMentions = `
MATCH (n:Entity)-[m:MENTIONED_IN]->(d:Document)
WHERE NOT (n.id + ' ' + d.id) IN $pairs
DELETE m`
)

// loadTimeout bounds the load transaction. It is set by the client because
// the server's default (30 s for the embedded Neo4j, for queries) is too
// short for a whole data set on a busy machine.
const loadTimeout = 10 * time.Minute

// LoadStats counts what a load wrote, from Neo4j's own counters.
type LoadStats struct {
	NodesCreated, NodesDeleted, RelationshipsCreated, RelationshipsDeleted, PropertiesSet, LabelsAdded, LabelsRemoved int
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
		return nil, loadAll(g, run)
	}, neo4j.WithTxTimeout(loadTimeout))
	if err != nil {
		return LoadStats{}, translate(err)
	}
	return st, nil
}

func loadAll(g *dataset.Graph, run func(string, map[string]any) error) error {
	docs := make([]any, len(g.Documents))
	docIDs := make([]any, len(g.Documents))
	for i, d := range g.Documents {
		docs[i] = map[string]any{"id": d.ID, "props": map[string]any{
			"title": d.Title, "publisher": nilIfEmpty(d.Publisher), "date": nilIfEmpty(d.Date),
			"language": d.Language, "url": nilIfEmpty(d.URL), "text": d.Text}}
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
	for _, v := range kg.Vocabulary {
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

func init() {
	for _, k := range kg.Kinds {
		var others strings.Builder
		for _, o := range kg.Kinds {
			if o != k {
				others.WriteString(":" + string(o))
			}
		}
		mergeEntitiesCypher[k] = fmt.Sprintf(mergeEntitiesTmpl, k, others.String())
	}
	for _, v := range kg.Vocabulary {
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
		"sourceId": r.Evidence.DocumentID, "quote": r.Evidence.Quote,
		"detailZh": nilIfEmpty(r.Detail.Zh), "detailEn": nilIfEmpty(r.Detail.En),
		"at": dateString(r.At), "since": dateString(r.Since), "until": dateString(r.Until),
		"fromDate": nil, "toDate": nil, "endDate": nil,
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
		"sourceId": f.Evidence.DocumentID, "quote": f.Evidence.Quote,
		"labelZh": f.Label.Zh, "labelEn": f.Label.En, "value": f.Value, "unit": f.Unit,
		"qualifier": string(f.Qualifier), "at": dateString(f.At),
		"periodZh": nilIfEmpty(f.Period.Zh), "periodEn": nilIfEmpty(f.Period.En),
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
