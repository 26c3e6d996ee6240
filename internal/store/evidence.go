package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/searchkey"
)

// Evidence search: one search over what the sources say, besides names. It
// finds entities by their names, relations by their quotes and detail, facts
// by their label, quotes and period, and documents by their title and text,
// in Chinese (segmented into words) and English, and says for each hit where
// it matched.
//
// What is indexed. Every writer of a document, relation or fact (Load,
// AddDocument, AddRelation, AddFact, Import) stores the words of its texts
// (searchkey.TextTokens: the forms names are searched under) in
// searchTokens; the words of quotes that later evidence added are in
// moreTokens (a load rewrites searchTokens from the files and leaves the
// curators' evidence alone). Full-text indexes with the whitespace analyzer
// hold them, as name_tokens holds names' words: document_tokens, fact_tokens
// and one per relationship type, rel_<type>_text (a relationship index names
// its types; types added at runtime get theirs from RefreshVocabulary).
// Retracted relations (:RETRACTED) and facts (:RetractedFact) are in none.
//
// How a text is searched. The text's words (searchkey.ParseQuery) look up
// candidates in those indexes (any word), and names through name_tokens and
// name_key_text as name search does; the filters apply in the same
// statement. Each candidate's texts are then matched character by character
// (searchkey.Query.Find) to grade it and to find the ranges to highlight; a
// candidate none of whose texts holds the phrase or a word is dropped (an
// index entry from a text that has since changed). Grades and order: see
// evidenceScore.

// Indexes of evidence search and of Entity.names (created by EnsureSchema):
// the full-text indexes, and the change log by operation (names.go reads
// the changes that can give names).
var evidenceIndexStatements = []string{
	`CREATE INDEX change_op IF NOT EXISTS FOR (c:Change) ON (c.op)`,
	"CREATE FULLTEXT INDEX document_tokens IF NOT EXISTS FOR (d:Document) ON EACH [d.searchTokens] " +
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
	"CREATE FULLTEXT INDEX fact_tokens IF NOT EXISTS FOR (f:Fact) ON EACH [f.searchTokens, f.moreTokens] " +
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
}

// evidenceIndexes are the statements of the evidence-search indexes: the
// document and fact indexes and one per built-in relationship type.
func evidenceIndexes() []string {
	out := slices.Clone(evidenceIndexStatements)
	for _, t := range kg.Builtin {
		out = append(out, relationTextIndex(string(t.Type)))
	}
	return out
}

// relationTextIndexName is the name of relationship type t's full-text index.
func relationTextIndexName(t string) string { return "rel_" + strings.ToLower(t) + "_text" }

// relationTextIndex is the full-text index of relationship type t (a
// vocabulary type, never request text).
func relationTextIndex(t string) string {
	return fmt.Sprintf("CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR ()-[r:%s]-() ON EACH [r.searchTokens, r.moreTokens] "+
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}", relationTextIndexName(t), t)
}

// awaitIndex waits until one index is online.
const awaitIndex = `CALL db.awaitIndex($name, $seconds)`

// The search tokens of what writers store (see the comment at the top).
func relationTokens(r kg.Relation) any {
	return nilIfEmpty(searchkey.TextTokens(r.Evidence.Quote, r.Detail.Zh, r.Detail.En))
}

func factTokens(f kg.Fact) any {
	return nilIfEmpty(searchkey.TextTokens(f.Label.Zh, f.Label.En, f.Evidence.Quote, f.Period.Zh, f.Period.En))
}

func documentTokens(title, text string) any { return nilIfEmpty(searchkey.TextTokens(title, text)) }

// moreTokens are the words of the quotes of later evidence; nil for none.
func moreTokens(more []kg.Evidence) any {
	quotes := make([]string, len(more))
	for i, e := range more {
		quotes[i] = e.Quote
	}
	return nilIfEmpty(searchkey.TextTokens(quotes...))
}

// Backfill: documents, relations and facts written before the store kept
// search tokens get them once, at EnsureSchema (a :Migration node records
// that it ran; every writer since keeps them).
const (
	backfillDone = `RETURN EXISTS { MATCH (:Migration {id: $id}) } AS done`
	backfillMark = `MERGE (m:Migration {id: $id}) ON CREATE SET m.at = datetime()`

	backfillDocumentsRead = `
MATCH (d:Document) WHERE d.searchTokens IS NULL
RETURN elementId(d) AS eid, [coalesce(d.title, ''), coalesce(d.text, '')] AS texts, [] AS more
LIMIT $batch`
	backfillDocumentsWrite = `
UNWIND $rows AS row
MATCH (d:Document) WHERE elementId(d) = row.eid
SET d.searchTokens = row.tokens`

	backfillFactsRead = `
MATCH (f:Fact) WHERE f.searchTokens IS NULL
RETURN elementId(f) AS eid,
  [coalesce(f.labelZh, ''), coalesce(f.labelEn, ''), coalesce(f.quote, ''), coalesce(f.periodZh, ''), coalesce(f.periodEn, '')] AS texts,
  coalesce(f.moreQuotes, []) AS more
LIMIT $batch`
	backfillFactsWrite = `
UNWIND $rows AS row
MATCH (f:Fact) WHERE elementId(f) = row.eid
SET f.searchTokens = row.tokens, f.moreTokens = row.more`

	backfillRelationsRead = `
MATCH ()-[r]->() WHERE type(r) IN $types AND r.searchTokens IS NULL
RETURN elementId(r) AS eid, [coalesce(r.quote, ''), coalesce(r.detailZh, ''), coalesce(r.detailEn, '')] AS texts,
  coalesce(r.moreQuotes, []) AS more
LIMIT $batch`
	backfillRelationsWrite = `
UNWIND $rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row.eid
SET r.searchTokens = row.tokens, r.moreTokens = row.more`
)

// backfillID names the backfill in its :Migration node.
const backfillID = "evidence-search-tokens-1"

// backfillSearchTokens gives search tokens to what lacks them, in batches,
// once per database. A text without words gets "" (so that it is not read
// again).
func (s *Store) backfillSearchTokens(ctx context.Context) error {
	exec := func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithWritersRouting())
		if err != nil {
			return nil, translate(err)
		}
		return res.Records, nil
	}
	recs, err := exec(backfillDone, map[string]any{"id": backfillID})
	if err != nil {
		return err
	}
	if done, _ := recs[0].Values[0].(bool); done {
		return nil
	}
	types := vocabularyTypes()
	for _, step := range []struct{ read, write string }{
		{backfillDocumentsRead, backfillDocumentsWrite},
		{backfillFactsRead, backfillFactsWrite},
		{backfillRelationsRead, backfillRelationsWrite},
	} {
		for {
			recs, err := exec(step.read, map[string]any{"batch": 500, "types": types})
			if err != nil {
				return fmt.Errorf("search tokens: %w", err)
			}
			if len(recs) == 0 {
				break
			}
			rows := make([]any, len(recs))
			for i, rec := range recs {
				more := strs(rec.Values[2])
				var moreToks any
				if len(more) > 0 {
					moreToks = searchkey.TextTokens(more...)
				}
				rows[i] = map[string]any{"eid": rec.Values[0], "tokens": searchkey.TextTokens(strs(rec.Values[1])...), "more": moreToks}
			}
			if _, err := exec(step.write, map[string]any{"rows": rows}); err != nil {
				return fmt.Errorf("search tokens: %w", err)
			}
		}
	}
	_, err = exec(backfillMark, map[string]any{"id": backfillID})
	return err
}

// EvidenceKind is what an evidence-search hit is.
type EvidenceKind string

// The kinds of evidence-search hits, in the order they take among hits of
// equal score.
const (
	HitEntity   EvidenceKind = "ENTITY"
	HitFact     EvidenceKind = "FACT"
	HitRelation EvidenceKind = "RELATION"
	HitDocument EvidenceKind = "DOCUMENT"
)

var hitOrder = map[EvidenceKind]int{HitEntity: 0, HitFact: 1, HitRelation: 2, HitDocument: 3}

// EvidenceField is which text of a hit matched.
type EvidenceField string

// The texts evidence search matches.
const (
	FieldQuote  EvidenceField = "QUOTE"  // a relation's or fact's quote (one per evidence)
	FieldDetail EvidenceField = "DETAIL" // a relation's detail, either language
	FieldLabel  EvidenceField = "LABEL"  // a fact's label, either language
	FieldPeriod EvidenceField = "PERIOD" // a fact's period, either language
	FieldTitle  EvidenceField = "TITLE"  // a document's title
	FieldText   EvidenceField = "TEXT"   // a document's text
	// An entity's names (as the MatchField values).
	EvidenceNameZh EvidenceField = EvidenceField(FieldNameZh)
	EvidenceNameEn EvidenceField = EvidenceField(FieldNameEn)
	EvidenceAlias  EvidenceField = EvidenceField(FieldAlias)
)

// fieldWeights rank the texts: a name or a fact's label says what the hit
// is; a detail or title what it is about; a quote is a sentence about it; a
// document's text is the whole article.
var fieldWeights = map[EvidenceField]float64{
	EvidenceNameZh: 1, EvidenceNameEn: 1, EvidenceAlias: 1,
	FieldLabel: 0.9, FieldDetail: 0.85, FieldTitle: 0.8, FieldQuote: 0.75, FieldPeriod: 0.6, FieldText: 0.45,
}

// Highlight is one matched text of a hit: the whole text of a field, or for
// a document's text a window of it.
type Highlight struct {
	Field EvidenceField
	// Text is exactly the field's characters from Offset on (the whole
	// field, Offset 0, unless Field is FieldText).
	Text   string
	Offset int // in characters (code points)
	// Ranges are the matched parts of Text, in characters from its start,
	// sorted and disjoint.
	Ranges []searchkey.Range
	// DocumentID is the evidence's document for FieldQuote; "" otherwise.
	DocumentID string
	score      float64
}

// EvidenceHit is one hit of an evidence search.
type EvidenceHit struct {
	Kind  EvidenceKind
	Score float64 // see evidenceScore; hits are in descending score
	// Highlights are the matched texts, best first (at most
	// maxTextSnippets windows of a document's text).
	Highlights []Highlight
	// Entity is the hit for HitEntity, the start entity of a relation
	// and the subject of a fact; Other the end entity of a relation.
	Entity, Other kg.Entity
	Relation      kg.Relation // HitRelation: From and To set
	Fact          kg.Fact     // HitFact: Subject set
	Document      kg.Document // HitDocument
	Cursor        string
}

// ID is the hit's id: the entity's, relation's, fact's or document's.
func (h EvidenceHit) ID() string {
	switch h.Kind {
	case HitRelation:
		return h.Relation.ID
	case HitFact:
		return h.Fact.ID
	case HitDocument:
		return h.Document.ID
	}
	return h.Entity.ID
}

// EvidenceQuery is an evidence search.
type EvidenceQuery struct {
	Text string // any content, at most MaxSearchText characters
	// Hits keeps hits of these kinds; nil or empty for all.
	Hits []EvidenceKind
	// Kinds keeps entities of these kinds, relations with an end of one of
	// them and facts whose subject is of one; documents (which have no kind)
	// are left out when it is given.
	Kinds []kg.Kind
	// Types keeps relations of these types; hits of other kinds are left
	// out when it is given.
	Types []kg.RelType
	// Documents keeps those documents, the relations and facts with
	// evidence from one of them and the entities they mention; at most
	// MaxFilterDocuments; nil or empty for any.
	Documents []string
	// TimeFrom, TimeTo (partial dates, "" for an open end) keep relations
	// whose stated time overlaps [TimeFrom, TimeTo], facts whose time (at)
	// and documents whose date do; entities (which have no time) are left
	// out when either is given.
	TimeFrom, TimeTo string
	First            int    // ≥ 1; the caller enforces the maximum
	After            string // an EvidenceHit.Cursor of the same search, or ""
}

// EvidencePage is one page of an evidence search.
type EvidencePage struct {
	Hits    []EvidenceHit
	HasNext bool
	Total   int // hits on all pages (see evidenceCandidates)
}

// MaxFilterDocuments bounds EvidenceQuery.Documents and FactFilter.Documents.
const MaxFilterDocuments = 100

// Bounds of one evidence search: each index lookup takes at most
// evidenceCandidates candidates (documents: documentCandidates, since each
// brings its whole text), by the index's own relevance, before filters.
const (
	evidenceCandidates = 500
	documentCandidates = 50
	maxTextSnippets    = 3
	// A window of a document's text: about snippetBefore characters
	// before its first match, snippetAfter after it; a text of at most
	// snippetWhole characters is shown whole.
	snippetBefore, snippetAfter, snippetWhole = 40, 80, 160
)

// The evidence-search statement; see the comment at the top of the file.
// $entities, $facts, $documents say which hit kinds are wanted (relations:
// $relIndexes, the full-text indexes of the wanted types, empty for none);
// $lucene is the text's words as a Lucene query (empty for none: only names are
// then looked up, by the text inside them), $key the text's key; $kinds,
// $docs, $timeFrom, $timeTo the filters (null for none).
var searchEvidenceCypher = `
CALL () {
  // Entities, by the words of their names (full-text index name_tokens)
  // and the text inside a name (text index name_key_text).
  WITH 1 AS one WHERE $entities
  CALL () {
    UNWIND CASE WHEN $lucene = '' THEN [] ELSE [$lucene] END AS q
    CALL db.index.fulltext.queryNodes('name_tokens', q, {limit: $candidates}) YIELD node
    RETURN node AS k
    UNION
    MATCH (k:Name) WHERE k.key CONTAINS $key
    RETURN k LIMIT $candidates
  }
  MATCH (k)-[:NAME_OF]->(n:Entity)
  WHERE ($kinds IS NULL OR n.kind IN $kinds)
    AND ($docs IS NULL OR EXISTS { (n)-[:MENTIONED_IN]->(d:Document) WHERE d.id IN $docs })
  WITH DISTINCT n
  RETURN 'ENTITY' AS kind, n AS node, null AS item, null AS type, null AS other
  UNION ALL
  // Relations, by their quotes and detail: one index per relationship type.
  WITH 1 AS one WHERE $lucene <> ''
  UNWIND $relIndexes AS idx
  CALL db.index.fulltext.queryRelationships(idx, $lucene, {limit: $candidates}) YIELD relationship AS r
  WITH r, startNode(r) AS a, endNode(r) AS b
  WHERE ($kinds IS NULL OR a.kind IN $kinds OR b.kind IN $kinds)
    AND ($docs IS NULL OR r.sourceId IN $docs OR any(x IN coalesce(r.moreSourceIds, []) WHERE x IN $docs))
    AND ($timeFrom IS NULL OR ((r.fromDate IS NOT NULL OR r.toDate IS NOT NULL) AND (r.toDate IS NULL OR r.toDate >= $timeFrom)))
    AND ($timeTo IS NULL OR ((r.fromDate IS NOT NULL OR r.toDate IS NOT NULL) AND (r.fromDate IS NULL OR r.fromDate <= $timeTo)))
  RETURN 'RELATION' AS kind, a AS node, r {` + propList(RelationProperties) + `} AS item, type(r) AS type, b AS other
  UNION ALL
  // Facts, by their label, quotes and period.
  WITH 1 AS one WHERE $facts AND $lucene <> ''
  CALL db.index.fulltext.queryNodes('fact_tokens', $lucene, {limit: $candidates}) YIELD node AS f
  MATCH (f:Fact)-[:FACT_OF]->(n:Entity)
  WHERE ($kinds IS NULL OR n.kind IN $kinds)
    AND ($docs IS NULL OR f.sourceId IN $docs OR any(x IN coalesce(f.moreSourceIds, []) WHERE x IN $docs))
    AND ` + partialDateOverlaps("f.at") + `
  RETURN 'FACT' AS kind, n AS node, f {` + propList(FactProperties) + `} AS item, null AS type, null AS other
  UNION ALL
  // Documents, by their title and text.
  WITH 1 AS one WHERE $documents AND $lucene <> ''
  CALL db.index.fulltext.queryNodes('document_tokens', $lucene, {limit: $documentCandidates}) YIELD node AS d
  WITH d WHERE d:Document AND ($docs IS NULL OR d.id IN $docs)
    AND ` + partialDateOverlaps("d.date") + `
  RETURN 'DOCUMENT' AS kind, null AS node, d {` + propList(DocumentProperties) + `} AS item, null AS type, null AS other
}
RETURN kind, node, item, type, other`

// FactProperties are the properties of a fact an answer carries (see toFact).
var FactProperties = []string{
	"id", "labelZh", "labelEn", "value", "unit", "qualifier", "at", "periodZh", "periodEn",
	"sourceId", "quote", "moreSourceIds", "moreQuotes", "rank", "sameAs", "origin",
}

// DocumentProperties are the properties of a document an answer carries
// (see documentFromProps).
var DocumentProperties = []string{"id", "title", "publisher", "date", "language", "url", "text"}

// propList is the body of a Cypher map projection of props: ".id, .quote".
func propList(props []string) string { return "." + strings.Join(props, ", .") }

// evidenceParams checks q and returns the statement's parameters and the
// parsed text; nil parameters for a blank text.
func evidenceParams(q EvidenceQuery) (map[string]any, searchkey.Query, error) {
	if n := utf8.RuneCountInString(q.Text); n > MaxSearchText {
		return nil, searchkey.Query{}, fmt.Errorf("%w: text must be at most %d characters, got %d", kg.ErrInvalidInput, MaxSearchText, n)
	}
	if q.First < 1 {
		return nil, searchkey.Query{}, fmt.Errorf("%w: first must be at least 1, got %d", kg.ErrInvalidInput, q.First)
	}
	if len(q.Documents) > MaxFilterDocuments {
		return nil, searchkey.Query{}, fmt.Errorf("%w: documents: at most %d ids, got %d", kg.ErrInvalidInput, MaxFilterDocuments, len(q.Documents))
	}
	want := map[EvidenceKind]bool{}
	for _, h := range q.Hits {
		if _, ok := hitOrder[h]; !ok {
			return nil, searchkey.Query{}, fmt.Errorf("%w: hit kind %q", kg.ErrInvalidInput, h)
		}
		want[h] = true
	}
	if len(want) == 0 {
		want = map[EvidenceKind]bool{HitEntity: true, HitFact: true, HitRelation: true, HitDocument: true}
	}
	var kinds any
	if len(q.Kinds) > 0 {
		ks := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			if _, ok := kg.ParseKind(string(k)); !ok {
				return nil, searchkey.Query{}, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, k)
			}
			ks[i] = string(k)
		}
		kinds = ks
		want[HitDocument] = false
	}
	types := vocabularyTypes()
	if len(q.Types) > 0 {
		types = nil
		for _, t := range q.Types {
			info, ok := kg.LookupRelType(string(t))
			if !ok {
				return nil, searchkey.Query{}, fmt.Errorf("%w: relationship type %q is not in the vocabulary (see relationTypes)", kg.ErrInvalidInput, t)
			}
			types = append(types, string(info.Type))
		}
		want[HitEntity], want[HitFact], want[HitDocument] = false, false, false
	}
	from, err := DateParam(q.TimeFrom, false)
	if err != nil {
		return nil, searchkey.Query{}, fmt.Errorf("timeFrom: %w", err)
	}
	to, err := DateParam(q.TimeTo, true)
	if err != nil {
		return nil, searchkey.Query{}, fmt.Errorf("timeTo: %w", err)
	}
	if from != nil || to != nil {
		want[HitEntity] = false
	}
	if q.After != "" {
		if _, err := decodeEvidenceCursor(q.After); err != nil {
			return nil, searchkey.Query{}, err
		}
	}
	pq := searchkey.ParseQuery(q.Text)
	if pq.Key == "" {
		return nil, pq, nil
	}
	relIndexes := []string{}
	if want[HitRelation] {
		for _, t := range types {
			relIndexes = append(relIndexes, relationTextIndexName(t))
		}
	}
	var docs any
	if len(q.Documents) > 0 {
		docs = q.Documents
	}
	return map[string]any{
		"lucene": searchkey.Lucene(pq.Words), "key": pq.Key,
		"entities": want[HitEntity], "facts": want[HitFact], "documents": want[HitDocument], "relIndexes": relIndexes,
		"kinds": kinds, "docs": docs, "timeFrom": from, "timeTo": to,
		"candidates": evidenceCandidates, "documentCandidates": documentCandidates,
	}, pq, nil
}

// EvidenceCypher exposes the evidence-search statement to the benchmark's
// floor (bench/floor), as SearchCypher does the name search's: the floor
// runs it raw with EvidenceParams and returns its rows, the candidates
// that SearchEvidence then grades, orders and pages in Go.
var EvidenceCypher = searchEvidenceCypher

// EvidenceParams returns the parameters of EvidenceCypher for q, with the
// errors SearchEvidence gives (wrapping kg.ErrInvalidInput); nil for a
// blank text.
func EvidenceParams(q EvidenceQuery) (map[string]any, error) {
	p, _, err := evidenceParams(q)
	return p, err
}

// SearchEvidence searches names, relations, facts and documents for q.Text
// (see the comment at the top of the file) and returns the page of hits
// after q.After, best first: by score, then entities, facts, relations,
// documents, then by id. A blank text gives no hits. Invalid input (a text
// over MaxSearchText characters, First < 1, an unknown kind or type, a
// malformed date or cursor, too many documents) gives an error wrapping
// kg.ErrInvalidInput.
func (s *Store) SearchEvidence(ctx context.Context, q EvidenceQuery) (EvidencePage, error) {
	params, pq, err := evidenceParams(q)
	if err != nil || params == nil {
		return EvidencePage{Hits: []EvidenceHit{}}, err
	}
	recs, err := s.read(ctx, searchEvidenceCypher, params)
	if err != nil {
		return EvidencePage{}, err
	}
	hits := make([]EvidenceHit, 0, len(recs))
	for _, rec := range recs {
		if h, ok := evidenceHit(pq, rec.Values); ok {
			hits = append(hits, h)
		}
	}
	slices.SortFunc(hits, func(a, b EvidenceHit) int { return cursorOf(a).compare(cursorOf(b)) })
	page := EvidencePage{Total: len(hits)}
	start := 0
	if q.After != "" {
		after, _ := decodeEvidenceCursor(q.After) // checked by evidenceParams
		// The first hit past the cursor: a hit equal to it is its own, before.
		start, _ = slices.BinarySearchFunc(hits, after, func(h EvidenceHit, c evidenceCursor) int {
			return cmp.Or(cursorOf(h).compare(c), -1)
		})
	}
	end := min(len(hits), start+q.First)
	page.HasNext = end < len(hits)
	page.Hits = hits[start:end]
	for i := range page.Hits {
		page.Hits[i].Cursor = encodeCursor(cursorOf(page.Hits[i]))
	}
	return page, nil
}

// cursorOf is where h stands in the order of hits.
func cursorOf(h EvidenceHit) evidenceCursor {
	return evidenceCursor{Score: h.Score, Kind: string(h.Kind), ID: h.ID()}
}

// compare orders hits: higher score first, then entities, facts,
// relations, documents, then by id.
func (c evidenceCursor) compare(d evidenceCursor) int {
	return cmp.Or(cmp.Compare(d.Score, c.Score), cmp.Compare(hitOrder[c.kind()], hitOrder[d.kind()]), cmp.Compare(c.ID, d.ID))
}

// evidenceCursor is where a page of an evidence search ends: the last
// hit's score, kind and id.
type evidenceCursor struct {
	Score float64 `json:"s"`
	Kind  string  `json:"k"`
	ID    string  `json:"id"`
}

func (c evidenceCursor) kind() EvidenceKind { return EvidenceKind(c.Kind) }

func decodeEvidenceCursor(s string) (evidenceCursor, error) {
	var c evidenceCursor
	if err := decodeCursor(s, &c); err != nil || c.ID == "" || math.IsNaN(c.Score) {
		return c, fmt.Errorf("%w: cursor %q is not an endCursor of searchEvidence", kg.ErrInvalidInput, kg.Short(s))
	}
	if _, ok := hitOrder[c.kind()]; !ok {
		return c, fmt.Errorf("%w: cursor %q is not an endCursor of searchEvidence", kg.ErrInvalidInput, kg.Short(s))
	}
	return c, nil
}

// field is one text of a candidate, to match.
type field struct {
	name  EvidenceField
	text  string
	docID string // a quote's document
}

// evidenceHit grades one row of searchEvidenceCypher (kind, node, item,
// type, other); false when none of its texts matches.
func evidenceHit(q searchkey.Query, v []any) (EvidenceHit, bool) {
	h := EvidenceHit{Kind: EvidenceKind(fmt.Sprint(v[0]))}
	if n, ok := v[1].(neo4j.Node); ok {
		h.Entity = toEntity(n)
	}
	item, _ := v[2].(map[string]any)
	var fields []field
	switch h.Kind {
	case HitEntity:
		fields = append(fields, field{name: EvidenceNameZh, text: h.Entity.NameZh}, field{name: EvidenceNameEn, text: h.Entity.NameEn})
		for _, a := range h.Entity.Aliases {
			fields = append(fields, field{name: EvidenceAlias, text: a})
		}
	case HitRelation:
		typ, _ := v[3].(string)
		h.Relation = toRelation(item, typ)
		if o, ok := v[4].(neo4j.Node); ok {
			h.Other = toEntity(o)
		}
		h.Relation.From, h.Relation.To = h.Entity.ID, h.Other.ID
		for _, e := range h.Relation.AllEvidence() {
			fields = append(fields, field{name: FieldQuote, text: e.Quote, docID: e.DocumentID})
		}
		fields = append(fields, field{name: FieldDetail, text: h.Relation.Detail.Zh}, field{name: FieldDetail, text: h.Relation.Detail.En})
	case HitFact:
		h.Fact = toFact(item)
		h.Fact.Subject = h.Entity.ID
		fields = append(fields, field{name: FieldLabel, text: h.Fact.Label.Zh}, field{name: FieldLabel, text: h.Fact.Label.En})
		for _, e := range h.Fact.AllEvidence() {
			fields = append(fields, field{name: FieldQuote, text: e.Quote, docID: e.DocumentID})
		}
		fields = append(fields, field{name: FieldPeriod, text: h.Fact.Period.Zh}, field{name: FieldPeriod, text: h.Fact.Period.En})
	case HitDocument:
		h.Document = documentFromProps(item)
		fields = append(fields, field{name: FieldTitle, text: h.Document.Title}, field{name: FieldText, text: h.Document.Text})
	default:
		return h, false
	}
	best := 0 // the most words of the query one field holds
	for _, f := range fields {
		if f.text == "" {
			continue
		}
		m := q.Find(f.text)
		if !m.Found() {
			continue
		}
		best = max(best, m.Words)
		score := evidenceScore(f.name, m, len(q.Words))
		if f.name == FieldText {
			for _, sn := range searchkey.Snippets(f.text, m.Ranges, maxTextSnippets, snippetBefore, snippetAfter, snippetWhole) {
				h.Highlights = append(h.Highlights, Highlight{Field: f.name, Text: sn.Text, Offset: sn.Offset, Ranges: sn.Ranges, score: score})
			}
			continue
		}
		h.Highlights = append(h.Highlights, Highlight{Field: f.name, Text: f.text, Ranges: m.Ranges, DocumentID: f.docID, score: score})
	}
	if len(h.Highlights) == 0 || !enoughWords(best, len(q.Words)) {
		return h, false
	}
	slices.SortStableFunc(h.Highlights, func(a, b Highlight) int { return cmp.Compare(b.score, a.score) })
	h.Score = h.Highlights[0].score
	return h, true
}

// enoughWords reports whether a hit one of whose fields holds found of the
// query's words (all of them for the phrase) is kept: a query of one or two
// words needs one; a longer one at least half of them, so that a long text
// does not bring every candidate sharing one common word (中国, 教育).
func enoughWords(found, words int) bool {
	return words <= 2 || 2*found >= words
}

// evidenceScore grades how field f's text matched (m) a query of words
// words: class + 0.9 × quality, rounded to 4 decimals. The integer part is
// the class, so classes never mix:
//
//	3  the whole text of the query occurs (the phrase)
//	2  every word of it occurs, not as one phrase
//	1  some of its words occur
//
// Quality (0–1) is the field's weight (fieldWeights: a name 1, a fact's
// label 0.9, a detail 0.85, a title 0.8, a quote 0.75, a period 0.6, a
// document's text 0.45) times 0.5 + 0.5 × how much of the field the matches
// cover (the share of its characters; for a document's text, which the
// matches never cover much, occurrences n as n / (n + 2)), and in class 1
// times the share of the query's words found. So a hit whose name or label
// is the text comes before one whose quote contains it, and that before a
// document mentioning it once.
func evidenceScore(f EvidenceField, m searchkey.Match, words int) float64 {
	class := 1.0
	share := 1.0
	switch {
	case m.Phrase:
		class = 3
	case m.Words >= words:
		class = 2
	case words > 0:
		share = float64(m.Words) / float64(words)
	}
	cover := 0.0
	switch {
	case f == FieldText:
		cover = float64(m.Count) / float64(m.Count+2)
	case m.Length > 0:
		cover = float64(m.Covered) / float64(m.Length)
	}
	quality := fieldWeights[f] * (0.5 + 0.5*cover) * share
	return math.Round((class+0.9*quality)*1e4) / 1e4
}
