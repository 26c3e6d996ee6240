package store

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/searchkey"
)

// Search statements. A search is one statement: it gathers candidate Name
// nodes through the indexes of schema.go, grades every form of each
// candidate against the text, keeps each entity's best match and returns the
// top $first. The Name properties it reads are written by Load (see
// nameRow): key, text, field, words, pinyinWords, pinyin, pinyinJoined,
// initials, tokens.
const (
	// searchNames: $key is the text as a name key, $compact its letters and
	// digits for the pinyin forms (null when it has Han characters), $words
	// its words, $lucene the same words as a Lucene query built from them
	// ('' for none), $kinds kind labels or null, $candidates bounds each
	// index lookup, $first the hits returned.
	//
	// Grades (score = class + quality, quality below 1, so that the
	// classes never mix):
	//   4.9 / 4.8 / 4.7  EXACT: the key / joined pinyin / initials equal the text
	//   3 + 0.9·q        PREFIX of the key (q = share of the key the text covers)
	//   3 + 0.72·q       PREFIX of the joined pinyin or the initials
	//   2 + 0.9·w        WORDS: words of the text among the name's words
	//                    (w = 0.7·share of the text's words + 0.3·share of the name's)
	//   2 + 0.72·w       WORDS among the name's pinyin words
	//   1 + 0.9·q        SUBSTRING of the key
	//   1 + 0.72·q       SUBSTRING of the joined pinyin
	// An entity's best match wins (then the name before the pinyin, then
	// the shorter form); hits are ordered by score, then id.
	searchNames = `
CALL () {
  // Exact and prefix on the key: the range index of constraint name_key.
  MATCH (k:Name) WHERE k.key STARTS WITH $key
  RETURN k LIMIT $candidates
  UNION
  // Substrings of the key: text index name_key_text.
  MATCH (k:Name) WHERE k.key CONTAINS $key
  RETURN k LIMIT $candidates
  UNION
  // Joined pinyin, whole, prefix or inside: text index name_pinyin_text.
  MATCH (k:Name) WHERE k.pinyinJoined CONTAINS $compact
  RETURN k LIMIT $candidates
  UNION
  // Initials, whole or prefix: text index name_initials_text.
  MATCH (k:Name) WHERE k.initials STARTS WITH $compact
  RETURN k LIMIT $candidates
  UNION
  // Words and pinyin words: full-text index name_tokens. The query is
  // built from the text's own words, escaped; none, no lookup.
  UNWIND CASE WHEN $lucene = '' THEN [] ELSE [$lucene] END AS q
  CALL db.index.fulltext.queryNodes('name_tokens', q, {limit: $candidates}) YIELD node
  RETURN node AS k
}
MATCH (k)-[:NAME_OF]->(n:Entity)
WHERE $kinds IS NULL OR n.kind IN $kinds
WITH n, k,
  CASE k.field WHEN 'nameZh' THEN 0 WHEN 'nameEn' THEN 1 ELSE 2 END AS rank,
  coalesce(split(k.words, ' '), []) AS words,
  coalesce(split(k.pinyinWords, ' '), []) AS pinyinWords
WITH n, k, rank, words, pinyinWords,
  [w IN $words WHERE w IN words] AS hits,
  [w IN $words WHERE w IN pinyinWords] AS pinyinHits
UNWIND [
  CASE WHEN k.key = $key
    THEN {score: 4.9, match: 'EXACT', field: k.field, matched: k.text, rank: rank} END,
  CASE WHEN k.pinyinJoined = $compact
    THEN {score: 4.8, match: 'EXACT', field: 'pinyin', matched: k.pinyin, rank: 3} END,
  CASE WHEN k.initials = $compact
    THEN {score: 4.7, match: 'EXACT', field: 'pinyin', matched: k.initials, rank: 3} END,
  CASE WHEN k.key STARTS WITH $key
    THEN {score: 3 + 0.9 * size($key) / size(k.key), match: 'PREFIX', field: k.field, matched: k.text, rank: rank} END,
  CASE WHEN k.pinyinJoined STARTS WITH $compact
    THEN {score: 3 + 0.72 * size($compact) / size(k.pinyinJoined), match: 'PREFIX', field: 'pinyin', matched: k.pinyin, rank: 3} END,
  CASE WHEN k.initials STARTS WITH $compact
    THEN {score: 3 + 0.72 * size($compact) / size(k.initials), match: 'PREFIX', field: 'pinyin', matched: k.initials, rank: 3} END,
  CASE WHEN size(hits) > 0
    THEN {score: 2 + 0.9 * (0.7 * size(hits) / size($words) + 0.3 * size(hits) / size(words)),
          match: 'WORDS', field: k.field, matched: k.text, rank: rank} END,
  CASE WHEN size(pinyinHits) > 0
    THEN {score: 2 + 0.72 * (0.7 * size(pinyinHits) / size($words) + 0.3 * size(pinyinHits) / size(pinyinWords)),
          match: 'WORDS', field: 'pinyin', matched: k.pinyin, rank: 3} END,
  CASE WHEN k.key CONTAINS $key
    THEN {score: 1 + 0.9 * size($key) / size(k.key), match: 'SUBSTRING', field: k.field, matched: k.text, rank: rank} END,
  CASE WHEN k.pinyinJoined CONTAINS $compact
    THEN {score: 1 + 0.72 * size($compact) / size(k.pinyinJoined), match: 'SUBSTRING', field: 'pinyin', matched: k.pinyin, rank: 3} END
] AS m
WITH n, m
WHERE m IS NOT NULL
ORDER BY m.score DESC, m.rank, size(m.matched), m.matched
WITH n, collect(m)[0] AS best
RETURN n, best.matched AS matched, best.field AS field, best.match AS match, round(best.score, 4) AS score
ORDER BY score DESC, n.id
LIMIT $first`
)

// MaxSearchText is the longest search text, in characters.
const MaxSearchText = 200

// searchCandidates bounds each index lookup of a search. The seed graph has
// a few hundred names; a text that occurs in more names than this may miss
// some of its weakest (substring) matches.
const searchCandidates = 1000

// SearchCypher exposes the search statement to the benchmark's floor
// (bench/floor), whose reference Cypher for search is vetgraph's own, run
// with SearchParams.
const SearchCypher = searchNames

// SearchParams returns the parameters of SearchCypher for q: the text in
// the forms names are stored under (searchkey.ParseQuery), the kinds, the
// candidate bound and First. It returns nil for a blank text, and an error
// wrapping kg.ErrInvalidInput for a kind not in kg.Kinds. The text's length
// and First are the caller's to check.
func SearchParams(q SearchQuery) (map[string]any, error) {
	pq := searchkey.ParseQuery(q.Text)
	if pq.Key == "" {
		return nil, nil
	}
	var kinds any
	if len(q.Kinds) > 0 {
		ks := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			if _, ok := kg.ParseKind(string(k)); !ok {
				return nil, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, k)
			}
			ks[i] = string(k)
		}
		kinds = ks
	}
	var compact any
	if pq.Compact != "" {
		compact = pq.Compact
	}
	words := pq.Words
	if words == nil {
		words = []string{}
	}
	return map[string]any{
		"key": pq.Key, "compact": compact, "words": words, "lucene": searchkey.Lucene(words),
		"kinds": kinds, "candidates": searchCandidates, "first": q.First,
	}, nil
}

// MatchField is which name of an entity a search matched.
type MatchField string

// The names a search matches.
const (
	FieldNameZh MatchField = "NAME_ZH"
	FieldNameEn MatchField = "NAME_EN"
	FieldAlias  MatchField = "ALIAS"
	FieldPinyin MatchField = "PINYIN"
)

// nameFields maps Name.field (written by Load) to MatchField.
var nameFields = map[string]MatchField{
	"nameZh": FieldNameZh, "nameEn": FieldNameEn, "alias": FieldAlias, "pinyin": FieldPinyin,
}

// MatchKind is how a search hit matched, best first.
type MatchKind string

// The ways a search matches, best first.
const (
	MatchExact     MatchKind = "EXACT"
	MatchPrefix    MatchKind = "PREFIX"
	MatchWords     MatchKind = "WORDS"
	MatchSubstring MatchKind = "SUBSTRING"
)

// SearchQuery is a search of entity names.
type SearchQuery struct {
	Text  string    // any content, at most MaxSearchText characters
	Kinds []kg.Kind // only entities of these kinds; nil or empty for all
	First int       // the most hits to return, ≥ 1; the caller enforces the maximum
}

// SearchHit is one entity a search found, with its best match.
type SearchHit struct {
	Entity  kg.Entity
	Matched string // the name, alias or pinyin form that matched
	Field   MatchField
	Match   MatchKind
	Score   float64 // higher is better: 4.x EXACT, 3.x PREFIX, 2.x WORDS, 1.x SUBSTRING
}

// Search finds entities by their Chinese and English names, aliases and
// pinyin (see package searchkey for the forms), best first: exact matches,
// then prefixes, then words, then substrings; within a class by score, then
// by id. Each entity appears once, with its best match. A blank text gives no
// hits; a text over MaxSearchText characters, or First < 1, gives an error
// wrapping kg.ErrInvalidInput.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	if n := utf8.RuneCountInString(q.Text); n > MaxSearchText {
		return nil, fmt.Errorf("%w: text must be at most %d characters, got %d", kg.ErrInvalidInput, MaxSearchText, n)
	}
	if q.First < 1 {
		return nil, fmt.Errorf("%w: first must be at least 1, got %d", kg.ErrInvalidInput, q.First)
	}
	params, err := SearchParams(q)
	if err != nil {
		return nil, err
	}
	if params == nil { // a blank text
		return []SearchHit{}, nil
	}
	recs, err := s.read(ctx, searchNames, params)
	if err != nil {
		return nil, err
	}
	hits := make([]SearchHit, 0, len(recs))
	for _, rec := range recs {
		v := rec.Values
		h := SearchHit{Entity: toEntity(v[0].(neo4j.Node)), Match: MatchKind(v[3].(string)), Score: v[4].(float64)}
		h.Matched, _ = v[1].(string)
		h.Field = nameFields[fmt.Sprint(v[2])]
		hits = append(hits, h)
	}
	return hits, nil
}
