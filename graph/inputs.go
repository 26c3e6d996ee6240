package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/vetgraph/vetgraph/graph/model"
)

// VariableCheck refuses, before any resolver runs, a variable whose value
// GraphQL's input coercion cannot turn into its declared type, with one
// BAD_USER_INPUT error at the variable (path "variable", name, and the
// index or field inside it) that says what was sent and what the type
// takes. gqlparser's coercion of variables is looser than the
// specification (https://spec.graphql.org/October2021/#sec-Input-Values),
// and gqlgen's scalars convert what it lets through: "5" became the Int 5,
// the number 5 the String "5", 3000000000 an Int, "en" the enum EN. The
// rules applied here, inside lists and input objects too:
//
//   - Int: a JSON number written as an integer (no fraction, no
//     exponent: 5.0 is a float input value) from -2147483648 to
//     2147483647.
//   - Float: a finite JSON number (an integer too).
//   - String: a JSON string. Boolean: true or false.
//   - ID: a JSON string, or a JSON number written as an integer (the ID is
//     its digits).
//   - Int64 (this schema's scalar, model.UnmarshalInt64): a JSON number
//     written as an integer within ±9223372036854775807 and -2^63.
//   - An enum: a JSON string naming one of its values exactly as the
//     schema writes it ("en" for EN is refused, naming the value to send).
//   - An input object: a JSON object whose keys are fields of the type.
//   - A list: a JSON array of values of the item type, or one such value,
//     which stands for a list of one.
//   - null, or no value, where the type is nullable; a missing or null
//     value where it is not is left to gqlparser (GRAPHQL_VALIDATION_FAILED),
//     as is a variable of a type this schema lacks.
//
// A value gqlparser itself refuses (an object for an Int, 5.5 for an Int
// variable) reaches the client through the same rules: VariableCheck keeps
// the request's variables as sent (MutateOperationParameters) and the
// error presenter explains gqlparser's refusal with them (explainVariable).
//
// It keeps the schema it is installed on (Validate), so use a new one per
// server.
type VariableCheck struct{ schema *ast.Schema }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = (*VariableCheck)(nil)

func (*VariableCheck) ExtensionName() string { return "VariableCheck" }

func (c *VariableCheck) Validate(es graphql.ExecutableSchema) error {
	c.schema = es.Schema()
	return nil
}

// sentVariables is what VariableCheck keeps in the operation's Stats: the
// check and the variables as the request sent them.
type sentVariables struct {
	check *VariableCheck
	vars  map[string]any
}

// MutateOperationParameters keeps the variables as sent, for
// explainVariable; it refuses nothing.
func (c *VariableCheck) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if len(p.Variables) > 0 && graphql.HasOperationContext(ctx) {
		graphql.GetOperationContext(ctx).Stats.SetExtension(c.ExtensionName(), sentVariables{c, p.Variables})
	}
	return nil
}

func (c *VariableCheck) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	return c.checkAll(oc.Operation, oc.Variables)
}

// checkAll checks the variables of op in vars; nil when all are values of
// their types.
func (c *VariableCheck) checkAll(op *ast.OperationDefinition, vars map[string]any) *gqlerror.Error {
	if op == nil || c.schema == nil {
		return nil
	}
	for _, v := range op.VariableDefinitions {
		path := ast.Path{ast.PathName("variable"), ast.PathName(v.Variable)}
		if msg, at := c.check(vars[v.Variable], v.Type, path); msg != "" {
			e := gqlerror.ErrorPathf(at, "variable $%s%s: %s", v.Variable, inside(at[2:]), msg)
			e.Extensions = map[string]any{"code": CodeBadInput}
			return e
		}
	}
	return nil
}

// explainVariable is the error to show for gqlparser's refusal of a
// variable in the operation of ctx: VariableCheck's account of the
// variables as sent, or nil when it finds nothing wrong (a missing or
// null value for a non-null type: gqlparser's error stands).
func explainVariable(ctx context.Context) *gqlerror.Error {
	if !graphql.HasOperationContext(ctx) {
		return nil
	}
	oc := graphql.GetOperationContext(ctx)
	sent, ok := oc.Stats.GetExtension((*VariableCheck)(nil).ExtensionName()).(sentVariables)
	if !ok {
		return nil
	}
	return sent.check.checkAll(oc.Operation, sent.vars)
}

// inside writes the path within a variable: "[2].kinds[0]".
func inside(p ast.Path) string {
	var b strings.Builder
	for _, e := range p {
		switch e := e.(type) {
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(e))
		case ast.PathName:
			b.WriteString("." + string(e))
		}
	}
	return b.String()
}

// check walks value as a value of typ; it returns what is wrong and where,
// or "" when nothing is. A JSON array is a []any; a list of another type
// is a single value that gqlparser's coercion wrapped in a list of one and
// wrote back into its input object or list ([]string{"school"} for
// "school"), so it is reported as the single value sent.
func (c *VariableCheck) check(value any, typ *ast.Type, path ast.Path) (string, ast.Path) {
	if value == nil || typ == nil {
		return "", nil
	}
	if typ.Elem != nil {
		list := reflect.ValueOf(value)
		if _, array := value.([]any); !array && list.Kind() == reflect.Slice && list.Len() == 1 {
			value, list = list.Index(0).Interface(), reflect.Value{}
		}
		if list.Kind() != reflect.Slice { // a single value stands for a list of one
			return c.check(value, typ.Elem, path)
		}
		for i := range list.Len() {
			if msg, at := c.check(list.Index(i).Interface(), typ.Elem, append(path, ast.PathIndex(i))); msg != "" {
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
	case ast.Scalar:
		if msg := scalarProblem(value, def.Name); msg != "" {
			return msg, path
		}
	case ast.Enum:
		s, ok := value.(string)
		if !ok {
			return fmt.Sprintf("%s is %s; an enum value is sent as a JSON string naming one of the values of %s, e.g. %q", shown(value), jsonKind(value), def.Name, def.EnumValues[0].Name), path
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
			return fmt.Sprintf("%s is %s; %s takes a JSON object with its fields (%s)", shown(value), jsonKind(value), def.Name, fieldNames(def)), path
		}
		unknown, found := "", false // the first in sorted order, so that the answer is stable
		for k := range m {
			if def.Fields.ForName(k) == nil && k != "__typename" && (!found || k < unknown) {
				unknown, found = k, true
			}
		}
		if found {
			return fmt.Sprintf("%s has no field %q; its fields are %s", def.Name, prefix(unknown, 40), fieldNames(def)), append(path, ast.PathName(unknown))
		}
		for _, f := range def.Fields {
			if msg, at := c.check(m[f.Name], f.Type, append(path, ast.PathName(f.Name))); msg != "" {
				return msg, at
			}
		}
	}
	return "", nil
}

// What each scalar takes, as the refusals say it.
const (
	takesInt     = "Int takes a JSON number without a fraction or exponent, from -2147483648 to 2147483647"
	takesInt64   = "Int64 takes a JSON number without a fraction or exponent, from -9223372036854775808 to 9223372036854775807"
	takesFloat   = "Float takes a finite JSON number"
	takesString  = "String takes a JSON string"
	takesBoolean = "Boolean takes true or false"
	takesID      = "ID takes a JSON string, or a JSON number without a fraction or exponent"
)

// scalarProblem says why value (as decoded from JSON with UseNumber, or as
// gqlparser coerced it) is not a value of the scalar named name, or "".
// Scalars other than the built-in ones and Int64 judge their own values.
func scalarProblem(value any, name string) string {
	switch name {
	case "Int":
		return integer(value, math.MinInt32, math.MaxInt32, takesInt)
	case "Int64":
		return integer(value, math.MinInt64, math.MaxInt64, takesInt64)
	case "Float":
		var f float64
		switch n := value.(type) {
		case json.Number:
			var err error
			if f, err = strconv.ParseFloat(string(n), 64); err != nil && !errors.Is(err, strconv.ErrRange) {
				return fmt.Sprintf("%s is not a number; %s", shown(value), takesFloat)
			}
		case float64:
			f = n
		case int, int32, int64:
			return ""
		default:
			return fmt.Sprintf("%s is %s; %s", shown(value), jsonKind(value), takesFloat)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Sprintf("%s is beyond the range of a float; %s", shown(value), takesFloat)
		}
	case "String":
		if _, ok := value.(string); !ok {
			if n, ok := value.(json.Number); ok {
				return fmt.Sprintf("%s is a JSON number; %s (send \"%s\")", n, takesString, n)
			}
			return fmt.Sprintf("%s is %s; %s", shown(value), jsonKind(value), takesString)
		}
	case "Boolean":
		if _, ok := value.(bool); !ok {
			return fmt.Sprintf("%s is %s; %s", shown(value), jsonKind(value), takesBoolean)
		}
	case "ID":
		switch n := value.(type) {
		case string, int, int32, int64:
		case json.Number:
			if !integerSyntax(string(n)) {
				return fmt.Sprintf("%s has a fraction or exponent; %s", n, takesID)
			}
		case float64: // decoded without UseNumber: gqlparser makes a whole one an integer
			if n != math.Trunc(n) || math.IsInf(n, 0) {
				return fmt.Sprintf("%v has a fraction; %s", n, takesID)
			}
		default:
			return fmt.Sprintf("%s is %s; %s", shown(value), jsonKind(value), takesID)
		}
	}
	return ""
}

// integer says why value is not an integer from lo to hi, or "".
func integer(value any, lo, hi int64, takes string) string {
	var i int64
	switch n := value.(type) {
	case json.Number:
		if !integerSyntax(string(n)) {
			return fmt.Sprintf("%s has a fraction or exponent; %s", n, takes)
		}
		var err error
		if i, err = strconv.ParseInt(string(n), 10, 64); err != nil {
			return fmt.Sprintf("%s is out of range; %s", n, takes)
		}
	case int64:
		i = n
	case int:
		i = int64(n)
	case int32:
		i = int64(n)
	case float64: // decoded without UseNumber
		if n != math.Trunc(n) || math.Abs(n) >= 1<<63 {
			return fmt.Sprintf("%v is not a whole number within range; %s", n, takes)
		}
		i = int64(n)
	default:
		return fmt.Sprintf("%s is %s; %s", shown(value), jsonKind(value), takes)
	}
	if i < lo || i > hi {
		return fmt.Sprintf("%d is out of range; %s", i, takes)
	}
	return ""
}

// integerSyntax reports whether a JSON number is written as an integer:
// digits after an optional minus, no fraction, no exponent.
func integerSyntax(n string) bool {
	return n != "" && !strings.ContainsAny(n, ".eE")
}

// jsonKind names the JSON kind of a decoded value (model.JSONKind), with
// its article: "a JSON string".
func jsonKind(v any) string {
	switch k := model.JSONKind(v); k {
	case "string", "number", "boolean", "null", "array", "object":
		return "a JSON " + k
	default:
		return "a " + k
	}
}

// shown is value as a message shows it: a string quoted and cut to 40
// characters, a number or boolean as written, an array or object as
// "[…]" or "{…}".
func shown(value any) string {
	switch v := value.(type) {
	case string:
		return strconv.Quote(prefix(v, 40))
	case map[string]any:
		return "{…}"
	case json.Number:
		return string(v)
	}
	if reflect.ValueOf(value).Kind() == reflect.Slice {
		return "[…]"
	}
	return fmt.Sprint(value)
}

// fieldNames lists the fields of an input object, comma-separated.
func fieldNames(def *ast.Definition) string {
	names := make([]string, len(def.Fields))
	for i, f := range def.Fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
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
