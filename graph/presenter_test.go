package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/vetgraph/vetgraph/internal/kg"
)

func TestCutEchoes(t *testing.T) {
	long := strings.Repeat("A", 10000)
	for _, tc := range []struct{ in, want string }{
		{`cursor "abc" is not a cursor`, `cursor "abc" is not a cursor`},
		{`cursor "` + long + `" is not a cursor`, `cursor "` + long[:40] + `…" is not a cursor`},
		{`Cannot query field "` + long + `" on type "Query".`, `Cannot query field "` + long[:40] + `…" on type "Query".`},
		{`operation ` + long + ` not found`, `operation ` + long[:80] + `… not found`},
		{`name "` + strings.Repeat("长", 50) + `"`, `name "` + strings.Repeat("长", 40) + `…"`},
		{`"` + strings.Repeat(`\"`, 30) + `"`, `"` + strings.Repeat(`\"`, 20) + `…"`}, // never half an escape
		{strings.Repeat("a b ", 1000), strings.Repeat("a b ", 150) + "…"},
	} {
		if got := cutEchoes(tc.in); got != tc.want {
			t.Errorf("cutEchoes(%.60q…) = %.200q, want %.200q", tc.in, got, tc.want)
		}
	}
}

// A stored value that does not fit is DATA_ERROR with its path, logged
// as a warning; an error of an element lands at the element's path.
func TestPresenterDataError(t *testing.T) {
	var logs bytes.Buffer
	present := ErrorPresenter(slog.New(slog.NewTextHandler(&logs, nil)))
	err := atPath(&kg.DataError{Property: "kind", Why: `is "Planet", which is not a kind`}, "edges", 3, "node")
	e := present(context.Background(), err)
	if e.Extensions["code"] != CodeDataError || e.Path.String() != "edges[3].node" || !strings.Contains(e.Message, "kind is \"Planet\"") {
		t.Errorf("got %s at %s: %q", e.Extensions["code"], e.Path, e.Message)
	}
	if !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("logs: %s", logs.String())
	}
}

// However many internal errors a request meets, the presenter and the
// recover func log at most MaxErrorLogLines lines for it and one line
// counting the rest; the response lists at most MaxErrors.
func TestErrorLogsAreBounded(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	present, recover := ErrorPresenter(log), RecoverFunc(log)
	resp := ErrorLimits{Log: log}.InterceptResponse(context.Background(), func(ctx context.Context) *graphql.Response {
		r := &graphql.Response{}
		for i := range 5000 {
			r.Errors = append(r.Errors, present(ctx, fmt.Errorf("defect %d: %w", i, errors.New(strings.Repeat("x", 10000)))))
			if i%10 == 0 {
				_ = present(ctx, recover(ctx, "a panic")) // logged, not answered
			}
		}
		return r
	})
	if n := strings.Count(logs.String(), "\n"); n != MaxErrorLogLines+1 || logs.Len() > 4000 {
		t.Errorf("%d log lines, %d bytes:\n%.2000s", n, logs.Len(), logs.String())
	}
	if !strings.Contains(logs.String(), "omitted=") {
		t.Errorf("no closing line: %s", logs.String())
	}
	if len(resp.Errors) != MaxErrors || resp.Extensions["omittedErrors"] != 5000-MaxErrors {
		t.Errorf("%d errors, extensions %v", len(resp.Errors), resp.Extensions)
	}
	for _, e := range resp.Errors {
		if e.Extensions["code"] != CodeInternal || e.Message != "internal error" {
			t.Fatalf("error %+v", e)
		}
	}
}

// An enum variable refused by gqlparser's coercion ("xx is not a valid
// Lang") is the client's mistake, its value cut.
func TestPresenterBadEnumVariable(t *testing.T) {
	present := ErrorPresenter(slog.New(slog.DiscardHandler))
	e := present(context.Background(), gqlerror.Errorf("%s is not a valid Lang", strings.Repeat("x\n", 100)))
	if e.Extensions["code"] != CodeBadInput || len(e.Message) > 200 {
		t.Errorf("got %v: %q", e.Extensions["code"], e.Message)
	}
}

// Every code a client can see is a row of the README's "Errors and limits".
func TestREADMEListsEveryCode(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{
		"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", CodeNotFound, CodeBadInput, CodeUnavailable,
		CodeInternal, CodePageSizeLimit, CodeDepthLimit, CodeAliasLimit, CodeComplexityLimit, CodeTokenLimit, CodeBodySizeLimit,
		CodeBatchUnsupported, CodeBadRequest, CodeMethodNotAllowed, CodeUnsupportedMediaType, CodeHopsLimit, CodeNeighborhoodLimit,
		CodeUnauthenticated, CodeForbidden, CodeConflict, CodeDataError, CodeCancelled, CodeFieldLimit, CodeOverloaded, CodeRateLimited, CodeAmbiguousName,
	} {
		if !strings.Contains(string(readme), "| `"+c+"` |") {
			t.Errorf("README.md has no row for %s", c)
		}
	}
}
