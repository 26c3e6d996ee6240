package kg

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a PartialDate is known.
type Precision string

// The precisions of a PartialDate.
const (
	PrecisionYear  Precision = "YEAR"
	PrecisionMonth Precision = "MONTH"
	PrecisionDay   Precision = "DAY"
)

// Part narrows a year or month to its early, middle or late part ("今年初" in a
// 2024 article is early 2024). Empty means the whole period.
type Part string

// The parts a PartialDate may be narrowed to.
const (
	PartEarly Part = "early"
	PartMid   Part = "mid"
	PartLate  Part = "late"
)

// PartialDate is a calendar date known to year, month or day precision,
// written "2024", "2024-05" or "2024-05-12", optionally narrowed by a Part:
// "early 2024" is written "2024~early".
type PartialDate struct {
	Year, Month, Day int // Month and Day are 0 when not known
	Part             Part
	// Stored is set when the graph holds the date as a Neo4j temporal value
	// with a time of day (datetime, local datetime): its ISO-8601 text,
	// offset and zone kept (see ParseStoredDate); the date itself is then of
	// day precision. Empty for a date written as YYYY[-MM[-DD]].
	Stored string
}

// ParsePartialDate parses "YYYY", "YYYY-MM" or "YYYY-MM-DD", each optionally
// followed by "~early", "~mid" or "~late". It returns an error naming the
// expected form when s is malformed or not a real calendar date.
func ParsePartialDate(s string) (PartialDate, error) {
	var d PartialDate
	body, part, hasPart := strings.Cut(s, "~")
	if hasPart {
		switch Part(part) {
		case PartEarly, PartMid, PartLate:
			d.Part = Part(part)
		default:
			return d, fmt.Errorf("time %q: part must be early, mid or late", s)
		}
	}
	fields := strings.Split(body, "-")
	if len(fields) > 3 || len(fields[0]) != 4 {
		return d, fmt.Errorf("time %q: want YYYY, YYYY-MM or YYYY-MM-DD (optionally ~early|~mid|~late)", s)
	}
	nums := make([]int, len(fields))
	for i, f := range fields {
		if (i > 0 && len(f) != 2) || f == "" {
			return d, fmt.Errorf("time %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return d, fmt.Errorf("time %q: %q is not a number", s, f)
		}
		nums[i] = n
	}
	d.Year = nums[0]
	if d.Year < 1800 || d.Year > 2200 {
		return d, fmt.Errorf("time %q: year out of range 1800–2200", s)
	}
	if len(nums) > 1 {
		d.Month = nums[1]
		if d.Month < 1 || d.Month > 12 {
			return d, fmt.Errorf("time %q: month must be 01–12", s)
		}
	}
	if len(nums) > 2 {
		d.Day = nums[2]
		if d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
			return d, fmt.Errorf("time %q: no such day", s)
		}
		if d.Part != "" {
			return d, fmt.Errorf("time %q: a day cannot be narrowed to a part", s)
		}
	}
	return d, nil
}

// Precision returns how much of d is known.
func (d PartialDate) Precision() Precision {
	switch {
	case d.Day != 0:
		return PrecisionDay
	case d.Month != 0:
		return PrecisionMonth
	default:
		return PrecisionYear
	}
}

// String writes d back in the form ParsePartialDate reads.
func (d PartialDate) String() string {
	s := fmt.Sprintf("%04d", d.Year)
	if d.Month != 0 {
		s += fmt.Sprintf("-%02d", d.Month)
	}
	if d.Day != 0 {
		s += fmt.Sprintf("-%02d", d.Day)
	}
	if d.Part != "" {
		s += "~" + string(d.Part)
	}
	return s
}

// Range returns the first and last calendar day d may denote (inclusive),
// as time.Time at midnight UTC. "2024~early" is 2024-01-01 … 2024-04-30.
func (d PartialDate) Range() (first, last time.Time) {
	switch d.Precision() {
	case PrecisionDay:
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		return t, t
	case PrecisionMonth:
		n := daysIn(d.Year, d.Month)
		lo, hi := 1, n
		switch d.Part {
		case PartEarly:
			hi = 10
		case PartMid:
			lo, hi = 11, 20
		case PartLate:
			lo = 21
		}
		return time.Date(d.Year, time.Month(d.Month), lo, 0, 0, 0, 0, time.UTC),
			time.Date(d.Year, time.Month(d.Month), hi, 0, 0, 0, 0, time.UTC)
	default:
		lo, hi := 1, 12
		switch d.Part {
		case PartEarly:
			hi = 4
		case PartMid:
			lo, hi = 5, 8
		case PartLate:
			lo = 9
		}
		return time.Date(d.Year, time.Month(lo), 1, 0, 0, 0, 0, time.UTC),
			time.Date(d.Year, time.Month(hi), daysIn(d.Year, hi), 0, 0, 0, 0, time.UTC)
	}
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
