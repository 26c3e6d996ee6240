package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestComputeKeepsEachNoteOnce(t *testing.T) {
	r := &Report{Notes: []string{"a", "b", "a", "c", "b"}}
	r.compute()
	if want := []string{"a", "b", "c"}; !slices.Equal(r.Notes, want) {
		t.Fatalf("notes = %q, want %q", r.Notes, want)
	}
}

// An -append run that measures a scale's reads again keeps that scale's
// earlier write results; a run that measures its writes replaces them.
func TestAppendKeepsEarlierWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.json")
	old := Report{Started: "t0", Scales: []ScaleResult{
		{Nodes: 10000, Writes: &WriteResult{Started: "t0w", Reps: 7}},
		{Nodes: 100000},
	}}
	b, _ := json.Marshal(old)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Report{}
	r.appendEarlier(path, []int{10000})
	r.addScale(ScaleResult{Nodes: 10000}, false)
	var got *ScaleResult
	for i := range r.Scales {
		if r.Scales[i].Nodes == 10000 {
			got = &r.Scales[i]
		}
	}
	if got == nil || got.Writes == nil || got.Writes.Started != "t0w" || got.Writes.Reps != 7 {
		t.Fatalf("10k after a reads-only run: %+v, want the earlier writes kept", got)
	}
	if len(r.Scales) != 2 {
		t.Fatalf("%d scales, want the earlier 100k kept beside the new 10k", len(r.Scales))
	}
	r2 := &Report{}
	r2.appendEarlier(path, []int{10000})
	r2.addScale(ScaleResult{Nodes: 10000, Writes: &WriteResult{Started: "t1w"}}, false)
	for _, s := range r2.Scales {
		if s.Nodes == 10000 && s.Writes.Started != "t1w" {
			t.Fatalf("writes measured again: %q, want the new ones", s.Writes.Started)
		}
	}
}

// The read targets are judged by the median of the per-repetition ratios:
// Neo4j slows threefold during the run (after the floor's run of
// repetition 1, before vetgraph's), so vetgraph is 1.2× the floor in
// repetitions 0 and 2 and 3.6× in 1. The median of those is 1.2, where the
// ratio of the medians (vetgraph's slow runs against the floor's fast
// ones) would say 3.6 and fail the target; the note gives both.
func TestReadTargetsUsePairedRatios(t *testing.T) {
	runs := func(p50 ...float64) []Run {
		var out []Run
		for i, p := range p50 {
			out = append(out, Run{Rep: i, P50ms: p, RPS: 100 / p, P99ms: 2 * p, CPUmsPerReq: 1})
		}
		return out
	}
	cell := func(target string, rs []Run) Cell {
		c := Cell{Query: "point", Target: target, Runs: rs}
		ps := make([]float64, len(rs))
		for i, r := range rs {
			ps[i] = r.P50ms
		}
		c.P50ms, c.RPS, c.P99ms, c.CPUmsPerReq = median(ps), 100/median(ps), 2*median(ps), 1
		return c
	}
	r := &Report{
		Queries: []QueryInfo{{Name: "point"}},
		Scales: []ScaleResult{{Nodes: 100000, Cells: []Cell{
			cell("floor", runs(1, 1, 3)),
			cell("vetgraph", runs(1.2, 3.6, 3.6)),
			cell("peer", runs(2, 6, 6)),
		}}},
	}
	r.compute()
	var p50 *TargetCheck
	for i := range r.Targets {
		if r.Targets[i].Target == "p50 vetgraph/floor ≤" {
			p50 = &r.Targets[i]
		}
	}
	if p50 == nil || p50.Value != 1.2 || p50.Met != "yes" {
		t.Fatalf("p50 target %+v, want 1.2 and met", p50)
	}
	if want := "per repetition 1.20–3.60, median 1.20; ratio of the medians 3.60"; p50.Note != want {
		t.Errorf("note %q, want %q", p50.Note, want)
	}
}
