package main

import (
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/bench/boltcap"
)

func TestParamShapeListsMapKeys(t *testing.T) {
	got := paramShape(map[string]any{"to": "b", "props": map[string]any{"quote": "q", "id": "x"}, "at": 1})
	if want := "at props{id quote} to"; got != want {
		t.Fatalf("paramShape = %q, want %q", got, want)
	}
}

// TestSameParamsFindsAMissingProperty: a floor that leaves out a property
// vetgraph writes (as it once left out the quote's search words) fails the
// check, naming the statement.
func TestSameParamsFindsAMissingProperty(t *testing.T) {
	create := "MATCH (a:Entity {id: $from}), (b:Entity {id: $to})\nCREATE (a)-[r:PARTNERS_WITH]->(b)"
	v := []boltcap.Statement{
		{Query: "MATCH (c:Change {idempotencyKey: $key})", Params: map[string]any{"key": "k"}},
		{Query: create, Params: map[string]any{"from": "a", "to": "b", "props": map[string]any{"id": "x", "searchTokens": "w"}}},
	}
	f := []boltcap.Statement{
		{Query: v[0].Query, Params: map[string]any{"key": "k2"}},
		{Query: create, Params: map[string]any{"from": "a", "to": "b", "props": map[string]any{"id": "y"}}},
	}
	ck := sameParams(v, f)
	if ck.OK || !strings.Contains(ck.Detail, "searchTokens") || !strings.Contains(ck.Detail, "CREATE") {
		t.Fatalf("sameParams = %+v, want a failure naming searchTokens in the create", ck)
	}
	f[1].Params["props"].(map[string]any)["searchTokens"] = "w"
	if ck := sameParams(v, f); !ck.OK {
		t.Fatalf("sameParams = %+v, want OK", ck)
	}
}

func TestAgreesOnSubsetQueries(t *testing.T) {
	ref := []string{"DOCUMENT d1", "RELATION r1", "RELATION r2"}
	sub := benchQuery{subset: true}
	for _, c := range []struct {
		q    benchQuery
		got  []string
		want bool
	}{
		{sub, []string{"RELATION r2", "DOCUMENT d1"}, true},
		{sub, []string{"RELATION r3"}, false},
		{sub, nil, false},
		{benchQuery{}, []string{"DOCUMENT d1", "RELATION r1"}, false},
		{benchQuery{}, ref, true},
	} {
		if got := agrees(c.q, c.got, ref); got != c.want {
			t.Errorf("agrees(subset=%v, %v) = %v, want %v", c.q.subset, c.got, got, c.want)
		}
	}
}
