package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Exploration: neighbourhoods, paths and common neighbours over the
// vocabulary relationships between (:Entity) nodes. Internal relationships
// (NAME_OF, FACT_OF, STATED_IN, MENTIONED_IN) and :Name, :Fact and :Document
// nodes are never followed: every pattern that walks names :Entity at each
// node and keeps only relationships whose type is in $types, a list taken
// from kg.Vocabulary() (a degree counts relationships of the vocabulary's
// types, which only ever join entities).
//
// A statement computes only the parts of the answer the caller asked for
// (Parts): degrees, whole entities, relationship properties, edges and more
// counts are costly on hubs, and most questions read none of them.
//
// Every statement is bounded three ways:
//   - hops: a variable-length pattern needs a literal upper bound (Cypher does
//     not accept a parameter there, nor, in 5.26, for the k of SHORTEST k
//     GROUPS), so each bound (and each combination of Parts) has its own
//     statement, built once at start-up from a template, integers and fixed
//     fragments; the caller's arguments only select one of them after they
//     were checked;
//   - rows: LIMIT $limit / $first on every result, and a LIMIT on the edges
//     collected per node;
//   - time: each statement runs with a transaction timeout (Store.SetExploreTimeout, default DefaultExploreTimeout),
//     well under Neo4j's own 30 s; planning is kept out of it (readBounded).

// Bounds of the exploration queries. Callers check their arguments against
// them first (to give their own error codes); the store refuses anything
// outside them with kg.ErrInvalidInput.
const (
	MaxDepth        = 3   // hops of a neighbourhood
	MaxNeighborhood = 200 // nodes of a neighbourhood, the centre included
	MaxHops         = 6   // relationships of a path
	MaxPaths        = 20  // paths returned by one Paths call
	MaxCommon       = 200 // common neighbours returned
	// maxEdgesPerNode bounds the edges collected from one node of a
	// neighbourhood to the other returned nodes; reaching it marks the
	// subgraph truncated.
	maxEdgesPerNode = 500
	// DefaultExploreTimeout is the transaction timeout of every exploration
	// statement unless Store.SetExploreTimeout says otherwise.
	DefaultExploreTimeout = 5 * time.Second
)

// relValid is the Cypher predicate that keeps a relationship r of an allowed
// type that held on $asOf (null: any time): begun by then and not ended
// before it; a relationship with no stated time is kept. The same rule as
// relation pages' asOf (relationsExpr).
const relValid = `type(r) IN $types
      AND ($asOf IS NULL OR ((r.fromDate IS NULL OR r.fromDate <= $asOf) AND (r.endDate IS NULL OR r.endDate >= $asOf)))`

// Parts says which optional parts of an exploration answer the caller will
// read; a statement computes only those (each combination is its own
// statement, built at start-up from fixed fragments). The zero value asks
// for the cheapest answer: per node its id, kind, names and distance; per
// path edge its id, type and ends; for a neighbourhood `truncated`. A part
// not asked for is left zero (Degree 0, nil Edges and More, a relation with
// only ID, Type, From and To); a part asked for is the same whatever else is
// asked.
type Parts struct {
	Degree   bool // Node.Degree: a COUNT over every relationship of the node, costly on hubs
	Entity   bool // every property of Node.Entity (aliases, description, …), not only id, kind and names
	Relation bool // every property of a returned relation (time, detail, evidence)
	Edges    bool // Subgraph.Edges: the relationships among the returned nodes
	More     bool // Subgraph.More: per node and type, the neighbours not returned
}

// AllParts asks for every part.
var AllParts = Parts{Degree: true, Entity: true, Relation: true, Edges: true, More: true}

// Bits of a statement variant: which parts it computes.
const (
	partDegree = 1 << iota
	partEntity
	partRelation
	partEdges
	partMore
	partVariants = 1 << iota // number of variants
)

// variant is p as an index into the statement tables.
func (p Parts) variant() int {
	v := 0
	if p.Degree {
		v |= partDegree
	}
	if p.Entity {
		v |= partEntity
	}
	if p.Relation {
		v |= partRelation
	}
	if p.Edges {
		v |= partEdges
	}
	if p.More {
		v |= partMore
	}
	return v
}

// Fragments of the RETURN clauses, per variant. %[1]s is the node or
// relationship variable (a constant of this file, never input).
const (
	// nodeNarrow is a node with the properties a GraphNode shows besides its
	// full entity: id, kind and the names (name(lang) falls back between them).
	nodeNarrow = `%[1]s {.id, .kind, .nameZh, .nameEn}`
	// nodeDegree is the number of vocabulary relationships of a node in the
	// whole graph, whatever the filters. %[2]s is every type of kg.Vocabulary()
	// joined by "|" (a fixed list: types cannot be parameters). A typed
	// pattern with nothing else to check is answered from the node's
	// relationship counts (getDegree) without reading the relationships, so
	// a hub's degree costs a few db hits instead of one per relationship.
	// Vocabulary relationships only ever join two distinct entities (the
	// data files are validated so), so the other end needs no check.
	nodeDegree = `COUNT { (%[1]s)-[:%[2]s]-() }`
	// relNarrow is a relationship's id alone (its type and ends are returned
	// beside it).
	relNarrow = `%[1]s {.id}`
	// relFull is every property of a relationship.
	relFull = `properties(%[1]s)`
)

// nodeExpr, degreeExpr and relExpr pick the fragment for variable v.
func nodeExpr(v string, variant int) string {
	if variant&partEntity != 0 {
		return v
	}
	return fmt.Sprintf(nodeNarrow, v)
}

func degreeExpr(v string, variant int) string {
	if variant&partDegree != 0 {
		types := make([]string, len(kg.Vocabulary()))
		for i, t := range kg.Vocabulary() {
			types[i] = string(t.Type)
		}
		return fmt.Sprintf(nodeDegree, v, strings.Join(types, "|"))
	}
	return "null"
}

func relExpr(v string, variant int) string {
	if variant&partRelation != 0 {
		return fmt.Sprintf(relFull, v)
	}
	return fmt.Sprintf(relNarrow, v)
}

const (
	// neighborhoodNear starts a neighbourhood: the centre c and, as found,
	// its direct neighbours through relationships of $types that held on
	// $asOf, either direction, of $kinds (null: all), nearest $limit in id
	// order, each {n, d: 1}. %[1]s is relValid.
	//
	// The search goes one hop further (neighborhoodDeeper) only while fewer
	// than $limit were found: the answer is the nearest nodes in (distance,
	// id) order, so when one hop already fills the limit, no node further
	// out can be in it. This bounds the work on hubs: around a country with
	// ten thousand neighbours, depth 2 reads those neighbours once instead of
	// every neighbour of each of them.
	neighborhoodNear = `
MATCH (c:Entity {id: $id})
CALL (c) {
  MATCH (c)-[r WHERE %[1]s]-(n:Entity)
  WHERE n <> c AND ($kinds IS NULL OR n.kind IN $kinds)
  WITH DISTINCT n
  ORDER BY n.id
  LIMIT $limit
  RETURN collect({n: n, d: 1}) AS found
}`

	// neighborhoodDeeper replaces found, when it holds fewer than $limit
	// nodes, by the nodes within %[1]d hops (2…MaxDepth) of c: one ANY
	// SHORTEST search per end node (a breadth-first search, not an
	// enumeration of paths) over relationships passing the filters, through
	// entities of any kind, ending at entities of $kinds; the nearest $limit
	// in (distance, id) order. %[2]s is relValid.
	neighborhoodDeeper = `
CALL (c, found) {
  WITH c, found WHERE size(found) < $limit
  MATCH p = ANY SHORTEST (c) (()-[r WHERE %[2]s]-(:Entity)){1,%[1]d} (n:Entity)
  WHERE n <> c AND ($kinds IS NULL OR n.kind IN $kinds)
  WITH n, length(p) AS d
  ORDER BY d, n.id
  LIMIT $limit
  RETURN collect({n: n, d: d}) AS deeper
}
WITH c, CASE WHEN size(found) < $limit THEN deeper ELSE found END AS found`

	// neighborhoodReturn ends a neighbourhood: one record of the centre
	// (distance 0) and found, in (distance, id) order, at most $limit nodes,
	// as a list of {n, d, degree, edges, more}; and truncated, when more
	// were found (up to $limit are searched for besides the centre, one more
	// than fits). Per node: %[1]s the node, %[2]s its degree, %[3]s its
	// edges and %[4]s its more counts, each a fragment or null when not
	// asked. (One record with a list costs the client less than a record per
	// node.)
	neighborhoodReturn = `
WITH [{n: c, d: 0}] + found AS found
WITH found[..$limit] AS kept, size(found) > $limit AS truncated
WITH kept, truncated, [k IN kept | k.n] AS ns
RETURN COLLECT {
  UNWIND kept AS k
  WITH k.n AS n, k.d AS d, ns
  WITH n, d, %[2]s AS degree, %[3]s AS edges, %[4]s AS more
  RETURN {n: %[1]s, d: d, degree: degree, edges: edges, more: more} AS node
} AS nodes, truncated`

	// neighborhoodEdges is the outgoing relationships of node n to the other
	// returned nodes ns that pass the filters (so each edge among the
	// returned nodes appears once, at its start node), at most $edgeCap, in
	// id order. %[1]s is relValid, %[2]s the relationship's properties.
	neighborhoodEdges = `COLLECT {
    MATCH (n)-[r]->(m:Entity)
    WHERE m IN ns AND %[1]s
    RETURN {props: %[2]s, type: type(r), to: m.id} AS e
    ORDER BY r.id
    LIMIT $edgeCap
  }`

	// neighborhoodMore is, per type, the number of distinct neighbours of n
	// through relationships passing the filters, of $kinds, that were not
	// returned. %[1]s is relValid.
	neighborhoodMore = `COLLECT {
    MATCH (n)-[r]-(m:Entity)
    WHERE NOT m IN ns AND ($kinds IS NULL OR m.kind IN $kinds) AND %[1]s
    WITH type(r) AS t, count(DISTINCT m) AS c
    RETURN {type: t, count: c} AS more
    ORDER BY t
  }`

	// pathsShortest finds every path of the shortest length from $from to $to
	// of at most %[1]d relationships (1…MaxHops): SHORTEST 1 GROUPS keeps all
	// of them, so the order of pathsReturn is deterministic. %[2]s is "" for
	// either direction or ">" for paths that follow each relationship's
	// direction; %[3]s is relValid. A shortest path never visits an entity
	// twice (without the loop it would be shorter), so no simple-path
	// condition is needed; from an entity to itself the quantifier's 0
	// gives the path of length 0.
	pathsShortest = `
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = SHORTEST 1 GROUPS (a) (()-[r WHERE %[3]s]-%[2]s(:Entity)){0,%[1]d} (b)`

	// pathsSimple finds the simple paths (no node twice) from $from to $to of
	// at most %[2]d relationships in the %[1]d shortest lengths (2…%[2]d),
	// every path of each of those lengths. %[3]s and %[4]s as in
	// pathsShortest. The simple-path condition is part of the parenthesised
	// path pattern, so it is applied before the shortest groups are
	// selected (a longer group may hold paths that revisit an entity).
	//
	// The quantifier starts at 0, not 1, as in pathsShortest; Neo4j 5.26
	// refuses {1,1} in this position ("Parenthesised path patterns are only
	// supported at the top level with a selective path selector"), while
	// {0,1} works.
	pathsSimple = `
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = SHORTEST %[1]d GROUPS ((a) (()-[r WHERE %[4]s]-%[3]s(x:Entity)){0,%[2]d} (b)
  WHERE NOT a IN x AND all(i IN range(0, size(x) - 2) WHERE NOT x[i] IN x[i + 1..]))`

	// pathsReturn orders the paths found by length, then by the relation ids
	// in path order (compared element by element), and returns at most
	// $first: per path its nodes (%[1]s the node, %[2]s its degree or null)
	// and relationships (%[3]s their properties, with type and ends).
	pathsReturn = `
WITH p, [rel IN relationships(p) | rel.id] AS ids
ORDER BY length(p), ids
LIMIT $first
RETURN [n IN nodes(p) | {node: %[1]s, degree: %[2]s}] AS nodes,
  [rel IN relationships(p) | {props: %[3]s, type: type(rel), from: startNode(rel).id, to: endNode(rel).id}] AS rels`

	// commonNeighborsTmpl returns the entities other than $a and $b that
	// have a relationship of $types (either direction) to both, in id order,
	// at most $limit; %[1]s is the node, %[2]s its degree or null. No rows
	// when $a or $b does not exist.
	commonNeighborsTmpl = `
MATCH (a:Entity {id: $a})-[r]-(m:Entity)
WHERE type(r) IN $types AND m <> a AND m.id <> $b
  AND EXISTS { MATCH (m)-[q]-(:Entity {id: $b}) WHERE type(q) IN $types }
WITH DISTINCT m
RETURN %[1]s AS m, %[2]s AS degree
ORDER BY m.id
LIMIT $limit`
)

// The exploration statements, built from the templates per bound and
// variant of the parts they compute, and cached by statement (a node's
// degree lists every vocabulary type, so they follow the vocabulary).

// neighborhoodCypher is the statement for depth d and variant v.
func neighborhoodCypher(d, v int) string {
	return statement(fmt.Sprintf("neighborhood %d %d", d, v), func() string {
		edges, more := "null", "null"
		if v&partEdges != 0 {
			edges = fmt.Sprintf(neighborhoodEdges, relValid, relExpr("r", v))
		}
		if v&partMore != 0 {
			more = fmt.Sprintf(neighborhoodMore, relValid)
		}
		find := fmt.Sprintf(neighborhoodNear, relValid)
		for i := 2; i <= d; i++ {
			find += fmt.Sprintf(neighborhoodDeeper, i, relValid)
		}
		return find + fmt.Sprintf(neighborhoodReturn, nodeExpr("n", v), degreeExpr("n", v), edges, more)
	})
}

// pathsCypher is the statement for paths (directed 1 or 0) of hops
// relationships, read in groups (1 ≤ groups ≤ hops ≤ MaxHops; 1 is
// shortestPath), variant v.
func pathsCypher(directed, hops, groups, v int) string {
	return statement(fmt.Sprintf("paths %d %d %d %d", directed, hops, groups, v), func() string {
		arrow := ""
		if directed == 1 {
			arrow = ">"
		}
		ret := fmt.Sprintf(pathsReturn, nodeExpr("n", v), degreeExpr("n", v), relExpr("rel", v))
		if groups == 1 {
			return fmt.Sprintf(pathsShortest, hops, arrow, relValid) + ret
		}
		return fmt.Sprintf(pathsSimple, groups, hops, arrow, relValid) + ret
	})
}

// commonNeighborsCypher is the common-neighbours statement for variant v.
func commonNeighborsCypher(v int) string {
	return statement(fmt.Sprintf("commonNeighbors %d", v), func() string {
		return fmt.Sprintf(commonNeighborsTmpl, nodeExpr("m", v), degreeExpr("m", v))
	})
}

// Node is an entity of a returned subgraph or path.
type Node struct {
	// Entity has every property when Parts.Entity was asked for, else only
	// ID, Kind, NameZh and NameEn.
	Entity kg.Entity
	// Degree is the number of vocabulary relationships of the entity in the
	// whole graph, whatever the filters of the query; 0 unless Parts.Degree
	// was asked for.
	Degree int
	// Distance is the hops from the centre of a neighbourhood, or the
	// position on a path (0 for its start).
	Distance int
}

// More says how many neighbours of a returned node, through one type, were
// not returned.
type More struct {
	NodeID string
	Type   kg.RelType
	Count  int
}

// Subgraph is a neighbourhood: nodes nearest first (ties by id), the
// relationships among them (by start node, then id), and what was left out.
// Edges and More are nil unless asked for (Parts).
type Subgraph struct {
	Nodes []Node
	Edges []kg.Relation
	More  []More
	// Truncated: the node limit cut the nodes, or, when Edges were asked
	// for, the bound on the edges collected per node cut them.
	Truncated bool
}

// Path is a path from its first node to its last; Edges[i] joins Nodes[i]
// and Nodes[i+1] and keeps its own direction (From/To). An edge has every
// property when Parts.Relation was asked for, else only ID, Type, From and
// To.
type Path struct {
	Nodes []Node
	Edges []kg.Relation
}

// NeighborhoodQuery selects a neighbourhood.
type NeighborhoodQuery struct {
	ID    string
	Depth int          // 1…MaxDepth
	Types []kg.RelType // relationships followed; empty means every vocabulary type
	Kinds []kg.Kind    // kinds of the nodes returned besides the centre; empty means all
	Limit int          // 1…MaxNeighborhood nodes, the centre included
	AsOf  string       // partial date: only relationships that held then; "" for all
	Parts Parts        // what to compute besides the nodes and their distances
}

// Neighborhood returns the entities within Depth hops of ID, at most Limit
// of them nearest first, and as asked (q.Parts) their degrees, the
// relationships among them, and per node and type the neighbours left out.
// It returns an error wrapping kg.ErrNotFound when there is no entity ID,
// and kg.ErrInvalidInput for arguments out of their bounds.
func (s *Store) Neighborhood(ctx context.Context, q NeighborhoodQuery) (Subgraph, error) {
	cypher, params, err := q.statement()
	if err != nil {
		return Subgraph{}, err
	}
	recs, err := s.readBounded(ctx, cypher, params, "id")
	if err != nil {
		return Subgraph{}, err
	}
	if len(recs) == 0 {
		return Subgraph{}, fmt.Errorf("entity %q: %w", q.ID, kg.ErrNotFound)
	}
	var sg Subgraph
	if q.Parts.Edges {
		sg.Edges = []kg.Relation{}
	}
	if q.Parts.More {
		sg.More = []More{}
	}
	sg.Truncated = recs[0].Values[1].(bool)
	for _, x := range recs[0].Values[0].([]any) {
		v := x.(map[string]any)
		node := toNode(v["n"], v["degree"], int(v["d"].(int64)))
		sg.Nodes = append(sg.Nodes, node)
		edges, _ := v["edges"].([]any) // nil when not asked for
		more, _ := v["more"].([]any)
		if err := node.Entity.Problems.Check("id"); err != nil && len(edges)+len(more) > 0 {
			return Subgraph{}, err // the node's edges and counts would name it ""
		}
		if len(edges) >= maxEdgesPerNode {
			sg.Truncated = true
		}
		for _, x := range edges {
			m := x.(map[string]any)
			rel := toRelation(m["props"].(map[string]any), m["type"].(string))
			to, err := idOf(m["to"], "a relationship's end node")
			if err != nil {
				return Subgraph{}, err
			}
			rel.From, rel.To = node.Entity.ID, to
			sg.Edges = append(sg.Edges, rel)
		}
		for _, x := range more {
			m := x.(map[string]any)
			sg.More = append(sg.More, More{NodeID: node.Entity.ID, Type: kg.RelType(m["type"].(string)), Count: int(m["count"].(int64))})
		}
	}
	return sg, nil
}

// statement checks q and returns the statement that answers it and its
// parameters.
func (q NeighborhoodQuery) statement() (string, map[string]any, error) {
	if q.Depth < 1 || q.Depth > MaxDepth {
		return "", nil, fmt.Errorf("%w: depth must be between 1 and %d, got %d", kg.ErrInvalidInput, MaxDepth, q.Depth)
	}
	if q.Limit < 1 || q.Limit > MaxNeighborhood {
		return "", nil, fmt.Errorf("%w: limit must be between 1 and %d, got %d", kg.ErrInvalidInput, MaxNeighborhood, q.Limit)
	}
	params, err := exploreParams(q.Types, q.AsOf)
	if err != nil {
		return "", nil, err
	}
	if params["kinds"], err = kindsParam(q.Kinds); err != nil {
		return "", nil, err
	}
	params["id"], params["limit"], params["edgeCap"] = q.ID, q.Limit, maxEdgesPerNode
	parts := q.Parts
	parts.Relation = parts.Relation && parts.Edges // relations are read only as edges
	return neighborhoodCypher(q.Depth, parts.variant()), params, nil
}

// NeighborhoodStatement exposes the statement Neighborhood runs for q and
// its parameters to the benchmark's floor (bench/floor), so that the floor
// runs the best statement known for the query, vetgraph's own. Invalid
// input gives the errors Neighborhood gives.
func NeighborhoodStatement(q NeighborhoodQuery) (string, map[string]any, error) {
	return q.statement()
}

// PathQuery selects paths between two entities.
type PathQuery struct {
	From, To string
	Types    []kg.RelType // relationships followed; empty means every vocabulary type
	MaxHops  int          // 1…MaxHops relationships
	First    int          // 1…MaxPaths paths
	Directed bool         // follow relationships only from start to end node
	AsOf     string       // partial date: only relationships that held then; "" for all
	Parts    Parts        // Degree, Entity and Relation apply; Edges and More do not
}

// Paths returns up to First simple paths (no entity twice) from From to To
// of at most MaxHops relationships, shortest first, ties ordered by their
// relation ids; two paths differ when their relations differ, so the same
// entities joined by two relations (say two BUILT statements) are two paths.
// From = To gives the one path of length 0 when the entity exists. An
// unknown id or no path within the bound gives none; arguments out of bounds
// give kg.ErrInvalidInput.
//
// It asks for the paths of the shortest length first (a statement without
// the simple-path condition, which shortest paths need not check) and for
// more lengths only while fewer than First were found, so a well-connected
// pair, and every shortest-path question, costs one statement.
func (s *Store) Paths(ctx context.Context, q PathQuery) ([]Path, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	var paths []Path
	for groups := 1; groups <= q.MaxHops; groups++ {
		cypher, params, err := q.statement(groups)
		if err != nil {
			return nil, err
		}
		recs, err := s.readBounded(ctx, cypher, params, "from", "to")
		if err != nil {
			return nil, err
		}
		paths = paths[:0]
		lengths := map[int]bool{}
		for _, rec := range recs {
			p, err := toPath(rec.Values[0].([]any), rec.Values[1].([]any))
			if err != nil {
				return nil, err
			}
			lengths[len(p.Edges)] = true
			paths = append(paths, p)
		}
		// Done when First paths were found, or when fewer lengths than asked
		// for exist (no longer paths within the bound).
		if len(paths) == q.First || len(lengths) < groups {
			break
		}
	}
	return paths, nil
}

// check refuses bounds out of range.
func (q PathQuery) check() error {
	if q.MaxHops < 1 || q.MaxHops > MaxHops {
		return fmt.Errorf("%w: maxHops must be between 1 and %d, got %d", kg.ErrInvalidInput, MaxHops, q.MaxHops)
	}
	if q.First < 1 || q.First > MaxPaths {
		return fmt.Errorf("%w: first must be between 1 and %d, got %d", kg.ErrInvalidInput, MaxPaths, q.First)
	}
	return nil
}

// statement checks q and returns the statement that finds its paths in the
// groups shortest lengths (1…q.MaxHops), and its parameters.
func (q PathQuery) statement(groups int) (string, map[string]any, error) {
	if err := q.check(); err != nil {
		return "", nil, err
	}
	if groups < 1 || groups > q.MaxHops {
		return "", nil, fmt.Errorf("%w: groups must be between 1 and %d, got %d", kg.ErrInvalidInput, q.MaxHops, groups)
	}
	params, err := exploreParams(q.Types, q.AsOf)
	if err != nil {
		return "", nil, err
	}
	params["from"], params["to"], params["first"] = q.From, q.To, q.First
	dir := 0
	if q.Directed {
		dir = 1
	}
	parts := q.Parts
	parts.Edges, parts.More = false, false
	return pathsCypher(dir, q.MaxHops, groups, parts.variant()), params, nil
}

func toPath(nodes, rels []any) (Path, error) {
	var p Path
	for i, x := range nodes {
		m := x.(map[string]any)
		p.Nodes = append(p.Nodes, toNode(m["node"], m["degree"], i))
	}
	for _, x := range rels {
		m := x.(map[string]any)
		rel := toRelation(m["props"].(map[string]any), m["type"].(string))
		from, err := idOf(m["from"], "a relationship's start node")
		if err != nil {
			return Path{}, err
		}
		if rel.To, err = idOf(m["to"], "a relationship's end node"); err != nil {
			return Path{}, err
		}
		rel.From = from
		p.Edges = append(p.Edges, rel)
	}
	return p, nil
}

// toNode maps a returned node (a whole node, or the map of nodeNarrow) and
// its degree (null when not asked for) to a Node.
func toNode(node, degree any, distance int) Node {
	var n Node
	switch v := node.(type) {
	case neo4j.Node:
		n.Entity = toEntity(v)
	case map[string]any:
		n.Entity = entityFromProps(v)
	}
	if d, ok := degree.(int64); ok {
		n.Degree = int(d)
	}
	n.Distance = distance
	return n
}

// CommonNeighbors returns the entities, other than a and b, with a
// relationship of one of types (empty: every vocabulary type) to both, in id
// order, at most MaxCommon; Distance is 1, Degree and the whole entity as
// parts asks. None when a or b does not exist.
func (s *Store) CommonNeighbors(ctx context.Context, a, b string, types []kg.RelType, parts Parts) ([]Node, error) {
	params, err := exploreParams(types, "")
	if err != nil {
		return nil, err
	}
	params["a"], params["b"], params["limit"] = a, b, MaxCommon
	recs, err := s.readBounded(ctx, commonNeighborsCypher(Parts{Degree: parts.Degree, Entity: parts.Entity}.variant()), params, "a", "b")
	if err != nil {
		return nil, err
	}
	out := make([]Node, 0, len(recs))
	for _, rec := range recs {
		out = append(out, toNode(rec.Values[0], rec.Values[1], 1))
	}
	return out, nil
}

// exploreParams checks types against the vocabulary and asOf as a partial
// date, and returns the parameters every exploration statement takes:
// $types and $asOf.
func exploreParams(types []kg.RelType, asOf string) (map[string]any, error) {
	vocabulary := make([]string, len(kg.Vocabulary()))
	for i, v := range kg.Vocabulary() {
		vocabulary[i] = string(v.Type)
	}
	ts := vocabulary
	if len(types) > 0 {
		ts = make([]string, len(types))
		for i, t := range types {
			if _, ok := kg.LookupRelType(string(t)); !ok {
				return nil, fmt.Errorf("%w: relationship type %q is not in the vocabulary", kg.ErrInvalidInput, t)
			}
			ts[i] = string(t)
		}
	}
	d, err := DateParam(asOf, true)
	if err != nil {
		return nil, fmt.Errorf("asOf: %w", err)
	}
	return map[string]any{"types": ts, "asOf": d}, nil
}

// kindsParam checks kinds; empty gives nil (all kinds).
func kindsParam(kinds []kg.Kind) (any, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	out := make([]string, len(kinds))
	for i, k := range kinds {
		if _, ok := kg.ParseKind(string(k)); !ok {
			return nil, fmt.Errorf("%w: kind %q", kg.ErrInvalidInput, k)
		}
		out[i] = string(k)
	}
	return out, nil
}

// readBounded runs one read query like read, but with the exploration
// transaction timeout: Neo4j stops the statement after its exploration timeout, and
// the error wraps kg.ErrUnavailable.
//
// The timeout counts from the start of the transaction, so it would also
// count Neo4j's planning of the statement, which takes seconds the first
// time (measured with CYPHER replan=force on the 2-core development
// machine: 0.4 to 1.4 s for a path statement, 1.5 to 3.4 s for a
// neighbourhood with every part) and nothing once the plan is cached.
// Neo4j caches a plan per statement text and parameter shape (the size of a
// list or string parameter matters: a $types of one type is planned apart
// from one of eighteen). So the first time a shape is seen, the statement is
// run once without the timeout (within the request's own deadline) with the
// entity ids in anchorKeys replaced by strings of the same length that match
// no entity, which plans it and reads nothing (one index seek); the real run
// then has the whole timeout for execution. Planning every variant at
// start-up instead would take minutes and crowd Neo4j's plan cache with
// statements never asked for.
func (s *Store) readBounded(ctx context.Context, cypher string, params map[string]any, anchorKeys ...string) ([]*neo4j.Record, error) {
	if len(anchorKeys) > 0 {
		if err := s.prepare(ctx, cypher, params, anchorKeys); err != nil {
			return nil, err
		}
	}
	ctx, release, err := hold(ctx)
	if err != nil {
		return nil, translate(err)
	}
	defer release()
	countStatement(ctx)
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer,
		readOptions(ctx, neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithReadersRouting(),
			neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(s.exploreTimeout)))...)
	if err != nil {
		return nil, translate(err)
	}
	return res.Records, nil
}

// prepared holds the (store, statement, parameter shape) keys already
// planned; at most maxPrepared of them are remembered (beyond that a new
// shape is simply planned within the timeout).
var (
	prepared      sync.Map
	preparedCount atomic.Int64
)

const maxPrepared = 10000

type preparedKey struct {
	s      *Store
	cypher string
	shape  string
}

func (s *Store) prepare(ctx context.Context, cypher string, params map[string]any, anchorKeys []string) error {
	key := preparedKey{s: s, cypher: cypher, shape: paramShape(params)}
	if _, ok := prepared.Load(key); ok {
		return nil
	}
	blank := make(map[string]any, len(params))
	for k, v := range params {
		blank[k] = v
	}
	for _, k := range anchorKeys {
		id, _ := params[k].(string)
		blank[k] = strings.Repeat("~", len(id)) // no id holds "~"
	}
	if _, err := s.read(ctx, cypher, blank); err != nil {
		return err
	}
	if preparedCount.Add(1) <= maxPrepared {
		prepared.Store(key, true)
	}
	return nil
}

// paramShape describes the parameters as Neo4j's plan cache tells them
// apart: name, type, and the length of strings and lists.
func paramShape(params map[string]any) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		switch v := params[k].(type) {
		case string:
			fmt.Fprintf(&b, "%s:s%d ", k, len(v))
		case []string:
			fmt.Fprintf(&b, "%s:l%d ", k, len(v))
		default:
			fmt.Fprintf(&b, "%s:%T ", k, v)
		}
	}
	return b.String()
}
