package graph_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/graph"
)

// Variable values are coerced as GraphQL's input coercion says
// (VariableCheck): what the specification refuses is a request error,
// BAD_USER_INPUT at the variable's path, naming what was sent and what the
// type takes; what it accepts runs. Every field reading a variable is
// skipped (@skip(if: true)), so nothing reaches the store: an accepted
// value answers {"__typename": "Query"} (or "Mutation").
func TestVariableCoercion(t *testing.T) {
	h := graph.NewHandler(statsStore{}, nil, testLimits, slog.New(slog.DiscardHandler))
	const (
		takesInt     = "Int takes a JSON number without a fraction or exponent, from -2147483648 to 2147483647"
		takesInt64   = "Int64 takes a JSON number without a fraction or exponent, from -9223372036854775808 to 9223372036854775807"
		takesFloat   = "Float takes a finite JSON number"
		takesString  = "String takes a JSON string"
		takesBoolean = "Boolean takes true or false"
		takesID      = "ID takes a JSON string, or a JSON number without a fraction or exponent"
		filterFields = "kinds, nameContains, country, relationTypes, timeFrom, timeTo"
	)
	// Operations by the type of $v: each reads $v only in a skipped field.
	ops := map[string]string{
		"Int":          `query($v: Int) { __typename x: search(text: "x", first: $v) @skip(if: true) { matched } }`,
		"Int!":         `query($v: Int!) { __typename x: search(text: "x", first: $v) @skip(if: true) { matched } }`,
		"String":       `query($v: String) { __typename x: changes(since: $v) @skip(if: true) { pageInfo { hasNextPage } } }`,
		"ID":           `query($v: ID) { __typename x: changes(entity: $v) @skip(if: true) { pageInfo { hasNextPage } } }`,
		"Boolean!":     `query($v: Boolean!) { __typename x: stats @skip(if: true) @include(if: $v) { entities } }`,
		"[ID!]":        `query($v: [ID!]) { __typename x: facts(subjects: $v) @skip(if: true) { totalCount } }`,
		"[Kind!]":      `query($v: [Kind!]) { __typename x: search(text: "x", kinds: $v) @skip(if: true) { matched } }`,
		"EntityFilter": `query($v: EntityFilter) { __typename x: entities(filter: $v) @skip(if: true) { totalCount } }`,
		"FactFilter":   `query($v: FactFilter) { __typename x: facts(filter: $v) @skip(if: true) { totalCount } }`,
		"FactInput!":   `mutation($v: FactInput!) { __typename x: addFact(input: $v) @skip(if: true) { created } }`,
		"Int64":        `mutation($v: Int64) { __typename x: upsertEntity(input: {id: "x"}, expectedVersion: $v) @skip(if: true) { created } }`,
	}
	fact := func(value string) string {
		return `{"subject": "x", "label": {"zh": "人数"}, "unit": "person", "evidence": {"document": "d", "quote": "q"}, "value": ` + value + `}`
	}
	for _, tc := range []struct {
		typ, vars string
		// want is the refusal: its message, path and code; "" when the
		// value is accepted.
		want string
		path []any
		code string
	}{
		// Int: integers within 32 bits.
		{typ: "Int", vars: `5`},
		{typ: "Int", vars: `-2147483648`},
		{typ: "Int", vars: `2147483647`},
		{typ: "Int", vars: `null`},
		{typ: "Int", vars: `"5"`, want: `variable $v: "5" is a JSON string; ` + takesInt},
		{typ: "Int", vars: `5.0`, want: `variable $v: 5.0 has a fraction or exponent; ` + takesInt},
		{typ: "Int", vars: `5.5`, want: `variable $v: 5.5 has a fraction or exponent; ` + takesInt},
		{typ: "Int", vars: `1e2`, want: `variable $v: 1e2 has a fraction or exponent; ` + takesInt},
		{typ: "Int", vars: `2147483648`, want: `variable $v: 2147483648 is out of range; ` + takesInt},
		{typ: "Int", vars: `-2147483649`, want: `variable $v: -2147483649 is out of range; ` + takesInt},
		{typ: "Int", vars: `99999999999999999999`, want: `variable $v: 99999999999999999999 is out of range; ` + takesInt},
		{typ: "Int", vars: `true`, want: `variable $v: true is a JSON boolean; ` + takesInt},
		{typ: "Int", vars: `[5]`, want: `variable $v: […] is a JSON array; ` + takesInt},
		{typ: "Int", vars: `{"n": 5}`, want: `variable $v: {…} is a JSON object; ` + takesInt},
		// A missing or null value for a non-null type: gqlparser's own error.
		{typ: "Int!", vars: `null`, want: `variable $v of type Int! cannot be null: send a value`, code: "GRAPHQL_VALIDATION_FAILED"},
		// String: only strings.
		{typ: "String", vars: `"2024"`},
		{typ: "String", vars: `""`},
		{typ: "String", vars: `2024`, want: `variable $v: 2024 is a JSON number; ` + takesString + ` (send "2024")`},
		{typ: "String", vars: `false`, want: `variable $v: false is a JSON boolean; ` + takesString},
		{typ: "String", vars: `["2024"]`, want: `variable $v: […] is a JSON array; ` + takesString},
		// ID: strings and integers.
		{typ: "ID", vars: `"cqvie"`},
		{typ: "ID", vars: `4`},
		{typ: "ID", vars: `123456789012345678901234567890`},
		{typ: "ID", vars: `4.0`, want: `variable $v: 4.0 has a fraction or exponent; ` + takesID},
		{typ: "ID", vars: `true`, want: `variable $v: true is a JSON boolean; ` + takesID},
		{typ: "ID", vars: `{}`, want: `variable $v: {…} is a JSON object; ` + takesID},
		// Boolean: true or false.
		{typ: "Boolean!", vars: `true`},
		{typ: "Boolean!", vars: `false`},
		{typ: "Boolean!", vars: `"true"`, want: `variable $v: "true" is a JSON string; ` + takesBoolean},
		{typ: "Boolean!", vars: `1`, want: `variable $v: 1 is a JSON number; ` + takesBoolean},
		// Float: any finite number, integers too (FactInput.value).
		{typ: "FactInput!", vars: fact(`750`)},
		{typ: "FactInput!", vars: fact(`7.5e2`)},
		{typ: "FactInput!", vars: fact(`-0.25`)},
		{typ: "FactInput!", vars: fact(`"750"`), want: `variable $v.value: "750" is a JSON string; ` + takesFloat, path: []any{"variable", "v", "value"}},
		// (A JSON number beyond float64, 1e400, is refused before GraphQL:
		// 400 BAD_REQUEST, the body is not a GraphQL request.)
		{typ: "FactInput!", vars: fact(`null`), want: `variable $v.value cannot be null: the type there is non-null (the variable's type is FactInput!)`, path: []any{"variable", "v", "value"}, code: "GRAPHQL_VALIDATION_FAILED"},
		// Int64 (model.UnmarshalInt64): integers within 64 bits.
		{typ: "Int64", vars: `9223372036854775807`},
		{typ: "Int64", vars: `-9223372036854775808`},
		{typ: "Int64", vars: `"3"`, want: `variable $v: "3" is a JSON string; ` + takesInt64},
		{typ: "Int64", vars: `3.0`, want: `variable $v: 3.0 has a fraction or exponent; ` + takesInt64},
		{typ: "Int64", vars: `9223372036854775808`, want: `variable $v: 9223372036854775808 is out of range; ` + takesInt64},
		// Lists: an array of items, or one item for a list of one.
		{typ: "[ID!]", vars: `["cqvie", 4]`},
		{typ: "[ID!]", vars: `"cqvie"`},
		{typ: "[ID!]", vars: `4`},
		{typ: "[ID!]", vars: `[]`},
		{typ: "[ID!]", vars: `["cqvie", 4.5]`, want: `variable $v[1]: 4.5 has a fraction or exponent; ` + takesID, path: []any{"variable", "v", 1.0}},
		{typ: "[ID!]", vars: `[["cqvie"]]`, want: `variable $v[0]: […] is a JSON array; ` + takesID, path: []any{"variable", "v", 0.0}},
		{typ: "[ID!]", vars: `4.5`, want: `variable $v: 4.5 has a fraction or exponent; ` + takesID},
		{typ: "[ID!]", vars: `["cqvie", null]`, want: `variable $v[1] cannot be null: the type there is non-null (the variable's type is [ID!])`, path: []any{"variable", "v", 1.0}, code: "GRAPHQL_VALIDATION_FAILED"},
		// Enums: names as the schema writes them.
		{typ: "[Kind!]", vars: `["SCHOOL", "ENTERPRISE"]`},
		{typ: "[Kind!]", vars: `"SCHOOL"`},
		{typ: "[Kind!]", vars: `["SCHOOL", "enterprise"]`, want: `variable $v[1]: "enterprise" is not a value of the enum Kind; enum values are written as the schema lists them: send "ENTERPRISE"`, path: []any{"variable", "v", 1.0}},
		{typ: "[Kind!]", vars: `[1]`, want: `variable $v[0]: 1 is a JSON number; an enum value is sent as a JSON string naming one of the values of Kind, e.g. "SCHOOL"`, path: []any{"variable", "v", 0.0}},
		{typ: "[Kind!]", vars: `["PLANET"]`, want: `variable $v[0]: "PLANET" is not a value of the enum Kind`, path: []any{"variable", "v", 0.0}},
		// Input objects, and the values inside them.
		{typ: "EntityFilter", vars: `{"kinds": "SCHOOL", "country": 7, "nameContains": "鲁班", "timeFrom": "2018"}`},
		{typ: "EntityFilter", vars: `{"kinds": ["SCHOOL"], "country": null}`},
		{typ: "EntityFilter", vars: `{"kinds": "school"}`, want: `variable $v.kinds: "school" is not a value of the enum Kind; enum values are written as the schema lists them: send "SCHOOL"`, path: []any{"variable", "v", "kinds"}},
		{typ: "EntityFilter", vars: `{"nameContains": 5}`, want: `variable $v.nameContains: 5 is a JSON number; ` + takesString + ` (send "5")`, path: []any{"variable", "v", "nameContains"}},
		{typ: "EntityFilter", vars: `{"timeFrom": 2018}`, want: `variable $v.timeFrom: 2018 is a JSON number; ` + takesString + ` (send "2018")`, path: []any{"variable", "v", "timeFrom"}},
		{typ: "EntityFilter", vars: `{"country": 7.5}`, want: `variable $v.country: 7.5 has a fraction or exponent; ` + takesID, path: []any{"variable", "v", "country"}},
		{typ: "EntityFilter", vars: `{"country": true}`, want: `variable $v.country: true is a JSON boolean; ` + takesID, path: []any{"variable", "v", "country"}},
		{typ: "EntityFilter", vars: `{"kind": ["SCHOOL"]}`, want: `variable $v.kind: EntityFilter has no field "kind"; its fields are ` + filterFields, path: []any{"variable", "v", "kind"}},
		{typ: "EntityFilter", vars: `{"zeta": 1, "kinds": ["SCHOOL"], "alpha": 2}`, want: `variable $v.alpha: EntityFilter has no field "alpha"; its fields are ` + filterFields, path: []any{"variable", "v", "alpha"}},
		{typ: "EntityFilter", vars: `{"__typename": "EntityFilter", "kinds": ["SCHOOL"]}`},
		{typ: "EntityFilter", vars: `"SCHOOL"`, want: `variable $v: "SCHOOL" is a JSON string; EntityFilter takes a JSON object with its fields (` + filterFields + `)`},
		{typ: "EntityFilter", vars: `[{"kinds": ["SCHOOL"]}]`, want: `variable $v: […] is a JSON array; EntityFilter takes a JSON object with its fields (` + filterFields + `)`},
		{typ: "FactFilter", vars: `{"units": "person", "documents": ["d1", 2]}`},
		{typ: "FactFilter", vars: `{"units": ["person", 5]}`, want: `variable $v.units[1]: 5 is a JSON number; ` + takesString + ` (send "5")`, path: []any{"variable", "v", "units", 1.0}},
		{typ: "FactFilter", vars: `{"units": 5}`, want: `variable $v.units: 5 is a JSON number; ` + takesString + ` (send "5")`, path: []any{"variable", "v", "units"}},
		{typ: "FactFilter", vars: `{"documents": [1.5]}`, want: `variable $v.documents[0]: 1.5 has a fraction or exponent; ` + takesID, path: []any{"variable", "v", "documents", 0.0}},
		{typ: "FactFilter", vars: `{"qualifiers": ["about"]}`, want: `variable $v.qualifiers[0]: "about" is not a value of the enum Qualifier; enum values are written as the schema lists them: send "ABOUT"`, path: []any{"variable", "v", "qualifiers", 0.0}},
	} {
		t.Run(tc.typ+" "+tc.vars, func(t *testing.T) {
			op, ok := ops[tc.typ]
			if !ok {
				t.Fatalf("no operation for %s", tc.typ)
			}
			body := map[string]any{"query": op, "variables": json.RawMessage(`{"v": ` + tc.vars + `}`)}
			for _, a := range []struct{ accept, media string }{accepts[0], accepts[3]} {
				x := do(t, h, a.accept, body)
				if tc.want == "" {
					typename := `{"__typename":"Query"}`
					if strings.HasPrefix(op, "mutation") {
						typename = `{"__typename":"Mutation"}`
					}
					if x.status != http.StatusOK || len(x.codes) != 0 || string(x.body["data"]) != typename {
						t.Errorf("Accept %q: %d %s, want it accepted", a.accept, x.status, x.raw)
					}
					continue
				}
				var errs []gqlError
				_ = json.Unmarshal(x.body["errors"], &errs)
				code, path := tc.code, tc.path
				if code == "" {
					code = graph.CodeBadInput
				}
				if path == nil {
					path = []any{"variable", "v"}
				}
				status := http.StatusOK
				if a.media == "application/graphql-response+json" {
					status = http.StatusBadRequest
				}
				if x.status != status || len(errs) != 1 {
					t.Fatalf("Accept %q: %d %s, want %d and one error", a.accept, x.status, x.raw, status)
				}
				if e := errs[0]; e.Message != tc.want || e.Extensions["code"] != code || !reflect.DeepEqual(e.Path, path) {
					t.Errorf("Accept %q:\n got %q %v %v\nwant %q %v %s", a.accept, e.Message, e.Path, e.Extensions["code"], tc.want, path, code)
				}
				if _, ok := x.body["data"]; ok {
					t.Errorf("a refused variable's answer has data: %s", x.raw)
				}
			}
		})
	}
}

// Number literals in the query are held to their type as variables are:
// an Int argument, list item or variable default outside 32 bits is a
// request error (BAD_USER_INPUT at the literal's location); Int64 takes 64
// bits, and Float any integer. (A float literal past float64 is refused by
// validation before it.)
func TestLiteralRange(t *testing.T) {
	h := graph.NewHandler(statsStore{}, nil, testLimits, slog.New(slog.DiscardHandler))
	const intRange = "Int takes an integer from -2147483648 to 2147483647"
	for _, tc := range []struct {
		query, want string
		line, col   float64
	}{
		{query: `{ __typename x: search(text: "x", first: 2147483647) @skip(if: true) { matched } }`},
		{query: `{ __typename x: search(text: "x", first: -2147483648) @skip(if: true) { matched } }`},
		{query: `{ __typename x: search(text: "x", first: 2147483648) @skip(if: true) { matched } }`, want: "argument first of search: the number 2147483648 is out of range (" + intRange + ")", line: 1, col: 42},
		{query: `{ __typename x: search(text: "x", first: -2147483649) @skip(if: true) { matched } }`, want: "argument first of search: the number -2147483649 is out of range (" + intRange + ")", line: 1, col: 42},
		{query: "query($v: Int = 3000000000) {\n  __typename x: search(text: \"x\", first: $v) @skip(if: true) { matched } }", want: "the default value of $v: the number 3000000000 is out of range (" + intRange + ")", line: 1, col: 17},
		{query: `mutation { __typename x: upsertEntity(input: {id: "x"}, expectedVersion: 3000000000) @skip(if: true) { created } }`},
		{query: `mutation { __typename x: upsertEntity(input: {id: "x"}, expectedVersion: 9223372036854775808) @skip(if: true) { created } }`, want: "argument expectedVersion of upsertEntity: the number 9223372036854775808 is out of range (integers: within ±9223372036854775807; floats: finite)", line: 1, col: 74},
		{query: `mutation { __typename x: addFact(input: {subject: "x", label: {zh: "人数"}, unit: "person", evidence: {document: "d", quote: "q"}, value: 3000000000}) @skip(if: true) { created } }`},
	} {
		t.Run(tc.query, func(t *testing.T) {
			x := do(t, h, accepts[0].accept, map[string]any{"query": tc.query})
			if tc.want == "" {
				if x.status != http.StatusOK || len(x.codes) != 0 {
					t.Errorf("%d %s, want it accepted", x.status, x.raw)
				}
				return
			}
			var errs []struct {
				Message    string           `json:"message"`
				Locations  []map[string]any `json:"locations"`
				Extensions map[string]any   `json:"extensions"`
			}
			_ = json.Unmarshal(x.body["errors"], &errs)
			if len(errs) != 1 || errs[0].Message != tc.want || errs[0].Extensions["code"] != graph.CodeBadInput {
				t.Fatalf("%d %s\nwant %q (%s)", x.status, x.raw, tc.want, graph.CodeBadInput)
			}
			if l := errs[0].Locations; len(l) != 1 || l[0]["line"] != tc.line || l[0]["column"] != tc.col {
				t.Errorf("locations %v, want line %v column %v", l, tc.line, tc.col)
			}
			if _, ok := x.body["data"]; ok {
				t.Errorf("a refused literal's answer has data: %s", x.raw)
			}
		})
	}
}

// A variable of a non-null type that the request does not send is named,
// with its type, in the error (GRAPHQL_VALIDATION_FAILED at its path).
func TestMissingVariableIsNamed(t *testing.T) {
	h := graph.NewHandler(statsStore{}, nil, testLimits, slog.New(slog.DiscardHandler))
	x := do(t, h, accepts[0].accept, map[string]any{
		"query":     `query($t: [RelationType!]!) { __typename x: relationCounts(groupBy: TYPE, types: $t) @skip(if: true) { count } }`,
		"variables": map[string]any{},
	})
	var errs []gqlError
	_ = json.Unmarshal(x.body["errors"], &errs)
	want := `variable $t of type [RelationType!]! is required and was not sent: give it a value in "variables"`
	if len(errs) != 1 || errs[0].Message != want || errs[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" || !reflect.DeepEqual(errs[0].Path, []any{"variable", "t"}) {
		t.Errorf("%d %s\nwant %q", x.status, x.raw, want)
	}
}
