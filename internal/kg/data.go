package kg

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// ErrData: a value stored in the graph does not fit the model (a property
// of an unexpected type, a kind that is not one of Kinds, a malformed
// date). It is a defect of the database's content, not of the request:
// the value is never replaced by a default; a read of it fails with an
// error wrapping ErrData that names the property.
var ErrData = errors.New("stored data does not fit the model")

// DataError says which stored property could not be read, and why. It
// wraps ErrData. Why never holds the stored value itself (it may be large),
// only its type or a short prefix.
type DataError struct {
	Property string // the property's name in Neo4j, e.g. "nameEn"
	Why      string // e.g. "holds an integer, not a string"
}

func (e *DataError) Error() string {
	return "the stored property " + e.Property + " " + e.Why
}

// Unwrap makes errors.Is(err, ErrData) true.
func (e *DataError) Unwrap() error { return ErrData }

// DataProblems records which stored properties could not be read, and
// why; the store fills it while it maps a record to a domain value, and
// whoever serves one of those properties asks Check first. The zero value
// has none. Values without problems compare equal (the type is a pointer
// underneath), so the domain types holding it stay comparable.
type DataProblems struct{ list *[]DataError }

// Add records why property p could not be read (the first reason stays).
func (d *DataProblems) Add(p, why string) {
	if d.list == nil {
		d.list = &[]DataError{}
	}
	for _, e := range *d.list {
		if e.Property == p {
			return
		}
	}
	*d.list = append(*d.list, DataError{Property: p, Why: why})
}

// Check returns a *DataError for the first of props that has a problem,
// nil when none has.
func (d DataProblems) Check(props ...string) error {
	if d.list == nil {
		return nil
	}
	for _, p := range props {
		for _, e := range *d.list {
			if e.Property == p {
				return &e
			}
		}
	}
	return nil
}

// All returns every problem recorded, in the order found.
func (d DataProblems) All() []DataError {
	if d.list == nil {
		return nil
	}
	return *d.list
}

// storedTemporal matches the ISO-8601 forms the store writes for Neo4j's
// date, local datetime and datetime values: a calendar date, optionally a
// time of day, an offset and a zone name in brackets.
var storedTemporal = regexp.MustCompile(`^([+-]?\d{4,9})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)?(\[[A-Za-z0-9_+\-/]{1,64}\])?)?$`)

// ParseStoredDate reads a date as the store holds it: a partial date
// (ParsePartialDate), or the ISO-8601 form of a Neo4j temporal value that
// has a calendar date (date, local datetime, datetime). The latter is a
// PartialDate of day precision whose Stored keeps the whole text, offset
// and zone included.
func ParseStoredDate(s string) (PartialDate, error) {
	if d, err := ParsePartialDate(s); err == nil {
		return d, nil
	}
	m := storedTemporal.FindStringSubmatch(s)
	if m == nil {
		_, err := ParsePartialDate(s)
		return PartialDate{}, err
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	if mo < 1 || mo > 12 || day < 1 || day > daysIn(y, mo) {
		return PartialDate{}, fmt.Errorf("time %q is not a calendar date", Short(s))
	}
	return PartialDate{Year: y, Month: mo, Day: day, Stored: s}, nil
}

// TemporalISO writes a temporal value as Neo4j returns it through the
// driver (time.Time for a datetime; the driver's Date, LocalDateTime, Time
// and LocalTime types are passed as time.Time with what they hold) in
// ISO-8601: the offset kept as written, a named zone appended in brackets
// as Neo4j writes it ("2024-05-12T10:00:00+02:00[Europe/Berlin]").
func TemporalISO(t time.Time, date, clock, offset bool) string {
	var s string
	if date {
		s = isoYear(t.Year()) + t.Format("-01-02")
	}
	if clock {
		if date {
			s += "T"
		}
		s += t.Format("15:04:05.999999999")
	}
	if offset {
		if _, off := t.Zone(); off%60 != 0 {
			s += t.Format("Z07:00:00")
		} else {
			s += t.Format("Z07:00")
		}
		if name := t.Location().String(); name != "Offset" && name != "" && name != "Local" {
			s += "[" + name + "]"
		}
	}
	return s
}

// isoYear writes a year as ISO-8601 does: four digits, with a sign outside
// 0000–9999.
func isoYear(y int) string {
	switch {
	case y < 0:
		return fmt.Sprintf("-%04d", -y)
	case y > 9999:
		return fmt.Sprintf("+%d", y)
	}
	return fmt.Sprintf("%04d", y)
}
