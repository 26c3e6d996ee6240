package graph_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// cookbookExamples returns the (request, answer) pairs of one section of
// docs/api-cookbook.md: each ```graphql block and the ```json block after it.
func cookbookExamples(t *testing.T, section string) [][2]string {
	t.Helper()
	b, err := os.ReadFile(neo4jtest.RepoRoot() + "/docs/api-cookbook.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "\n## "+section+"\n")
	if start < 0 {
		t.Fatalf("docs/api-cookbook.md has no section %q", section)
	}
	body := doc[start+1:]
	if end := strings.Index(body[3:], "\n## "); end >= 0 {
		body = body[:end+3]
	}
	var out [][2]string
	var query string
	for _, block := range strings.Split(body, "```")[1:] {
		switch {
		case strings.HasPrefix(block, "graphql\n"):
			query = strings.TrimPrefix(block, "graphql\n")
		case strings.HasPrefix(block, "json\n"):
			if query == "" {
				t.Fatalf("a json block without its request: %s", block)
			}
			out = append(out, [2]string{query, strings.TrimPrefix(block, "json\n")})
			query = ""
		}
	}
	return out
}

// The cookbook's answers are the server's: each request of the section is
// sent and its answer compared with the JSON the cookbook shows.
func TestCookbookEvidenceAnswers(t *testing.T) {
	examples := cookbookExamples(t, "Searching the evidence and facts")
	if len(examples) < 10 {
		t.Fatalf("%d examples in the cookbook's section", len(examples))
	}
	for _, ex := range examples {
		var want map[string]any
		if err := json.Unmarshal([]byte(ex[1]), &want); err != nil {
			t.Errorf("the answer shown for\n%s\nis not JSON: %v", ex[0], err)
			continue
		}
		got := ask(t, ex[0], nil)
		if !reflect.DeepEqual(map[string]any{"data": got}, want) {
			g, _ := json.Marshal(map[string]any{"data": got})
			t.Errorf("request\n%s\nanswers\n%s\nthe cookbook shows\n%s", ex[0], g, ex[1])
		}
	}
}
