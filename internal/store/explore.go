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
// nodes are never followed: every pattern names :Entity at each node and keeps
// only relationships whose type is in $types, a list taken from kg.Vocabulary.
//
// Every statement is bounded three ways:
//   - hops: a variable-length pattern needs a literal upper bound (Cypher does
//     not accept a parameter there, nor, in 5.26, for the k of SHORTEST k
//     GROUPS), so each bound has its own statement, built once at start-up
//     from a template and integers; the caller's number only selects one of
//     them after it was checked;
//   - rows: LIMIT $limit / $first on every result, and a LIMIT on the edges
//     collected per node;
//   - time: each statement runs with a transaction timeout (exploreTimeout),
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
	// exploreTimeout is the transaction timeout of every exploration statement.
	exploreTimeout = 5 * time.Second
)

// relValid is the Cypher predicate that keeps a relationship r of an allowed
// type that held on $asOf (null: any time): begun by then and not ended
// before it; a relationship with no stated time is kept. The same rule as
// relationsPage's $asOf.
const relValid = `type(r) IN $types
      AND ($asOf IS NULL OR ((r.fromDate IS NULL OR r.fromDate <= $asOf) AND (r.endDate IS NULL OR r.endDate >= $asOf)))`

const (
	// neighborhoodTmpl returns the centre $id and the entities nearest to it,
	// one row per node in (distance, id) order: at most $limit nodes, the
	// centre (distance 0) first. %[1]d is the depth (1…MaxDepth), %[2]s is
	// relValid. The nodes are found with one ANY SHORTEST search per end
	// node (a breadth-first search, not an enumeration of paths), following
	// relationships of $types that held on $asOf in either direction through
	// entities of any kind; only end nodes of $kinds (null: all) are returned.
	// One row more than fits is searched for, so `truncated` is known.
	//
	// Per node it returns: its degree (vocabulary relationships in the whole
	// graph, no filter); its outgoing relationships to other returned nodes
	// that pass the filters (so each edge among the returned nodes appears
	// once, at its start node), at most $edgeCap; and per type the number of
	// distinct neighbours through relationships passing the filters, of
	// $kinds, that were not returned.
	neighborhoodTmpl = `
MATCH (c:Entity {id: $id})
CALL (c) {
  MATCH p = ANY SHORTEST (c) (()-[r WHERE %[2]s]-(:Entity)){1,%[1]d} (n:Entity)
  WHERE n <> c AND ($kinds IS NULL OR n.kind IN $kinds)
  WITH n, length(p) AS d
  ORDER BY d, n.id
  LIMIT $limit
  RETURN collect({n: n, d: d}) AS found
}
WITH [{n: c, d: 0}] + found AS found
WITH found[..$limit] AS kept, size(found) > $limit AS truncated
WITH kept, truncated, [k IN kept | k.n] AS ns
UNWIND kept AS k
WITH k.n AS n, k.d AS d, ns, truncated
RETURN n, d, truncated,
  COUNT { (n)-[r]-(:Entity) WHERE type(r) IN $vocabulary } AS degree,
  COLLECT {
    MATCH (n)-[r]->(m:Entity)
    WHERE m IN ns AND %[2]s
    RETURN {props: properties(r), type: type(r), to: m.id} AS e
    ORDER BY r.id
    LIMIT $edgeCap
  } AS edges,
  COLLECT {
    MATCH (n)-[r]-(m:Entity)
    WHERE NOT m IN ns AND ($kinds IS NULL OR m.kind IN $kinds) AND %[2]s
    WITH type(r) AS t, count(DISTINCT m) AS c
    RETURN {type: t, count: c} AS more
    ORDER BY t
  } AS more
ORDER BY d, n.id`

	// pathsTmpl returns simple paths (no node twice) from $from to $to of at
	// most %[2]d relationships (1…MaxHops) in the %[1]d shortest lengths
	// (SHORTEST k GROUPS keeps every path of each of those lengths, so ties
	// are complete and the order below is deterministic). %[3]s is "" for
	// either direction or ">" for paths that follow each relationship's
	// direction; %[4]s is relValid. The simple-path condition is part of the
	// parenthesised path pattern, so it is applied before the shortest
	// groups are selected. Ordered by length, then by the relation ids in
	// path order (compared element by element); at most $first rows.
	//
	// The quantifier starts at 0, not 1: from an entity to itself that
	// gives the path of length 0 (any longer one visits it twice), and
	// Neo4j 5.26 refuses {1,1} in this position ("Parenthesised path
	// patterns are only supported at the top level with a selective path
	// selector"), while {0,1} works.
	pathsTmpl = `
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = SHORTEST %[1]d GROUPS ((a) (()-[r WHERE %[4]s]-%[3]s(x:Entity)){0,%[2]d} (b)
  WHERE NOT a IN x AND all(i IN range(0, size(x) - 2) WHERE NOT x[i] IN x[i + 1..]))
WITH p, [rel IN relationships(p) | rel.id] AS ids
ORDER BY length(p), ids
LIMIT $first
RETURN [n IN nodes(p) | {node: n, degree: COUNT { (n)-[q]-(:Entity) WHERE type(q) IN $vocabulary }}] AS nodes,
  [rel IN relationships(p) | {props: properties(rel), type: type(rel), from: startNode(rel).id, to: endNode(rel).id}] AS rels`

	// commonNeighbors returns the entities other than $a and $b that have a
	// relationship of $types (either direction) to both, with their degree,
	// in id order, at most $limit. No rows when $a or $b does not exist.
	commonNeighbors = `
MATCH (a:Entity {id: $a})-[r]-(m:Entity)
WHERE type(r) IN $types AND m <> a AND m.id <> $b
  AND EXISTS { MATCH (m)-[q]-(:Entity {id: $b}) WHERE type(q) IN $types }
WITH DISTINCT m
RETURN m, COUNT { (m)-[r]-(:Entity) WHERE type(r) IN $vocabulary } AS degree
ORDER BY m.id
LIMIT $limit`
)

// Statements built once from the templates, indexed by their bounds.
var (
	neighborhoodCypher [MaxDepth + 1]string
	// pathsCypher[directed][hops][groups], 1 ≤ groups ≤ hops ≤ MaxHops.
	pathsCypher [2][MaxHops + 1][MaxHops + 1]string
)

func init() {
	for d := 1; d <= MaxDepth; d++ {
		neighborhoodCypher[d] = fmt.Sprintf(neighborhoodTmpl, d, relValid)
	}
	for dir, arrow := range []string{"", ">"} {
		for h := 1; h <= MaxHops; h++ {
			for g := 1; g <= h; g++ {
				pathsCypher[dir][h][g] = fmt.Sprintf(pathsTmpl, g, h, arrow, relValid)
			}
		}
	}
}

// Node is an entity of a returned subgraph or path.
type Node struct {
	Entity kg.Entity
	// Degree is the number of vocabulary relationships of the entity in the
	// whole graph, whatever the filters of the query.
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
type Subgraph struct {
	Nodes     []Node
	Edges     []kg.Relation
	More      []More
	Truncated bool // the node limit (or the edge bound per node) cut the result
}

// Path is a path from its first node to its last; Edges[i] joins Nodes[i]
// and Nodes[i+1] and keeps its own direction (From/To).
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
}

// Neighborhood returns the entities within Depth hops of ID, at most Limit
// of them nearest first, the relationships among them, and per node and
// type the neighbours left out. It returns an error wrapping kg.ErrNotFound
// when there is no entity ID, and kg.ErrInvalidInput for arguments out of
// their bounds.
func (s *Store) Neighborhood(ctx context.Context, q NeighborhoodQuery) (Subgraph, error) {
	if q.Depth < 1 || q.Depth > MaxDepth {
		return Subgraph{}, fmt.Errorf("%w: depth must be between 1 and %d, got %d", kg.ErrInvalidInput, MaxDepth, q.Depth)
	}
	if q.Limit < 1 || q.Limit > MaxNeighborhood {
		return Subgraph{}, fmt.Errorf("%w: limit must be between 1 and %d, got %d", kg.ErrInvalidInput, MaxNeighborhood, q.Limit)
	}
	params, err := exploreParams(q.Types, q.AsOf)
	if err != nil {
		return Subgraph{}, err
	}
	if params["kinds"], err = kindsParam(q.Kinds); err != nil {
		return Subgraph{}, err
	}
	params["id"], params["limit"], params["edgeCap"] = q.ID, q.Limit, maxEdgesPerNode
	recs, err := s.readBounded(ctx, neighborhoodCypher[q.Depth], params, "id")
	if err != nil {
		return Subgraph{}, err
	}
	if len(recs) == 0 {
		return Subgraph{}, fmt.Errorf("entity %q: %w", q.ID, kg.ErrNotFound)
	}
	var sg Subgraph
	for _, rec := range recs {
		v := rec.Values
		n := v[0].(neo4j.Node)
		e := toEntity(n)
		sg.Nodes = append(sg.Nodes, Node{Entity: e, Distance: int(v[1].(int64)), Degree: int(v[3].(int64))})
		sg.Truncated = sg.Truncated || v[2].(bool)
		edges := v[4].([]any)
		if len(edges) >= maxEdgesPerNode {
			sg.Truncated = true
		}
		for _, x := range edges {
			m := x.(map[string]any)
			rel := toRelation(m["props"].(map[string]any), m["type"].(string))
			rel.From, rel.To = e.ID, m["to"].(string)
			sg.Edges = append(sg.Edges, rel)
		}
		for _, x := range v[5].([]any) {
			m := x.(map[string]any)
			sg.More = append(sg.More, More{NodeID: e.ID, Type: kg.RelType(m["type"].(string)), Count: int(m["count"].(int64))})
		}
	}
	return sg, nil
}

// PathQuery selects paths between two entities.
type PathQuery struct {
	From, To string
	Types    []kg.RelType // relationships followed; empty means every vocabulary type
	MaxHops  int          // 1…MaxHops relationships
	First    int          // 1…MaxPaths paths
	Directed bool         // follow relationships only from start to end node
	AsOf     string       // partial date: only relationships that held then; "" for all
}

// Paths returns up to First simple paths (no entity twice) from From to To
// of at most MaxHops relationships, shortest first, ties ordered by their
// relation ids; two paths differ when their relations differ, so the same
// entities joined by two relations (say two BUILT statements) are two paths.
// From = To gives the one path of length 0 when the entity exists. An
// unknown id or no path within the bound gives none; arguments out of bounds
// give kg.ErrInvalidInput.
//
// It asks for the paths of the shortest length first and for more lengths
// only while fewer than First were found, so a well-connected pair costs one
// statement.
func (s *Store) Paths(ctx context.Context, q PathQuery) ([]Path, error) {
	if q.MaxHops < 1 || q.MaxHops > MaxHops {
		return nil, fmt.Errorf("%w: maxHops must be between 1 and %d, got %d", kg.ErrInvalidInput, MaxHops, q.MaxHops)
	}
	if q.First < 1 || q.First > MaxPaths {
		return nil, fmt.Errorf("%w: first must be between 1 and %d, got %d", kg.ErrInvalidInput, MaxPaths, q.First)
	}
	params, err := exploreParams(q.Types, q.AsOf)
	if err != nil {
		return nil, err
	}
	params["from"], params["to"], params["first"] = q.From, q.To, q.First
	dir := 0
	if q.Directed {
		dir = 1
	}
	var paths []Path
	for groups := 1; groups <= q.MaxHops; groups++ {
		recs, err := s.readBounded(ctx, pathsCypher[dir][q.MaxHops][groups], params, "from", "to")
		if err != nil {
			return nil, err
		}
		paths = paths[:0]
		lengths := map[int]bool{}
		for _, rec := range recs {
			p := toPath(rec.Values[0].([]any), rec.Values[1].([]any))
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

func toPath(nodes, rels []any) Path {
	var p Path
	for i, x := range nodes {
		m := x.(map[string]any)
		p.Nodes = append(p.Nodes, Node{Entity: toEntity(m["node"].(neo4j.Node)), Degree: int(m["degree"].(int64)), Distance: i})
	}
	for _, x := range rels {
		m := x.(map[string]any)
		rel := toRelation(m["props"].(map[string]any), m["type"].(string))
		rel.From, rel.To = m["from"].(string), m["to"].(string)
		p.Edges = append(p.Edges, rel)
	}
	return p
}

// CommonNeighbors returns the entities, other than a and b, with a
// relationship of one of types (empty: every vocabulary type) to both, in id
// order, at most MaxCommon; Distance is 1. None when a or b does not exist.
func (s *Store) CommonNeighbors(ctx context.Context, a, b string, types []kg.RelType) ([]Node, error) {
	params, err := exploreParams(types, "")
	if err != nil {
		return nil, err
	}
	params["a"], params["b"], params["limit"] = a, b, MaxCommon
	recs, err := s.readBounded(ctx, commonNeighbors, params, "a", "b")
	if err != nil {
		return nil, err
	}
	out := make([]Node, 0, len(recs))
	for _, rec := range recs {
		out = append(out, Node{Entity: toEntity(rec.Values[0].(neo4j.Node)), Degree: int(rec.Values[1].(int64)), Distance: 1})
	}
	return out, nil
}

// exploreParams checks types against the vocabulary and asOf as a partial
// date, and returns the parameters every exploration statement takes:
// $types, $vocabulary (every type, for degrees) and $asOf.
func exploreParams(types []kg.RelType, asOf string) (map[string]any, error) {
	vocabulary := make([]string, len(kg.Vocabulary))
	for i, v := range kg.Vocabulary {
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
	return map[string]any{"types": ts, "vocabulary": vocabulary, "asOf": d}, nil
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
// transaction timeout: Neo4j stops the statement after exploreTimeout, and
// the error wraps kg.ErrUnavailable.
//
// The timeout counts from the start of the transaction, so it would also
// count Neo4j's planning of the statement, which takes seconds the first
// time (several on a cold or busy server) and nothing once the plan is
// cached. Neo4j caches a plan per statement text and parameter shape (the
// size of a list or string parameter matters: a $types of one type is
// planned apart from one of eighteen). So the first time a shape is seen,
// the statement is run once without the timeout (within the request's own
// deadline) with the entity ids in anchorKeys replaced by strings of the same
// length that match no entity, which plans it and reads nothing; the real
// run then has the whole timeout for execution.
func (s *Store) readBounded(ctx context.Context, cypher string, params map[string]any, anchorKeys ...string) ([]*neo4j.Record, error) {
	if len(anchorKeys) > 0 {
		if err := s.prepare(ctx, cypher, params, anchorKeys); err != nil {
			return nil, err
		}
	}
	countStatement(ctx)
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithReadersRouting(),
		neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(exploreTimeout)))
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
