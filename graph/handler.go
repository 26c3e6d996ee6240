package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound what one request may ask. Each refusal is a GraphQL error
// whose extensions.code names the limit.
type Limits struct {
	MaxBodyBytes  int64         // request body size (POST), bytes
	MaxTokens     int           // parser tokens per query document
	MaxDepth      int           // nesting depth of selection sets
	MaxAliases    int           // aliased fields per operation
	MaxComplexity int           // gqlgen complexity (1 per field unless a list multiplies it)
	MaxPage       int           // `first` on any connection
	Timeout       time.Duration // per request, including every Neo4j statement
	Introspection bool          // allow __schema/__type queries
}

// NewHandler assembles the GraphQL HTTP handler: GET (queries only) and POST
// JSON transports, a parsed-query cache, the limits, the error presenter and
// per-request batch loaders.
func NewHandler(s Store, lim Limits, log *slog.Logger) http.Handler {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Store: s, MaxPage: lim.MaxPage}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if lim.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.FixedComplexityLimit(lim.MaxComplexity))
	srv.Use(shapeLimit{maxDepth: lim.MaxDepth, maxAliases: lim.MaxAliases})
	srv.SetParserTokenLimit(lim.MaxTokens)
	srv.SetErrorPresenter(ErrorPresenter(log))
	srv.SetRecoverFunc(RecoverFunc(log))

	var h http.Handler = WithLoaders(s, srv)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if r.ContentLength > lim.MaxBodyBytes {
				writeError(w, http.StatusRequestEntityTooLarge, CodeBodySizeLimit,
					"request body is larger than the limit of "+itoa(lim.MaxBodyBytes)+" bytes")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, lim.MaxBodyBytes)
			if strings.HasPrefix(strings.TrimSpace(peek(r)), "[") {
				writeError(w, http.StatusBadRequest, CodeBatchUnsupported, "JSON batches are not supported; send one operation per request")
				return
			}
		}
		ctx, cancel := context.WithTimeout(r.Context(), lim.Timeout)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// shapeLimit refuses operations nested deeper than maxDepth or with more
// than maxAliases aliased fields, before any resolver runs.
type shapeLimit struct{ maxDepth, maxAliases int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (l shapeLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	aliases := 0
	depth := measure(oc.Operation.SelectionSet, 1, &aliases, map[string]bool{})
	if depth > l.maxDepth {
		return limitGQLError(CodeDepthLimit, "query depth %d exceeds the limit of %d", depth, l.maxDepth)
	}
	if aliases > l.maxAliases {
		return limitGQLError(CodeAliasLimit, "query uses %d aliases; the limit is %d", aliases, l.maxAliases)
	}
	return nil
}

// measure returns the depth of a selection set and counts aliases, following
// fragments (each fragment once per path, so cycles cannot loop).
func measure(set ast.SelectionSet, depth int, aliases *int, inPath map[string]bool) int {
	max := depth - 1
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				*aliases++
			}
			d = depth
			if len(s.SelectionSet) > 0 {
				d = measure(s.SelectionSet, depth+1, aliases, inPath)
			}
		case *ast.InlineFragment:
			d = measure(s.SelectionSet, depth, aliases, inPath)
		case *ast.FragmentSpread:
			if s.Definition == nil || inPath[s.Name] {
				continue
			}
			inPath[s.Name] = true
			d = measure(s.Definition.SelectionSet, depth, aliases, inPath)
			delete(inPath, s.Name)
		}
		if d > max {
			max = d
		}
	}
	return max
}

func limitGQLError(code, format string, args ...any) *gqlerror.Error {
	e := gqlerror.Errorf(format, args...)
	e.Extensions = map[string]any{"code": code}
	return e
}

// writeError answers a request refused before GraphQL execution, in the
// GraphQL response shape.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}}})
}
