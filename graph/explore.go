package graph

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Exploration: neighborhood, shortestPath, paths, commonNeighbors, explain.
// The resolvers check the bounds (each with its own extensions.code), look
// at the selection set to tell the store which costly parts to compute
// (partsOf), ask the store, and convert; the store holds the Cypher and its
// own bounds.

// Explorer is what the exploration fields need from the store.
type Explorer interface {
	Neighborhood(ctx context.Context, q store.NeighborhoodQuery) (store.Subgraph, error)
	Paths(ctx context.Context, q store.PathQuery) ([]store.Path, error)
	CommonNeighbors(ctx context.Context, a, b string, types []kg.RelType, parts store.Parts) ([]store.Node, error)
}

// Defaults of the exploration arguments (as in schema.graphqls, for an
// explicit null).
const (
	defaultDepth        = 1
	defaultNeighborhood = 50
	defaultMaxHops      = 4
	defaultPaths        = 5
	// maxIDLength bounds an id argument; ids are short kebab-case words.
	maxIDLength = 200
)

func (r *Resolver) neighborhood(ctx context.Context, centre *endpoint, depth *int, types []model.RelationType, kinds []model.Kind, limit *int, asOf *string) (*model.Subgraph, error) {
	d, err := bounded("depth", depth, defaultDepth, store.MaxDepth, CodeHopsLimit)
	if err != nil {
		return nil, err
	}
	n, err := bounded("limit", limit, defaultNeighborhood, store.MaxNeighborhood, CodeNeighborhoodLimit)
	if err != nil {
		return nil, err
	}
	if err := r.resolveEnds(ctx, centre); err != nil {
		return nil, err
	}
	ks := make([]kg.Kind, len(kinds))
	for i, k := range kinds {
		ks[i] = model.KindFromGQL(k)
	}
	q := store.NeighborhoodQuery{ID: centre.id, Depth: d, Types: relTypes(types), Kinds: ks, Limit: n, AsOf: deref(asOf), Parts: partsOf(ctx)}
	sg, err := r.Store.Neighborhood(ctx, q)
	if errors.Is(err, kg.ErrNotFound) {
		if moved, rerr := r.checkEnds(ctx, centre); rerr != nil {
			return nil, rerr
		} else if moved {
			q.ID = centre.id
			sg, err = r.Store.Neighborhood(ctx, q)
		}
	}
	if err != nil {
		return nil, err
	}
	return subgraphToGQL(sg), nil
}

func (r *Resolver) shortestPath(ctx context.Context, ends [2]*endpoint, types []model.RelationType, maxHops *int, directed *bool, asOf *string) (*model.Path, error) {
	p, err := r.shortest(ctx, ends, types, maxHops, directed, asOf, partsOf(ctx))
	if err != nil || p == nil {
		return nil, err
	}
	return pathToGQL(*p), nil
}

func (r *Resolver) paths(ctx context.Context, ends [2]*endpoint, types []model.RelationType, maxHops, first *int, directed *bool, asOf *string) ([]*model.Path, error) {
	k, err := bounded("first", first, defaultPaths, store.MaxPaths, CodePageSizeLimit)
	if err != nil {
		return nil, err
	}
	ps, err := r.findPaths(ctx, ends, types, maxHops, k, directed, asOf, partsOf(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]*model.Path, len(ps))
	for i, p := range ps {
		out[i] = pathToGQL(p)
	}
	return out, nil
}

func (r *Resolver) commonNeighbors(ctx context.Context, a, b *endpoint, types []model.RelationType) ([]*model.GraphNode, error) {
	if err := r.resolveEnds(ctx, a, b); err != nil {
		return nil, err
	}
	ns, err := r.Store.CommonNeighbors(ctx, a.id, b.id, relTypes(types), partsOf(ctx))
	if err == nil && len(ns) == 0 {
		if moved, rerr := r.checkEnds(ctx, a, b); rerr != nil {
			return nil, rerr
		} else if moved {
			ns, err = r.Store.CommonNeighbors(ctx, a.id, b.id, relTypes(types), partsOf(ctx))
		}
	}
	if err != nil {
		return nil, err
	}
	return nodesToGQL(ns), nil
}

func (r *Resolver) explain(ctx context.Context, ends [2]*endpoint, lang *model.Lang, maxHops *int, types []model.RelationType) (*model.Explanation, error) {
	// The sentences read every relation's time, and the steps its quote and
	// document, whatever is selected.
	parts := partsOf(ctx)
	parts.Relation = true
	p, err := r.shortest(ctx, ends, types, maxHops, nil, nil, parts)
	if err != nil || p == nil {
		return nil, err
	}
	l := model.LangZh
	if lang != nil {
		l = *lang
	}
	docIDs := make([]string, len(p.Edges))
	for i, e := range p.Edges {
		docIDs[i] = e.Evidence.DocumentID
	}
	docs, err := loadersFor(ctx, r.Store).document.LoadAll(ctx, docIDs)
	if err != nil {
		return nil, err
	}
	return explanationToGQL(*p, docs, l)
}

// shortest is the first of the paths between two entities; nil when there
// is none within maxHops.
func (r *Resolver) shortest(ctx context.Context, ends [2]*endpoint, types []model.RelationType, maxHops *int, directed *bool, asOf *string, parts store.Parts) (*store.Path, error) {
	ps, err := r.findPaths(ctx, ends, types, maxHops, 1, directed, asOf, parts)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

func (r *Resolver) findPaths(ctx context.Context, ends [2]*endpoint, types []model.RelationType, maxHops *int, first int, directed *bool, asOf *string, parts store.Parts) ([]store.Path, error) {
	h, err := bounded("maxHops", maxHops, defaultMaxHops, store.MaxHops, CodeHopsLimit)
	if err != nil {
		return nil, err
	}
	if err := r.resolveEnds(ctx, ends[0], ends[1]); err != nil {
		return nil, err
	}
	q := store.PathQuery{
		From: ends[0].id, To: ends[1].id, Types: relTypes(types), MaxHops: h, First: first,
		Directed: directed != nil && *directed, AsOf: deref(asOf), Parts: parts,
	}
	ps, err := r.Store.Paths(ctx, q)
	if err == nil && len(ps) == 0 {
		if moved, rerr := r.checkEnds(ctx, ends[0], ends[1]); rerr != nil {
			return nil, rerr
		} else if moved {
			q.From, q.To = ends[0].id, ends[1].id
			ps, err = r.Store.Paths(ctx, q)
		}
	}
	return ps, err
}

// endpoint is an entity an exploration field starts or ends at, given by
// id (the argument idArg) or by a name or alias (nameArg): exactly one of
// the two. resolveEnds sets id.
type endpoint struct {
	idArg, nameArg string
	idIn, nameIn   *string
	id             string // the entity's id, once resolved
}

// newEnd is the endpoint of the arguments idArg (value id) and nameArg
// (value name).
func newEnd(idArg string, id *string, nameArg string, name *string) *endpoint {
	return &endpoint{idArg: idArg, nameArg: nameArg, idIn: id, nameIn: name}
}

// fromTo are the ends of a path field: from or fromName, to or toName.
func fromTo(from, to, fromName, toName *string) [2]*endpoint {
	return [2]*endpoint{newEnd("from", from, "fromName", fromName), newEnd("to", to, "toName", toName)}
}

// maxNameLength bounds a name argument, in characters (as a list's
// nameContains).
const maxNameLength = store.MaxNameContains

// resolveEnds checks that each end is given by id or by name, exactly one,
// and sets each end's id: an id as given, a name resolved as entityByName
// resolves it, all names in one statement. A name no entity holds is
// NOT_FOUND, one several entities hold AMBIGUOUS_NAME (listing them); an
// id is not looked up here (see checkEnds).
func (r *Resolver) resolveEnds(ctx context.Context, ends ...*endpoint) error {
	var refs []store.EntityRef
	var named []*endpoint
	for _, e := range ends {
		switch {
		case e.idIn != nil && e.nameIn != nil:
			return fmt.Errorf("%w: give %s or %s, not both", kg.ErrInvalidInput, e.idArg, e.nameArg)
		case e.idIn != nil:
			if err := checkIDs(*e.idIn); err != nil {
				return err
			}
			e.id = *e.idIn
		case e.nameIn != nil:
			if n := utf8.RuneCountInString(*e.nameIn); n > maxNameLength || strings.TrimSpace(*e.nameIn) == "" {
				return fmt.Errorf("%w: %s must be a name of 1–%d characters, not blank", kg.ErrInvalidInput, e.nameArg, maxNameLength)
			}
			refs = append(refs, store.EntityRef{Name: *e.nameIn})
			named = append(named, e)
		default:
			return fmt.Errorf("%w: give %s (an entity id) or %s (a name or alias of the entity)", kg.ErrInvalidInput, e.idArg, e.nameArg)
		}
	}
	if len(refs) == 0 {
		return nil
	}
	found, err := r.Store.ResolveRefs(ctx, refs)
	if err != nil {
		return err
	}
	for i, e := range named {
		switch len(found[i]) {
		case 0:
			return fmt.Errorf("%w: no entity has the name %q (%s)", kg.ErrNotFound, *e.nameIn, e.nameArg)
		case 1:
			e.id = found[i][0].ID
		default:
			return &kg.AmbiguousNameError{Argument: e.nameArg, Name: *e.nameIn, Candidates: found[i]}
		}
	}
	return nil
}

// checkEnds is asked when an exploration found nothing, to tell an
// unknown entity from an empty answer: an end given by an id that no
// entity has is NOT_FOUND; an end given by an id that was merged into
// another entity (see mergeEntities) gets that entity's id, and moved
// reports it (the caller asks again). Ends given by name were found by
// resolveEnds. One statement, and none when every end was given by name.
// So the usual request costs no extra statement, and an old link naming
// a merged-away id still explores the entity it was merged into.
func (r *Resolver) checkEnds(ctx context.Context, ends ...*endpoint) (moved bool, err error) {
	var refs []store.EntityRef
	var byID []*endpoint
	for _, e := range ends {
		if e.idIn != nil {
			refs = append(refs, store.EntityRef{ID: e.id})
			byID = append(byID, e)
		}
	}
	if len(refs) == 0 {
		return false, nil
	}
	found, err := r.Store.ResolveRefs(ctx, refs)
	if err != nil {
		return false, err
	}
	for i, e := range byID {
		if len(found[i]) == 0 {
			return false, fmt.Errorf("%w: no entity has the id %q (%s)", kg.ErrNotFound, e.id, e.idArg)
		}
		if to := found[i][0].ID; to != e.id {
			e.id, moved = to, true
		}
	}
	return moved, nil
}

// exploreFieldParts maps each field of the types the exploration fields
// return to the costly parts of the answer it reads (store.Parts). A field
// not listed (one added to the schema later) reads them all, so a new field
// is never answered from a part that was not computed.
var exploreFieldParts = map[string]store.Parts{
	"Subgraph.nodes": {}, "Subgraph.truncated": {},
	"Subgraph.edges": {Edges: true}, "Subgraph.more": {More: true},
	"Path.nodes": {}, "Path.edges": {}, "Path.length": {},
	"GraphNode.id": {}, "GraphNode.kind": {}, "GraphNode.name": {}, "GraphNode.distance": {},
	"GraphNode.degree": {Degree: true}, "GraphNode.entity": {Entity: true},
	"GraphEdge.id": {}, "GraphEdge.type": {}, "GraphEdge.from": {}, "GraphEdge.to": {}, "GraphEdge.label": {},
	"GraphEdge.at": {Relation: true}, "GraphEdge.since": {Relation: true}, "GraphEdge.until": {Relation: true},
	"GraphEdge.detail": {Relation: true}, "GraphEdge.evidence": {Relation: true},
	"Explanation.path": {}, "Explanation.steps": {}, "Explanation.text": {Relation: true},
	"PathStep.from": {}, "PathStep.to": {}, "PathStep.edge": {},
	"PathStep.sentence": {Relation: true}, "PathStep.quote": {Relation: true}, "PathStep.document": {Relation: true},
}

// exploreTypes are the types whose selections partsOf reads through.
var exploreTypes = map[string]bool{
	"Subgraph": true, "Path": true, "GraphNode": true, "GraphEdge": true,
	"Explanation": true, "PathStep": true,
}

// partsOf tells which costly parts of an exploration answer the selection
// set of the current field reads: a node's degree or whole entity, a
// relation's time, detail and evidence, a neighbourhood's edges and more
// counts (fragments and @skip/@include taken into account). Outside a
// GraphQL field it asks for every part.
func partsOf(ctx context.Context) store.Parts {
	if !graphql.HasOperationContext(ctx) {
		return store.AllParts
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return store.AllParts
	}
	var p store.Parts
	addParts(graphql.GetOperationContext(ctx), fc.Field.Selections, fc.Field.Definition.Type.Name(), &p)
	return p
}

func addParts(oc *graphql.OperationContext, sel ast.SelectionSet, typ string, p *store.Parts) {
	for _, f := range graphql.CollectFields(oc, sel, []string{typ}) {
		if f.Name == "__typename" {
			continue
		}
		q, ok := exploreFieldParts[typ+"."+f.Name]
		if !ok {
			q = store.AllParts
		}
		p.Degree, p.Entity, p.Relation = p.Degree || q.Degree, p.Entity || q.Entity, p.Relation || q.Relation
		p.Edges, p.More = p.Edges || q.Edges, p.More || q.More
		if f.Definition != nil && exploreTypes[f.Definition.Type.Name()] {
			addParts(oc, f.Selections, f.Definition.Type.Name(), p)
		}
	}
}

// bounded is an optional Int argument with its default, which must lie in
// 1…hi; otherwise a limit error with code.
func bounded(name string, v *int, def, hi int, code string) (int, error) {
	n := def
	if v != nil {
		n = *v
	}
	if n < 1 || n > hi {
		return 0, newLimitError(code, "%s must be between 1 and %d, got %d", name, hi, n)
	}
	return n, nil
}

// checkIDs refuses ids no entity can have because of their length; an id
// that merely does not exist is not an error.
func checkIDs(ids ...string) error {
	for _, id := range ids {
		if len(id) > maxIDLength {
			return fmt.Errorf("%w: an id has at most %d characters, got %d", kg.ErrInvalidInput, maxIDLength, len(id))
		}
	}
	return nil
}

func relTypes(ts []model.RelationType) []kg.RelType {
	out := make([]kg.RelType, len(ts))
	for i, t := range ts {
		out[i] = kg.RelType(t)
	}
	return out
}

// Converters from the store's results to the GraphQL types.

func nodeToGQL(n store.Node) *model.GraphNode {
	return &model.GraphNode{E: n.Entity, Degree: n.Degree, Distance: n.Distance}
}

func nodesToGQL(ns []store.Node) []*model.GraphNode {
	out := make([]*model.GraphNode, len(ns))
	for i, n := range ns {
		out[i] = nodeToGQL(n)
	}
	return out
}

func edgesToGQL(rs []kg.Relation) []*model.GraphEdge {
	out := make([]*model.GraphEdge, len(rs))
	for i, rel := range rs {
		out[i] = &model.GraphEdge{R: rel}
	}
	return out
}

func subgraphToGQL(sg store.Subgraph) *model.Subgraph {
	out := &model.Subgraph{Nodes: nodesToGQL(sg.Nodes), Edges: edgesToGQL(sg.Edges), More: []*model.MoreNeighbors{}, Truncated: sg.Truncated}
	for _, m := range sg.More {
		out.More = append(out.More, &model.MoreNeighbors{NodeID: m.NodeID, Type: model.RelationType(m.Type), Count: m.Count})
	}
	return out
}

func pathToGQL(p store.Path) *model.Path {
	return &model.Path{Nodes: nodesToGQL(p.Nodes), Edges: edgesToGQL(p.Edges), Length: len(p.Edges)}
}

// explanationToGQL tells a path hop by hop; docs[i] is the document of
// p.Edges[i].
// A stored value a step's sentence needs that the store could not read is
// that step's kg.DataError.
func explanationToGQL(p store.Path, docs []kg.Document, lang model.Lang) (*model.Explanation, error) {
	path := pathToGQL(p)
	ex := &model.Explanation{Path: path, Steps: make([]*model.PathStep, len(p.Edges))}
	sentences := make([]string, len(p.Edges))
	for i, e := range p.Edges {
		from, to := entityOf(p, e.From), entityOf(p, e.To)
		if err := e.Problems.Check("at", "since", "until", "quote"); err != nil {
			return nil, atPath(err, "steps", i)
		}
		for _, end := range []kg.Entity{from, to} {
			if _, err := (model.Base{E: end}).Name(&lang); err != nil {
				return nil, atPath(err, "steps", i)
			}
		}
		sentences[i] = sentence(e, from, to, lang)
		ex.Steps[i] = &model.PathStep{
			From: path.Nodes[i], To: path.Nodes[i+1], Edge: path.Edges[i], Sentence: sentences[i],
			Quote: e.Evidence.Quote, Document: &model.Document{D: docs[i]},
		}
	}
	if len(sentences) > 0 {
		if lang == model.LangEn {
			ex.Text = strings.Join(sentences, "; ") + "."
		} else {
			ex.Text = strings.Join(sentences, "；") + "。"
		}
	}
	return ex, nil
}

func entityOf(p store.Path, id string) kg.Entity {
	for _, n := range p.Nodes {
		if n.Entity.ID == id {
			return n.Entity
		}
	}
	return kg.Entity{ID: id, NameZh: id}
}

// sentence reads a relation from its start to its end node with the
// vocabulary's label, whichever way the path crossed it, and adds its time:
// "泰国孔敬大学孔子学院 发起成立 中泰职教联盟（2018年5月）",
// "Confucius Institute at Khon Kaen University co-founded
// China-Thailand Vocational Education Alliance (May 2018)". A Chinese label
// with "…" takes the end node in its place: "A 是 B 的成员".
func sentence(rel kg.Relation, from, to kg.Entity, lang model.Lang) string {
	info, _ := kg.LookupRelType(string(rel.Type))
	a, _ := model.Base{E: from}.Name(&lang) // explanationToGQL checked both
	b, _ := model.Base{E: to}.Name(&lang)
	if lang == model.LangEn {
		s := a + " " + info.En + " " + b
		if t := timeText(rel, lang); t != "" {
			s += " (" + t + ")"
		}
		return s
	}
	words := []string{a, info.Zh, b}
	if before, after, ok := strings.Cut(info.Zh, "…"); ok {
		words = []string{a, before, b, after}
	}
	var parts []string
	for _, w := range words {
		if w != "" {
			parts = append(parts, w)
		}
	}
	s := strings.Join(parts, " ")
	if t := timeText(rel, lang); t != "" {
		s += "（" + t + "）"
	}
	return s
}

// timeText states a relation's time in lang: a point, an interval or one
// end of it; "" when the source states none.
func timeText(rel kg.Relation, lang model.Lang) string {
	en := lang == model.LangEn
	switch {
	case rel.At != nil:
		return dateText(*rel.At, lang)
	case rel.Since != nil && rel.Until != nil:
		if en {
			return "from " + dateText(*rel.Since, lang) + " to " + dateText(*rel.Until, lang)
		}
		return dateText(*rel.Since, lang) + "至" + dateText(*rel.Until, lang)
	case rel.Since != nil:
		if en {
			return "since " + dateText(*rel.Since, lang)
		}
		return "自" + dateText(*rel.Since, lang) + "起"
	case rel.Until != nil:
		if en {
			return "until " + dateText(*rel.Until, lang)
		}
		return "至" + dateText(*rel.Until, lang)
	}
	return ""
}

// dateText writes a partial date as a person reads it: "May 2018",
// "12 May 2024", "early 2024" / "2018年5月", "2024年5月12日", "2024年初".
func dateText(d kg.PartialDate, lang model.Lang) string {
	y := strconv.Itoa(d.Year)
	if lang == model.LangEn {
		parts := map[kg.Part]string{kg.PartEarly: "early ", kg.PartMid: "mid-", kg.PartLate: "late "}
		switch d.Precision() {
		case kg.PrecisionDay:
			return fmt.Sprintf("%d %s %s", d.Day, monthName(d.Month), y)
		case kg.PrecisionMonth:
			return parts[d.Part] + monthName(d.Month) + " " + y
		default:
			return parts[d.Part] + y
		}
	}
	switch d.Precision() {
	case kg.PrecisionDay:
		return fmt.Sprintf("%s年%d月%d日", y, d.Month, d.Day)
	case kg.PrecisionMonth:
		parts := map[kg.Part]string{kg.PartEarly: "上旬", kg.PartMid: "中旬", kg.PartLate: "下旬"}
		return fmt.Sprintf("%s年%d月%s", y, d.Month, parts[d.Part])
	default:
		parts := map[kg.Part]string{kg.PartEarly: "初", kg.PartMid: "中", kg.PartLate: "末"}
		return y + "年" + parts[d.Part]
	}
}

func monthName(m int) string { return time.Month(m).String() }
