package graph

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Evidence search (searchEvidence), facts filtered (Entity.facts(filter:),
// the root facts list) and where names come from (Entity.names). The
// resolvers check and convert arguments; the Cypher and the ranking are in
// internal/store (evidence.go, facts.go, names.go).

// EvidenceSearcher is what these resolvers need from the store
// (*store.Store implements it).
type EvidenceSearcher interface {
	SearchEvidence(ctx context.Context, q store.EvidenceQuery) (store.EvidencePage, error)
	Facts(ctx context.Context, q store.FactQuery) (store.FactPage, error)
	FactsOfFiltered(ctx context.Context, ids []string, f store.FactFilter) (map[string][]kg.Fact, error)
	NamesOf(ctx context.Context, ids []string) (map[string][]store.EntityName, error)
}

// defaultEvidenceHits and defaultFactPage are the schema's defaults of `first`.
const (
	defaultEvidenceHits = 10
	defaultFactPage     = 50
)

func (r *Resolver) searchEvidence(ctx context.Context, text string, filter *model.EvidenceFilter, first *int, after *string) (*model.EvidenceConnection, error) {
	n, err := r.pageSize(first, defaultEvidenceHits)
	if err != nil {
		return nil, err
	}
	q := store.EvidenceQuery{Text: text, First: n, After: deref(after)}
	if f := filter; f != nil {
		for _, h := range f.HitKinds {
			q.Hits = append(q.Hits, store.EvidenceKind(h))
		}
		for _, k := range f.Kinds {
			q.Kinds = append(q.Kinds, model.KindFromGQL(k))
		}
		for _, t := range f.RelationTypes {
			q.Types = append(q.Types, kg.RelType(t))
		}
		q.Documents, q.TimeFrom, q.TimeTo = f.Documents, deref(f.TimeFrom), deref(f.TimeTo)
	}
	page, err := r.Store.SearchEvidence(ctx, q)
	if err != nil {
		return nil, err
	}
	conn := &model.EvidenceConnection{
		Edges: make([]*model.EvidenceEdge, len(page.Hits)), TotalCount: int64(page.Total),
		PageInfo: &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: q.After != ""},
	}
	for i, h := range page.Hits {
		node, err := evidenceHitToGQL(h)
		if err != nil {
			return nil, atPath(err, "edges", i, "node")
		}
		conn.Edges[i] = &model.EvidenceEdge{Cursor: h.Cursor, Node: node}
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn, nil
}

// evidenceHitToGQL converts a hit; store.EvidenceKind and
// store.EvidenceField hold the names of the GraphQL enum values.
func evidenceHitToGQL(h store.EvidenceHit) (model.EvidenceHit, error) {
	hl := make([]*model.Highlight, len(h.Highlights))
	for i, x := range h.Highlights {
		ranges := make([]*model.TextRange, len(x.Ranges))
		for j, rg := range x.Ranges {
			ranges[j] = &model.TextRange{Start: rg.Start, End: rg.End}
		}
		hl[i] = &model.Highlight{Field: model.EvidenceField(x.Field), Text: x.Text, Offset: x.Offset, Ranges: ranges, DocumentID: x.DocumentID}
	}
	kind := model.EvidenceKind(h.Kind)
	switch h.Kind {
	case store.HitRelation:
		from, err := model.EntityToGQL(h.Entity)
		if err != nil {
			return nil, atPath(err, "from")
		}
		to, err := model.EntityToGQL(h.Other)
		if err != nil {
			return nil, atPath(err, "to")
		}
		other := h.Other
		rel := &model.Relation{R: h.Relation, Dir: model.DirectionOut, OtherID: other.ID, OtherEntity: &other}
		return model.RelationHit{Kind: kind, Score: h.Score, Highlights: hl, Relation: rel, From: from, To: to}, nil
	case store.HitFact:
		subject, err := model.EntityToGQL(h.Entity)
		if err != nil {
			return nil, atPath(err, "subject")
		}
		return model.FactHit{Kind: kind, Score: h.Score, Highlights: hl, Fact: &model.Fact{F: h.Fact}, Subject: subject}, nil
	case store.HitDocument:
		return model.DocumentHit{Kind: kind, Score: h.Score, Highlights: hl, Document: &model.Document{D: h.Document}}, nil
	}
	e, err := model.EntityToGQL(h.Entity)
	if err != nil {
		return nil, atPath(err, "entity")
	}
	return model.EntityHit{Kind: kind, Score: h.Score, Highlights: hl, Entity: e}, nil
}

// highlightDocument is a quote's document; null for other fields.
func (r *Resolver) highlightDocument(ctx context.Context, h *model.Highlight) (*model.Document, error) {
	if h.DocumentID == "" {
		return nil, nil
	}
	return r.document(ctx, h.DocumentID)
}

// factFilter converts a FactFilter; nil is the zero filter. An empty
// labelContains is refused (the store checks the rest).
func factFilter(f *model.FactFilter) (store.FactFilter, error) {
	if f == nil {
		return store.FactFilter{}, nil
	}
	if f.LabelContains != nil && *f.LabelContains == "" {
		return store.FactFilter{}, fmt.Errorf("%w: labelContains must be 1–%d characters, got 0", kg.ErrInvalidInput, store.MaxNameContains)
	}
	out := store.FactFilter{
		LabelContains: deref(f.LabelContains), Units: f.Units, Documents: f.Documents,
		TimeFrom: deref(f.TimeFrom), TimeTo: deref(f.TimeTo),
	}
	for _, q := range f.Qualifiers {
		out.Qualifiers = append(out.Qualifiers, kg.Qualifier(q))
	}
	return out, nil
}

// filteredFacts is Entity.facts: every fact through the request's facts
// batch when there is no filter, else through the filtered batch.
func (r *Resolver) filteredFacts(ctx context.Context, id string, filter *model.FactFilter) ([]*model.Fact, error) {
	f, err := factFilter(filter)
	if err != nil {
		return nil, err
	}
	if f.IsZero() {
		return r.facts(ctx, id)
	}
	key, _ := json.Marshal(f)
	fs, err := evidenceLoadersFor(ctx, r.Store).facts.Load(ctx, factsKey{id: id, filter: string(key)})
	if err != nil {
		return nil, err
	}
	out := make([]*model.Fact, len(fs))
	for i, fact := range fs {
		out[i] = &model.Fact{F: fact}
	}
	return out, nil
}

// factList is the root facts field.
func (r *Resolver) factList(ctx context.Context, filter *model.FactFilter, subjects []string, kinds []model.Kind, first *int, after *string) (*model.FactConnection, error) {
	n, err := r.pageSize(first, defaultFactPage)
	if err != nil {
		return nil, err
	}
	f, err := factFilter(filter)
	if err != nil {
		return nil, err
	}
	q := store.FactQuery{Filter: f, Subjects: subjects, First: n, After: deref(after)}
	for _, k := range kinds {
		q.Kinds = append(q.Kinds, model.KindFromGQL(k))
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{"FactConnection"}) {
		q.WithTotal = q.WithTotal || f.Name == "totalCount"
	}
	page, err := r.Store.Facts(ctx, q)
	if err != nil {
		return nil, err
	}
	conn := &model.FactConnection{
		Edges: make([]*model.FactEdge, len(page.Facts)), TotalCount: int64(page.Total),
		PageInfo: &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: q.After != ""},
	}
	for i, f := range page.Facts {
		conn.Edges[i] = &model.FactEdge{Cursor: page.Cursors[i], Node: &model.Fact{F: f}}
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn, nil
}

// names is Entity.names.
func (r *Resolver) names(ctx context.Context, id string) ([]*model.EntityName, error) {
	ns, err := evidenceLoadersFor(ctx, r.Store).names.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]*model.EntityName, len(ns))
	for i, n := range ns {
		if n.Added != nil {
			if ps := n.Added.Problems.All(); len(ps) > 0 {
				return nil, atPath(&ps[0], i, "added")
			}
		}
		out[i] = &model.EntityName{Text: n.Text, Field: model.NameField(n.Field), DocumentIDs: n.Documents, Added: changeToGQL(n.Added)}
	}
	return out, nil
}

// documentsByID resolves document ids through the request's batch.
func (r *Resolver) documentsByID(ctx context.Context, ids []string) ([]*model.Document, error) {
	docs, err := loadersFor(ctx, r.Store).document.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Document, len(docs))
	for i, d := range docs {
		out[i] = &model.Document{D: d}
	}
	return out, nil
}

// factsKey is an entity's facts under one filter (its JSON).
type factsKey struct{ id, filter string }

// evidenceLoaders batch the reads of Entity.facts(filter:) and
// Entity.names per request, as loaders do for the other entity fields.
type evidenceLoaders struct {
	facts *dataloadgen.Loader[factsKey, []kg.Fact]
	names *dataloadgen.Loader[string, []store.EntityName]
}

func newEvidenceLoaders(s Store, wait dataloadgen.Option) *evidenceLoaders {
	return &evidenceLoaders{
		// One statement per distinct filter among the keys.
		facts: dataloadgen.NewLoader(func(ctx context.Context, keys []factsKey) ([][]kg.Fact, []error) {
			byFilter := map[string][]string{}
			var order []string
			for _, k := range keys {
				if _, ok := byFilter[k.filter]; !ok {
					order = append(order, k.filter)
				}
				byFilter[k.filter] = append(byFilter[k.filter], k.id)
			}
			got := map[factsKey][]kg.Fact{}
			for _, fk := range order {
				var f store.FactFilter
				_ = json.Unmarshal([]byte(fk), &f) // written by filteredFacts
				m, err := s.FactsOfFiltered(ctx, byFilter[fk], f)
				if err != nil {
					return nil, repeat(err, len(keys))
				}
				for id, fs := range m {
					got[factsKey{id, fk}] = fs
				}
			}
			out := make([][]kg.Fact, len(keys))
			for i, k := range keys {
				out[i] = got[k]
			}
			return out, nil
		}, wait),
		names: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]store.EntityName, []error) {
			m, err := s.NamesOf(ctx, ids)
			return byKeyOrEmpty(ids, m, err)
		}, wait),
	}
}

// evidenceLoadersFor returns the request's evidence loaders (made with its
// loaders); a context without loaders gets unbatched ones.
func evidenceLoadersFor(ctx context.Context, s Store) *evidenceLoaders {
	return loadersFor(ctx, s).evidence
}

// evidenceCosts prices the fields of this file in the cost model (see
// cost.go): evidence search reads several indexes and the texts of its
// candidates (costEvidenceSearch), the root facts list is a page, names
// and filtered facts come through per-request batches.
func evidenceCosts(c *ComplexityRoot, page func(*int, int) int64) {
	c.Query.SearchEvidence = func(child int, _ string, _ *model.EvidenceFilter, first *int, _ *string) int {
		return sat(costEvidenceSearch + page(first, defaultEvidenceHits)*int64(child))
	}
	c.Query.Facts = func(child int, _ *model.FactFilter, _ []string, _ []model.Kind, first *int, _ *string) int {
		return sat(costList + page(first, defaultFactPage)*int64(child))
	}
	c.FactConnection.TotalCount = func(int) int { return costList }
	batchedList := func(child int) int { return sat(costBatched + assumedLength*int64(child)) }
	for _, names := range []*func(int) int{
		&c.School.Names, &c.Country.Names, &c.Enterprise.Names, &c.Alliance.Names,
		&c.Program.Names, &c.Organization.Names, &c.Region.Names, &c.Event.Names, &c.Award.Names, &c.Person.Names,
	} {
		*names = batchedList
	}
	c.EntityName.Documents = batchedList
	c.Highlight.Document = func(child int) int { return sat(costBatched + int64(child)) }
}

// costEvidenceSearch is the statement of an evidence search: a search's
// lookups over every relationship type's index, facts and documents, and
// the texts of up to a few hundred candidates read and matched.
const costEvidenceSearch = 3 * costSearch
