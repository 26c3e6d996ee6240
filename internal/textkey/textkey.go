// Package textkey provides the normal form under which names are matched:
// Unicode NFKC (full-width letters, digits and brackets become half-width),
// lower case, surrounding space trimmed and inner runs of space collapsed.
// The loader stores every name under its key and lookups use the same key, so
// "CQVIE", " cqvie " and "ＣＱＶＩＥ" find the same entity.
package textkey

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Key returns the normal form of s; "" for a blank s.
func Key(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(s))), " ")
}
