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
