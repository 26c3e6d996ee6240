package graph_test

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Issue 12, the analyst's API: relation walks that fit the depth limit,
// names where exploration takes ids, the root relations list, roll-up of
// parts, incremental delivery and Relay node. Each test asks the real
// handler over the test Neo4j.

// walk is a relation walk of hops levels from cqvie, first relations per
// page, ending in the other entity's id and Chinese name.
func walk(hops, first int) string {
	page := "relations(first: " + strconv.Itoa(first) + ") { edges { node { type other { id nameZh "
	return `{ entity(id: "cqvie") { id ` + strings.Repeat(page, hops) + strings.Repeat("} } } } ", hops) + `} }`
}

// A four-hop walk fits the default limits (depth 12, cost 50,000): a
// connection's edges and node count no level. Deeper walks are refused by
// depth, and a walk whose pages multiply too far by cost, each with its code.
func TestFourHopWalkFitsTheDefaultLimits(t *testing.T) {
	d := ask(t, walk(4, 3), nil)
	path := "entity" + strings.Repeat(".relations.edges.*.node.other", 4) + ".id"
	if ids := pluck(d, path); len(ids) == 0 {
		t.Fatalf("no entity four hops from cqvie: %v", d)
	}
	// The same walk with the evidence of the last hop's relations: still in.
	q := strings.Replace(walk(4, 3), "type other { id nameZh } }", "type evidence { quote document { title } } other { id nameZh } }", 1)
	if !strings.Contains(q, "evidence") {
		t.Fatal("test query not rewritten")
	}
	ask(t, q, nil)

	for _, tc := range []struct {
		name, query, code string
	}{
		// 1 + 2 per hop + the leaf: six hops are 14 levels.
		{"six hops", walk(6, 1), graph.CodeDepthLimit},
		// Four hops of 50 relations each: 50⁴ rows.
		{"four hops of 50", walk(4, 50), graph.CodeComplexityLimit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, tc.query, nil)
			if code(r) != tc.code || r.Data["entity"] != nil {
				t.Errorf("errors %+v, data %v; want %s", r.Errors, r.Data, tc.code)
			}
		})
	}
	// Five hops with small pages fit exactly: 11 levels and the leaf.
	ask(t, walk(5, 2), nil)
}

// The exploration fields take a name or alias wherever they take an id,
// resolved as entityByName: the answers are those of the ids.
func TestExplorationByName(t *testing.T) {
	byID := ask(t, `{
  s: shortestPath(from: "`+khonKaenCI+`", to: "cqvie") { length nodes { id } edges { id } }
  p: paths(from: "`+khonKaenCI+`", to: "cqvie", first: 3) { nodes { id } edges { id } }
  e: explain(from: "`+khonKaenCI+`", to: "cqvie", lang: EN) { text }
  c: commonNeighbors(a: "`+khonKaenCI+`", b: "cqvie") { id }
  n: neighborhood(id: "cqvie", limit: 5) { nodes { id distance } }
}`, nil)
	byName := ask(t, `{
  s: shortestPath(fromName: "泰国孔敬大学孔子学院", toName: "重庆工程职院") { length nodes { id } edges { id } }
  p: paths(fromName: "Confucius Institute at Khon Kaen University", to: "cqvie", first: 3) { nodes { id } edges { id } }
  e: explain(from: "`+khonKaenCI+`", toName: " ｃｑｖｉｅ ", lang: EN) { text }
  c: commonNeighbors(aName: "泰国孔敬大学孔子学院", bName: "CQVIE") { id }
  n: neighborhood(name: "渝工程", limit: 5) { nodes { id distance } }
}`, nil)
	for _, k := range []string{"s", "p", "e", "c", "n"} {
		a, _ := json.Marshal(byID[k])
		b, _ := json.Marshal(byName[k])
		if string(a) != string(b) {
			t.Errorf("%s by name = %s, by id %s", k, b, a)
		}
	}
	if pluck(byName, "s.length")[0] != "2" {
		t.Errorf("shortest path by name: %v", byName["s"])
	}
}

// Bad references: an unknown name or id is NOT_FOUND naming the argument,
// both or neither of id and name BAD_USER_INPUT, a blank or overlong name
// BAD_USER_INPUT.
func TestExplorationBadReferences(t *testing.T) {
	for _, tc := range []struct {
		name, query, code, inMessage string
	}{
		{"unknown name", `{ explain(fromName: "没有这个学校", to: "cqvie") { text } }`, graph.CodeNotFound, `"没有这个学校" (fromName)`},
		{"unknown id", `{ explain(from: "cqvie", to: "no-such-school") { text } }`, graph.CodeNotFound, `"no-such-school" (to)`},
		{"unknown name, neighborhood", `{ neighborhood(name: "Atlantis Polytechnic") { truncated } }`, graph.CodeNotFound, "(name)"},
		{"unknown name, commonNeighbors", `{ commonNeighbors(a: "cqvie", bName: "Atlantis") { id } }`, graph.CodeNotFound, "(bName)"},
		{"both", `{ shortestPath(from: "cqvie", fromName: "CQVIE", to: "cqipc") { length } }`, graph.CodeBadInput, "from or fromName, not both"},
		{"neither", `{ shortestPath(to: "cqipc") { length } }`, graph.CodeBadInput, "give from"},
		{"neither, neighborhood", `{ neighborhood { truncated } }`, graph.CodeBadInput, "give id"},
		{"blank name", `{ paths(fromName: "  ", to: "cqipc") { length } }`, graph.CodeBadInput, "not blank"},
		{"long name", `{ paths(fromName: "` + strings.Repeat("名", 201) + `", to: "cqipc") { length } }`, graph.CodeBadInput, "1–200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, tc.query, nil)
			if code(r) != tc.code || !strings.Contains(r.Errors[0].Message, tc.inMessage) {
				t.Errorf("errors %+v; want %s with %q", r.Errors, tc.code, tc.inMessage)
			}
		})
	}
}

// A name two entities hold (which writes refuse, but a graph may hold) is
// AMBIGUOUS_NAME, listing both with id, kind and names, in the exploration
// fields and in entityByName.
func TestExplorationAmbiguousName(t *testing.T) {
	const name = "歧义测试名"
	drv := neo4jtest.Driver(t)
	ctx := context.Background()
	run := func(cypher string) {
		t.Helper()
		if _, err := neo4j.ExecuteQuery(ctx, drv, cypher, map[string]any{"key": textkey.Key(name), "name": name},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database())); err != nil {
			t.Fatal(err)
		}
	}
	cleanup := `MATCH (n:Entity) WHERE n.id IN ['test-ambiguous-a', 'test-ambiguous-b'] DETACH DELETE n
WITH count(*) AS done MATCH (k:Name {key: $key}) DETACH DELETE k`
	run(cleanup)
	t.Cleanup(func() { run(cleanup) })
	run(`CREATE (a:Entity:School {id: 'test-ambiguous-a', kind: 'School', nameZh: '歧义学院', origin: 'api'}),
  (b:Entity:Organization {id: 'test-ambiguous-b', kind: 'Organization', nameZh: '歧义机构', nameEn: 'Ambiguity Office', origin: 'api'}),
  (k:Name {key: $key, text: $name, origin: 'api'}), (k)-[:NAME_OF]->(a), (k)-[:NAME_OF]->(b)`)

	r := post(t, `{ explain(fromName: "歧义测试名", to: "cqvie") { text } }`, nil)
	if code(r) != graph.CodeAmbiguousName {
		t.Fatalf("errors %+v, want %s", r.Errors, graph.CodeAmbiguousName)
	}
	e := r.Errors[0]
	for _, want := range []string{"test-ambiguous-a (歧义学院)", "test-ambiguous-b (歧义机构)", "fromName"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q lacks %q", e.Message, want)
		}
	}
	got, _ := json.Marshal(e.Extensions["candidates"])
	want := `[{"id":"test-ambiguous-a","kind":"SCHOOL","nameEn":null,"nameZh":"歧义学院"},{"id":"test-ambiguous-b","kind":"ORGANIZATION","nameEn":"Ambiguity Office","nameZh":"歧义机构"}]`
	if string(got) != want || e.Extensions["argument"] != "fromName" || e.Extensions["name"] != name {
		t.Errorf("extensions = %v\n candidates %s\nwant %s", e.Extensions, got, want)
	}
	// entityByName resolves names the same way: it refuses the name too,
	// instead of answering with one of the two.
	r = post(t, `{ entityByName(name: "歧义测试名") { id } }`, nil)
	if code(r) != graph.CodeAmbiguousName {
		t.Fatalf("entityByName: errors %+v data %v, want %s", r.Errors, r.Data, graph.CodeAmbiguousName)
	}
	got, _ = json.Marshal(r.Errors[0].Extensions["candidates"])
	if string(got) != want || r.Errors[0].Extensions["argument"] != "name" {
		t.Errorf("entityByName: extensions = %v\n candidates %s\nwant %s", r.Errors[0].Extensions, got, want)
	}
}

// relationRow is a relation of the relations list as the tests read it.
type relationRow struct {
	Cursor string `json:"cursor"`
	Node   struct {
		ID        string `json:"id"`
		Type      string `json:"type"`
		Direction string `json:"direction"`
		From      struct {
			ID     string `json:"id"`
			NameZh string `json:"nameZh"`
		} `json:"from"`
		To struct {
			ID string `json:"id"`
		} `json:"to"`
		Other struct {
			ID string `json:"id"`
		} `json:"other"`
		Since *struct {
			Value string `json:"value"`
		} `json:"since"`
		Evidence struct {
			Quote string `json:"quote"`
		} `json:"evidence"`
	} `json:"node"`
}

type relationPage struct {
	TotalCount int           `json:"totalCount"`
	Edges      []relationRow `json:"edges"`
	PageInfo   struct {
		HasNextPage     bool   `json:"hasNextPage"`
		HasPreviousPage bool   `json:"hasPreviousPage"`
		EndCursor       string `json:"endCursor"`
	} `json:"pageInfo"`
}

const relationPageFields = `totalCount edges { cursor node { id type direction from { id nameZh } to { id } other { id }
  since { value } evidence { quote } } } pageInfo { hasNextPage hasPreviousPage endCursor }`

// The relations list at the root: each relation once, read from its
// start node, with both ends; filters by names resolve as ids do; pages
// chain by cursor.
func TestRootRelations(t *testing.T) {
	ref := neo4jtest.Ref(t)
	// Everything CQVIE takes part in, as a list of relations: every one of
	// its relations once, whichever end it is.
	d := ask(t, `{ byName: relations(filter: {either: {names: ["重庆工程职院"]}}, first: 100) { `+relationPageFields+` }
  byID: relations(filter: {either: {ids: ["cqvie"]}}, first: 100) { `+relationPageFields+` } }`, nil)
	byName, byID := decode[relationPage](t, d["byName"]), decode[relationPage](t, d["byID"])
	var want []string
	for _, r := range ref.Rels {
		if r.From == "cqvie" || r.To == "cqvie" {
			want = append(want, r.ID)
		}
	}
	slices.Sort(want)
	var got []string
	for _, e := range byName.Edges {
		got = append(got, e.Node.ID)
		r := refRelation(ref, e.Node.ID)
		if e.Node.From.ID != r.From || e.Node.To.ID != r.To || e.Node.Other.ID != r.To || e.Node.Direction != "OUT" ||
			e.Node.From.NameZh != ref.Entities[r.From].NameZh || e.Node.Evidence.Quote != r.Evidence.Quote {
			t.Errorf("%s: from %s to %s other %s %s, want %s→%s OUT", e.Node.ID, e.Node.From.ID, e.Node.To.ID, e.Node.Other.ID, e.Node.Direction, r.From, r.To)
		}
	}
	if !slices.Equal(got, want) || byName.TotalCount != len(want) {
		t.Errorf("CQVIE's relations = %d (total %d), want %d", len(got), byName.TotalCount, len(want))
	}
	a, _ := json.Marshal(byName)
	b, _ := json.Marshal(byID)
	if string(a) != string(b) {
		t.Error("filter by name and by id differ")
	}

	// What began in 2024, earliest first, two at a time.
	var dated []string
	after := ""
	for range 10 {
		d := ask(t, `query($after: String) { relations(filter: {timeFrom: "2024", timeTo: "2024"}, orderBy: {field: TIME},
  first: 2, after: $after) { `+relationPageFields+` } }`, map[string]any{"after": nilIfEmpty(after)})
		p := decode[relationPage](t, d["relations"])
		for _, e := range p.Edges {
			dated = append(dated, e.Node.ID)
		}
		if p.PageInfo.HasPreviousPage != (after != "") {
			t.Errorf("hasPreviousPage = %t after %q", p.PageInfo.HasPreviousPage, after)
		}
		if !p.PageInfo.HasNextPage {
			break
		}
		after = p.PageInfo.EndCursor
	}
	var want2024 []string
	for _, r := range ref.Rels {
		if t := relYear(r); t == "2024" {
			want2024 = append(want2024, r.ID)
		}
	}
	if len(dated) != len(want2024) || len(dated) < 5 {
		t.Errorf("2024: %q, want the %d relations dated 2024", dated, len(want2024))
	}
	for _, id := range want2024 {
		if !slices.Contains(dated, id) {
			t.Errorf("2024 misses %s", id)
		}
	}
}

// relYear is the year a relation's stated time starts in ("" undated).
func relYear(r kg.Relation) string {
	switch {
	case r.At != nil:
		return strconv.Itoa(r.At.Year)
	case r.Since != nil:
		return strconv.Itoa(r.Since.Year)
	case r.Until != nil:
		return strconv.Itoa(r.Until.Year)
	}
	return ""
}

func refRelation(ref *neo4jtest.Reference, id string) kg.Relation {
	for _, r := range ref.Rels {
		if r.ID == id {
			return r
		}
	}
	return kg.Relation{}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Bad input to the relations list gets coded errors.
func TestRootRelationsBadInput(t *testing.T) {
	d := ask(t, `{ r: relations(first: 1) { pageInfo { endCursor } } e: entity(id: "cqvie") { relations(first: 1) { pageInfo { endCursor } } }
  l: entities(first: 1) { pageInfo { endCursor } } }`, nil)
	listCursor := pluck(d, "r.pageInfo.endCursor")[0]
	entityRelCursor := pluck(d, "e.relations.pageInfo.endCursor")[0]
	entitiesCursor := pluck(d, "l.pageInfo.endCursor")[0]
	many := `["` + strings.Repeat(`a", "`, 100) + `a"]`
	for _, tc := range []struct {
		name, query, code, inMessage string
	}{
		{"unknown name", `{ relations(filter: {from: {names: ["没有这个学校"]}}) { totalCount } }`, graph.CodeNotFound, `"没有这个学校" (filter.from.names)`},
		{"blank name", `{ relations(filter: {to: {names: [" "]}}) { totalCount } }`, graph.CodeBadInput, "filter.to.names"},
		{"too many ids", `{ relations(filter: {either: {ids: ` + many + `}}) { totalCount } }`, graph.CodeBadInput, "more than 100"},
		{"entity relations cursor", `{ relations(after: "` + entityRelCursor + `") { totalCount } }`, graph.CodeBadInput, "cursor"},
		{"entities cursor", `{ relations(after: "` + entitiesCursor + `") { totalCount } }`, graph.CodeBadInput, "cursor"},
		{"cursor of another order", `{ relations(after: "` + listCursor + `", orderBy: {field: TIME}) { totalCount } }`, graph.CodeBadInput, "cursor"},
		{"list cursor to an entity", `{ entity(id: "cqvie") { relations(after: "` + listCursor + `") { totalCount } } }`, graph.CodeBadInput, "cursor"},
		{"made-up cursor", `{ relations(before: "bm9wZQ", last: 2) { totalCount } }`, graph.CodeBadInput, "cursor"},
		{"bad date", `{ relations(filter: {timeFrom: "2024-02-30"}) { totalCount } }`, graph.CodeBadInput, "timeFrom"},
		{"bad asOf", `{ relations(filter: {asOf: "last year"}) { totalCount } }`, graph.CodeBadInput, "asOf"},
		{"first and last", `{ relations(first: 1, last: 1) { totalCount } }`, graph.CodeBadInput, "not both"},
		{"last too big", `{ relations(last: 101) { totalCount } }`, graph.CodePageSizeLimit, "last must be between 1 and 100"},
		{"unknown type", `{ relations(filter: {types: [LIKES]}) { totalCount } }`, "GRAPHQL_VALIDATION_FAILED", "LIKES"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, tc.query, nil)
			if code(r) != tc.code || !strings.Contains(r.Errors[0].Message, tc.inMessage) {
				t.Errorf("errors %+v; want %s with %q", r.Errors, tc.code, tc.inMessage)
			}
		})
	}
	// An id or document no entity has is no error: nothing matches.
	d = ask(t, `{ a: relations(filter: {from: {ids: ["no-such-entity"]}}) { totalCount edges { cursor } }
  b: relations(filter: {document: "no_such_document"}) { totalCount } }`, nil)
	if pluck(d, "a.totalCount")[0] != "0" || pluck(d, "b.totalCount")[0] != "0" {
		t.Errorf("unknown id or document: %v", d)
	}
}

// Roll-up: a college's relations with its sub-college's, each saying
// which part it came through, and the typed shortcuts likewise.
func TestRollUpParts(t *testing.T) {
	// Which enterprises work with CQIPC, including through its
	// sub-colleges? Its School of Vehicle Engineering runs a training that
	// three carmakers and a paint maker take part in.
	d := ask(t, `{ e: entityByName(name: "重庆工业职业技术学院") {
  own: relations(types: [RUNS], direction: OUT) { totalCount }
  relations(types: [RUNS], direction: OUT, includeParts: true) { totalCount edges { node {
    via { id nameZh } from { id } other { nameZh
      relations(types: [PARTICIPATES_IN], direction: IN, kinds: [ENTERPRISE]) { edges { node { other { nameZh } } } } } } } }
  ... on School { programs { id } withParts: programs(includeParts: true) { id } } } }`, nil)
	sameSet(t, "via", pluck(d, "e.relations.edges.*.node.via.nameZh"), []string{"车辆工程学院"})
	sameSet(t, "enterprises through the sub-college", pluck(d, "e.relations.edges.*.node.other.relations.edges.*.node.other.nameZh"),
		[]string{"长安汽车", "吉利汽车", "雅图高新材料股份有限公司"})
	own, all := pluck(d, "e.own.totalCount")[0], pluck(d, "e.relations.totalCount")[0]
	if n, _ := strconv.Atoi(own); strconv.Itoa(n+1) != all {
		t.Errorf("RUNS: %s own, %s with parts; want one more", own, all)
	}
	for _, e := range d["e"].(map[string]any)["relations"].(map[string]any)["edges"].([]any) {
		node := e.(map[string]any)["node"].(map[string]any)
		via, _ := node["via"].(map[string]any)
		from := node["from"].(map[string]any)["id"]
		if (via == nil && from != "cqipc") || (via != nil && from != via["id"]) {
			t.Errorf("edge read from %v, via %v", from, via)
		}
	}
	hasNone(t, "programs without parts", pluck(d, "e.programs.*.id"), []string{"spray-painting-technician-training"})
	hasAll(t, "programs with parts", pluck(d, "e.withParts.*.id"), append(pluck(d, "e.programs.*.id"), "spray-painting-technician-training"))

	// Two levels: the Luban Workshop brand serves no country itself; its
	// workshop in Tanzania does.
	d = ask(t, `{ e: entity(id: "luban-workshop") { ... on Program { countries { id } withParts: countries(includeParts: true) { id nameZh } } } }`, nil)
	sameSet(t, "countries", pluck(d, "e.countries.*.id"), nil)
	sameSet(t, "countries with parts", pluck(d, "e.withParts.*.id"), []string{"tanzania"})
	d = ask(t, `{ e: entity(id: "belt-and-road-initiative") { relations(includeParts: true, types: [BUILT]) { edges { node { via { id } other { id } } } } } }`, nil)
	sameSet(t, "built, two levels down", pluck(d, "e.relations.edges.*.node.via.id"), []string{"tanzania-luban-workshop"})
	sameSet(t, "built by", pluck(d, "e.relations.edges.*.node.other.id"), []string{"cqvie"})
}

// Relay: node(id:) fetches an entity by its global id (its id); the
// entity types implement Node; an unknown id is null.
func TestRelayNode(t *testing.T) {
	d := ask(t, `{ n: node(id: "cqvie") { __typename id ... on School { nameZh schoolType } ... on Entity { kind } }
  none: node(id: "no-such-entity") { id }
  t: __type(name: "Node") { kind possibleTypes { name } } }`, nil)
	if pluck(d, "n.__typename")[0] != "School" || pluck(d, "n.id")[0] != "cqvie" || pluck(d, "n.nameZh")[0] != "重庆工程职业技术学院" ||
		pluck(d, "n.kind")[0] != "SCHOOL" {
		t.Errorf("node = %v", d["n"])
	}
	if d["none"] != nil {
		t.Errorf("unknown node = %v, want null", d["none"])
	}
	if len(pluck(d, "t.possibleTypes.*.name")) != 10 {
		t.Errorf("Node's types = %v, want the ten entity types", pluck(d, "t.possibleTypes.*.name"))
	}
}

// A relation's from and to are its start and end node wherever it is read:
// from the entity asked about as well as from the other end.
func TestRelationEnds(t *testing.T) {
	d := ask(t, `{ entity(id: "cqvie") { relations(first: 100) { edges { node { direction from { id } to { id nameZh } other { id } } } } } }`, nil)
	for _, e := range d["entity"].(map[string]any)["relations"].(map[string]any)["edges"].([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		from, to, other := pluck(n, "from.id")[0], pluck(n, "to.id")[0], pluck(n, "other.id")[0]
		switch n["direction"] {
		case "OUT":
			if from != "cqvie" || to != other {
				t.Errorf("OUT: from %s to %s other %s", from, to, other)
			}
		case "IN":
			if to != "cqvie" || from != other || pluck(n, "to.nameZh")[0] != "重庆工程职业技术学院" {
				t.Errorf("IN: from %s to %s other %s", from, to, other)
			}
		}
	}
}

const deferQuery = `{ entity(id: "cqvie") { id ... @defer { facts { text } } } }`

// @defer over plain JSON (POST or GET): one complete answer, the deferred
// fields in place, no hasNext.
func TestDeferInline(t *testing.T) {
	for _, get := range []bool{false, true} {
		var res *http.Response
		var err error
		if get {
			res, err = http.Get(server(t).URL + "?query=" + url.QueryEscape(deferQuery))
		} else {
			res, err = http.Post(server(t).URL, "application/json", strings.NewReader(`{"query": `+strconv.Quote(deferQuery)+`}`))
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var out map[string]any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("GET %t: %s", get, b)
		}
		if _, ok := out["hasNext"]; ok || out["errors"] != nil {
			t.Errorf("GET %t: %s", get, b)
		}
		if texts := pluck(out, "data.entity.facts.*.text"); len(texts) == 0 {
			t.Errorf("GET %t: no facts: %s", get, b)
		}
	}
}

// @defer with Accept: multipart/mixed: the first part has what is not
// deferred (no null where the deferred facts go: the key is absent), the
// next parts the deferred data at its path, the last hasNext false.
func TestDeferMultipart(t *testing.T) {
	parts := multipartParts(t, deferQuery)
	if len(parts) < 2 {
		t.Fatalf("%d parts, want at least 2: %v", len(parts), parts)
	}
	first := parts[0]
	entity, _ := pluckAny(first, "data", "entity").(map[string]any)
	if entity["id"] != "cqvie" || first["hasNext"] != true {
		t.Errorf("first part = %v", first)
	}
	if _, ok := entity["facts"]; ok {
		t.Errorf("first part holds the deferred facts: %v", entity)
	}
	var facts []string
	for _, p := range parts[1:] {
		for _, inc := range p["incremental"].([]any) {
			m := inc.(map[string]any)
			if path, _ := json.Marshal(m["path"]); string(path) != `["entity"]` {
				t.Errorf("incremental path %s", path)
			}
			facts = append(facts, pluck(m, "data.facts.*.text")...)
		}
	}
	if len(facts) == 0 || parts[len(parts)-1]["hasNext"] != false {
		t.Errorf("deferred parts = %v", parts[1:])
	}
	// Deferred fields under a list, a nested @defer, a fragment spread:
	// still no nulls in a part for what a later part delivers.
	parts = multipartParts(t, `query { entity(id: "cqvie") { ...F @defer } }
fragment F on Entity { facts { value } relations(first: 2) { edges { node { id other { id ... @defer { sources { id } } } } } } }`)
	all, _ := json.Marshal(parts)
	if strings.Contains(string(all), `"sources":null`) || strings.Contains(string(all), `"facts":null`) || len(parts) < 3 {
		t.Errorf("parts = %s", all)
	}
	if n := strings.Count(string(all), `"sources":[{"id":"`+seedDoc+`"}]`); n != 2 {
		t.Errorf("%d deferred sources, want 2: %s", n, all)
	}
	// Without @defer the multipart answer is one complete part.
	parts = multipartParts(t, `{ entity(id: "cqvie") { id facts { text } } }`)
	if len(parts) != 1 || len(pluck(parts[0], "data.entity.facts.*.text")) == 0 {
		t.Errorf("parts = %v", parts)
	}
}

const seedDoc = "000_c17574c6fccee1e4"

// multipartParts posts query accepting multipart/mixed and returns the
// parts' JSON.
func multipartParts(t *testing.T, query string) []map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, server(t).URL, strings.NewReader(`{"query": `+strconv.Quote(query)+`}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "multipart/mixed;deferSpec=20220824, application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	mt, params, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("Content-Type %q: %s", res.Header.Get("Content-Type"), b)
	}
	r := multipart.NewReader(res.Body, params["boundary"])
	var out []map[string]any
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("part %q: %v", b, err)
		}
		out = append(out, m)
	}
	return out
}

func pluckAny(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// Benchmarks of the analyst's fields through the real handler and Neo4j
// (go test -run '^$' -bench Analyst ./graph/ with NEO4J_URI set).

func BenchmarkAnalystRelationsPage(b *testing.B) {
	benchRequests(b, `{ relations(first: 20) { edges { node { id type from { id nameZh } to { id nameZh } evidence { quote } } } } }`, nil)
}

func BenchmarkAnalystRelations2024ByTime(b *testing.B) {
	benchRequests(b, `{ relations(filter: {timeFrom: "2024", timeTo: "2024"}, orderBy: {field: TIME}) { totalCount edges { node { id from { nameZh } to { nameZh } } } } }`, nil)
}

func BenchmarkAnalystRelationsByName(b *testing.B) {
	benchRequests(b, `{ relations(filter: {either: {names: ["重庆工程职院"]}}, first: 50) { edges { node { id from { id } to { id } } } } }`, nil)
}

func BenchmarkAnalystRollUp(b *testing.B) {
	benchRequests(b, `{ entity(id: "cqipc") { relations(includeParts: true, first: 50) { edges { node { id via { id } other { id nameZh } } } } } }`, nil)
}

func BenchmarkAnalystExplainByName(b *testing.B) {
	benchRequests(b, `{ explain(fromName: "泰国孔敬大学孔子学院", toName: "重庆工程职院") { text } }`, nil)
}

func BenchmarkAnalystExplainByID(b *testing.B) {
	benchRequests(b, `{ explain(from: "khon-kaen-university-confucius-institute", to: "cqvie") { text } }`, nil)
}
