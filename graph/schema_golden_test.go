package graph_test

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/vetgraph/vetgraph/graph"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The served schema, as introspection sees it, is a reviewed golden file:
// any change to the API shows up as a diff of testdata/schema.golden.graphql.
// After a deliberate change: go test ./graph -run TestSchemaGolden -update
func TestSchemaGolden(t *testing.T) {
	var buf bytes.Buffer
	formatter.NewFormatter(&buf, formatter.WithComments()).FormatSchema(
		graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema())
	const golden = "testdata/schema.golden.graphql"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("the schema differs from %s; review the change, then run go test ./graph -run TestSchemaGolden -update", golden)
	}
}
