package floor

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"
)

// storeConstants returns the string constants declared in internal/store's
// non-test files, by name (the write statements are unexported there, so
// the test reads them from the source).
func storeConstants(t *testing.T) map[string]string {
	t.Helper()
	dir := filepath.Join("..", "..", "internal", "store")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if matched, _ := filepath.Match("*_test.go", filepath.Base(f)); matched {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					if s, err := strconv.Unquote(lit.Value); err == nil {
						out[name.Name] = s
					}
				}
			}
		}
	}
	return out
}

// TestWriteStatementsAreTheStores: every write statement the floor sends is
// the store's constant of the same name, byte for byte.
func TestWriteStatementsAreTheStores(t *testing.T) {
	store := storeConstants(t)
	for name, text := range WriteStatements {
		got, ok := store[name]
		switch {
		case !ok:
			t.Errorf("internal/store has no string constant %s any more: update bench/floor/writes.go from the store's write path", name)
		case got != text:
			t.Errorf("%s differs from internal/store's:\nstore:\n%s\nfloor:\n%s", name, got, text)
		}
	}
}
