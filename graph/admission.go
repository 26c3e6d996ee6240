package graph

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/vetgraph/vetgraph/internal/admission"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Admission control at the GraphQL edge: a document's fields are counted
// before gqlgen validates it (fieldLimit), the cost model prices the
// operation (cost.go, through gqlgen's complexity calculation: costLimit),
// and the operation waits for admission (admit) before any resolver runs,
// after every other check. Limits.Admission
// holds the bounds; admission.RateLimit (before this handler) the
// per-client rate.

// Codes of admission control's refusals (errors.go lists the others).
const (
	// CodeFieldLimit: a document selects more fields than Limits.MaxFields,
	// or one response name too often in one place (before validation).
	CodeFieldLimit = "FIELD_LIMIT_EXCEEDED"
	// CodeOverloaded: the server is at its bound of requests or work and
	// the queue is full or was waited in too long (HTTP 503, Retry-After).
	CodeOverloaded = admission.CodeOverloaded
	// CodeRateLimited: the client sent more than its rate (HTTP 429,
	// Retry-After; written by admission.RateLimit before GraphQL).
	CodeRateLimited = admission.CodeRateLimited
)

// DefaultMaxFields is Limits.MaxFields when it is 0.
const DefaultMaxFields = 2000

// maxSameField bounds how often one response name may be selected at one
// place of a document (fragments expanded). gqlgen's validation compares
// every two such fields with each other and with each other's
// sub-selections, so its time grows with the square of this number; no
// real query repeats a name more than a few times (once per inline
// fragment of a type).
const maxSameField = 25

// fieldLimit refuses, before gqlgen validates it, a document with more than
// max field selections (every fragment spread expanded where it is spread)
// or with one response name selected more than maxSameField times at one
// place: validation time grows with the square of such repetitions, and
// 5,000 tokens of duplicate fields cost more than a second of CPU. The
// document is parsed here once more (a fraction of a millisecond for a
// usual query); the verdicts on the last 1,000 documents are remembered by
// their SHA-256.
type fieldLimit struct {
	max       int
	maxTokens int
	verdicts  *lru.LRU[verdict]
}

// verdict is fieldLimit's answer on one document: nil err when it passes.
type verdict struct{ err *gqlerror.Error }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = fieldLimit{}

func newFieldLimit(max, maxTokens int) fieldLimit {
	if max <= 0 {
		max = DefaultMaxFields
	}
	return fieldLimit{max: max, maxTokens: maxTokens, verdicts: lru.New[verdict](1000)}
}

func (fieldLimit) ExtensionName() string                   { return "FieldLimit" }
func (fieldLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (l fieldLimit) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	sum := sha256.Sum256([]byte(p.Query))
	key := string(sum[:])
	v, ok := l.verdicts.Get(ctx, key)
	if !ok {
		v = verdict{err: l.check(p.Query)}
		l.verdicts.Add(ctx, key, v)
	}
	if v.err == nil {
		return nil
	}
	e := *v.err // a copy: the error presenter may change it
	return &e
}

// check is fieldLimit's verdict on query: nil when it passes.
func (l fieldLimit) check(query string) *gqlerror.Error {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, l.maxTokens)
	if err != nil {
		return nil //nolint:nilerr // not this check's to report: gqlgen parses the query again and reports the error
	}
	s, err := measureFields(doc, l.max)
	var cyc *fragmentCycle
	switch {
	case errors.As(err, &cyc):
		e := gqlerror.Errorf("cannot spread fragment %q within itself", cyc.name)
		e.Extensions = map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}
		return e
	case s.fields > l.max:
		return limitGQLError(CodeFieldLimit, "the document selects more than %d fields (a fragment counts where it is defined and wherever it is spread); the limit is %d", l.max, l.max)
	case s.maxSame > maxSameField:
		return limitGQLError(CodeFieldLimit, "the document selects %q %d times in one place; the limit is %d", s.sameName, s.maxSame, maxSameField)
	}
	return nil
}

// fieldStats is what measureFields finds.
type fieldStats struct {
	fields   int    // field selections, fragments expanded (saturating past the limit)
	maxSame  int    // most fields of one response name merged at one place
	sameName string // that name
}

type fragmentCycle struct{ name string }

func (e *fragmentCycle) Error() string { return "fragment cycle at " + e.name }

// measureFields counts the field selections of doc as validation visits
// them: each operation's and each fragment definition's, with every
// fragment expanded where it is spread (a fragment's count is computed
// once, so counting takes time linear in the document however the
// fragments nest), saturating past limit. Within the limit it then merges
// the fields of each place by response name, as validation does, and finds
// the largest merge. A fragment that spreads itself is a *fragmentCycle.
func measureFields(doc *ast.QueryDocument, limit int) (fieldStats, error) {
	const inProgress = -1
	memo := map[string]int{}
	var count func(set ast.SelectionSet) (int, error)
	fragment := func(f *ast.FragmentDefinition) (int, error) {
		switch m, seen := memo[f.Name]; {
		case seen && m == inProgress:
			return 0, &fragmentCycle{name: f.Name}
		case seen:
			return m, nil
		}
		memo[f.Name] = inProgress
		n, err := count(f.SelectionSet)
		if err != nil {
			return 0, err
		}
		memo[f.Name] = n
		return n, nil
	}
	count = func(set ast.SelectionSet) (int, error) {
		n := 0
		for _, sel := range set {
			var k int
			var err error
			switch s := sel.(type) {
			case *ast.Field:
				k, err = count(s.SelectionSet)
				k++
			case *ast.InlineFragment:
				k, err = count(s.SelectionSet)
			case *ast.FragmentSpread:
				if f := doc.Fragments.ForName(s.Name); f != nil { // else validation reports it
					k, err = fragment(f)
				}
			}
			if err != nil {
				return 0, err
			}
			n = min(n+k, limit+1) // saturate: only "over the limit" matters
		}
		return n, nil
	}
	var st fieldStats
	for _, op := range doc.Operations {
		n, err := count(op.SelectionSet)
		if err != nil {
			return st, err
		}
		st.fields = min(st.fields+n, limit+1)
	}
	for _, f := range doc.Fragments {
		n, err := fragment(f)
		if err != nil {
			return st, err
		}
		st.fields = min(st.fields+n, limit+1)
	}
	if st.fields > limit {
		return st, nil
	}
	// Within the limit, expanding the fragments is linear in st.fields.
	var merge func(sets []ast.SelectionSet)
	merge = func(sets []ast.SelectionSet) {
		byName := map[string][]*ast.Field{}
		var collect func(set ast.SelectionSet)
		collect = func(set ast.SelectionSet) {
			for _, sel := range set {
				switch s := sel.(type) {
				case *ast.Field:
					name := s.Alias
					if name == "" {
						name = s.Name
					}
					byName[name] = append(byName[name], s)
				case *ast.InlineFragment:
					collect(s.SelectionSet)
				case *ast.FragmentSpread:
					if f := doc.Fragments.ForName(s.Name); f != nil {
						collect(f.SelectionSet)
					}
				}
			}
		}
		for _, set := range sets {
			collect(set)
		}
		for name, fs := range byName {
			if len(fs) > st.maxSame {
				st.maxSame, st.sameName = len(fs), name
			}
			var children []ast.SelectionSet
			for _, f := range fs {
				if len(f.SelectionSet) > 0 {
					children = append(children, f.SelectionSet)
				}
			}
			if len(children) > 0 {
				merge(children)
			}
		}
	}
	for _, op := range doc.Operations {
		merge([]ast.SelectionSet{op.SelectionSet})
	}
	for _, f := range doc.Fragments {
		merge([]ast.SelectionSet{f.SelectionSet})
	}
	return st, nil
}

// costLimit refuses an operation that costs more than max by the cost model
// (COMPLEXITY_LIMIT_EXCEEDED), as gqlgen's extension.FixedComplexityLimit
// does, and keeps the same statistics (extension.GetComplexityStats).
// Pricing walks the operation and decodes every field's arguments, which
// is a good part of the work of refusing a request; the costs of the last
// 1,000 operations (by document, operation name and variables) are
// remembered, so that a request repeated, or a flood of one, is priced
// once. A handler built for another schema (vocabulary) starts afresh.
type costLimit struct {
	max   int
	es    graphql.ExecutableSchema
	costs *lru.LRU[int]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &costLimit{}

func newCostLimit(max int) *costLimit { return &costLimit{max: max, costs: lru.New[int](1000)} }

// ExtensionName is gqlgen's, so that extension.GetComplexityStats finds
// the statistics.
func (*costLimit) ExtensionName() string { return extension.ComplexityLimit{}.ExtensionName() }

func (c *costLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

func (c *costLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	var key string
	if vars, err := json.Marshal(oc.Variables); err == nil && len(vars) <= 4096 {
		h := sha256.New()
		h.Write([]byte(oc.RawQuery))
		h.Write([]byte{0})
		h.Write([]byte(oc.OperationName))
		h.Write([]byte{0})
		h.Write(vars) // map keys sorted: the same variables, the same bytes
		key = string(h.Sum(nil))
	}
	cost, ok := 0, false
	if key != "" {
		cost, ok = c.costs.Get(ctx, key)
	}
	if !ok {
		cost = complexity.Calculate(ctx, c.es, oc.Operation, oc.Variables)
		if key != "" {
			c.costs.Add(ctx, key, cost)
		}
	}
	oc.Stats.SetExtension(c.ExtensionName(), &extension.ComplexityStats{Complexity: cost, ComplexityLimit: c.max})
	if cost > c.max {
		return limitGQLError(CodeComplexityLimit, "operation has complexity %d, which exceeds the limit of %d", cost, c.max)
	}
	return nil
}

// admit is the gqlgen extension that waits for admission of each operation
// (after every other check, so that nothing refused waits), weighing it by
// its cost as the complexity limit computed it. The ticket goes to the
// request's requestState, released when the answer is written; a refusal
// is answered 503 with Retry-After (status.go). A request whose client
// went away while it waited is CANCELLED, neither admitted nor refused.
type admit struct{ c *admission.Controller }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = admit{}

func (admit) ExtensionName() string                   { return "Admission" }
func (admit) Validate(graphql.ExecutableSchema) error { return nil }
func (a admit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	st := stateFrom(ctx)
	if st == nil || st.ticket != nil {
		return nil
	}
	cost := int64(1)
	if s, ok := oc.Stats.GetExtension(extension.ComplexityLimit{}.ExtensionName()).(*extension.ComplexityStats); ok {
		cost = int64(max(s.Complexity, 1))
	}
	admit := a.c.Admit
	if oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
		admit = a.c.AdmitSerial
	}
	t, err := admit(ctx, cost)
	if err != nil {
		var oe *admission.OverloadError
		switch {
		case errors.As(err, &oe):
		case errors.Is(err, context.Canceled):
			return limitGQLError(CodeCancelled, "the request was cancelled while it waited for admission")
		default:
			oe = &admission.OverloadError{Reason: "the request's time ran out while it waited for admission", RetryAfter: admission.RetryAfter}
		}
		st.refused = oe
		return limitGQLError(CodeOverloaded, "%s; retry after %d s", oe.Reason, admission.RetrySeconds(oe.RetryAfter))
	}
	st.ticket = t
	// A heavy request's statements run one after another: the few admitted
	// at once then take few of Neo4j's processors from the light requests
	// beside them. A mutation's run one after another anyway; its answer's
	// reads do too, within the one connection it was admitted with.
	n := t.Connections()
	if t.Heavy() {
		n = 1
	}
	store.LimitStatements(ctx, n)
	return nil
}

// shapeLimit refuses operations nested deeper than maxDepth or with more
// than maxAliases aliased fields, before any resolver runs.
//
// Depth counts the levels of data a query walks, not the wrappers of a
// Relay connection: `edges` of a …Connection and `node` of an …Edge add no
// level, so one hop of `relations { edges { node { other { … } } } }`
// counts 2 (relations, other), not 4, and a four-hop relation walk fits
// the default limit of 12. What the wrappers multiply (a page of edges) is
// priced by the cost model, which still refuses a walk whose pages are too
// large (COMPLEXITY_LIMIT_EXCEEDED).
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
		return limitGQLError(CodeDepthLimit, "query depth %d exceeds the limit of %d (the edges and node of a connection count no level)", depth, l.maxDepth)
	}
	if aliases > l.maxAliases {
		return limitGQLError(CodeAliasLimit, "query uses %d aliases; the limit is %d", aliases, l.maxAliases)
	}
	return nil
}

// connectionWrapper reports whether f is the `edges` field of a Relay
// connection type (…Connection) or the `node` field of its edge type
// (…Edge): levels of the response shape that read no further data.
func connectionWrapper(f *ast.Field) bool {
	if f.ObjectDefinition == nil {
		return false
	}
	parent := f.ObjectDefinition.Name
	return (f.Name == "edges" && strings.HasSuffix(parent, "Connection")) ||
		(f.Name == "node" && strings.HasSuffix(parent, "Edge"))
}

// measure returns the depth of a selection set and counts aliases, following
// fragments (each fragment once per path, so cycles cannot loop).
// Connection wrappers (connectionWrapper) add no level.
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
			// Introspection (__schema, __type) is as deep as the type system
			// it walks (GraphiQL's query nests 15 levels); it reads no data,
			// so it is not held to the depth limit.
			if len(s.SelectionSet) > 0 && !strings.HasPrefix(s.Name, "__") {
				next := depth + 1
				if connectionWrapper(s) {
					next = depth
				}
				d = measure(s.SelectionSet, next, aliases, inPath)
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
