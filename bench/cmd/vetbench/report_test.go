package main

import (
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
