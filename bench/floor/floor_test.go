package floor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
