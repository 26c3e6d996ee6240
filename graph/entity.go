package graph

import (
	"context"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Resolvers shared by every Entity type; the per-kind resolvers in
// schema.resolvers.go call these with the entity's id.

func (r *Resolver) facts(ctx context.Context, id string) ([]*model.Fact, error) {
	fs, err := loadersFor(ctx, r.Store).facts.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Fact, len(fs))
	for i, f := range fs {
		f.Subject = id
		out[i] = &model.Fact{F: f}
	}
	return out, nil
}

func (r *Resolver) sources(ctx context.Context, id string) ([]*model.Document, error) {
	l := loadersFor(ctx, r.Store)
	ids, err := l.sources.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	docs, err := l.document.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Document, len(docs))
	for i, d := range docs {
		out[i] = &model.Document{D: d}
	}
	return out, nil
}

func (r *Resolver) document(ctx context.Context, id string) (*model.Document, error) {
	d, err := loadersFor(ctx, r.Store).document.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return &model.Document{D: d}, nil
}

// evidenceDocument is the document of an evidence; a document id the store
// could not read is its kg.DataError, not a lookup of "".
func (r *Resolver) evidenceDocument(ctx context.Context, e *model.Evidence) (*model.Document, error) {
	id, err := e.DocumentID()
	if err != nil {
		return nil, err
	}
	return r.document(ctx, id)
}

// pageSize checks a connection's `first` against the configured maximum.
func (r *Resolver) pageSize(first *int, def int) (int, error) {
	n := def
	if first != nil {
		n = *first
	}
	if n < 1 || n > r.MaxPage {
		return 0, newLimitError(CodePageSizeLimit, "first must be between 1 and %d, got %d", r.MaxPage, n)
	}
	return n, nil
}

func (r *Resolver) relations(ctx context.Context, id string, types []model.RelationType, dir *model.Direction,
	kinds []model.Kind, timeFrom, timeTo, asOf *string, first *int, after *string, includeParts *bool,
) (*model.RelationConnection, error) {
	a := relationArgs{
		types: types, dir: dir, kinds: kinds, timeFrom: timeFrom, timeTo: timeTo, asOf: asOf, first: first, after: after,
		includeParts: includeParts != nil && *includeParts,
	}
	q, err := r.relationQuery(ctx, id, a, graphql.CollectFieldsCtx(ctx, []string{"RelationConnection"}), 0)
	if err != nil {
		return nil, err
	}
	page, err := loadersFor(ctx, r.Store).relations.Load(ctx, q)
	if err != nil {
		return nil, err
	}
	conn := &model.RelationConnection{
		Edges: []*model.RelationEdge{}, TotalCount: int64(page.Total),
		PageInfo: &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: q.After != ""},
	}
	l := loadersFor(ctx, r.Store)
	nested, hasNested := store.NestedOf(q)
	for _, e := range page.Relations {
		if hasNested && e.Nested != nil { // the other end's relations, read ahead
			nested.EntityID = e.Other
			l.relations.Prime(nested, *e.Nested)
		}
		conn.Edges = append(conn.Edges, &model.RelationEdge{Cursor: e.Cursor, Node: relationToGQL(e)})
	}
	if len(page.Relations) > 0 {
		conn.PageInfo.StartCursor = &page.Relations[0].Cursor
		conn.PageInfo.EndCursor = &page.Relations[len(page.Relations)-1].Cursor
	}
	return conn, nil
}

// relationQuery is the store query of a `relations` field of entity id with
// arguments a and selection conn (of the RelationConnection), its nested
// queries read ahead (see plan.go). A page size out of range gives a
// PAGE_SIZE_LIMIT_EXCEEDED error.
func (r *Resolver) relationQuery(ctx context.Context, id string, a relationArgs, conn []graphql.CollectedField, level int) (store.RelationQuery, error) {
	n, err := r.pageSize(a.first, 50)
	if err != nil {
		return store.RelationQuery{}, err
	}
	q := store.RelationQuery{EntityID: id, Types: joinTypes(a.types), Kinds: joinKinds(a.kinds), Dir: store.Both, First: n}
	for _, f := range conn {
		q.WithTotal = q.WithTotal || f.Name == "totalCount"
	}
	if a.dir != nil {
		q.Dir = store.Direction(*a.dir)
	}
	q.After = deref(a.after)
	q.TimeFrom, q.TimeTo, q.AsOf = deref(a.timeFrom), deref(a.timeTo), deref(a.asOf)
	q.Nested = r.nestedOf(ctx, conn, level)
	q.RelProps, q.OtherProps, q.ViaProps = r.projectionsOf(ctx, conn)
	q.IncludeParts = a.includeParts
	if !q.IncludeParts {
		q.ViaProps = ""
	}
	return q, nil
}

// related returns the distinct entities at the other end of id's relations
// of the given types, direction and kind, in relation-id order; at most
// MaxPage of them. With includeParts, the relations of id's parts count too
// (store.RelationQuery.IncludeParts).
func (r *Resolver) related(ctx context.Context, id string, includeParts *bool, dir store.Direction, kind kg.Kind, types ...kg.RelType) ([]model.Entity, error) {
	ts := make([]string, len(types))
	for i, t := range types {
		ts[i] = string(t)
	}
	q := store.RelationQuery{
		EntityID: id, Types: strings.Join(ts, ","), Kinds: string(kind), Dir: dir, First: r.MaxPage,
		IncludeParts: includeParts != nil && *includeParts,
	}
	page, err := loadersFor(ctx, r.Store).relations.Load(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []model.Entity
	seen := map[string]bool{}
	for _, e := range page.Relations {
		if !seen[e.Other] {
			seen[e.Other] = true
			g, err := model.EntityToGQL(e.Entity)
			if err != nil {
				return nil, atPath(err, len(out))
			}
			out = append(out, g)
		}
	}
	return out, nil
}

// relatedAs narrows related entities to one GraphQL type.
func relatedAs[T any](es []model.Entity, err error) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*T, 0, len(es))
	for _, e := range es {
		if t, ok := e.(T); ok {
			out = append(out, &t)
		}
	}
	return out, nil
}

func relationToGQL(e store.RelationEnd) *model.Relation {
	dir := model.DirectionOut
	if !e.Out {
		dir = model.DirectionIn
	}
	other := e.Entity
	return &model.Relation{R: e.Relation, Dir: dir, OtherID: e.Other, OtherEntity: &other, ViaEntity: e.Via}
}

// relationEnd is the entity at the start (from) or end of a relation: read
// with it when it is the other end or the relations list read both,
// otherwise (the entity asked about) through the request's batch of
// entities.
func (r *Resolver) relationEnd(ctx context.Context, rel *model.Relation, start bool) (model.Entity, error) {
	id, read := rel.R.To, rel.ToEntity
	if start {
		id, read = rel.R.From, rel.FromEntity
	}
	if read == nil && rel.OtherEntity != nil && rel.OtherID == id {
		read = rel.OtherEntity
	}
	if read != nil {
		return model.EntityToGQL(*read)
	}
	e, err := loadersFor(ctx, r.Store).entity.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return model.EntityToGQL(e)
}

// via is the part a rolled-up relation was read through; null for the
// entity's own relations.
func via(rel *model.Relation) (model.Entity, error) {
	if rel.ViaEntity == nil {
		return nil, nil
	}
	return model.EntityToGQL(*rel.ViaEntity)
}

func joinTypes(ts []model.RelationType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

func joinKinds(ks []model.Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(model.KindFromGQL(k))
	}
	return strings.Join(s, ",")
}

// selected reports whether the current field's selection set asks for the
// named sub-field (so that counts are computed only when asked).
func selected(ctx context.Context, name string) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// positions are a person's HOLDS_POSITION relations, latest start first
// (undated last), at most MaxPage.
func (r *Resolver) positions(ctx context.Context, id string) ([]*model.Relation, error) {
	q := store.RelationQuery{EntityID: id, Types: string(kg.HoldsPosition), Dir: store.Out, First: r.MaxPage}
	page, err := loadersFor(ctx, r.Store).relations.Load(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Relation, 0, len(page.Relations))
	for _, e := range page.Relations {
		out = append(out, relationToGQL(e))
	}
	start := func(rel *model.Relation) string {
		if d := rel.R.Since; d != nil {
			return d.String()
		}
		if d := rel.R.At; d != nil {
			return d.String()
		}
		return ""
	}
	sort.SliceStable(out, func(i, j int) bool { return start(out[i]) > start(out[j]) })
	return out, nil
}
