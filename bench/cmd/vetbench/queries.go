package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// A benchmark query: the same request for every target, with identical
// variables; norm turns a target's answer into comparable ids.
type benchQuery struct {
	Name     string
	About    string
	Vetgraph string // GraphQL for vetgraph
	Peer     string // GraphQL for the peer
	// norm maps a decoded answer of target t to a list of strings; two
	// targets agree when the lists are equal (ordered where order is part
	// of the answer, sorted otherwise).
	norm func(t string, data map[string]any) ([]string, error)
	// subset: a target agrees with the floor when its list is not empty
	// and every string of it is in the floor's (the floor answers with a
	// statement's rows, which the target grades and cuts to a page).
	subset bool
}

// noPeer is the reason a query without a Peer form is not measured on the
// peer.
const noPeer = "not measured: @neo4j/graphql has no equivalent"

var queries = []benchQuery{
	{
		Name: "point", About: "point lookup by id (a school)",
		Vetgraph: `query Point($id: ID!) { entity(id: $id) { id kind nameZh nameEn aliases ... on School { city schoolType } } }`,
		Peer:     `query Point($id: ID!) { schools(where: {id: {eq: $id}}) { id kind nameZh nameEn aliases city schoolType } }`,
		norm: func(t string, d map[string]any) ([]string, error) {
			switch t {
			case "vetgraph":
				return ids(get(d, "data", "entity")), nil
			case "peer":
				return ids(get(d, "data", "schools")), nil
			default:
				return ids(rowsCol(d, "entity")), nil
			}
		},
	},
	{
		Name: "page", About: "filtered, sorted page: first 20 enterprises related to a country, by English name",
		Vetgraph: `query Page($country: ID!, $first: Int!) { enterprises(filter: {country: $country}, orderBy: {field: NAME_EN, direction: ASC}, first: $first) { edges { node { id nameZh nameEn city } } pageInfo { hasNextPage endCursor } } }`,
		Peer:     `query Page($country: ID!, $first: Int!) { enterprisesConnection(where: {locatedInCountries: {some: {id: {eq: $country}}}}, sort: [{sortEn: ASC}, {id: ASC}], first: $first) { edges { node { id nameZh nameEn city } } pageInfo { hasNextPage endCursor } } }`,
		norm: func(t string, d map[string]any) ([]string, error) {
			var out []string
			switch t {
			case "vetgraph", "peer":
				field := "enterprises"
				if t == "peer" {
					field = "enterprisesConnection"
				}
				c := get(d, "data", field)
				for _, e := range list(get(c, "edges")) {
					out = append(out, str(get(e, "node", "id")))
				}
				out = append(out, fmt.Sprintf("hasNext=%v", get(c, "pageInfo", "hasNextPage")))
			default:
				rows := list(get(d, "rows"))
				for i, r := range rows {
					if i == 20 {
						break
					}
					out = append(out, str(get(r, "entity", "id")))
				}
				out = append(out, fmt.Sprintf("hasNext=%v", len(rows) > 20))
			}
			return out, nil // ordered
		},
	},
	{
		Name: "twohop", About: "nested two-hop expansion: a school's alliances (first 10) and their members (first 10 each)",
		Vetgraph: `query TwoHop($id: ID!, $first: Int!) { entity(id: $id) { id relations(types: [MEMBER_OF], direction: OUT, kinds: [ALLIANCE], first: $first) { edges { node { id evidence { quote } other { id nameZh relations(types: [MEMBER_OF], direction: IN, first: $first) { edges { node { id other { id nameZh } } } } } } } } } }`,
		Peer:     `query TwoHop($id: ID!, $first: Int!) { schools(where: {id: {eq: $id}}) { id memberOfAlliancesConnection(first: $first, sort: [{edge: {id: ASC}}]) { edges { properties { id quote } node { id nameZh membersConnection(first: $first, sort: [{edge: {id: ASC}}]) { edges { properties { id } node { id nameZh } } } } } } } }`,
		norm: func(t string, d map[string]any) ([]string, error) {
			var out []string
			switch t {
			case "vetgraph":
				for _, e := range list(get(d, "data", "entity", "relations", "edges")) {
					a := str(get(e, "node", "other", "id"))
					out = append(out, a)
					for _, m := range list(get(e, "node", "other", "relations", "edges")) {
						out = append(out, a+">"+str(get(m, "node", "other", "id")))
					}
				}
			case "peer":
				for _, s := range list(get(d, "data", "schools")) {
					for _, e := range list(get(s, "memberOfAlliancesConnection", "edges")) {
						a := str(get(e, "node", "id"))
						out = append(out, a)
						for _, m := range list(get(e, "node", "membersConnection", "edges")) {
							out = append(out, a+">"+str(get(m, "node", "id")))
						}
					}
				}
			default:
				for _, r := range list(get(d, "rows")) {
					for _, a := range list(get(r, "alliances")) {
						out = append(out, str(get(a, "id")))
						for _, m := range list(get(a, "members")) {
							out = append(out, str(get(a, "id"))+">"+str(get(m, "id")))
						}
					}
				}
			}
			sort.Strings(out)
			return out, nil
		},
	},
	{
		Name: "search", About: "full-text search over names (schools, first 10)",
		Vetgraph: `query Search($text: String!, $first: Int!) { search(text: $text, kinds: [SCHOOL], first: $first) { entity { id nameZh } score } }`,
		Peer:     `query Search($text: String!, $first: Int!) { searchSchools(text: $text, first: $first) { id nameZh } }`,
		norm: func(t string, d map[string]any) ([]string, error) {
			var out []string
			switch t {
			case "vetgraph":
				for _, h := range list(get(d, "data", "search")) {
					out = append(out, str(get(h, "entity", "id")))
				}
			case "peer":
				out = ids(get(d, "data", "searchSchools"))
			default: // the store's statement returns the node
				for _, r := range list(get(d, "rows")) {
					out = append(out, str(get(r, "n", "Props", "id")))
				}
			}
			sort.Strings(out)
			return out, nil
		},
	},
	{
		Name: "path", About: "shortest path between two entities (at most 4 hops, either direction)",
		Vetgraph: `query Path($from: ID!, $to: ID!) { shortestPath(from: $from, to: $to, maxHops: 4) { length nodes { id name } edges { id type } } }`,
		Peer:     `query Path($from: ID!, $to: ID!) { shortestPath(from: $from, to: $to) { id nameZh } }`,
		norm: func(t string, d map[string]any) ([]string, error) {
			switch t {
			case "vetgraph":
				return ids(get(d, "data", "shortestPath", "nodes")), nil
			case "peer":
				return ids(get(d, "data", "shortestPath")), nil
			default:
				var out []string
				for _, r := range list(get(d, "rows")) {
					out = append(out, ids(get(r, "nodes"))...)
				}
				return out, nil // ordered: the path
			}
		},
	},
	{
		Name: "neighborhood", About: "depth-2 neighbourhood of an entity, at most 50 nodes nearest first",
		Vetgraph: `query Hood($id: ID!, $limit: Int!) { neighborhood(id: $id, depth: 2, limit: $limit) { nodes { id name distance } truncated } }`,
		Peer:     `query Hood($id: ID!, $limit: Int!) { neighborhood(id: $id, limit: $limit) { id nameZh } }`,
		norm: func(t string, d map[string]any) ([]string, error) {
			var out []string
			switch t {
			case "vetgraph":
				out = ids(get(d, "data", "neighborhood", "nodes"))
			case "peer":
				out = ids(get(d, "data", "neighborhood"))
			default: // vetgraph's statement: per node {n: {id, …}, d, …}
				for _, r := range list(get(d, "rows")) {
					for _, n := range list(get(r, "nodes")) {
						out = append(out, str(get(n, "n", "id")))
					}
				}
			}
			sort.Strings(out)
			return out, nil
		},
	},
	{
		Name: "evidence", About: "evidence search: the first 10 hits for a phrase in quotes, names, facts and documents, with highlights",
		Vetgraph: `query Evidence($text: String!, $first: Int!) { searchEvidence(text: $text, first: $first) { totalCount edges { node { kind score highlights { field text offset ranges { start end } } ... on EntityHit { entity { id } } ... on RelationHit { relation { id } } ... on FactHit { fact { id } } ... on DocumentHit { document { id } } } } } }`,
		subset:   true,
		norm: func(t string, d map[string]any) ([]string, error) {
			var out []string
			if t == "vetgraph" {
				for _, e := range list(get(d, "data", "searchEvidence", "edges")) {
					n := get(e, "node")
					kind := str(get(n, "kind"))
					id := ""
					for _, f := range []string{"entity", "relation", "fact", "document"} {
						if x := str(get(n, f, "id")); x != "" {
							id = x
						}
					}
					out = append(out, kind+" "+id)
				}
				return out, nil
			}
			for _, r := range list(get(d, "rows")) { // {kind, id} (floor.evidenceRow)
				out = append(out, str(get(r, "kind"))+" "+str(get(r, "id")))
			}
			sort.Strings(out)
			return out, nil
		},
	},
}

func queryByName(name string) (benchQuery, bool) {
	for _, q := range queries {
		if q.Name == name {
			return q, true
		}
	}
	return benchQuery{}, false
}

// ---- small JSON walkers ----

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// ids returns the "id" of an object or of each object of a list.
func ids(v any) []string {
	switch x := v.(type) {
	case map[string]any:
		return []string{str(x["id"])}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, str(get(e, "id")))
		}
		return out
	}
	return nil
}

// rowsCol returns column col of every floor row.
func rowsCol(d map[string]any, col string) any {
	var out []any
	for _, r := range list(get(d, "rows")) {
		out = append(out, get(r, col))
	}
	return out
}

// gqlErrors returns the messages of a GraphQL answer's errors.
func gqlErrors(d map[string]any) string {
	var msgs []string
	for _, e := range list(d["errors"]) {
		msgs = append(msgs, str(get(e, "message")))
	}
	if s := str(d["error"]); s != "" {
		msgs = append(msgs, s)
	}
	return strings.Join(msgs, "; ")
}

func decode(b []byte) (map[string]any, error) {
	var d map[string]any
	err := json.Unmarshal(b, &d)
	return d, err
}
