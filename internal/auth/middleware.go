package auth

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/kg"
)

// Codes of the refusals Middleware writes; they are the GraphQL layer's
// extensions.code values for the same categories (graph.CodeUnauthenticated,
// graph.CodeUnavailable), so clients see one vocabulary.
const (
	codeUnauthenticated = "UNAUTHENTICATED"
	codeUnavailable     = "UNAVAILABLE"
)

// Middleware runs next with the request's kg.Actor in its context
// (kg.WithActor). A request without an Authorization header is the
// anonymous reader (kg.Actor{Role: kg.RoleReader}) when anonymousReads is
// true, and is refused otherwise. A request whose credential proves nobody
// is refused whatever anonymousReads says: a client that sends a key
// expects to be that key, and silently reading as anonymous would hide a
// revoked or mistyped key until its first write.
//
// A refusal is HTTP 401 with `WWW-Authenticate: Bearer …` and a GraphQL
// error body, {"errors":[{"message":"<what to do>","extensions":{"code":
// "UNAUTHENTICATED"}}]}; when the key store cannot answer, HTTP 503 with
// code UNAVAILABLE. The credential is never logged or echoed.
//
// Middleware checks no role: the commands that need one read
// kg.ActorFrom(ctx).Role.
func Middleware(a *Authenticator, anonymousReads bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor, err := a.Authenticate(r)
		var ref *refusal
		switch {
		case err == nil:
		case errors.Is(err, ErrNoCredentials) && anonymousReads:
			actor = kg.Actor{Role: kg.RoleReader}
		case errors.Is(err, ErrNoCredentials):
			w.Header().Set("WWW-Authenticate", `Bearer realm="vetgraph"`)
			writeError(w, r, http.StatusUnauthorized, codeUnauthenticated,
				"this API needs credentials (anonymous reads are off): send `Authorization: Bearer <API key or token>`")
			return
		case errors.As(err, &ref):
			a.log.InfoContext(r.Context(), "authentication refused", "reason", ref.reason, "credential", ref.via,
				"remote", r.RemoteAddr, "method", r.Method, "path", r.URL.Path)
			w.Header().Set("WWW-Authenticate", `Bearer realm="vetgraph", error="invalid_token"`)
			writeError(w, r, http.StatusUnauthorized, codeUnauthenticated, ref.msg)
			return
		default:
			// The key store failed (its error names the key id, not the
			// secret).
			a.log.WarnContext(r.Context(), "authentication failed: cannot read the API key", "err", err)
			w.Header().Set("Retry-After", "5")
			writeError(w, r, http.StatusServiceUnavailable, codeUnavailable,
				"cannot check the API key now: the graph database is unavailable; try again shortly")
			return
		}
		next.ServeHTTP(w, r.WithContext(kg.WithActor(r.Context(), actor)))
	})
}

// gqlError is one GraphQL error with its code.
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// writeError writes a GraphQL-shaped error response:
// {"errors":[{"message":msg,"extensions":{"code":code}}]}.
// The code is noted in the request's access-log entry.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	accesslog.From(r.Context()).AddError(code)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	e := gqlError{Message: msg}
	e.Extensions.Code = code
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string][]gqlError{"errors": {e}})
}
