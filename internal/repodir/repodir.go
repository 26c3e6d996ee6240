// Package repodir finds the repository's root directory, for the commands
// and tests that read its files (data/, scripts/neo4j, bench/) and are run
// from anywhere inside it.
package repodir

import (
	"errors"
	"os"
	"path/filepath"
)

// ErrOutside: no directory from the working directory up holds go.mod.
var ErrOutside = errors.New("run it inside the vetgraph repository (no go.mod found above the working directory)")

// Root returns the nearest directory holding go.mod, from the working
// directory upward, or ErrOutside.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrOutside
		}
		dir = parent
	}
}
