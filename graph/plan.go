package graph

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Lookahead: a resolver that reads relations looks at the selection set
// below it, and when it asks for the relations of the entities at the other
// ends (`relations { edges { node { other { relations(…) … } } } }`), reads
// those in the same statement (store.RelationQuery.Nested). The nested pages
// then prime the request's relations loader under exactly the key the nested
// resolver computes from its own arguments, so it sends no statement. A
// nesting the planner cannot read ahead (a second `relations` field under
// another alias, arguments that fail validation) is simply not planned: its
// resolver reads it with a statement of its own, and reports its own errors.

// entityTypes are the type conditions whose fragments the planner reads
// through: the interface and every kind's type (named as the kind).
var entityTypes = func() []string {
	out := []string{"Entity", "Node"}
	for _, k := range kg.Kinds {
		out = append(out, string(k))
	}
	return out
}()

// entityFieldProps maps each Entity field that reads node properties to
// them; fields mapped to nil read none. A field not listed (a typed relation
// field such as `alliances`, or one added later) makes the root lookup read
// every property.
var entityFieldProps = map[string][]string{
	"__typename": nil, "id": nil, "kind": nil, "relations": nil, "facts": nil, "sources": nil,
	"name": {"nameZh", "nameEn"}, "nameZh": {"nameZh"}, "nameEn": {"nameEn"},
	"nameEnOfficial": {"nameEnOfficial"}, "aliases": {"aliases"},
	"description": {"descriptionZh", "descriptionEn"}, "city": {"city"}, "schoolType": {"schoolType"},
	"iso2": {"iso2"}, "iso3": {"iso3"}, "category": {"category"}, "start": {"start"}, "regionType": {"regionType"},
	"version": {"version"}, "history": nil, "retracted": nil,
}

// relationFieldProps maps each Relation field that reads relationship
// properties to them, as entityFieldProps does for entities.
var relationFieldProps = map[string][]string{
	"__typename": nil, "id": nil, "type": nil, "direction": nil, "label": nil, "other": nil, "from": nil, "to": nil, "via": nil,
	"at": {"at"}, "since": {"since"}, "until": {"until"},
	"detail": {"detailZh", "detailEn"}, "evidence": {"sourceId", "quote"},
	"evidences": {"sourceId", "quote", "moreSourceIds", "moreQuotes"}, "rank": {"rank"}, "sameAs": {"sameAs"}, "origin": {"origin"},
	"disagreements": {"sameAs", "at", "since", "until"},
}

// propsOf returns the properties the fields read, comma-separated, by the
// table; "" (every property) when a field is not in it.
func propsOf(fields []graphql.CollectedField, table map[string][]string) string {
	props := []string{"id"}
	for _, f := range fields {
		ps, ok := table[f.Name]
		if !ok {
			return ""
		}
		props = append(props, ps...)
	}
	return strings.Join(props, ",")
}

// projectionsOf returns what a RelationConnection selection reads of each
// relationship, of the entities at its ends (other, from and to: the
// other end serves from and to where it is one of them) and of the part a
// rolled-up relation came through (via): see store.RelationQuery.RelProps.
func (r *Resolver) projectionsOf(ctx context.Context, conn []graphql.CollectedField) (rel, other, via string) {
	oc := graphql.GetOperationContext(ctx)
	var nodes, others, vias []graphql.CollectedField
	for _, f := range conn {
		if f.Name == "edges" {
			for _, g := range graphql.CollectFields(oc, f.Selections, []string{"RelationEdge"}) {
				if g.Name == "node" {
					nodes = append(nodes, graphql.CollectFields(oc, g.Selections, []string{"Relation"})...)
				}
			}
		}
	}
	for _, f := range nodes {
		switch f.Name {
		case "other", "from", "to":
			others = append(others, graphql.CollectFields(oc, f.Selections, entityTypes)...)
		case "via":
			vias = append(vias, graphql.CollectFields(oc, f.Selections, entityTypes)...)
		}
	}
	return propsOf(nodes, relationFieldProps), propsOf(others, entityFieldProps), propsOf(vias, entityFieldProps)
}

// rootEntity answers the root `entity(id)` field in one statement: the
// properties its selection reads and, when it selects `relations`, that page
// with its nested pages. Not found is null.
func (r *Resolver) rootEntity(ctx context.Context, id string) (model.Entity, error) {
	fields := graphql.CollectFieldsCtx(ctx, entityTypes)
	var read store.EntityRead
	if props := propsOf(fields, entityFieldProps); props != "" {
		read.Props = strings.Split(props, ",")
	}
	q, planned := r.planRelations(ctx, fields, 0)
	if planned {
		read.Relations = &q
	}
	e, page, err := r.Store.EntityByID(ctx, id, read)
	if err != nil {
		return orNull[model.Entity](nil, err)
	}
	if page != nil {
		q.EntityID = e.ID // a merged-away id read its entity
		loadersFor(ctx, r.Store).relations.Prime(q, *page)
	}
	return model.EntityToGQL(e)
}

// planRelations returns the query of the first `relations` field among
// fields (the selection of an entity) with its nested queries, as its
// resolver will compute it; false when there is none or its arguments do
// not validate. level counts the levels above.
func (r *Resolver) planRelations(ctx context.Context, fields []graphql.CollectedField, level int) (store.RelationQuery, bool) {
	if level >= store.MaxRelationLevels {
		return store.RelationQuery{}, false
	}
	oc := graphql.GetOperationContext(ctx)
	for _, f := range fields {
		if f.Name != "relations" {
			continue
		}
		a, ok := relationArgsOf(f.ArgumentMap(oc.Variables))
		if !ok {
			return store.RelationQuery{}, false
		}
		conn := graphql.CollectFields(oc, f.Selections, []string{"RelationConnection"})
		q, err := r.relationQuery(ctx, "", a, conn, level)
		if err != nil {
			return store.RelationQuery{}, false
		}
		return q, true
	}
	return store.RelationQuery{}, false
}

// nestedOf returns the encoded query of the relations selected under
// edges.node.other of a RelationConnection selection, or "".
func (r *Resolver) nestedOf(ctx context.Context, conn []graphql.CollectedField, level int) string {
	oc := graphql.GetOperationContext(ctx)
	for _, path := range [][2]string{{"edges", "RelationEdge"}, {"node", "Relation"}} {
		next := []graphql.CollectedField(nil)
		for _, f := range conn {
			if f.Name == path[0] {
				next = graphql.CollectFields(oc, f.Selections, []string{path[1]})
				break
			}
		}
		if next == nil {
			return ""
		}
		conn = next
	}
	for _, f := range conn {
		if f.Name == "other" {
			q, ok := r.planRelations(ctx, graphql.CollectFields(oc, f.Selections, entityTypes), level+1)
			if !ok {
				return ""
			}
			return store.EncodeNested(q)
		}
	}
	return ""
}

// relationArgs are the arguments of an Entity's `relations` field.
type relationArgs struct {
	types                  []model.RelationType
	dir                    *model.Direction
	kinds                  []model.Kind
	timeFrom, timeTo, asOf *string
	first                  *int
	after                  *string
	includeParts           bool
}

// relationArgsOf converts a `relations` field's argument map (variables
// resolved, defaults applied) to typed arguments; false when a value has
// not the expected shape (the resolver will report it).
func relationArgsOf(m map[string]any) (relationArgs, bool) {
	var a relationArgs
	ok := true
	str := func(k string) *string {
		switch v := m[k].(type) {
		case nil:
			return nil
		case string:
			return &v
		}
		ok = false
		return nil
	}
	strs := func(k string) []string {
		switch v := m[k].(type) {
		case nil:
			return nil
		case []any:
			out := make([]string, len(v))
			for i, x := range v {
				s, isStr := x.(string)
				ok = ok && isStr
				out[i] = s
			}
			return out
		case []string:
			return v
		}
		ok = false
		return nil
	}
	for _, t := range strs("types") {
		rt := model.RelationType(t)
		ok = ok && rt.IsValid()
		a.types = append(a.types, rt)
	}
	for _, k := range strs("kinds") {
		mk := model.Kind(k)
		ok = ok && mk.IsValid()
		a.kinds = append(a.kinds, mk)
	}
	if d := str("direction"); d != nil {
		md := model.Direction(*d)
		ok = ok && md.IsValid()
		a.dir = &md
	}
	a.timeFrom, a.timeTo, a.asOf, a.after = str("timeFrom"), str("timeTo"), str("asOf"), str("after")
	switch v := m["includeParts"].(type) {
	case nil:
	case bool:
		a.includeParts = v
	default:
		ok = false
	}
	switch v := m["first"].(type) {
	case nil:
	case int:
		a.first = &v
	case int64:
		n := int(v)
		a.first = &n
	case json.Number:
		n64, err := v.Int64()
		n := int(n64)
		ok = ok && err == nil
		a.first = &n
	default:
		ok = false
	}
	return a, ok
}
