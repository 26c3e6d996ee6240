package graph_test

import (
	"context"
	"slices"
	"testing"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// Our own test document for a relationship type the built-in vocabulary
// lacks: a school that sends teachers to a programme.
const teachesDoc = `测试快讯：重庆工程职业技术学院每年派出教师到坦桑尼亚鲁班工坊授课。`

const addTeachesAt = `mutation($in: RelationTypeInput!, $reason: String!) { addRelationType(input: $in, reason: $reason) {
  created replayed change { operation subjects }
  relationType { type builtin symmetric zh: label en: label(lang: EN) inverseEn: inverseLabel(lang: EN) fromKinds toKinds } } }`

func teachesAtInput() map[string]any {
	return map[string]any{
		"type": "TEACHES_AT", "zh": "派教师到…授课", "en": "teaches at", "inverseZh": "的授课教师来自",
		"inverseEn": "is taught by", "fromKinds": []any{"SCHOOL"}, "toKinds": []any{"PROGRAM", "SCHOOL"},
		"example": "(重庆工程职业技术学院)-[:TEACHES_AT]->(坦桑尼亚鲁班工坊)",
	}
}

// An admin adds a relationship type through GraphQL and it is usable at
// once: a RelationType value in literals, variables and introspection, in
// addRelation and in every read; refused definitions write nothing.
func TestVocabularyGrowsAtRuntime(t *testing.T) {
	srv := curationServer(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	anon := curationClient{t, srv.URL, ""}
	curator := curationClient{t, srv.URL, "curator"}
	admin := curationClient{t, srv.URL, "admin"}
	const readTeaches = `{ entity(id: "cqvie") { relations(types: [TEACHES_AT]) { totalCount edges { node { label(lang: EN) other { id } } } } } }`

	// Before: not a RelationType value.
	if code := anon.code(readTeaches, nil); code != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("an unknown type in a literal: %s", code)
	}
	vars := map[string]any{"in": teachesAtInput(), "reason": "test: schools send teachers to programmes"}
	if code := curator.code(addTeachesAt, vars); code != "FORBIDDEN" {
		t.Errorf("a curator adds a type: %s", code)
	}

	// Refused definitions, each with its code; nothing written by any.
	before := neo4jtest.TakeSnapshot(t)
	versionBefore := kg.VocabularyVersion()
	bad := func(name string, change func(in map[string]any), reason string, code string) {
		t.Helper()
		in := teachesAtInput()
		change(in)
		if got := admin.code(addTeachesAt, map[string]any{"in": in, "reason": reason}); got != code {
			t.Errorf("%s: %s, want %s", name, got, code)
		}
	}
	bad("no reason", func(map[string]any) {}, " ", "BAD_USER_INPUT")
	bad("lower case", func(in map[string]any) { in["type"] = "teaches_at" }, "r", "BAD_USER_INPUT")
	bad("Cypher in the name", func(in map[string]any) { in["type"] = "X]->() DETACH DELETE n //" }, "r", "BAD_USER_INPUT")
	bad("built in", func(in map[string]any) { in["type"] = "MEMBER_OF" }, "r", "BAD_USER_INPUT")
	bad("reserved", func(in map[string]any) { in["type"] = "NAME_OF" }, "r", "BAD_USER_INPUT")
	bad("no kinds", func(in map[string]any) { in["toKinds"] = []any{} }, "r", "BAD_USER_INPUT")
	bad("one inverse label", func(in map[string]any) { delete(in, "inverseEn") }, "r", "BAD_USER_INPUT")
	bad("empty label", func(in map[string]any) { in["en"] = "" }, "r", "BAD_USER_INPUT")
	bad("NUL in a label", func(in map[string]any) { in["zh"] = "派教师\x00授课" }, "r", "BAD_USER_INPUT")
	bad("unknown kind", func(in map[string]any) { in["fromKinds"] = []any{"PLANET"} }, "r", "BAD_USER_INPUT")
	if after := neo4jtest.TakeSnapshot(t); after != before {
		t.Errorf("refused addRelationType changed the graph: %+v → %+v", before, after)
	}
	if kg.VocabularyVersion() != versionBefore {
		t.Error("a refused type changed the vocabulary")
	}

	// Added: usable at once.
	r := admin.ok(addTeachesAt, vars)["addRelationType"].(map[string]any)
	rt := r["relationType"].(map[string]any)
	if r["created"] != true || rt["type"] != "TEACHES_AT" || rt["builtin"] != false || rt["symmetric"] != false ||
		rt["en"] != "teaches at" || rt["inverseEn"] != "is taught by" || r["change"].(map[string]any)["operation"] != "addRelationType" {
		t.Errorf("addRelationType = %v", r)
	}
	if again := admin.ok(addTeachesAt, vars)["addRelationType"].(map[string]any); again["created"] != false || again["change"] != nil {
		t.Errorf("the same type again = %v; want nothing written", again)
	}
	other := teachesAtInput()
	other["toKinds"] = []any{"PROGRAM"}
	stored := neo4jtest.TakeSnapshot(t)
	if code := admin.code(addTeachesAt, map[string]any{"in": other, "reason": "r"}); code != "CONFLICT" {
		t.Errorf("another definition under a stored name: %s", code)
	}
	if after := neo4jtest.TakeSnapshot(t); after != stored {
		t.Errorf("a conflicting addRelationType changed the graph: %+v → %+v", stored, after)
	}

	intro := anon.ok(`{ __type(name: "RelationType") { enumValues { name description } } relationTypes { type builtin label(lang: EN) } }`, nil)
	var values []string
	for _, v := range intro["__type"].(map[string]any)["enumValues"].([]any) {
		values = append(values, v.(map[string]any)["name"].(string))
	}
	if !slices.Contains(values, "TEACHES_AT") || !slices.Contains(values, "MEMBER_OF") {
		t.Errorf("introspection's RelationType values = %v", values)
	}
	types := intro["relationTypes"].([]any)
	if last := types[len(types)-1].(map[string]any); last["type"] != "TEACHES_AT" || last["builtin"] != false || last["label"] != "teaches at" {
		t.Errorf("relationTypes ends with %v", last)
	}

	curator.ok(`mutation($text: String!) { addDocument(input: {id: "gql_teaches_doc", title: "测试快讯", language: "zh", text: $text}) { created } }`,
		map[string]any{"text": teachesDoc})
	add := `mutation($from: ID!, $to: ID!) { addRelation(input: {type: TEACHES_AT, from: $from, to: $to,
	  evidence: {document: "gql_teaches_doc", quote: "重庆工程职业技术学院每年派出教师到坦桑尼亚鲁班工坊授课"}}) { created relation { type label(lang: EN) } } }`
	if code := curator.code(add, map[string]any{"from": "tanzania-luban-workshop", "to": "cqvie"}); code != "BAD_USER_INPUT" {
		t.Errorf("an added type between kinds it does not allow: %s", code)
	}
	rel := curator.ok(add, map[string]any{"from": "cqvie", "to": "tanzania-luban-workshop"})["addRelation"].(map[string]any)
	if rel["created"] != true || rel["relation"].(map[string]any)["type"] != "TEACHES_AT" || rel["relation"].(map[string]any)["label"] != "teaches at" {
		t.Errorf("addRelation of an added type = %v", rel)
	}
	read := anon.ok(readTeaches, nil)["entity"].(map[string]any)["relations"].(map[string]any)
	if read["totalCount"] != 1.0 || read["edges"].([]any)[0].(map[string]any)["node"].(map[string]any)["other"].(map[string]any)["id"] != "tanzania-luban-workshop" {
		t.Errorf("reading the added type = %v", read)
	}
	byVar := anon.ok(`query($t: [RelationType!]) { neighborhood(id: "tanzania-luban-workshop", types: $t) { nodes { id } edges { type } }
	  entity(id: "tanzania-luban-workshop") { relations(direction: IN) { edges { node { type inverse: label(lang: EN) } } } } }`,
		map[string]any{"t": []any{"TEACHES_AT"}})
	if es := byVar["neighborhood"].(map[string]any)["edges"].([]any); len(es) != 1 || es[0].(map[string]any)["type"] != "TEACHES_AT" {
		t.Errorf("neighborhood over the added type = %v", byVar["neighborhood"])
	}
	found := false
	for _, e := range byVar["entity"].(map[string]any)["relations"].(map[string]any)["edges"].([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		found = found || (n["type"] == "TEACHES_AT" && n["inverse"] == "is taught by")
	}
	if !found {
		t.Error("the workshop's relations (IN) lack the added type read inversely")
	}

	// Another replica (a process that has not seen the type) reads it from
	// Neo4j; a load of the data files keeps it and its relation.
	if _, err := kg.SetAddedTypes(nil); err != nil {
		t.Fatal(err)
	}
	if code := anon.code(readTeaches, nil); code != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("a process without the type still takes it: %s", code)
	}
	st := neo4jtest.Store(t)
	if changed, err := st.RefreshVocabulary(context.Background()); err != nil || !changed {
		t.Fatalf("RefreshVocabulary = %v, %v", changed, err)
	}
	g, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	if n := anon.ok(readTeaches, nil)["entity"].(map[string]any)["relations"].(map[string]any)["totalCount"]; n != 1.0 {
		t.Errorf("after a refresh and a load, TEACHES_AT relations of cqvie: %v", n)
	}
}

// The served schema lists added types as RelationType values, their labels
// (any text, quotes and backslashes included) as descriptions.
func TestSchemaForAddedTypes(t *testing.T) {
	if s, err := graph.SchemaFor(kg.Builtin); s != nil || err != nil {
		t.Errorf("SchemaFor(built-in) = %v, %v; want nil (gqlgen's own)", s, err)
	}
	added := kg.RelTypeInfo{
		Type: "QUOTED_BY", Zh: `被"引用"`, En: `is quoted \ by`, InverseZh: "引用", InverseEn: "quotes",
		From: []kg.Kind{kg.School}, To: []kg.Kind{kg.Event},
	}
	s, err := graph.SchemaFor(append(slices.Clone(kg.Builtin), added))
	if err != nil {
		t.Fatal(err)
	}
	enum := s.Types["RelationType"]
	v := enum.EnumValues.ForName("QUOTED_BY")
	if v == nil || v.Description != `被"引用" / is quoted \ by (added)` || enum.EnumValues.ForName("MEMBER_OF") == nil {
		t.Errorf("RelationType values: %v", enum.EnumValues)
	}
}
