package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/config"
	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// The load command refuses a broken data set with a report naming each
// problem, and the graph is left exactly as it was.
func TestLoadRefusesBrokenDataAndWritesNothing(t *testing.T) {
	neo4jtest.Store(t) // the repository's data is loaded
	before := neo4jtest.TakeSnapshot(t)

	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(neo4jtest.DataDir())); err != nil {
		t.Fatal(err)
	}
	rels := filepath.Join(dir, "sources", "000_c17574c6fccee1e4", "relations.yaml")
	f, err := os.OpenFile(rels, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// One good new relation (which must not be written either) and three bad ones.
	_, _ = f.WriteString(`
  - from: cqipc
    type: SPOKE_AT
    to: chuanyu-cup-skills-competition-1st
    quote: 首届“川渝杯”职业院校技能大赛
  - from: cqvie
    type: BUILT
    to: tanzania-luban-workshop
    key: moon
    quote: 在月球上建设
  - from: cqvie
    type: RUNS
    to: no-such-programme
    quote: 重庆工程职业技术学院
  - from: cqvie
    type: OWNS
    to: cqipc
    quote: 重庆工程职业技术学院
`)
	f.Close()

	cfg, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = dir
	err = load(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var ve *dataset.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("load = %v, want a validation error", err)
	}
	for _, want := range []string{"relations.yaml: relations[", "not a verbatim substring", `"no-such-programme": no such entity`, `type "OWNS" is not in the vocabulary`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("report lacks %q:\n%v", want, err)
		}
	}
	if len(ve.Problems) != 3 {
		t.Errorf("want 3 problems, got %d:\n%v", len(ve.Problems), err)
	}
	if after := neo4jtest.TakeSnapshot(t); after != before {
		t.Errorf("graph changed by a refused load: %+v → %+v", before, after)
	}
}
