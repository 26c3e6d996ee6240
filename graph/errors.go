package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
)

// Stable values of extensions.code. Clients may switch on them; they never
// change meaning. Parse and validation errors keep gqlgen's codes
// (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED).
const (
	CodeNotFound         = "NOT_FOUND"
	CodeBadInput         = "BAD_USER_INPUT"
	CodeUnavailable      = "UNAVAILABLE"
	CodeInternal         = "INTERNAL_SERVER_ERROR"
	CodePageSizeLimit    = "PAGE_SIZE_LIMIT_EXCEEDED"
	CodeDepthLimit       = "DEPTH_LIMIT_EXCEEDED"
	CodeAliasLimit       = "ALIAS_LIMIT_EXCEEDED"
	CodeComplexityLimit  = "COMPLEXITY_LIMIT_EXCEEDED" // gqlgen's own code for its complexity extension
	CodeTokenLimit       = "TOKEN_LIMIT_EXCEEDED"
	CodeBodySizeLimit    = "BODY_SIZE_LIMIT_EXCEEDED"
	CodeBatchUnsupported = "BATCH_NOT_SUPPORTED"
	// Refusals of the HTTP request itself, before GraphQL.
	CodeBadRequest           = "BAD_REQUEST"            // body or GET parameters not a GraphQL request
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"     // not GET, POST or OPTIONS (HTTP 405)
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE" // POST without Content-Type: application/json (HTTP 415)
	// Exploration bounds (neighborhood, shortestPath, paths, explain):
	// depth or maxHops outside its range, and a neighbourhood limit outside
	// 1–200. (`first` of paths outside 1–20 is PAGE_SIZE_LIMIT_EXCEEDED.)
	CodeHopsLimit         = "HOPS_LIMIT_EXCEEDED"
	CodeNeighborhoodLimit = "NEIGHBORHOOD_LIMIT_EXCEEDED"
	// Curation and access.
	CodeUnauthenticated = "UNAUTHENTICATED" // no valid API key or bearer token where one is needed (HTTP 401 before GraphQL)
	CodeForbidden       = "FORBIDDEN"       // the principal's role does not allow the operation
	CodeConflict        = "CONFLICT"        // the write contradicts the current state (version moved, name held, key reused)
	// CodeAmbiguousName: a name given where one entity is meant (fromName,
	// toName, …) names several; extensions.candidates lists them (id, kind,
	// nameZh, nameEn) so that the client can pass one's id.
	CodeAmbiguousName = "AMBIGUOUS_NAME"
	// CodeDataError: a value stored in the graph does not fit the model (a
	// property of an unexpected type, an unknown kind, a malformed date). A
	// field error at the field that reads it; the value is never replaced
	// by a default. Not the client's mistake: an operator repairs the data.
	CodeDataError = "DATA_ERROR"
	// CodeCancelled: the client went away (closed the connection) before
	// its answer: the fields still running end with this code, unlogged
	// (the access-log line says cancelled=true). No client reads it.
	CodeCancelled = "CANCELLED"
)

// Bounds on what one request can produce, whatever it asks.
const (
	// MaxErrors is the most errors one response lists; the rest are counted
	// in the response's extensions.omittedErrors.
	MaxErrors = 50
	// MaxErrorLogLines is the most lines the error presenter logs for one
	// request; the rest are counted in one closing line.
	MaxErrorLogLines = 5
	// maxEcho is how much of a client's input an error message repeats: a
	// quoted value is cut to this many characters and "…".
	maxEcho = 40
	// maxMessage bounds a whole error message, in characters.
	maxMessage = 600
)

// pathError is an error of an element below the field whose resolver
// returned it (an item of a list the resolver built): the presenter adds
// sub to the field's path, so the error points at the element.
type pathError struct {
	err error
	sub ast.Path
}

func (e *pathError) Error() string { return e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

// atPath places err at sub (names and list indexes) below the current field.
func atPath(err error, sub ...any) error {
	p := make(ast.Path, 0, len(sub))
	for _, s := range sub {
		switch v := s.(type) {
		case int:
			p = append(p, ast.PathIndex(v))
		case string:
			p = append(p, ast.PathName(v))
		}
	}
	return &pathError{err: err, sub: p}
}

// limitError is a kg.ErrLimit with the code that names the limit.
type limitError struct {
	code string
	msg  string
}

func (e *limitError) Error() string { return e.msg }
func (e *limitError) Unwrap() error { return kg.ErrLimit }

func newLimitError(code, format string, args ...any) error {
	return &limitError{code: code, msg: fmt.Sprintf(format, args...)}
}

// ErrorPresenter is the one place that decides what a client sees of an
// error: known categories get their message and a stable extensions.code;
// anything else is logged once with its path and shown as "internal error",
// so no Neo4j or Go error text reaches a client.
//
// Every message is cut so that it repeats at most a short prefix of any
// value the client sent (see cutEchoes), and the lines it logs for one
// request are bounded (MaxErrorLogLines, with ErrorLimits in place).
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := present(ctx, log, err)
		var pe *pathError
		if errors.As(err, &pe) {
			gerr.Path = append(slices.Clone(gerr.Path), pe.sub...)
		}
		gerr.Message = cutEchoes(gerr.Message)
		return gerr
	}
}

// present maps err to the client's error: its code and message.
func present(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	var le *limitError
	switch {
	case errors.As(err, &le):
		return withCode(gerr, le.code, le.msg)
	case errors.Is(ctx.Err(), context.Canceled) && (errors.Is(err, kg.ErrUnavailable) || errors.Is(err, context.Canceled)):
		// The client went away: the store's statements ended with its
		// context. Neo4j is not at fault; nothing to log.
		return withCode(gerr, CodeCancelled, "the request was cancelled")
	case errors.Is(err, kg.ErrUnavailable):
		logError(ctx, log, slog.LevelWarn, "neo4j unavailable", gerr, err)
		return withCode(gerr, CodeUnavailable, "the graph database is unavailable; try again shortly")
	case errors.Is(err, kg.ErrData):
		logError(ctx, log, slog.LevelWarn, "stored data does not fit the model", gerr, err)
		return withCode(gerr, CodeDataError, userMessage(err)+"; the value is not served (an operator should repair it)")
	case errors.Is(err, kg.ErrNotFound):
		return withCode(gerr, CodeNotFound, userMessage(err))
	case errors.Is(err, kg.ErrAmbiguous):
		gerr = withCode(gerr, CodeAmbiguousName, userMessage(err))
		var amb *kg.AmbiguousNameError
		if errors.As(err, &amb) {
			cs := make([]any, len(amb.Candidates))
			for i, c := range amb.Candidates {
				var en any
				if c.NameEn != "" {
					en = c.NameEn
				}
				cs[i] = map[string]any{"id": c.ID, "kind": string(model.KindToGQL(c.Kind)), "nameZh": c.NameZh, "nameEn": en}
			}
			gerr.Extensions["argument"], gerr.Extensions["name"], gerr.Extensions["candidates"] = amb.Argument, amb.Name, cs
		}
		return gerr
	case errors.Is(err, kg.ErrInvalidInput):
		return withCode(gerr, CodeBadInput, userMessage(err))
	case errors.Is(err, kg.ErrLimit):
		return withCode(gerr, CodePageSizeLimit, userMessage(err))
	case errors.Is(err, kg.ErrUnauthenticated):
		return withCode(gerr, CodeUnauthenticated, userMessage(err))
	case errors.Is(err, kg.ErrForbidden):
		return withCode(gerr, CodeForbidden, userMessage(err))
	case errors.Is(err, kg.ErrConflict):
		gerr = withCode(gerr, CodeConflict, userMessage(err))
		var d interface{ Details() map[string]any }
		if errors.As(err, &d) {
			for k, v := range d.Details() {
				gerr.Extensions[k] = v
			}
		}
		return gerr
	}
	// gqlparser's refusal of a variable's value ("cannot use bool as
	// Int"), told as VariableCheck tells its own (BAD_USER_INPUT, what was
	// sent and what the type takes); a missing or null value for a
	// non-null type keeps gqlparser's GRAPHQL_VALIDATION_FAILED.
	if len(gerr.Path) > 0 && gerr.Path[0] == ast.PathName("variable") {
		if e := explainVariable(ctx); e != nil {
			return e
		}
		if msg, ok := explainRequired(ctx, gerr); ok {
			gerr.Message = msg
			return gerr
		}
	}
	// An enum variable that is not one of the enum's values (gqlgen's
	// generated UnmarshalGQL): the client's mistake, most often the case.
	// (A value that differs from one of the enum's only in case is refused
	// before execution, naming the value to send: see VariableCheck.)
	msg := userMessage(err)
	if value, enum, ok := badEnumValue(msg); ok {
		return withCode(gerr, CodeBadInput, fmt.Sprintf("%q is not a value of the enum %s; send one of the values the schema lists, as written there (in capitals)",
			value, enum))
	}
	if msg == "enums must be strings" || msg == "enums must be ints or strings" {
		return withCode(gerr, CodeBadInput, "an enum value must be sent as a string naming one of the enum's values, as the schema writes it (in capitals)")
	}
	// gqlgen's own errors (parse, validation, complexity) already carry a code.
	if gerr.Extensions != nil && gerr.Extensions["code"] != nil {
		if strings.Contains(gerr.Message, "token limit") {
			return withCode(gerr, CodeTokenLimit, gerr.Message)
		}
		return gerr
	}
	var direct *gqlerror.Error
	if errors.As(err, &direct) && direct.Err == nil {
		return gerr // an error gqlgen built for the request itself (e.g. unknown operation)
	}
	logError(ctx, log, slog.LevelError, "internal error", gerr, err)
	return withCode(gerr, CodeInternal, "internal error")
}

// logError logs an error the presenter met, within the request's budget
// (see ErrorLimits); the error's text is cut as messages are.
func logError(ctx context.Context, log *slog.Logger, level slog.Level, msg string, gerr *gqlerror.Error, err error) {
	if b, ok := ctx.Value(errorBudgetKey{}).(*errorBudget); ok && b.lines.Add(1) > MaxErrorLogLines {
		return
	}
	log.Log(ctx, level, msg, "path", cutEchoes(gerr.Path.String()), "err", cutEchoes(err.Error()))
}

// ErrorLimits bounds what one request's errors can cost: the response lists
// at most MaxErrors of them (extensions.omittedErrors counts the others),
// and the error presenter and RecoverFunc log at most MaxErrorLogLines
// lines for it, then one line counting those left out. A query that makes
// the same mistake in every item of a long list thus gets a short answer
// and a short log.
type ErrorLimits struct{ Log *slog.Logger }

type errorBudgetKey struct{}

// errorBudget counts the error log lines of one request.
type errorBudget struct{ lines atomic.Int64 }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = ErrorLimits{}

func (ErrorLimits) ExtensionName() string                   { return "ErrorLimits" }
func (ErrorLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (l ErrorLimits) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	b, ok := ctx.Value(errorBudgetKey{}).(*errorBudget)
	if !ok {
		b = &errorBudget{}
		ctx = context.WithValue(ctx, errorBudgetKey{}, b)
	}
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	if n := len(resp.Errors); n > MaxErrors {
		resp.Errors = resp.Errors[:MaxErrors]
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["omittedErrors"] = n - MaxErrors
	}
	if n := b.lines.Load() - MaxErrorLogLines; n > 0 && !ok && l.Log != nil {
		l.Log.WarnContext(ctx, "more errors of this request were not logged", "omitted", n)
	}
	return resp
}

// echoQuoted matches a double-quoted text in a message (Go's %q, or
// gqlparser's "…"); longToken a run of text without spaces.
var (
	echoQuoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	longToken  = regexp.MustCompile(`[^\s"]{121,}`)
)

// cutEchoes shortens what a message repeats of the client's input: a
// quoted text longer than maxEcho characters keeps its first maxEcho and
// "…"; a run of 121 or more characters without a space keeps 80; the whole
// message keeps maxMessage. A 10 KB cursor or name thus costs 40
// characters of the answer, wherever the message came from.
func cutEchoes(msg string) string {
	if len(msg) <= maxEcho+2 {
		return msg
	}
	msg = echoQuoted.ReplaceAllStringFunc(msg, func(q string) string {
		inner := q[1 : len(q)-1]
		if utf8.RuneCountInString(inner) <= maxEcho {
			return q
		}
		cut := prefix(inner, maxEcho)
		if n := len(cut) - len(strings.TrimRight(cut, `\`)); n%2 == 1 {
			cut = cut[:len(cut)-1] // not half an escape
		}
		return `"` + cut + `…"`
	})
	msg = longToken.ReplaceAllStringFunc(msg, func(t string) string { return prefix(t, 80) + "…" })
	if utf8.RuneCountInString(msg) > maxMessage {
		msg = prefix(msg, maxMessage) + "…"
	}
	return msg
}

// prefix is the first n characters of s.
func prefix(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// badEnumValue reads the error of gqlgen's generated enum unmarshalling
// and of gqlparser's variable coercion: "program is not a valid Kind".
func badEnumValue(msg string) (value, enum string, ok bool) {
	i := strings.LastIndex(msg, " is not a valid ")
	if i <= 0 {
		return "", "", false
	}
	enum = msg[i+len(" is not a valid "):]
	if enum == "" || enum[0] < 'A' || enum[0] > 'Z' || strings.Trim(enum, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
		return "", "", false
	}
	return msg[:i], enum, true
}

// userMessage is the text of our own error inside gqlgen's wrapping (no
// "input:1:2:" position, no field path), without the category words that
// extensions.code already says.
func userMessage(err error) string {
	msg := err.Error()
	var ge *gqlerror.Error
	for errors.As(err, &ge) {
		if ge.Err == nil {
			msg = ge.Message // without gqlerror's "input: path" prefix
			break
		}
		err = ge.Err
		msg = err.Error()
	}
	for _, cat := range []error{kg.ErrInvalidInput, kg.ErrLimit, kg.ErrUnauthenticated, kg.ErrForbidden, kg.ErrConflict, kg.ErrNotFound, kg.ErrAmbiguous} {
		msg = strings.Replace(msg, cat.Error()+": ", "", 1)
	}
	return msg
}

func withCode(e *gqlerror.Error, code, msg string) *gqlerror.Error {
	e.Message = msg
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
	return e
}

// RecoverFunc turns a panic in a resolver into an internal error, logged
// with its value, instead of a crashed request.
func RecoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		if b, ok := ctx.Value(errorBudgetKey{}).(*errorBudget); !ok || b.lines.Add(1) <= MaxErrorLogLines {
			log.ErrorContext(ctx, "panic in resolver", "panic", cutEchoes(fmt.Sprint(v)))
		}
		return errors.New("internal error")
	}
}

// explainRequired rewords gqlparser's "must be defined" and "cannot be
// null" (a variable of a non-null type missing or null, or a null inside
// one where the type is non-null) to name the variable, where inside it,
// and the type it was declared with; the code stays
// GRAPHQL_VALIDATION_FAILED.
func explainRequired(ctx context.Context, gerr *gqlerror.Error) (string, bool) {
	if len(gerr.Path) < 2 || (gerr.Message != "must be defined" && gerr.Message != "cannot be null") || !graphql.HasOperationContext(ctx) {
		return "", false
	}
	name, ok := gerr.Path[1].(ast.PathName)
	if !ok {
		return "", false
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil {
		return "", false
	}
	def := oc.Operation.VariableDefinitions.ForName(string(name))
	if def == nil || def.Type == nil {
		return "", false
	}
	where := "$" + string(name) + inside(gerr.Path[2:])
	switch {
	case gerr.Message == "must be defined":
		return fmt.Sprintf("variable %s of type %s is required and was not sent: give it a value in \"variables\"", where, def.Type), true
	case len(gerr.Path) == 2:
		return fmt.Sprintf("variable %s of type %s cannot be null: send a value", where, def.Type), true
	default:
		return fmt.Sprintf("variable %s cannot be null: the type there is non-null (the variable's type is %s)", where, def.Type), true
	}
}
