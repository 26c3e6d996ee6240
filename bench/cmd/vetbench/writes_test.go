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

// TestWriteTargetsUsePairedRatios: with a drift through the run, the
// targets are judged by the median of per-repetition ratios.
func TestWriteTargetsUsePairedRatios(t *testing.T) {
	runs := func(p50s, rpss []float64) []Run {
		var out []Run
		for i := range p50s {
			out = append(out, Run{Rep: i, P50ms: p50s[i], RPS: rpss[i]})
		}
		return out
	}
	// Everything speeds up through the run; within a repetition vetgraph
	// is close to the floor, across repetitions far from it.
	v := Cell{Target: "vetgraph", Runs: runs([]float64{200, 150, 100}, []float64{50, 70, 100})}
	f := Cell{Target: "floor", Runs: runs([]float64{190, 110, 95}, []float64{55, 90, 105})}
	rps := func(r Run) float64 { return r.RPS }
	if got, want := pairedMedian(&v, &f, rps), 50.0/55; got != want {
		t.Fatalf("paired rps median = %v, want %v (ratios 0.909, 0.778, 0.952)", got, want)
	}
	if got, want := pairedMedian(&v, &f, func(r Run) float64 { return r.P50ms }), 200.0/190; got != want {
		t.Fatalf("paired p50 median = %v, want %v", got, want)
	}
	if pairedMedian(&v, &Cell{}, rps) != 0 {
		t.Fatal("no runs to pair must give 0 (not measured)")
	}
}
