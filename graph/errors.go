package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

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
)

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
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var le *limitError
		switch {
		case errors.As(err, &le):
			return withCode(gerr, le.code, le.msg)
		case errors.Is(err, kg.ErrUnavailable):
			log.WarnContext(ctx, "neo4j unavailable", "path", gerr.Path.String(), "err", err)
			return withCode(gerr, CodeUnavailable, "the graph database is unavailable; try again shortly")
		case errors.Is(err, kg.ErrNotFound):
			return withCode(gerr, CodeNotFound, userMessage(err))
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
		// An enum variable that is not one of the enum's values (gqlgen's
		// generated UnmarshalGQL): the client's mistake, most often the case.
		if m := badEnumValue.FindStringSubmatch(userMessage(err)); m != nil {
			return withCode(gerr, CodeBadInput, fmt.Sprintf("%q is not a value of the enum %s; enum values are written in capitals, as the schema lists them (e.g. %q)",
				m[1], m[2], strings.ToUpper(m[1])))
		}
		if userMessage(err) == "enums must be strings" {
			return withCode(gerr, CodeBadInput, "an enum value must be sent as a string, e.g. \"SCHOOL\"")
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
		log.ErrorContext(ctx, "internal error", "path", gerr.Path.String(), "err", err)
		return withCode(gerr, CodeInternal, "internal error")
	}
}

// badEnumValue matches the error of gqlgen's generated enum unmarshalling:
// "program is not a valid Kind".
var badEnumValue = regexp.MustCompile(`^(.{1,80}) is not a valid ([A-Z][A-Za-z]+)$`)

// userMessage is the text of our own error inside gqlgen's wrapping (no
// "input:1:2:" position, no field path), without the category words that
// extensions.code already says.
func userMessage(err error) string {
	var ge *gqlerror.Error
	for errors.As(err, &ge) && ge.Err != nil {
		err = ge.Err
	}
	msg := err.Error()
	for _, cat := range []error{kg.ErrInvalidInput, kg.ErrLimit, kg.ErrUnauthenticated, kg.ErrForbidden, kg.ErrConflict, kg.ErrNotFound} {
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
		log.ErrorContext(ctx, "panic in resolver", "panic", v)
		return errors.New("internal error")
	}
}
