package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Lists of entities (entities, schools, countries, enterprises, alliances,
// programs) and the analysis fields (entityCounts, relationCounts, stats).
// The resolvers check and convert arguments; the Cypher is in
// internal/store/list.go.

// defaultListPage is the page size of an entity list given neither first nor last.
const defaultListPage = 20

func (r *Resolver) entities(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.EntityConnection, error) {
	page, info, err := r.entityList(ctx, "", filter, orderBy, first, after, last, before)
	if err != nil {
		return nil, err
	}
	conn := &model.EntityConnection{Edges: make([]*model.EntityEdge, len(page.Entities)), PageInfo: info, TotalCount: page.Total}
	for i, e := range page.Entities {
		n, err := model.EntityToGQL(e)
		if err != nil {
			return nil, atPath(err, "edges", i, "node")
		}
		conn.Edges[i] = &model.EntityEdge{Cursor: page.Cursors[i], Node: n}
	}
	return conn, nil
}

func (r *Resolver) schools(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.SchoolConnection, error) {
	page, info, err := r.entityList(ctx, kg.School, filter, orderBy, first, after, last, before)
	if err != nil {
		return nil, err
	}
	edges, err := typedEdges(page, func(c string, n *model.School) *model.SchoolEdge { return &model.SchoolEdge{Cursor: c, Node: n} })
	if err != nil {
		return nil, err
	}
	return &model.SchoolConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) countries(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.CountryConnection, error) {
	page, info, err := r.entityList(ctx, kg.Country, filter, orderBy, first, after, last, before)
	if err != nil {
		return nil, err
	}
	edges, err := typedEdges(page, func(c string, n *model.Country) *model.CountryEdge { return &model.CountryEdge{Cursor: c, Node: n} })
	if err != nil {
		return nil, err
	}
	return &model.CountryConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) enterprises(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.EnterpriseConnection, error) {
	page, info, err := r.entityList(ctx, kg.Enterprise, filter, orderBy, first, after, last, before)
	if err != nil {
		return nil, err
	}
	edges, err := typedEdges(page, func(c string, n *model.Enterprise) *model.EnterpriseEdge {
		return &model.EnterpriseEdge{Cursor: c, Node: n}
	})
	if err != nil {
		return nil, err
	}
	return &model.EnterpriseConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) alliances(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.AllianceConnection, error) {
	page, info, err := r.entityList(ctx, kg.Alliance, filter, orderBy, first, after, last, before)
	if err != nil {
		return nil, err
	}
	edges, err := typedEdges(page, func(c string, n *model.Alliance) *model.AllianceEdge { return &model.AllianceEdge{Cursor: c, Node: n} })
	if err != nil {
		return nil, err
	}
	return &model.AllianceConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) programs(ctx context.Context, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string, last *int, before *string) (*model.ProgramConnection, error) {
	page, info, err := r.entityList(ctx, kg.Program, filter, orderBy, first, after, last, before)
	if err != nil {
		return nil, err
	}
	edges, err := typedEdges(page, func(c string, n *model.Program) *model.ProgramEdge { return &model.ProgramEdge{Cursor: c, Node: n} })
	if err != nil {
		return nil, err
	}
	return &model.ProgramConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

// entityList reads one page of the list of entities of kind list ("" for
// every kind), with only the properties the selection reads: page sizes are
// checked here (PAGE_SIZE_LIMIT_EXCEEDED), everything else the store
// refuses is BAD_USER_INPUT.
func (r *Resolver) entityList(ctx context.Context, list kg.Kind, filter *model.EntityFilter, orderBy *model.EntityOrder,
	first *int, after *string, last *int, before *string,
) (store.EntityPage, *model.PageInfo, error) {
	q := store.EntityQuery{
		List: list, After: deref(after), Before: deref(before), WithTotal: selected(ctx, "totalCount"),
		Props: listProps(ctx),
	}
	switch {
	case first != nil && last != nil:
		return store.EntityPage{}, nil, fmt.Errorf("%w: give first (with after) or last (with before), not both", kg.ErrInvalidInput)
	case last != nil:
		if *last < 1 || *last > r.MaxPage {
			return store.EntityPage{}, nil, newLimitError(CodePageSizeLimit, "last must be between 1 and %d, got %d", r.MaxPage, *last)
		}
		q.Last = *last
	default:
		n, err := r.pageSize(first, defaultListPage)
		if err != nil {
			return store.EntityPage{}, nil, err
		}
		q.First = n
	}
	var err error
	if q.Filter, err = filterFromGQL(filter); err != nil {
		return store.EntityPage{}, nil, err
	}
	if q.Order, err = orderFromGQL(orderBy); err != nil {
		return store.EntityPage{}, nil, err
	}
	page, err := r.Store.Entities(ctx, q)
	if err != nil {
		return store.EntityPage{}, nil, err
	}
	info := &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: page.HasPrev}
	if n := len(page.Cursors); n > 0 {
		info.StartCursor, info.EndCursor = &page.Cursors[0], &page.Cursors[n-1]
	}
	return page, info, nil
}

// listProps returns the properties a list's selection reads of each entity
// (edges.node, of any kind; see store.EntityQuery.Props): "" for every
// property.
func listProps(ctx context.Context) string {
	oc := graphql.GetOperationContext(ctx)
	var nodes []graphql.CollectedField
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name != "edges" {
			continue
		}
		for _, g := range graphql.CollectFields(oc, f.Selections, nil) {
			if g.Name == "node" {
				nodes = append(nodes, graphql.CollectFields(oc, g.Selections, entityTypes)...)
			}
		}
	}
	return propsOf(nodes, entityFieldProps)
}

// typedEdges builds the edges of a per-kind connection: every entity of a
// per-kind page carries that kind's label, and one whose stored kind says
// otherwise is a kg.DataError at its node.
func typedEdges[T any, E any](page store.EntityPage, edge func(cursor string, node *T) *E) ([]*E, error) {
	out := make([]*E, 0, len(page.Entities))
	for i, e := range page.Entities {
		g, err := model.EntityToGQL(e)
		if err != nil {
			return nil, atPath(err, "edges", i, "node")
		}
		n, ok := g.(T)
		if !ok {
			return nil, atPath(&kg.DataError{Property: "kind", Why: fmt.Sprintf("is %s on a node labelled %T", e.Kind, n)}, "edges", i, "node")
		}
		out = append(out, edge(page.Cursors[i], &n))
	}
	return out, nil
}

// filterFromGQL converts an EntityFilter; nil means no filter.
func filterFromGQL(f *model.EntityFilter) (store.EntityFilter, error) {
	if f == nil {
		return store.EntityFilter{}, nil
	}
	out := store.EntityFilter{Country: deref(f.Country), TimeFrom: deref(f.TimeFrom), TimeTo: deref(f.TimeTo)}
	if f.NameContains != nil {
		if n := utf8.RuneCountInString(*f.NameContains); n < 1 || n > store.MaxNameContains {
			return store.EntityFilter{}, fmt.Errorf("%w: nameContains must be 1–%d characters, got %d", kg.ErrInvalidInput, store.MaxNameContains, n)
		}
		out.NameContains = *f.NameContains
	}
	for _, k := range f.Kinds {
		out.Kinds = append(out.Kinds, model.KindFromGQL(k))
	}
	for _, t := range f.RelationTypes {
		out.RelTypes = append(out.RelTypes, kg.RelType(t))
	}
	return out, nil
}

// sortFields maps the GraphQL sort fields to the store's.
var sortFields = map[model.EntitySortField]store.SortField{
	model.EntitySortFieldID: store.SortID, model.EntitySortFieldNameZh: store.SortNameZh,
	model.EntitySortFieldNameEn: store.SortNameEn, model.EntitySortFieldTime: store.SortTime,
	model.EntitySortFieldRelationCount: store.SortRelationCount,
}

// orderFromGQL converts an EntityOrder; nil means by Chinese name, ascending.
func orderFromGQL(o *model.EntityOrder) (store.EntityOrder, error) {
	if o == nil {
		return store.EntityOrder{Field: store.SortNameZh}, nil
	}
	field, ok := sortFields[o.Field]
	if !ok {
		return store.EntityOrder{}, fmt.Errorf("%w: unknown sort field %q", kg.ErrInvalidInput, o.Field)
	}
	out := store.EntityOrder{Field: field, Desc: o.Direction != nil && *o.Direction == model.SortDirectionDesc}
	if o.RelationType != nil {
		if field != store.SortRelationCount {
			return store.EntityOrder{}, fmt.Errorf("%w: orderBy.relationType applies to field RELATION_COUNT only, not %s", kg.ErrInvalidInput, o.Field)
		}
		out.RelType = kg.RelType(*o.RelationType)
	}
	return out, nil
}

func (r *Resolver) entityCounts(ctx context.Context, groupBy model.EntityGrouping, filter *model.EntityFilter) ([]*model.Group, error) {
	by, ok := map[model.EntityGrouping]store.EntityGrouping{
		model.EntityGroupingKind: store.ByKind, model.EntityGroupingCountry: store.ByCountry,
	}[groupBy]
	if !ok {
		return nil, fmt.Errorf("%w: groupBy %q", kg.ErrInvalidInput, groupBy)
	}
	f, err := filterFromGQL(filter)
	if err != nil {
		return nil, err
	}
	gs, err := r.Store.EntityCounts(ctx, by, f)
	if err != nil {
		return nil, err
	}
	out := groupsToGQL(gs)
	if by == store.ByKind {
		for _, g := range out {
			g.Key = string(model.KindToGQL(kg.Kind(g.Key))) // School → SCHOOL
		}
	}
	return out, nil
}

func (r *Resolver) relationCounts(ctx context.Context, groupBy model.RelationGrouping, types []model.RelationType) ([]*model.Group, error) {
	by, ok := map[model.RelationGrouping]store.RelationGrouping{
		model.RelationGroupingType: store.ByType, model.RelationGroupingYear: store.ByYear,
	}[groupBy]
	if !ok {
		return nil, fmt.Errorf("%w: groupBy %q", kg.ErrInvalidInput, groupBy)
	}
	ts := make([]kg.RelType, len(types))
	for i, t := range types {
		ts[i] = kg.RelType(t)
	}
	gs, err := r.Store.RelationCounts(ctx, by, ts)
	if err != nil {
		return nil, err
	}
	return groupsToGQL(gs), nil
}

func (r *Resolver) stats(ctx context.Context) (*model.GraphStats, error) {
	s, err := r.Store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	return &model.GraphStats{Entities: s.Entities, Relations: s.Relations, Facts: s.Facts, Documents: s.Documents}, nil
}

func groupsToGQL(gs []store.Group) []*model.Group {
	out := make([]*model.Group, len(gs))
	for i, g := range gs {
		out[i] = &model.Group{Key: g.Key, Names: g.Names, Count: g.Count}
	}
	return out
}

// defaultRelationListPage is the relations list's page when neither first
// nor last is given.
const defaultRelationListPage = 20

// rootRelations answers Query.relations: one page of the relations of the
// whole graph, each read from its start node. Page sizes are checked here
// (PAGE_SIZE_LIMIT_EXCEEDED), names in the filter resolved (NOT_FOUND,
// AMBIGUOUS_NAME), everything else the store refuses is BAD_USER_INPUT.
func (r *Resolver) rootRelations(ctx context.Context, filter *model.RelationFilter, orderBy *model.RelationOrder,
	first *int, after *string, last *int, before *string,
) (*model.RelationConnection, error) {
	q := store.RelationListQuery{After: deref(after), Before: deref(before), WithTotal: selected(ctx, "totalCount")}
	var err error
	if q.First, q.Last, err = r.pageArgs(first, last, defaultRelationListPage); err != nil {
		return nil, err
	}
	if q.Filter, err = r.relationFilterFromGQL(ctx, filter); err != nil {
		return nil, err
	}
	if orderBy != nil {
		q.Order = store.RelationOrder{
			Field: store.RelationSortField(orderBy.Field),
			Desc:  orderBy.Direction != nil && *orderBy.Direction == model.SortDirectionDesc,
		}
	}
	q.RelProps, q.EndProps, _ = r.projectionsOf(ctx, graphql.CollectFieldsCtx(ctx, []string{"RelationConnection"}))
	page, err := r.Store.RelationList(ctx, q)
	if err != nil {
		return nil, err
	}
	conn := &model.RelationConnection{
		Edges: make([]*model.RelationEdge, len(page.Relations)), TotalCount: page.Total,
		PageInfo: &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: page.HasPrev},
	}
	for i, lr := range page.Relations {
		from, to := lr.From, lr.To
		conn.Edges[i] = &model.RelationEdge{Cursor: page.Cursors[i], Node: &model.Relation{
			R: lr.Relation, Dir: model.DirectionOut,
			OtherID: to.ID, OtherEntity: &to, FromEntity: &from, ToEntity: &to,
		}}
	}
	if n := len(page.Cursors); n > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &page.Cursors[0], &page.Cursors[n-1]
	}
	return conn, nil
}

// pageArgs checks a connection's first and last: one of them (def for
// first when neither is given), within 1…MaxPage.
func (r *Resolver) pageArgs(first, last *int, def int) (int, int, error) {
	switch {
	case first != nil && last != nil:
		return 0, 0, fmt.Errorf("%w: give first (with after) or last (with before), not both", kg.ErrInvalidInput)
	case last != nil:
		if *last < 1 || *last > r.MaxPage {
			return 0, 0, newLimitError(CodePageSizeLimit, "last must be between 1 and %d, got %d", r.MaxPage, *last)
		}
		return 0, *last, nil
	}
	n, err := r.pageSize(first, def)
	return n, 0, err
}

// relationFilterFromGQL converts a RelationFilter; nil means no filter.
// The names of every end are resolved in one statement, as entityByName
// resolves a name, and join the end's ids.
func (r *Resolver) relationFilterFromGQL(ctx context.Context, f *model.RelationFilter) (store.RelationFilter, error) {
	var out store.RelationFilter
	if f == nil {
		return out, nil
	}
	out.Types = relTypes(f.Types)
	out.Document, out.TimeFrom, out.TimeTo, out.AsOf = deref(f.Document), deref(f.TimeFrom), deref(f.TimeTo), deref(f.AsOf)
	if err := checkIDs(out.Document); err != nil {
		return out, err
	}
	type named struct {
		end  *store.RelationEndFilter
		arg  string
		name string
	}
	var refs []store.EntityRef
	var names []named
	for _, e := range []struct {
		arg string
		in  *model.RelationEndFilter
		out *store.RelationEndFilter
	}{{"filter.from", f.From, &out.From}, {"filter.to", f.To, &out.To}, {"filter.either", f.Either, &out.Either}} {
		if e.in == nil {
			continue
		}
		if len(e.in.Ids) > store.MaxFilterIDs || len(e.in.Names) > store.MaxFilterIDs {
			return out, fmt.Errorf("%w: %s lists more than %d ids or names", kg.ErrInvalidInput, e.arg, store.MaxFilterIDs)
		}
		if err := checkIDs(e.in.Ids...); err != nil {
			return out, err
		}
		e.out.IDs = append(e.out.IDs, e.in.Ids...)
		for _, k := range e.in.Kinds {
			e.out.Kinds = append(e.out.Kinds, model.KindFromGQL(k))
		}
		for _, n := range e.in.Names {
			if c := utf8.RuneCountInString(n); c > maxNameLength || strings.TrimSpace(n) == "" {
				return out, fmt.Errorf("%w: %s.names: a name has 1–%d characters and is not blank", kg.ErrInvalidInput, e.arg, maxNameLength)
			}
			refs = append(refs, store.EntityRef{Name: n})
			names = append(names, named{end: e.out, arg: e.arg + ".names", name: n})
		}
	}
	if len(refs) == 0 {
		return out, nil
	}
	found, err := r.Store.ResolveRefs(ctx, refs)
	if err != nil {
		return out, err
	}
	for i, n := range names {
		switch len(found[i]) {
		case 0:
			return out, fmt.Errorf("%w: no entity has the name %q (%s)", kg.ErrNotFound, n.name, n.arg)
		case 1:
			n.end.IDs = append(n.end.IDs, found[i][0].ID)
		default:
			return out, &kg.AmbiguousNameError{Argument: n.arg, Name: n.name, Candidates: found[i]}
		}
	}
	for _, e := range []*store.RelationEndFilter{&out.From, &out.To, &out.Either} {
		slices.Sort(e.IDs)
		e.IDs = slices.Compact(e.IDs)
		if len(e.IDs) > store.MaxFilterIDs {
			return out, fmt.Errorf("%w: an end of the filter names more than %d entities", kg.ErrInvalidInput, store.MaxFilterIDs)
		}
	}
	return out, nil
}
