package model

import "github.com/vetgraph/vetgraph/internal/kg"

// GraphNode is a node of a returned subgraph or path.
type GraphNode struct {
	E        kg.Entity
	Degree   int // vocabulary relationships of the node in the whole graph
	Distance int // hops from the centre, or position on a path
}

func (n GraphNode) ID() (string, error)             { return Base{E: n.E}.ID() }
func (n GraphNode) Kind() (Kind, error)             { return Base{E: n.E}.Kind() }
func (n GraphNode) Name(lang *Lang) (string, error) { return Base{E: n.E}.Name(lang) }
func (n GraphNode) Entity() (Entity, error)         { return EntityToGQL(n.E) }

// GraphEdge is a relationship of a returned subgraph or path; R.From and
// R.To are its start and end node ids.
type GraphEdge struct{ R kg.Relation }

func (e GraphEdge) ID() (string, error)                { return e.rel().ID() }
func (e GraphEdge) Type() RelationType                 { return RelationType(e.R.Type) }
func (e GraphEdge) From() string                       { return e.R.From }
func (e GraphEdge) To() string                         { return e.R.To }
func (e GraphEdge) At() (*PartialDate, error)          { return e.rel().At() }
func (e GraphEdge) Since() (*PartialDate, error)       { return e.rel().Since() }
func (e GraphEdge) Until() (*PartialDate, error)       { return e.rel().Until() }
func (e GraphEdge) Detail(lang *Lang) (*string, error) { return e.rel().Detail(lang) }
func (e GraphEdge) Evidence() *Evidence                { return e.rel().Evidence() }

func (e GraphEdge) rel() Relation { return Relation{R: e.R, Dir: DirectionOut} }

// Label reads the relationship from its start node to its end node.
func (e GraphEdge) Label(lang *Lang) string {
	return Relation{R: e.R, Dir: DirectionOut}.Label(lang)
}

// Group is one group of a count.
type Group struct {
	Key   string
	Names kg.Names // label in both languages
	Count int64
}

// Label is the group's label in lang, falling back to the key.
func (g Group) Label(lang *Lang) string {
	if p := Pick(g.Names, LangOf(lang)); p != nil {
		return *p
	}
	return g.Key
}
