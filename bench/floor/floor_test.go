package floor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestEveryQueryHasAStatement(t *testing.T) {
	for _, n := range Names() {
		if !Has(n) {
			t.Errorf("no reference statement for %s", n)
		}
	}
}

// TestPeerStatementsAreTheFloors checks that the peer's @cypher fields run
// the floor's statements (bench/peer/typedefs.graphql), with the parameters
// the peer cannot pass spelled out as expressions of its field arguments.
func TestPeerStatementsAreTheFloors(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "peer", "typedefs.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	td := squash(string(b))
	inline := "['" + strings.Join(Vocabulary(), "', '") + "']"
	search := strings.NewReplacer("$candidates", "1000", "$compact", "replace(trim(toLower($text)), ' ', '')",
		"$lucene", "replace(trim(toLower($text)), ' ', ' OR ')", "$words", "split(trim(toLower($text)), ' ')",
		"$kinds", "['School']", "$key", "trim(toLower($text))").Replace(searchNames)
	if !strings.Contains(td, squash(search)) {
		t.Error("the peer's searchSchools statement is not the floor's search statement")
	}
	for _, name := range []string{"neighborhood", "path"} {
		for _, line := range strings.Split(Queries[name].Cypher, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "MATCH") {
				want := squash(strings.ReplaceAll(line, "$types", inline))
				if !strings.Contains(td, want) {
					t.Errorf("%s: the peer lacks %q", name, want)
				}
			}
		}
	}
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// The evidence floor answers each candidate's kind and id: an entity's from
// its node, the others' from the item map.
func TestEvidenceRow(t *testing.T) {
	for _, c := range []struct {
		values []any
		want   string
	}{
		{[]any{"ENTITY", neo4j.Node{Props: map[string]any{"id": "school-1"}}, nil, nil, nil}, "ENTITY school-1"},
		{[]any{"RELATION", neo4j.Node{Props: map[string]any{"id": "school-1"}}, map[string]any{"id": "d1:a:RUNS:b"}, "RUNS", neo4j.Node{}}, "RELATION d1:a:RUNS:b"},
		{[]any{"DOCUMENT", nil, map[string]any{"id": "d1"}, nil, nil}, "DOCUMENT d1"},
	} {
		r := evidenceRow(&neo4j.Record{Values: c.values, Keys: []string{"kind", "node", "item", "type", "other"}})
		if got := r["kind"].(string) + " " + r["id"].(string); got != c.want {
			t.Errorf("evidenceRow(%v) = %q, want %q", c.values, got, c.want)
		}
	}
}
