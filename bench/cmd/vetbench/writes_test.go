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
