package graph

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/admission"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Limits bound what one request may ask. Each refusal is a GraphQL error
// whose extensions.code names the limit.
type Limits struct {
	MaxBodyBytes  int64         // request body size (POST), bytes
	MaxTokens     int           // parser tokens per query document
	MaxDepth      int           // nesting depth of selection sets
	MaxAliases    int           // aliased fields per operation
	MaxComplexity int           // cost of an operation by the cost model (cost.go)
	MaxPage       int           // `first` on any connection
	Timeout       time.Duration // per request, including every Neo4j statement
	Introspection bool          // allow __schema/__type queries
	// BatchWait is how long per-request loaders collect keys before sending
	// one statement for them (0: DefaultBatchWait, 2 ms). Longer waits add
	// latency per nesting level; shorter ones may split a level in two.
	BatchWait time.Duration
	// MaxFields bounds a document's field selections, fragments expanded,
	// before it is validated (0: DefaultMaxFields).
	MaxFields int
	// Admission bounds the operations executing at once and their work
	// (admission.go); nil admits every operation at once (tests).
	Admission *admission.Controller
	// Statements bounds the Neo4j statements one request runs at once
	// (0: no bound); with Admission, MaxRequests × Statements stays below
	// the Neo4j pool.
	Statements int
}

// NewHandler assembles the GraphQL HTTP handler: GET (queries only) and POST
// JSON transports, a parsed-query cache, the limits, the error presenter and
// per-request batch loaders.
//
// c runs the mutations (nil: every mutation is refused as unauthenticated
// writes are, which read-only tests use). A request's X-Request-Id (or one
// made here) is echoed and recorded with its writes; X-Neo4j-Bookmarks sent
// back from a mutation's answer makes the request read at least that state.
func NewHandler(s Store, c Curator, lim Limits, log *slog.Logger) http.Handler {
	if c == nil {
		c = readOnly{}
	}
	fields := newFieldLimit(lim.MaxFields, lim.MaxTokens)
	h := &vocabularyHandler{build: func(schema *ast.Schema) http.Handler {
		srv := handler.New(NewExecutableSchema(Config{
			Schema: schema, Resolvers: &Resolver{Store: s, Curator: c, MaxPage: lim.MaxPage},
			Complexity: costs(lim.MaxPage),
		}))
		srv.AddTransport(transport.Options{})
		// @defer (defer.go): a POST that accepts multipart/mixed gets the
		// deferred parts as they complete; any other request one answer
		// with them in place.
		srv.AddTransport(inlineTransport{transport.GET{}})
		srv.AddTransport(multipartTransport{transport.MultipartMixed{Boundary: "-"}})
		srv.AddTransport(inlineTransport{transport.POST{}})
		srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
		if lim.Introspection {
			srv.Use(extension.Introspection{})
		}
		srv.Use(TextCheck{})           // no text GraphQL's lexer would alter
		srv.Use(literalCheck{})        // before anything reads argument values
		srv.Use(&VariableCheck{})      // variable values, coerced as the GraphQL spec says
		srv.Use(ErrorLimits{Log: log}) // bounded errors and error log lines per request
		srv.Use(observe{})             // within ErrorLimits: the operation, every error's code, request errors (status.go)
		srv.Use(shapeLimit{maxDepth: lim.MaxDepth, maxAliases: lim.MaxAliases})
		srv.Use(newCostLimit(lim.MaxComplexity)) // prices by cost.go
		srv.Use(&deferTracker{})                 // the deferred fields of multipart answers
		srv.Use(fields)
		if lim.Admission != nil {
			srv.Use(admit{lim.Admission}) // last: nothing refused waits
		}
		srv.SetParserTokenLimit(lim.MaxTokens)
		srv.SetErrorPresenter(ErrorPresenter(log))
		srv.SetRecoverFunc(RecoverFunc(log))
		return WithLoaders(s, lim.BatchWait, srv)
	}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The answer's media type, and so a request error's status, follow
		// the Accept header (status.go): caches must key on it.
		w.Header().Add("Vary", "Accept")
		ctx := r.Context()
		if kg.RequestIDFrom(ctx) == "" { // else accesslog.Handler gave it one
			id := accesslog.RequestID(r)
			w.Header().Set("X-Request-Id", id)
			ctx = kg.WithRequestID(ctx, id)
			r = r.WithContext(ctx)
		}
		if !checkRequest(w, r, lim.MaxBodyBytes) {
			return
		}
		ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
		defer cancel()
		var bookmarks []string
		if bs := r.Header.Get(BookmarksHeader); bs != "" {
			list, ok := parseBookmarks(bs)
			if !ok {
				writeError(w, r, http.StatusBadRequest, CodeBadRequest, BookmarksHeader+" must be the value of that header from a mutation's answer (at most 16 comma-separated bookmarks)")
				return
			}
			bookmarks = list
		}
		// The request's causal chain: what the client saw, then what its
		// own mutations wrote, so that a mutation's answer reads its write.
		ctx = store.WithBookmarks(ctx, bookmarks)
		sink := &bookmarkSink{}
		ctx = context.WithValue(ctx, bookmarkSinkKey{}, sink)
		// Every request runs at most lim.Statements Neo4j statements at
		// once (0: no bound); admission (admit) bounds the requests.
		if lim.Statements > 0 {
			ctx = store.WithStatementLimit(ctx, lim.Statements)
		}
		st := &requestState{}
		ctx = context.WithValue(ctx, requestStateKey{}, st)
		defer func() { st.ticket.Release() }()
		sw := &statusWriter{ResponseWriter: &bookmarkWriter{ResponseWriter: w, sink: sink}, st: st}
		h.ServeHTTP(sw, r.WithContext(ctx))
		sw.finish()
	})
}

// checkRequest refuses, before gqlgen sees it, a request that is not a
// GraphQL-over-HTTP request this server takes, with a coded GraphQL error
// (and never an echo of the body or a Go decoder message). It leaves a POST
// body readable again. It reports whether the request may go on.
func checkRequest(w http.ResponseWriter, r *http.Request, maxBody int64) bool {
	switch r.Method {
	case http.MethodGet:
		if !r.URL.Query().Has("query") {
			writeError(w, r, http.StatusBadRequest, CodeBadRequest, "a GET request must have a query parameter holding the GraphQL document")
			return false
		}
		// The operation that would run (operationName, or the only one) must
		// be a query; a document that also holds a mutation it does not
		// select may be sent over GET. (Several operations and no name:
		// GraphQL refuses the request itself.)
		if doc, err := parser.ParseQuery(&ast.Source{Input: r.URL.Query().Get("query")}); err == nil {
			name := r.URL.Query().Get("operationName")
			for _, op := range doc.Operations {
				selected := op.Name == name || (name == "" && len(doc.Operations) == 1)
				if selected && op.Operation != ast.Query {
					w.Header().Set("Allow", "POST")
					writeError(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "mutations run only over POST with Content-Type: application/json")
					return false
				}
			}
		}
		// As for a POST body: no text that decoding would alter. (The
		// query's own string escapes are GraphQL's: see TextCheck.)
		for p, vs := range r.URL.Query() {
			for _, v := range vs {
				if !utf8.ValidString(v) || (p != "query" && loneSurrogate([]byte(v))) {
					writeError(w, r, http.StatusBadRequest, CodeBadRequest, `a parameter is not valid UTF-8 or holds a lone UTF-16 surrogate escape (\uD800–\uDFFF without its pair); send the text as UTF-8`)
					return false
				}
			}
		}
		for _, p := range []string{"variables", "extensions"} {
			if v := r.URL.Query().Get(p); v != "" {
				var m map[string]any
				if err := json.Unmarshal([]byte(v), &m); err != nil {
					writeError(w, r, http.StatusBadRequest, CodeBadRequest, "the "+p+" parameter must be a JSON object")
					return false
				}
			}
		}
		return true
	case http.MethodOptions:
		return true
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeError(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use POST with a JSON body, or GET for queries")
		return false
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, r, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, "send the request as Content-Type: application/json")
		return false
	}
	if r.ContentLength > maxBody {
		writeError(w, r, http.StatusRequestEntityTooLarge, CodeBodySizeLimit,
			"request body is larger than the limit of "+itoa(maxBody)+" bytes")
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, r, http.StatusRequestEntityTooLarge, CodeBodySizeLimit,
			"request body is larger than the limit of "+itoa(maxBody)+" bytes")
		return false
	}
	if !utf8.Valid(body) {
		writeError(w, r, http.StatusBadRequest, CodeBadRequest, "the body is not valid UTF-8; send the text as UTF-8")
		return false
	}
	if loneSurrogate(body) {
		writeError(w, r, http.StatusBadRequest, CodeBadRequest, `the body holds a lone UTF-16 surrogate escape (\uD800–\uDFFF without its pair); send the real character`)
		return false
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '[' {
		writeError(w, r, http.StatusBadRequest, CodeBatchUnsupported, "JSON batches are not supported; send one operation per request")
		return false
	}
	var req struct {
		Query         *string        `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
		Extensions    map[string]any `json:"extensions"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, r, http.StatusBadRequest, CodeBadRequest, describeJSONError(err))
		return false
	}
	if req.Query == nil {
		writeError(w, r, http.StatusBadRequest, CodeBadRequest, `the body must hold "query": the GraphQL document as a string (persisted queries are not supported)`)
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

// describeJSONError says in our words what is wrong with a JSON body that
// did not decode into a GraphQL-over-HTTP request.
func describeJSONError(err error) string {
	const shape = `the body must be a JSON object {"query": string, "variables": object, "operationName": string}`
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return shape + ": invalid JSON at byte " + itoa(syn.Offset)
	case errors.As(err, &typ) && strings.HasPrefix(typ.Value, "number ") && typ.Type != nil && typ.Type.Kind() == reflect.Float64:
		// A number in a value of any type (variables, extensions) that
		// does not fit the float64 encoding/json reads it as.
		n := kg.Short(strings.TrimPrefix(typ.Value, "number "))
		where := ""
		if typ.Field != "" {
			where = " in " + typ.Field
		}
		return "the number " + n + where + " is out of range (a JSON number here must fit a 64-bit float: within ±1.8e308)"
	case errors.As(err, &typ) && typ.Field != "":
		want := map[string]string{"query": "a string", "variables": "an object", "operationName": "a string", "extensions": "an object"}[typ.Field]
		if want == "" {
			return shape + ": " + typ.Field + " has the wrong type (" + typ.Value + ")"
		}
		return fmt.Sprintf("%q must be %s, not %s", typ.Field, want, jsonArticle(typ.Value))
	case errors.As(err, &typ):
		return shape + "; it is " + jsonArticle(typ.Value)
	default:
		return shape + ": invalid JSON"
	}
}

// jsonArticle writes a JSON kind from encoding/json ("string", "array",
// "number 5") with its article: "a string", "an array", "a number".
func jsonArticle(v string) string {
	v, _, _ = strings.Cut(v, " ")
	if v != "" && strings.ContainsRune("aeiou", rune(v[0])) {
		return "an " + v
	}
	return "a " + v
}

// literalCheck refuses an operation holding a number literal that does not
// fit its type: an integer for Int outside 32 bits (GraphQL's Int), any
// other integer past 64 bits, a float past float64. The executor would
// otherwise take an Int past 32 bits as it is and fail deep inside on one
// past 64. Literals in arguments (nested in lists and input objects) and in
// variables' default values are checked. Variables' values are checked by
// VariableCheck (and the scalars, model.UnmarshalInt64, UnmarshalFloat).
type literalCheck struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = literalCheck{}

func (literalCheck) ExtensionName() string                   { return "LiteralCheck" }
func (literalCheck) Validate(graphql.ExecutableSchema) error { return nil }
func (literalCheck) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Doc == nil {
		return nil
	}
	var bad *ast.Value
	var where string // the argument or default holding bad
	var check func(v *ast.Value)
	check = func(v *ast.Value) {
		if v == nil || bad != nil {
			return
		}
		switch v.Kind {
		case ast.IntValue:
			bits := 64
			if isInt(v.ExpectedType) {
				bits = 32
			}
			if _, err := strconv.ParseInt(v.Raw, 10, bits); err != nil {
				bad = v
			}
		case ast.FloatValue:
			if f, err := strconv.ParseFloat(v.Raw, 64); err != nil || math.IsInf(f, 0) {
				bad = v
			}
		}
		for _, c := range v.Children {
			check(c.Value)
		}
	}
	var walk func(set ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				for _, a := range s.Arguments {
					if check(a.Value); bad != nil && where == "" {
						where = "argument " + a.Name + " of " + s.Name + ": "
					}
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	for _, op := range oc.Doc.Operations {
		for _, d := range op.VariableDefinitions {
			if check(d.DefaultValue); bad != nil && where == "" {
				where = "the default value of $" + d.Variable + ": "
			}
		}
		walk(op.SelectionSet)
	}
	for _, f := range oc.Doc.Fragments {
		walk(f.SelectionSet)
	}
	if bad != nil {
		raw := kg.Short(bad.Raw)
		what := "integers: within ±9223372036854775807; floats: finite"
		if bad.Kind == ast.IntValue && isInt(bad.ExpectedType) {
			what = "Int takes an integer from -2147483648 to 2147483647"
		}
		e := gqlerror.Errorf("%sthe number %s is out of range (%s)", where, raw, what)
		if bad.Position != nil {
			e.Locations = []gqlerror.Location{{Line: bad.Position.Line, Column: bad.Position.Column}}
		}
		e.Extensions = map[string]any{"code": CodeBadInput}
		return e
	}
	return nil
}

// isInt reports whether t is Int or a list of Int (one value is taken for a
// list of one).
func isInt(t *ast.Type) bool {
	for t != nil && t.NamedType == "" {
		t = t.Elem
	}
	return t != nil && t.NamedType == "Int"
}

func limitGQLError(code, format string, args ...any) *gqlerror.Error {
	e := gqlerror.Errorf(format, args...)
	e.Extensions = map[string]any{"code": code}
	return e
}

// writeError answers a request refused before GraphQL, in the GraphQL
// response shape and the media type the client accepts, and notes the
// code in the request's access-log entry.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	accesslog.From(r.Context()).AddError(code)
	w.Header().Set("Content-Type", responseMediaType(r))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}}})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// loneSurrogate reports whether a JSON text holds a \u escape of a UTF-16
// surrogate that is not part of a high–low pair: encoding/json would store
// it as U+FFFD, silently altering the text.
func loneSurrogate(b []byte) bool {
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 32)
		return rune(v), err == nil
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if i+1 < len(b) && b[i+1] != 'u' {
			i++ // an escaped character, e.g. \\ or \"
			continue
		}
		r, ok := hex4(i)
		if !ok {
			continue
		}
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			lo, ok := hex4(i + 6)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 11
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		default:
			i += 5
		}
	}
	return false
}

// BookmarksHeader carries Neo4j bookmarks: a mutation's answer sets it to the
// state after the write; a request that sends it back reads at least that
// state, from any vetgraph replica (comma-separated).
const BookmarksHeader = "X-Neo4j-Bookmarks"

// parseBookmarks splits a BookmarksHeader value: 1–16 comma-separated
// bookmarks of the form Neo4j 5 gives ("FB:" and base64), each at most 512
// characters. Anything else is refused before it reaches Neo4j.
func parseBookmarks(v string) ([]string, bool) {
	list := strings.Split(v, ",")
	if len(list) > 16 {
		return nil, false
	}
	for _, b := range list {
		body, ok := strings.CutPrefix(b, "FB:")
		if !ok || body == "" || len(b) > 512 {
			return nil, false
		}
		if _, err := base64.StdEncoding.DecodeString(body); err != nil {
			if _, err := base64.RawURLEncoding.DecodeString(body); err != nil {
				return nil, false
			}
		}
	}
	return list, true
}

type bookmarkSinkKey struct{}

// bookmarkSink collects the bookmarks of a request's writes.
type bookmarkSink struct {
	mu sync.Mutex
	bs []string
}

func (s *bookmarkSink) add(bs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bs = append(s.bs, bs...)
}

// bookmarkWriter sets BookmarksHeader from the sink when the answer starts.
type bookmarkWriter struct {
	http.ResponseWriter
	sink    *bookmarkSink
	written bool
}

func (w *bookmarkWriter) WriteHeader(code int) {
	if !w.written {
		w.written = true
		w.sink.mu.Lock()
		if len(w.sink.bs) > 0 {
			w.Header().Set(BookmarksHeader, strings.Join(w.sink.bs, ","))
		}
		w.sink.mu.Unlock()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *bookmarkWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (the
// multipart transport flushes each part).
func (w *bookmarkWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
