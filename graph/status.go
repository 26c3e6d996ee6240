package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/admission"
)

// The HTTP status of /graphql's answers: one policy, decided here, after
// the GraphQL-over-HTTP specification
// (https://graphql.github.io/graphql-over-http/draft/).
//
//   - A request that is not a GraphQL-over-HTTP request this server takes
//     (checkRequest: not JSON, not UTF-8, no query, a batch, too large, a
//     method other than GET, POST and OPTIONS, a mutation over GET) is
//     refused before GraphQL with its 4xx status (400, 405, 413, 415),
//     whatever the client accepts. So are a credential that proves nobody
//     (401, package auth) and a client over its rate (429 RATE_LIMITED with
//     Retry-After, package admission).
//   - A request error: the request reached GraphQL and was refused before
//     execution, so the answer has no data entry. That is a document that
//     does not parse (GRAPHQL_PARSE_FAILED, and TOKEN_LIMIT_EXCEEDED) or
//     validate (GRAPHQL_VALIDATION_FAILED: also a variable missing or null
//     where its type is non-null, and an unknown operation name), a limit
//     on the request (FIELD_LIMIT_EXCEEDED, DEPTH_LIMIT_EXCEEDED,
//     ALIAS_LIMIT_EXCEEDED, COMPLEXITY_LIMIT_EXCEEDED), and input refused
//     before execution (BAD_USER_INPUT from TextCheck, literalCheck, and
//     VariableCheck for variable values that do not coerce to their
//     types). Its status depends on the media type of the answer, which
//     the client's Accept header chooses (application/json when it accepts
//     both, */* or sends none): with application/graphql-response+json 400; with
//     application/json 200, as the spec asks of servers answering in
//     application/json. Refused admission (OVERLOADED) is 503 with
//     Retry-After either way.
//   - An executed operation is 200, with data and any field errors.
//
// Every request error's answer leaves out the data entry (gqlgen writes
// "data": null), as GraphQL specifies for errors raised before execution.

// Media types of GraphQL answers.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// requestErrorStatus is the status of an answer to a request error (no
// data entry) written as mediaType.
func requestErrorStatus(st *requestState, mediaType string) int {
	switch {
	case st.refused != nil:
		return http.StatusServiceUnavailable
	case mediaType == mediaGraphQLResponse:
		return http.StatusBadRequest
	default:
		return http.StatusOK
	}
}

// responseMediaType is the media type of the answer to r, chosen from its
// Accept header as gqlgen's transports choose it: the first of
// application/json and application/graphql-response+json listed,
// application/json for */*, application/* or no Accept header, and
// application/graphql-response+json when it lists neither.
func responseMediaType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

type requestStateKey struct{}

// requestState is what one request's GraphQL execution tells the HTTP
// layer: its admission ticket (admit), why it was refused admission, and
// whether its answer is a request error.
type requestState struct {
	ticket       *admission.Ticket
	refused      *admission.OverloadError
	requestError bool
}

func stateFrom(ctx context.Context) *requestState {
	st, _ := ctx.Value(requestStateKey{}).(*requestState)
	return st
}

// observe is the gqlgen extension that notes, in the request's
// accesslog.Entry, the operation selected and the extensions.code of every
// error answered (before ErrorLimits shortens the list: put it after
// ErrorLimits), and marks a request error (an answer without data) for
// the status policy.
type observe struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = observe{}

func (observe) ExtensionName() string                   { return "Observe" }
func (observe) Validate(graphql.ExecutableSchema) error { return nil }

func (observe) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	e := accesslog.From(ctx)
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil {
			e.SetOperation(accesslog.Operation{Name: oc.Operation.Name, Type: string(oc.Operation.Operation)})
		}
	}
	for _, err := range resp.Errors {
		code, _ := err.Extensions["code"].(string)
		e.AddError(code)
	}
	if resp.Data == nil {
		if st := stateFrom(ctx); st != nil {
			st.requestError = true
		}
	}
	return resp
}

// statusWriter applies the status policy to what gqlgen writes: it holds
// back the status gqlgen sets until the body comes (gqlgen sets it before
// the response interceptors run); the answer to a request error is kept
// until the handler returns (finish), then written with the policy's
// status and without its data entry.
type statusWriter struct {
	http.ResponseWriter
	st        *requestState
	code      int // the status gqlgen asked for; 0: none
	committed bool
	held      bytes.Buffer
}

func (w *statusWriter) WriteHeader(code int) {
	if w.committed {
		w.ResponseWriter.WriteHeader(code) // net/http reports the superfluous call
		return
	}
	if w.code == 0 {
		w.code = code
	}
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.committed {
		if w.st.requestError {
			return w.held.Write(b)
		}
		w.commit(w.code)
	}
	return w.ResponseWriter.Write(b)
}

// commit writes the status (200 for 0).
func (w *statusWriter) commit(code int) {
	w.committed = true
	if code == 0 {
		code = http.StatusOK
	}
	w.ResponseWriter.WriteHeader(code)
}

// finish writes what was held back.
func (w *statusWriter) finish() {
	switch {
	case w.committed:
	case w.st.requestError:
		if e := w.st.refused; e != nil {
			w.Header().Set("Retry-After", strconv.Itoa(admission.RetrySeconds(e.RetryAfter)))
		}
		mt, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
		w.commit(requestErrorStatus(w.st, mt))
		_, _ = w.ResponseWriter.Write(withoutData(w.held.Bytes()))
	case w.code != 0:
		w.commit(w.code)
	}
}

// withoutData is a JSON answer without its data entry.
func withoutData(body []byte) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return body
	}
	if _, ok := m["data"]; !ok {
		return body
	}
	delete(m, "data")
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
