package graph

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// checkFields runs the field limit as the handler does (5,000 tokens,
// DefaultMaxFields) and returns the refusal's code and message, "" when the
// document passes.
func checkFields(query string) (code, msg string) {
	e := newFieldLimit(0, 5000).MutateOperationParameters(context.Background(), &graphql.RawParams{Query: query})
	if e == nil {
		return "", ""
	}
	c, _ := e.Extensions["code"].(string)
	return c, e.Message
}

func numbered(format string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

func TestFieldLimit(t *testing.T) {
	// F0 has 2 fields; each Fi spreads Fi-1 twice under two fields: the
	// document is a few hundred bytes, expanded it would be millions of
	// fields (and each walk over it as slow).
	var exp strings.Builder
	exp.WriteString(`{ stats { ...F20 } } fragment F0 on GraphStats { entities relations }`)
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&exp, ` fragment F%d on GraphStats { ...F%d ...F%d }`, i, i-1, i-1)
	}
	for _, tc := range []struct {
		name, query, code, inMessage string
	}{
		{"a lookup", `{ entity(id: "cqvie") { id nameZh } }`, "", ""},
		{"the GraphiQL introspection query", introspection.Query, "", ""},
		{"one name in several inline fragments", `{ entity(id: "x") { ... on School { id } ... on Country { id } ... on Alliance { id } id } }`, "", ""},
		{"5,000 duplicate fields (55 KB, within the token limit)", "{" + strings.Repeat(" __typename", 4990) + "}", CodeFieldLimit, "limit is"},
		{"26 duplicate fields in one place", "{" + strings.Repeat(" stats { entities }", 26) + "}", CodeFieldLimit, `"stats" 26 times`},
		{"25 duplicates whose fields repeat a name 25 times below", "{" + strings.Repeat(" stats {"+strings.Repeat(" entities", 25)+" }", 25) + "}", CodeFieldLimit, `"entities" 625 times`},
		{"the same duplicates through fragments", "{" + strings.Repeat(" ...Q", 26) + "} fragment Q on Query { stats { entities } }", CodeFieldLimit, `"stats" 26 times`},
		{"fragments that double at each level", exp.String(), CodeFieldLimit, "more than 2000 fields"},
		{"1,650 distinct fields (within 5,000 tokens)", "{ stats {" + numbered(" a%d: entities", 1650) + " } }", "", ""},
		{"75 × 26 + 25 = 1,975 fields through a fragment", "{" + numbered(" s%d: stats { ...D }", 75) + "} fragment D on GraphStats {" + strings.Repeat(" entities", 25) + " }", "", ""},
		{"77 × 26 + 25 = 2,027 fields through a fragment", "{" + numbered(" s%d: stats { ...D }", 77) + "} fragment D on GraphStats {" + strings.Repeat(" entities", 25) + " }", CodeFieldLimit, "more than 2000"},
		{"a fragment that spreads itself", `{ stats { ...A } } fragment A on GraphStats { entities ...B } fragment B on GraphStats { ...A }`, "GRAPHQL_VALIDATION_FAILED", "within itself"},
		{"a syntax error (left to gqlgen)", `{ stats { entities `, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, msg := checkFields(tc.query)
			if code != tc.code || !strings.Contains(msg, tc.inMessage) {
				t.Errorf("refusal = %q %q, want %q containing %q", code, msg, tc.code, tc.inMessage)
			}
		})
	}
}

// validate parses and validates query against the served schema, as gqlgen
// does for a document it has not seen.
func validate(b *testing.B, schema *ast.Schema, query string) {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, 5000)
	if err != nil {
		b.Fatal(err)
	}
	_ = validator.ValidateWithRules(schema, doc, rules.NewDefaultRules()) // the cost is measured, not the verdict
}

// BenchmarkValidateWorstAccepted measures gqlgen's validation of the most
// expensive documents the limits let through (each is checked to pass the
// field limit within 5,000 tokens): the target is at most ~50 ms each. The
// 55 KB document of duplicate fields that took ~1.2 s before the field
// limit is measured too, as the field limit refuses it.
//
//	go test ./graph -run '^$' -bench ValidateWorstAccepted -benchtime 20x
func BenchmarkValidateWorstAccepted(b *testing.B) {
	schema := NewExecutableSchema(Config{}).Schema()
	// 25 (maxSameField) of each name in every place, as many places as the
	// field or token limit allows.
	shapes := map[string]string{
		// 66 places of 25 duplicates under aliased parents.
		"flat duplicates": "{" + numbered(" s%d: stats {"+strings.Repeat(" entities", 25)+" }", 66) + "}",
		// duplicates merged at every level below: 25 × relations { edges { node { id } } }.
		"nested duplicates": "{" + numbered(` e%d: entity(id: "x") {`+strings.Repeat(" relations { edges { node { id } } }", 25)+" }", 8) + "}",
		// 25 same-named fields with different arguments or names: most pairs
		// conflict (as many places as 5,000 tokens hold).
		"conflicting duplicates": "{" + numbered(" s%d: entity(id: \"x\") {"+strings.Repeat(" a: name(lang: ZH) a: name(lang: EN)", 12)+" a: nameZh }", 23) + "}",
		// the same through one fragment spread in many places: 75 × 26
		// fields and the fragment's 25.
		"duplicates through fragments": "{" + numbered(" s%d: stats { ...D }", 75) + "} fragment D on GraphStats {" + strings.Repeat(" entities", 25) + " }",
		// as many distinct fields as 5,000 tokens hold.
		"distinct fields": "{ stats {" + numbered(" a%d: entities", 1650) + " } }",
	}
	for name, q := range shapes {
		if code, msg := checkFields(q); code != "" {
			b.Fatalf("%s: refused by the field limit (%s): the benchmark must measure documents it lets through", name, msg)
		}
		if _, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, 5000); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		b.Run(name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				validate(b, schema, q)
			}
			reportCPU(b, cpu)
		})
	}
	dup := "{" + strings.Repeat(" __typename", 4990) + "}"
	b.Run("55 KB of duplicates, refused by the field limit", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			if code, _ := checkFields(dup); code != CodeFieldLimit {
				b.Fatal("not refused")
			}
		}
		reportCPU(b, cpu)
	})
}

// cpuTime is the CPU time the process has used. On a machine shared with
// other work, wall time per operation overstates the cost; CPU time per
// operation (cpu-ms/op) does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(cpuTime()-since)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
