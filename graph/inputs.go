package graph

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// VariableCheck refuses, before any resolver runs, a variable whose value
// names an enum value in the wrong case ("en" for EN, "member_of" for
// MEMBER_OF) or as a number. gqlparser's coercion of variables lets these
// through (it compares case-insensitively), and the generated code would
// then refuse the value once per field that reads it: one error per item
// of a long list. Here it is one BAD_USER_INPUT error at the variable
// ("variable", name, and the index or field inside it), naming the value
// to send. Enum values inside input objects and lists are checked too.
//
// It keeps the schema it is installed on (Validate), so use a new one per
// server.
type VariableCheck struct{ schema *ast.Schema }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*VariableCheck)(nil)

func (*VariableCheck) ExtensionName() string { return "VariableCheck" }

func (c *VariableCheck) Validate(es graphql.ExecutableSchema) error {
	c.schema = es.Schema()
	return nil
}

func (c *VariableCheck) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || c.schema == nil {
		return nil
	}
	for _, v := range oc.Operation.VariableDefinitions {
		path := ast.Path{ast.PathName("variable"), ast.PathName(v.Variable)}
		if msg, at := c.check(oc.Variables[v.Variable], v.Type, path); msg != "" {
			e := gqlerror.ErrorPathf(at, "variable $%s: %s", v.Variable, msg)
			e.Extensions = map[string]any{"code": CodeBadInput}
			return e
		}
	}
	return nil
}

// check walks value as a value of typ; it returns what is wrong and where,
// or "" when nothing is.
func (c *VariableCheck) check(value any, typ *ast.Type, path ast.Path) (string, ast.Path) {
	if value == nil || typ == nil {
		return "", nil
	}
	if typ.Elem != nil {
		list, ok := value.([]any)
		if !ok { // a single value stands for a list of one
			return c.check(value, typ.Elem, path)
		}
		for i, x := range list {
			if msg, at := c.check(x, typ.Elem, append(path, ast.PathIndex(i))); msg != "" {
				return msg, at
			}
		}
		return "", nil
	}
	def := c.schema.Types[typ.NamedType]
	if def == nil {
		return "", nil
	}
	switch def.Kind {
	case ast.Enum:
		s, ok := value.(string)
		if !ok {
			return fmt.Sprintf("an enum value is sent as a string naming one of the values of %s, e.g. %q", def.Name, def.EnumValues[0].Name), path
		}
		var like string
		for _, ev := range def.EnumValues {
			if ev.Name == s {
				return "", nil
			}
			if strings.EqualFold(ev.Name, s) {
				like = ev.Name
			}
		}
		if like != "" {
			return fmt.Sprintf("%q is not a value of the enum %s; enum values are written as the schema lists them: send %q", s, def.Name, like), path
		}
		return fmt.Sprintf("%q is not a value of the enum %s", s, def.Name), path
	case ast.InputObject:
		m, ok := value.(map[string]any)
		if !ok {
			return "", nil
		}
		for _, f := range def.Fields {
			if msg, at := c.check(m[f.Name], f.Type, append(path, ast.PathName(f.Name))); msg != "" {
				return msg, at
			}
		}
	}
	return "", nil
}

// TextCheck refuses a query whose text holds what GraphQL's lexer would
// silently replace by U+FFFD: bytes that are not UTF-8, or a string escape
// of a lone UTF-16 surrogate ("\ud800" without its low half). It is a
// GRAPHQL_PARSE_FAILED error, before parsing. (A body or a GET parameter
// that is not UTF-8, or whose JSON holds such an escape, is refused with
// HTTP 400 before GraphQL; see NewHandler.)
type TextCheck struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = TextCheck{}

func (TextCheck) ExtensionName() string                   { return "TextCheck" }
func (TextCheck) Validate(graphql.ExecutableSchema) error { return nil }

func (TextCheck) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	var msg string
	switch {
	case !utf8.ValidString(p.Query) || !utf8.ValidString(p.OperationName):
		msg = "the query is not valid UTF-8; send the text as UTF-8"
	case loneSurrogate([]byte(p.Query)):
		msg = `the query holds a string escape of a lone UTF-16 surrogate (\uD800–\uDFFF without its pair); send the real character`
	default:
		return nil
	}
	e := gqlerror.Errorf("%s", msg)
	errcode.Set(e, errcode.ParseFailed)
	return e
}
