package model

import "github.com/vetgraph/vetgraph/internal/kg"

// GraphNode is a node of a returned subgraph or path.
type GraphNode struct {
	E        kg.Entity
	Degree   int // vocabulary relationships of the node in the whole graph
	Distance int // hops from the centre, or position on a path
}

func (n GraphNode) ID() string            { return n.E.ID }
func (n GraphNode) Kind() Kind            { return KindToGQL(n.E.Kind) }
func (n GraphNode) Name(lang Lang) string { return Base{E: n.E}.Name(lang) }
func (n GraphNode) Entity() Entity        { return EntityToGQL(n.E) }

// GraphEdge is a relationship of a returned subgraph or path; R.From and
// R.To are its start and end node ids.
type GraphEdge struct{ R kg.Relation }

func (e GraphEdge) ID() string               { return e.R.ID }
func (e GraphEdge) Type() RelationType       { return RelationType(e.R.Type) }
func (e GraphEdge) From() string             { return e.R.From }
func (e GraphEdge) To() string               { return e.R.To }
func (e GraphEdge) At() *PartialDate         { return DateToGQL(e.R.At) }
func (e GraphEdge) Since() *PartialDate      { return DateToGQL(e.R.Since) }
func (e GraphEdge) Until() *PartialDate      { return DateToGQL(e.R.Until) }
func (e GraphEdge) Detail(lang Lang) *string { return Pick(e.R.Detail, lang) }
func (e GraphEdge) Evidence() *Evidence      { return &Evidence{E: e.R.Evidence} }

// Label reads the relationship from its start node to its end node.
func (e GraphEdge) Label(lang Lang) string {
	return Relation{R: e.R, Dir: DirectionOut}.Label(lang)
}

// Group is one group of a count.
type Group struct {
	Key   string
	Names kg.Names // label in both languages
	Count int64
}

// Label is the group's label in lang, falling back to the key.
func (g Group) Label(lang Lang) string {
	if p := Pick(g.Names, lang); p != nil {
		return *p
	}
	return g.Key
}
