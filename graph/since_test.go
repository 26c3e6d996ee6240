package graph

import (
	"errors"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// changes(since:) takes a date-time with its offset or a date of day, month
// or year precision (its first instant in UTC); anything else is refused.
func TestChangesSince(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2026-12-05T10:00:00Z":      time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC),
		"2026-12-05T18:00:00+08:00": time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC),
		"2026-12-05":                time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
		"2026-12":                   time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		"2026":                      time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		got, err := changesSince(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("changesSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"yesterday", "2026-13", "2026-12-05 10:00", "2026~late", "12/05/2026", "2026-12-05T10:00:00"} {
		if _, err := changesSince(in); !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("changesSince(%q): err = %v, want kg.ErrInvalidInput", in, err)
		}
	}
}
