package model

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Scalars whose input a client can get wrong: each refusal wraps
// kg.ErrInvalidInput, so the client sees BAD_USER_INPUT with what to send,
// never an internal error, and no value is ever coerced from a string or
// silently altered.

// MarshalInt64 writes a 64-bit integer exactly.
func MarshalInt64(i int64) graphql.Marshaler { return graphql.MarshalInt64(i) }

// UnmarshalInt64 reads an Int64 argument or variable: a JSON or GraphQL
// integer within ±2^63. Strings ("5"), fractions (1.5) and booleans are
// refused, as GraphQL's input coercion for integers requires.
func UnmarshalInt64(v any) (int64, error) {
	switch n := v.(type) {
	case int:
		return int64(n), nil
	case int32:
		return int64(n), nil
	case int64:
		return n, nil
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %s is not an Int64 (a whole number within ±9223372036854775807)", kg.ErrInvalidInput, short(string(n)))
		}
		return i, nil
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), nil
		}
		return 0, fmt.Errorf("%w: %v is not an Int64 (a whole number)", kg.ErrInvalidInput, n)
	}
	return 0, fmt.Errorf("%w: Int64 wants a whole number, not a %s", kg.ErrInvalidInput, JSONKind(v))
}

// MarshalFloat writes a float.
func MarshalFloat(f float64) graphql.Marshaler { return graphql.MarshalFloat(f) }

// UnmarshalFloat reads a Float argument or variable: a finite JSON or
// GraphQL number. Strings ("0x1p4", "750", "NaN") are refused rather than
// parsed, so a value is stored as sent or not at all.
func UnmarshalFloat(v any) (float64, error) {
	var f float64
	switch n := v.(type) {
	case int:
		f = float64(n)
	case int32:
		f = float64(n)
	case int64:
		f = float64(n)
	case float64:
		f = n
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(n), 64); err != nil {
			return 0, fmt.Errorf("%w: %s is not a Float", kg.ErrInvalidInput, short(string(n)))
		}
	default:
		return 0, fmt.Errorf("%w: Float wants a number, not a %s", kg.ErrInvalidInput, JSONKind(v))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%w: Float wants a finite number", kg.ErrInvalidInput)
	}
	return f, nil
}

// JSONKind names the JSON kind of a value decoded from JSON (with or
// without UseNumber): "string", "number", "boolean", "null", "array" or
// "object"; for anything else its Go type.
func JSONKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number, float64, int, int32, int64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	case map[string]any:
		return "object"
	}
	if reflect.ValueOf(v).Kind() == reflect.Slice {
		return "array"
	}
	return fmt.Sprintf("%T", v)
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
