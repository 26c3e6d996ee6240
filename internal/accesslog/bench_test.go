package accesslog_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vetgraph/vetgraph/internal/accesslog"
)

// The cost of the access log around a handler that does nothing: the
// record, and a text line written to io.Discard.
func BenchmarkHandler(b *testing.B) {
	h := accesslog.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := accesslog.From(r.Context())
		e.SetOperation(accesslog.Operation{Name: "Look", Type: "query"})
		e.AddError("NOT_FOUND")
	}), accesslog.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
