package graph_test

import "testing"

// The cookbook's answers are the server's: each request is sent and its
// answer compared with the JSON the cookbook shows (checkDocExamples; the
// reference pages are checked the same way by TestDocExamples).
func TestCookbookAnswers(t *testing.T) {
	const path = "docs/api-cookbook.md"
	if n := checkDocExamples(t, path, docExamples(t, path)); n < 19 {
		t.Fatalf("%s: %d examples compared, want at least 19", path, n)
	}
}
