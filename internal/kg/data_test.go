package kg

import (
	"testing"
	"time"
)

func TestParseStoredDate(t *testing.T) {
	for in, want := range map[string]PartialDate{
		"2024":                        {Year: 2024},
		"2024-05~early":               {Year: 2024, Month: 5, Part: PartEarly},
		"2019-05-12T10:00:00.5+02:00": {Year: 2019, Month: 5, Day: 12, Stored: "2019-05-12T10:00:00.5+02:00"},
		"2020-06-01T08:00:00+08:00[Asia/Shanghai]": {Year: 2020, Month: 6, Day: 1, Stored: "2020-06-01T08:00:00+08:00[Asia/Shanghai]"},
		"2018-01-02T03:04:05":                      {Year: 2018, Month: 1, Day: 2, Stored: "2018-01-02T03:04:05"},
		"+10000-01-01":                             {Year: 10000, Month: 1, Day: 1, Stored: "+10000-01-01"},
	} {
		if got, err := ParseStoredDate(in); err != nil || got != want {
			t.Errorf("ParseStoredDate(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"2019-02-30T10:00:00", "soon", "10:00:00", "2019-05-12T"} {
		if _, err := ParseStoredDate(in); err == nil {
			t.Errorf("ParseStoredDate(%q): no error", in)
		}
	}
}

func TestTemporalISO(t *testing.T) {
	odd := time.FixedZone("Offset", 5*3600+30*60+15)
	for _, tc := range []struct {
		t                   time.Time
		date, clock, offset bool
		want                string
	}{
		{time.Date(2019, 5, 12, 10, 0, 0, 0, time.UTC), true, true, true, "2019-05-12T10:00:00Z[UTC]"},
		{time.Date(2019, 5, 12, 10, 0, 0, 0, time.FixedZone("Offset", 0)), true, true, true, "2019-05-12T10:00:00Z"},
		{time.Date(2019, 5, 12, 10, 0, 0, 0, odd), true, true, true, "2019-05-12T10:00:00+05:30:15"},
		{time.Date(-44, 3, 15, 0, 0, 0, 0, time.UTC), true, false, false, "-0044-03-15"},
		{time.Date(0, 1, 1, 23, 59, 59, 1, time.Local), false, true, false, "23:59:59.000000001"},
	} {
		if got := TemporalISO(tc.t, tc.date, tc.clock, tc.offset); got != tc.want {
			t.Errorf("TemporalISO(%v) = %s, want %s", tc.t, got, tc.want)
		}
	}
}
