package graph

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Merging deferred parts into the first answer keeps the members' order,
// applies a nested part after its parent, and nulls the object of a part
// that failed.
func TestMergeDeferred(t *testing.T) {
	yes := true
	first := &graphql.Response{Data: json.RawMessage(`{"e":{"id":"a","facts":null,"rel":null,"z":1},"l":[{"id":"x","n":null},{"id":"y","n":null}]}`), HasNext: &yes}
	parts := []*graphql.Response{
		{Data: json.RawMessage(`{"src":[1]}`), Path: ast.Path{ast.PathName("e"), ast.PathName("rel"), ast.PathIndex(0)}},
		{Data: json.RawMessage(`{"facts":[],"rel":[{"id":"r","src":null}]}`), Path: ast.Path{ast.PathName("e")}},
		{Data: json.RawMessage(`{}`), Path: ast.Path{ast.PathName("l"), ast.PathIndex(0)}},
		{Data: json.RawMessage(`null`), Path: ast.Path{ast.PathName("l"), ast.PathIndex(1)}},
	}
	got := mergeDeferred(first, parts)
	want := `{"e":{"id":"a","facts":[],"rel":[{"id":"r","src":[1]}],"z":1},"l":[{"id":"x","n":null},null]}`
	if string(got.Data) != want || got.HasNext != nil {
		t.Errorf("merged = %s (hasNext %v)\n  want %s", got.Data, got.HasNext, want)
	}
}

// Stripping removes the deferred keys below a part's own object, and
// leaves the keys the part delivers.
func TestStripDeferred(t *testing.T) {
	d := &deferredKeys{byPath: map[string]deferredAt{}}
	d.add(ast.Path{ast.PathName("e")}, []string{"facts"})
	d.add(ast.Path{ast.PathName("e"), ast.PathName("rel"), ast.PathIndex(1)}, []string{"src"})
	initial := d.strip(json.RawMessage(`{"e":{"id":"a","facts":null,"rel":null}}`), nil)
	if string(initial) != `{"e":{"id":"a","rel":null}}` {
		t.Errorf("initial = %s", initial)
	}
	part := d.strip(json.RawMessage(`{"facts":[],"rel":[{"id":"q"},{"id":"r","src":null}]}`), ast.Path{ast.PathName("e")})
	if string(part) != `{"facts":[],"rel":[{"id":"q"},{"id":"r"}]}` {
		t.Errorf("part = %s", part)
	}
}
