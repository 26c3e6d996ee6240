package graph

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// The schema stays typed while the vocabulary grows: RelationType is an
// enum, and the schema a handler serves is schema.graphqls extended with
// the types admins added (`extend enum RelationType { FUNDED_BY … }`). So an
// added type is a RelationType value like a built-in one — in every
// argument, filter and answer, and in introspection — and an unknown one is
// refused by validation as before. When the vocabulary changes (an
// addRelationType on this replica, or a refresh that read one added on
// another), the next request rebuilds the handler for the new schema; the
// parsed-query cache starts again with it.

// vocabularyHandler serves each request with the handler built for the
// current vocabulary version.
type vocabularyHandler struct {
	build   func(schema *ast.Schema) http.Handler
	mu      sync.Mutex // serialises rebuilds
	current atomic.Pointer[versionedHandler]
}

type versionedHandler struct {
	version uint64
	h       http.Handler
}

func (v *vocabularyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.handler().ServeHTTP(w, r)
}

// handler returns the handler of the current vocabulary, building it when
// the vocabulary changed since the last one was built.
func (v *vocabularyHandler) handler() http.Handler {
	version := kg.VocabularyVersion()
	if c := v.current.Load(); c != nil && c.version == version {
		return c.h
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c := v.current.Load(); c != nil && c.version == version {
		return c.h
	}
	schema, err := SchemaFor(kg.Vocabulary())
	if err != nil {
		// Only a defect can get here: stored types pass kg.CheckRelTypeInfo,
		// whose names are valid enum values. Keep serving the last schema.
		if c := v.current.Load(); c != nil {
			return c.h
		}
		schema = nil
	}
	h := v.build(schema)
	v.current.Store(&versionedHandler{version: version, h: h})
	return h
}

// SchemaFor returns the GraphQL schema for a vocabulary: schema.graphqls
// when it has only the built-in types (nil: gqlgen's parsed schema), else
// schema.graphqls with the added types as further RelationType values, each
// described by its labels.
func SchemaFor(vocabulary []kg.RelTypeInfo) (*ast.Schema, error) {
	var b strings.Builder
	for _, t := range vocabulary {
		if kg.IsBuiltin(t.Type) {
			continue
		}
		fmt.Fprintf(&b, "  %s %s\n", graphqlString(t.Zh+" / "+t.En+" (added)"), t.Type)
	}
	if b.Len() == 0 {
		return nil, nil
	}
	ext := &ast.Source{Name: "vocabulary (added relationship types)", Input: "extend enum RelationType {\n" + b.String() + "}\n"}
	schema, err := gqlparser.LoadSchema(append(append([]*ast.Source{}, sources...), ext)...)
	if err != nil {
		return nil, err
	}
	return schema, nil
}

// graphqlString quotes s as a GraphQL string value.
func graphqlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
