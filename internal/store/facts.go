package store

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Facts filtered by label, unit, qualifier, document and time: on an entity
// (FactsOfFiltered) and over the whole graph (Facts, a keyset-paged list by
// fact id). Facts are far fewer than relations, and a filter reads every
// fact of the entities asked about (or of the graph), with no index beyond
// the fact ids'.

// factFilterCond is the condition of a FactFilter on fact f (parameters
// null when not given): $label, textkey.Key of labelContains, inside the
// Chinese or English label (NFKC, lower case); $units, $qualifiers exact;
// $docs the documents of any of its evidence; $timeFrom, $timeTo the
// overlap of its stated time (at).
var factFilterCond = `($label IS NULL
    OR toLower(normalize(coalesce(f.labelZh, ''), NFKC)) CONTAINS $label
    OR toLower(normalize(coalesce(f.labelEn, ''), NFKC)) CONTAINS $label)
  AND ($units IS NULL OR f.unit IN $units)
  AND ($qualifiers IS NULL OR f.qualifier IN $qualifiers)
  AND ($docs IS NULL OR f.sourceId IN $docs OR any(x IN coalesce(f.moreSourceIds, []) WHERE x IN $docs))
  AND ` + partialDateOverlaps("f.at")

var (
	// factsOfFiltered reads the facts of entities $ids that pass the filter.
	factsOfFiltered = `
UNWIND $ids AS id
MATCH (f:Fact)-[:FACT_OF]->(:Entity {id: id})
WHERE ` + factFilterCond + `
RETURN id, f {` + propList(FactProperties) + `} AS f
ORDER BY f.id`

	// factsPage reads one page of facts by id after $after (null: the
	// first page), at most $limit (one more than the page), of subjects
	// $subjects and kinds $kinds (null: any), and when $withTotal how many
	// pass the filters on all pages (else -1).
	factsPage = `
CALL () {
  MATCH (f:Fact)-[:FACT_OF]->(n:Entity)
  WHERE ($after IS NULL OR f.id > $after)
    AND ($subjects IS NULL OR n.id IN $subjects) AND ($kinds IS NULL OR n.kind IN $kinds)
    AND ` + factFilterCond + `
  WITH f, n ORDER BY f.id LIMIT $limit
  RETURN collect({f: f {` + propList(FactProperties) + `}, subject: n.id}) AS rows
}
RETURN rows, CASE WHEN $withTotal THEN COUNT {
  MATCH (f:Fact)-[:FACT_OF]->(n:Entity)
  WHERE ($subjects IS NULL OR n.id IN $subjects) AND ($kinds IS NULL OR n.kind IN $kinds)
    AND ` + factFilterCond + `
} ELSE -1 END AS total`
)

// FactFilter selects facts; the zero value selects all. All given
// conditions must hold; a nil or empty list is not given.
type FactFilter struct {
	// LabelContains keeps facts whose Chinese or English label contains
	// it (NFKC, case-insensitive); 1–MaxNameContains characters when given.
	LabelContains string
	Units         []string       // exactly one of these unit words
	Qualifiers    []kg.Qualifier // one of these qualifiers
	Documents     []string       // stated in one of these documents (any evidence); at most MaxFilterDocuments
	// TimeFrom, TimeTo (partial dates, "" for an open end) keep facts whose
	// stated time (at) overlaps [TimeFrom, TimeTo]; a fact with no stated
	// time is left out when either is given.
	TimeFrom, TimeTo string
}

// IsZero reports whether f selects every fact.
func (f FactFilter) IsZero() bool {
	return f.LabelContains == "" && len(f.Units) == 0 && len(f.Qualifiers) == 0 && len(f.Documents) == 0 && f.TimeFrom == "" && f.TimeTo == ""
}

// params checks f and returns its parameters (see factFilterCond).
func (f FactFilter) params() (map[string]any, error) {
	p := map[string]any{"label": nil, "units": nil, "qualifiers": nil, "docs": nil}
	if f.LabelContains != "" {
		key := textkey.Key(f.LabelContains)
		if n := utf8.RuneCountInString(f.LabelContains); key == "" || n > MaxNameContains {
			return nil, fmt.Errorf("%w: labelContains must be 1–%d characters and not blank, got %d", kg.ErrInvalidInput, MaxNameContains, n)
		}
		p["label"] = key
	}
	if len(f.Units) > 0 {
		p["units"] = f.Units
	}
	if len(f.Qualifiers) > 0 {
		qs := make([]string, len(f.Qualifiers))
		for i, q := range f.Qualifiers {
			if !isQualifier(q) {
				return nil, fmt.Errorf("%w: qualifier %q", kg.ErrInvalidInput, kg.Short(string(q)))
			}
			qs[i] = string(q)
		}
		p["qualifiers"] = qs
	}
	if len(f.Documents) > 0 {
		if len(f.Documents) > MaxFilterDocuments {
			return nil, fmt.Errorf("%w: documents: at most %d ids, got %d", kg.ErrInvalidInput, MaxFilterDocuments, len(f.Documents))
		}
		p["docs"] = f.Documents
	}
	var err error
	if p["timeFrom"], err = DateParam(f.TimeFrom, false); err != nil {
		return nil, fmt.Errorf("timeFrom: %w", err)
	}
	if p["timeTo"], err = DateParam(f.TimeTo, true); err != nil {
		return nil, fmt.Errorf("timeTo: %w", err)
	}
	return p, nil
}

// FactsOfFiltered returns the facts about each entity id that pass f,
// ordered by fact id. An invalid filter gives an error wrapping
// kg.ErrInvalidInput.
func (s *Store) FactsOfFiltered(ctx context.Context, ids []string, f FactFilter) (map[string][]kg.Fact, error) {
	params, err := f.params()
	if err != nil {
		return nil, err
	}
	params["ids"] = ids
	recs, err := s.read(ctx, factsOfFiltered, params)
	if err != nil {
		return nil, err
	}
	out := map[string][]kg.Fact{}
	for _, rec := range recs {
		id, _ := rec.Values[0].(string)
		fact := toFact(rec.Values[1].(map[string]any))
		fact.Subject = id
		out[id] = append(out[id], fact)
	}
	return out, nil
}

// FactQuery is a page of the facts of the whole graph.
type FactQuery struct {
	Filter    FactFilter
	Subjects  []string  // facts about these entities; nil or empty for any
	Kinds     []kg.Kind // facts about entities of these kinds; nil or empty for any
	First     int       // ≥ 1; the caller enforces the maximum
	After     string    // a FactPage cursor, or ""
	WithTotal bool
}

// FactPage is one page of facts, ordered by id.
type FactPage struct {
	Facts   []kg.Fact // Subject set
	Cursors []string
	HasNext bool
	Total   int // -1 unless asked for
}

// Facts returns the page of facts q asks for, ordered by fact id: a cursor
// is the last fact's id, so a page does not shift when facts are added or
// removed before it. Invalid input gives an error wrapping
// kg.ErrInvalidInput.
func (s *Store) Facts(ctx context.Context, q FactQuery) (FactPage, error) {
	if q.First < 1 {
		return FactPage{}, fmt.Errorf("%w: first must be at least 1, got %d", kg.ErrInvalidInput, q.First)
	}
	params, err := q.Filter.params()
	if err != nil {
		return FactPage{}, err
	}
	params["after"], params["subjects"], params["kinds"] = nil, nil, nil
	if q.After != "" {
		var after string
		if err := decodeCursor(q.After, &after); err != nil || after == "" {
			return FactPage{}, fmt.Errorf("%w: cursor %q is not an endCursor of facts", kg.ErrInvalidInput, kg.Short(q.After))
		}
		params["after"] = after
	}
	if len(q.Subjects) > 0 {
		params["subjects"] = q.Subjects
	}
	if len(q.Kinds) > 0 {
		ks := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			if _, ok := kg.ParseKind(string(k)); !ok {
				return FactPage{}, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, k)
			}
			ks[i] = string(k)
		}
		params["kinds"] = ks
	}
	params["limit"], params["withTotal"] = q.First+1, q.WithTotal
	recs, err := s.read(ctx, factsPage, params)
	if err != nil {
		return FactPage{}, err
	}
	page := FactPage{Total: -1}
	if t, ok := recs[0].Values[1].(int64); ok {
		page.Total = int(t)
	}
	rows, _ := recs[0].Values[0].([]any)
	for i, row := range rows {
		if i == q.First {
			page.HasNext = true
			break
		}
		m, _ := row.(map[string]any)
		f := toFact(m["f"].(map[string]any))
		f.Subject, _ = m["subject"].(string)
		page.Facts = append(page.Facts, f)
		page.Cursors = append(page.Cursors, encodeCursor(f.ID))
	}
	return page, nil
}
