package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// oddData writes values the loader and the mutations would never write,
// straight into the test Neo4j with Cypher: properties of unexpected types,
// an unknown kind, 64-bit integers, temporal values. Every node carries
// oddTest, and the test's cleanup deletes them.
const oddData = `
CREATE (s:Entity:School {oddTest: true, id: 'odd-school', kind: 'School', nameZh: '怪异学校', nameEn: 42,
        aliases: 5, version: 1.5, nameEnOfficial: 'yes', city: date('2020-01-01')})
CREATE (big:Entity:School {oddTest: true, id: 'odd-big', kind: 'School', nameZh: '大数学校', version: 9007199254740993})
CREATE (p:Entity:Planet {oddTest: true, id: 'odd-planet', kind: 'Planet', nameZh: '怪异行星'})
CREATE (k:Entity:School {oddTest: true, id: 'odd-kind-int', kind: 7, nameZh: '怪异整数'})
CREATE (a:Entity:Alliance {oddTest: true, id: 'odd-alliance', kind: 'Alliance', nameZh: '怪异联盟'})
CREATE (prog:Entity:Program {oddTest: true, id: 'odd-program', kind: 'Program', nameZh: '怪异项目',
        start: datetime('2019-05-12T10:30:00+02:00')})
CREATE (d:Document {oddTest: true, id: 'odd-doc', title: '怪异文档', language: 'zh', text: '怪异', date: date('2021-03-04')})
CREATE (bad:Document {oddTest: true, id: 'odd-doc-bad', title: 99, language: 'zh', text: '怪异'})
CREATE (s)-[:MENTIONED_IN]->(d)
CREATE (big)-[:MEMBER_OF {id: 'odd-rel-date', sourceId: 'odd-doc', quote: '怪异', at: date('2019-05-12')}]->(a)
CREATE (big)-[:PARTICIPATES_IN {id: 'odd-rel-datetime', sourceId: 'odd-doc', quote: '怪异',
        since: datetime('2019-05-12T10:00:00.5+02:00'), until: datetime({year: 2020, month: 6, day: 1, hour: 8, timezone: 'Asia/Shanghai'})}]->(prog)
CREATE (a)-[:RUNS {id: 'odd-rel-local', sourceId: 'odd-doc-bad', quote: '怪异', at: localdatetime('2018-01-02T03:04:05')}]->(prog)
CREATE (prog)-[:LOCATED_IN {id: 'odd-rel-time', sourceId: 'odd-doc', quote: '怪异', at: time('10:00:00+02:00')}]->(a)
CREATE (s)-[:MEMBER_OF {id: 'odd-rel-planet', sourceId: 'odd-doc', quote: '怪异'}]->(p)
CREATE (:Name {oddTest: true, key: $planetKey, field: 'nameZh', text: '怪异行星'})-[:NAME_OF]->(p)
CREATE (f1:Fact {oddTest: true, id: 'odd-fact-1-int', labelZh: '人数', labelEn: 'people', value: 3000000000, unit: 'person', qualifier: 'MORE_THAN', sourceId: 'odd-doc', quote: '怪异'})-[:FACT_OF]->(big)
CREATE (f2:Fact {oddTest: true, id: 'odd-fact-2-huge', labelZh: '次数', labelEn: 'times', value: 9007199254740993, unit: 'time', qualifier: 'EXACT', sourceId: 'odd-doc', quote: '怪异'})-[:FACT_OF]->(big)
CREATE (f3:Fact {oddTest: true, id: 'odd-fact-3-string', labelZh: '字符', value: '700', unit: 'person', qualifier: 'EXACT', sourceId: 'odd-doc', quote: '怪异'})-[:FACT_OF]->(s)
CREATE (f4:Fact {oddTest: true, id: 'odd-fact-4-nan', labelZh: '非数', value: 0.0/0.0, unit: 'person', qualifier: 'EXACT', sourceId: 'odd-doc', quote: '怪异'})-[:FACT_OF]->(a)
CREATE (f5:Fact {oddTest: true, id: 'odd-fact-5-qualifier', labelZh: '限定', value: 1.0, unit: 'person', qualifier: 'ROUGHLY', sourceId: 'odd-doc', quote: '怪异',
        at: datetime('2022-07-01T00:00:00Z')})-[:FACT_OF]->(prog)
CREATE (docInt:Document {oddTest: true, id: 12345, title: '编号文档', language: 'zh', text: '怪异'})
CREATE (prog)-[:MENTIONED_IN]->(docInt)
CREATE (idInt:Entity:School {oddTest: true, id: 777, kind: 'School', nameZh: '整数编号学校'})
CREATE (idInt)-[:PARTNERS_WITH {id: 'odd-rel-int-end', sourceId: 'odd-doc', quote: '怪异'}]->(k)
CREATE (:Change {oddTest: true, id: '0000-odd-change', at: localdatetime('2020-01-01T00:00:00'), subjects: ['odd-big'], op: 'addFact',
        summary: 'odd', actor: 'odd', actorRole: 'curator'})
CREATE (:RetractedFact {oddTest: true, id: 'odd-fact-retracted', labelZh: '撤回', value: 1.0, unit: 'person', qualifier: 'EXACT',
        sourceId: 'odd-doc', quote: '怪异', retractedAt: date('2020-01-01'), retractedBy: 'odd', retractReason: 'odd'})-[:FACT_OF]->(big)`

// writeOddData writes oddData and deletes it when t ends.
func writeOddData(t *testing.T) {
	t.Helper()
	drv := neo4jtest.Driver(t)
	run := func(cypher string, params map[string]any) {
		t.Helper()
		if _, err := neo4j.ExecuteQuery(context.Background(), drv, cypher, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(neo4jtest.Database())); err != nil {
			t.Fatalf("%v\n%s", err, cypher)
		}
	}
	const cleanup = `MATCH (n {oddTest: true}) DETACH DELETE n`
	run(cleanup, nil)
	t.Cleanup(func() { run(cleanup, nil) })
	run(oddData, map[string]any{"planetKey": textkey.Key("怪异行星")})
}

// A value the graph holds is served exactly or refused with DATA_ERROR at
// the field that reads it, with its path; never a default (0, "", [],
// null, another kind).
func TestOddStoredValues(t *testing.T) {
	server(t)
	writeOddData(t)
	for _, tc := range []struct {
		name, query string
		want        string // the data, as JSON
		errPath     string // the DATA_ERROR's path, "" for none
		inMessage   string
	}{
		// 64-bit integers, exact.
		{"Int64 past 2^53", `{ entity(id: "odd-big") { version } }`, `{"entity":{"version":9007199254740993}}`, "", ""},
		{
			"integer fact past 2^31", `{ entity(id: "odd-big") { facts { value text(lang: EN) } } }`,
			`{"entity":{"facts":[{"text":"more than 3000000000","value":3000000000},{"text":"9007199254740993","value":9007199254740993}]}}`, "", "",
		},
		{
			"integer fact in Chinese", `{ entity(id: "odd-big") { facts { text } } }`,
			`{"entity":{"facts":[{"text":"300000万余"},{"text":"900719925474.0993万"}]}}`, "", "",
		},
		// Temporal values, as ISO-8601 with offset and zone.
		{
			"date", `{ entity(id: "odd-big") { relations(types: [MEMBER_OF]) { edges { node { at { value precision start end } } } } } }`,
			`{"entity":{"relations":{"edges":[{"node":{"at":{"end":"2019-05-12","precision":"DAY","start":"2019-05-12","value":"2019-05-12"}}}]}}}`, "", "",
		},
		{
			"datetime with offset and with zone", `{ entity(id: "odd-big") { relations(types: [PARTICIPATES_IN]) { edges { node { since { value start } until { value end } } } } } }`,
			`{"entity":{"relations":{"edges":[{"node":{"since":{"start":"2019-05-12","value":"2019-05-12T10:00:00.5+02:00"},"until":{"end":"2020-06-01","value":"2020-06-01T08:00:00+08:00[Asia/Shanghai]"}}}]}}}`, "", "",
		},
		{
			"local datetime", `{ entity(id: "odd-alliance") { relations(types: [RUNS]) { edges { node { at { value } } } } } }`,
			`{"entity":{"relations":{"edges":[{"node":{"at":{"value":"2018-01-02T03:04:05"}}}]}}}`, "", "",
		},
		{
			"datetime as a programme's start", `{ entity(id: "odd-program") { ... on Program { start { value precision } } } }`,
			`{"entity":{"start":{"precision":"DAY","value":"2019-05-12T10:30:00+02:00"}}}`, "", "",
		},
		{"date of a document", `{ document(id: "odd-doc") { date { value } } }`, `{"document":{"date":{"value":"2021-03-04"}}}`, "", ""},
		{
			"datetime UTC of a fact", `{ entity(id: "odd-program") { facts { at { value } } } }`,
			`{"entity":{"facts":[{"at":{"value":"2022-07-01T00:00:00Z"}}]}}`, "", "",
		},
		// Unexpected types: a field error with its path; the other fields served.
		{
			"string property holds an integer", `{ entity(id: "odd-school") { id nameZh nameEn } }`,
			`{"entity":{"id":"odd-school","nameEn":null,"nameZh":"怪异学校"}}`, "entity.nameEn", "nameEn holds an integer, not a string",
		},
		{
			"English name falls back through a bad nameEn", `{ entity(id: "odd-school") { name(lang: EN) } }`,
			`{"entity":null}`, "entity.name", "nameEn",
		},
		{"list property holds an integer", `{ entity(id: "odd-school") { aliases } }`, `{"entity":null}`, "entity.aliases", "not a list of strings"},
		{"Int64 property holds a float", `{ entity(id: "odd-school") { version } }`, `{"entity":null}`, "entity.version", "a float, not an integer"},
		{"boolean property holds a string", `{ entity(id: "odd-school") { nameEnOfficial } }`, `{"entity":null}`, "entity.nameEnOfficial", "not a boolean"},
		{"a city holds a date", `{ entity(id: "odd-school") { ... on School { city } } }`, `{"entity":{"city":null}}`, "entity.city", "a date, not a string"},
		{"fact value holds a string", `{ entity(id: "odd-school") { facts { id value } } }`, `{"entity":null}`, "entity.facts.0.value", "value holds a string, not a number"},
		{"fact value is NaN", `{ entity(id: "odd-alliance") { facts { value } } }`, `{"entity":null}`, "entity.facts.0.value", "not a finite number"},
		{"unknown qualifier", `{ entity(id: "odd-program") { facts { qualifier } } }`, `{"entity":null}`, "entity.facts.0.qualifier", `"ROUGHLY"`},
		{
			"a time of day is not a date", `{ entity(id: "odd-program") { relations(types: [LOCATED_IN]) { edges { node { id at { value } } } } } }`,
			`{"entity":{"relations":{"edges":[{"node":{"at":null,"id":"odd-rel-time"}}]}}}`, "entity.relations.edges.0.node.at", "time of day (10:00:00+02:00) without a date",
		},
		{"document title holds an integer", `{ document(id: "odd-doc-bad") { id title } }`, `{"document":null}`, "document.title", "title holds an integer"},
		{
			"a change logged at a local datetime", `{ entity(id: "odd-big") { history { edges { node { id at } } } } }`, `{"entity":null}`,
			"entity.history.edges.0.node", "at holds a local datetime, not a datetime",
		},
		{
			"a retraction dated by a date", `{ entity(id: "odd-big") { retracted { at reason } } }`, `{"entity":null}`,
			"entity.retracted.0", "retractedAt holds a date, not a datetime",
		},
		{"a document id that is an integer", `{ entity(id: "odd-program") { sources { id } } }`, `{"entity":null}`, "entity.sources", "id of a document holds an integer"},
		{
			"an entity id that is an integer, at a relationship's start", `{ neighborhood(id: "odd-kind-int") { nodes { name } edges { to } } }`, `{"neighborhood":null}`,
			"neighborhood", "id holds an integer",
		},
		{
			"an entity id that is an integer, as a node", `{ neighborhood(id: "odd-kind-int") { nodes { id } } }`, `{"neighborhood":null}`,
			"neighborhood.nodes.1.id", "id holds an integer",
		},
		{"counting entities of an unknown kind", `{ entityCounts(groupBy: KIND) { key count } }`, `null`, "entityCounts", "not a kind"},
		// An unknown kind has no GraphQL type: an error where the entity is, never Award.
		{"unknown kind at a root", `{ entity(id: "odd-planet") { __typename id } }`, `{"entity":null}`, "entity", `"Planet", which is not a kind`},
		{"kind holds an integer", `{ entity(id: "odd-kind-int") { id } }`, `{"entity":null}`, "entity", "kind holds an integer"},
		{
			"unknown kind at a relation's other end", `{ entity(id: "odd-school") { relations(types: [MEMBER_OF]) { edges { node { id other { id } } } } } }`,
			`{"entity":null}`, "entity.relations.edges.0.node.other", "Planet",
		},
		{
			"unknown kind in a list", `{ entities(filter: {nameContains: "怪异行星"}) { edges { node { id } } } }`,
			`null`, "entities.edges.0.node", "Planet",
		},
		{"unknown kind in search", `{ search(text: "怪异行星") { entity { id } } }`, `null`, "search.0.entity", "Planet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postExact(t, tc.query)
			if r.Status != 200 {
				t.Errorf("status %d", r.Status)
			}
			got, _ := json.Marshal(r.Data)
			if tc.want == "null" && r.Data == nil {
				got = []byte("null")
			}
			if string(got) != tc.want {
				t.Errorf("data = %s\nwant   %s", got, tc.want)
			}
			if tc.errPath == "" {
				if len(r.Errors) > 0 {
					t.Errorf("errors = %+v, want none", r.Errors)
				}
				return
			}
			if len(r.Errors) != 1 {
				t.Fatalf("errors = %+v, want one DATA_ERROR", r.Errors)
			}
			e := r.Errors[0]
			if code := e.Extensions["code"]; code != graph.CodeDataError || pathString(e.Path) != tc.errPath || !strings.Contains(e.Message, tc.inMessage) {
				t.Errorf("error %s at %s: %q; want %s at %s with %q", code, pathString(e.Path), e.Message, graph.CodeDataError, tc.errPath, tc.inMessage)
			}
		})
	}
}

// postExact is post with numbers decoded exactly (json.Number), so that a
// 64-bit integer is compared digit for digit.
func postExact(t *testing.T, query string) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	res, err := http.Post(server(t).URL, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	dec := json.NewDecoder(res.Body)
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("response is not JSON (status %d): %v", res.StatusCode, err)
	}
	return response{Status: res.StatusCode, Data: out.Data, Errors: out.Errors}
}

// pathString writes a response error's path as a.b.0.c.
func pathString(p []any) string {
	s := make([]string, len(p))
	for i, x := range p {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ".")
}
