package transfer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A small YAML emitter: the writers lay out every file themselves (the data
// files' layout: block lists of block mappings, short flow lists and
// mappings), so that the output is stable and reads like the hand-written
// files. Scalars are written plain only when they cannot be read as
// anything but that string; otherwise double-quoted with escapes.

// yamlDoc collects the lines of one YAML file.
type yamlDoc struct{ b strings.Builder }

// field writes "key: value" at indent (value already a YAML scalar or flow
// collection).
func (d *yamlDoc) field(indent int, key, value string) {
	d.b.WriteString(strings.Repeat(" ", indent))
	d.b.WriteString(key)
	d.b.WriteString(": ")
	d.b.WriteString(value)
	d.b.WriteByte('\n')
}

// str writes a string field when s is not empty.
func (d *yamlDoc) str(indent int, key, s string) {
	if s != "" {
		d.field(indent, key, yamlScalar(s))
	}
}

// key writes "key:" opening a block at indent.
func (d *yamlDoc) key(indent int, key string) {
	d.b.WriteString(strings.Repeat(" ", indent))
	d.b.WriteString(key)
	d.b.WriteString(":\n")
}

// item starts a list item at indent with its first field.
func (d *yamlDoc) item(indent int, key, value string) {
	d.b.WriteString(strings.Repeat(" ", indent))
	d.b.WriteString("- ")
	d.b.WriteString(key)
	d.b.WriteString(": ")
	d.b.WriteString(value)
	d.b.WriteByte('\n')
}

func (d *yamlDoc) blank() { d.b.WriteByte('\n') }

func (d *yamlDoc) bytes() []byte { return []byte(d.b.String()) }

// yamlFlowList writes [a, b, c].
func yamlFlowList(items []string) string {
	parts := make([]string, len(items))
	for i, s := range items {
		parts[i] = yamlFlowScalar(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// yamlFlowMap writes {k: v, …} of the pairs whose value is not empty; ""
// when all are.
func yamlFlowMap(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			parts = append(parts, kv[i]+": "+yamlFlowScalar(kv[i+1]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// yamlNumber writes a float as the shortest decimal that reads back as it.
func yamlNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// plainPunct is the punctuation a plain scalar may hold after its first
// character: none of it is a YAML indicator in block or flow context.
const plainPunct = " -_.()/&;!?'’‘“”《》〈〉「」『』【】（）、，。：；！？·—–…%+°"

// blockPunct may also stand in a plain scalar outside flow collections.
const blockPunct = `,"[]{}`

// yamlKeywords read as booleans, nulls or special floats in YAML 1.1 or
// 1.2 when plain.
var yamlKeywords = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "true": true, "false": true,
	"on": true, "off": true, "null": true, "nan": true, "inf": true,
}

// yamlScalar writes s, a value outside flow collections, plain when it
// reads back as the same string, otherwise double-quoted.
func yamlScalar(s string) string {
	if plainSafe(s, false) {
		return s
	}
	return yamlQuote(s)
}

// yamlFlowScalar writes s, an item of a flow list or mapping, plain when
// it reads back as the same string, otherwise double-quoted.
func yamlFlowScalar(s string) string {
	if plainSafe(s, true) {
		return s
	}
	return yamlQuote(s)
}

func plainSafe(s string, flow bool) bool {
	if s == "" || yamlKeywords[strings.ToLower(s)] || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return false
	}
	for i, r := range s {
		switch {
		case i == 0:
			if !unicode.IsLetter(r) {
				return false
			}
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		case r < utf8.RuneSelf && !strings.ContainsRune(plainPunct, r) && (flow || !strings.ContainsRune(blockPunct, r)):
			return false
		case r >= utf8.RuneSelf && !strings.ContainsRune(plainPunct, r):
			return false
		}
	}
	return true
}

// yamlQuote writes s as a YAML double-quoted scalar: backslash escapes for
// the backslash, the quote, and every character that is not printable.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0xfeff || !unicode.IsPrint(r) && r != ' ' && r > 0xff:
			if r <= 0xffff {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				fmt.Fprintf(&b, `\U%08X`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
