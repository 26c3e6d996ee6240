package model

import (
	"io"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
)

// Number is a GraphQL Float read from the graph, which holds it either as a
// float or as a 64-bit integer. An integer is written exactly, digit for
// digit (a float64 would round it past 2^53); a float as Float is.
type Number struct {
	F float64
	I *int64 // set for an integer
}

// MarshalGQL writes the number as a JSON number.
func (n Number) MarshalGQL(w io.Writer) {
	if n.I != nil {
		_, _ = io.WriteString(w, strconv.FormatInt(*n.I, 10))
		return
	}
	MarshalFloat(n.F).MarshalGQL(w)
}

// UnmarshalGQL reads a Float argument (as UnmarshalFloat does).
func (n *Number) UnmarshalGQL(v any) error {
	f, err := UnmarshalFloat(v)
	*n = Number{F: f}
	return err
}

var _ interface {
	graphql.Marshaler
	graphql.Unmarshaler
} = (*Number)(nil)

// decimal writes the number in plain decimal notation, exactly.
func (n Number) decimal() string {
	if n.I != nil {
		return strconv.FormatInt(*n.I, 10)
	}
	return strconv.FormatFloat(n.F, 'f', -1, 64)
}

// shiftDecimal divides a plain decimal number by 10^k, exactly:
// shiftDecimal("25000", 4) is "2.5".
func shiftDecimal(s string, k int) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	digits := whole + frac
	point := len(whole) - k
	if point <= 0 {
		digits = strings.Repeat("0", 1-point) + digits
		point = 1
	}
	w, f := strings.TrimLeft(digits[:point], "0"), strings.TrimRight(digits[point:], "0")
	if w == "" {
		w = "0"
	}
	if f == "" {
		return sign + w
	}
	return sign + w + "." + f
}
