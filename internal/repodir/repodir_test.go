package repodir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRootFindsGoModAbove(t *testing.T) {
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("Root() = %s, which holds no go.mod", root)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "repodir", "repodir.go")); err != nil {
		t.Fatalf("Root() = %s, not this repository's root", root)
	}
}

func TestRootOutsideARepository(t *testing.T) {
	t.Chdir(t.TempDir())
	if _, err := Root(); !errors.Is(err, ErrOutside) {
		t.Fatalf("Root() outside a repository: err = %v, want ErrOutside", err)
	}
}
