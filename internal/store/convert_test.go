package store

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// What Neo4j returns is read exactly or recorded as a problem of the
// property, never defaulted.
func TestConvertOddValues(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	r := toRelation(map[string]any{
		"id":    "r1",
		"at":    dbtype.Date(time.Date(2019, 5, 12, 0, 0, 0, 0, time.UTC)),
		"since": time.Date(2019, 5, 12, 10, 0, 0, 500_000_000, time.FixedZone("Offset", 2*3600)),
		"until": time.Date(2020, 6, 1, 8, 0, 0, 0, berlin),
		"rank":  "SOMETIMES", "detailZh": int64(3), "moreSourceIds": []any{"d1"}, "moreQuotes": []any{},
	}, "MEMBER_OF")
	if r.At.String() != "2019-05-12" || r.At.Stored != "" || r.At.Precision() != kg.PrecisionDay {
		t.Errorf("date: %+v", r.At)
	}
	if r.Since.Stored != "2019-05-12T10:00:00.5+02:00" || r.Since.Day != 12 {
		t.Errorf("datetime with offset: %+v", r.Since)
	}
	if r.Until.Stored != "2020-06-01T08:00:00+02:00[Europe/Berlin]" {
		t.Errorf("datetime with zone: %+v", r.Until)
	}
	for prop, why := range map[string]string{"rank": `"SOMETIMES"`, "detailZh": "an integer", "moreQuotes": "pairs"} {
		if err := r.Problems.Check(prop); !errors.Is(err, kg.ErrData) || !strings.Contains(err.Error(), why) {
			t.Errorf("%s: %v, want a DataError with %q", prop, err, why)
		}
	}

	f := toFact(map[string]any{
		"id": "f", "labelZh": "人数", "value": int64(9007199254740993), "unit": "person", "qualifier": "EXACT",
		"at": dbtype.Time(time.Date(0, 1, 1, 10, 0, 0, 0, time.FixedZone("Offset", 3600))),
	})
	if f.ValueInt == nil || *f.ValueInt != 9007199254740993 {
		t.Errorf("integer value: %v", f.ValueInt)
	}
	if err := f.Problems.Check("at"); err == nil || !strings.Contains(err.Error(), "10:00:00+01:00") {
		t.Errorf("a time of day as a date: %v", err)
	}
	if err := f.Problems.Check("value", "unit", "qualifier", "id", "labelZh"); err != nil {
		t.Errorf("good properties: %v", err)
	}
	for name, v := range map[string]any{"NaN": math.NaN(), "infinity": math.Inf(1), "string": "700", "missing": nil} {
		f := toFact(map[string]any{"id": "f", "labelZh": "x", "unit": "person", "qualifier": "EXACT", "value": v})
		if err := f.Problems.Check("value"); err == nil {
			t.Errorf("value %s: no problem", name)
		}
	}

	e := toEntityProps(map[string]any{
		"id": "e", "kind": "Planet", "nameZh": "行", "version": 2.0, "aliases": "a",
		"nameEnOfficial": "yes", "start": dbtype.LocalDateTime(time.Date(2018, 1, 2, 3, 4, 5, 0, time.Local)),
	})
	for _, prop := range []string{"kind", "version", "aliases", "nameEnOfficial"} {
		if err := e.Problems.Check(prop); !errors.Is(err, kg.ErrData) {
			t.Errorf("%s: %v", prop, err)
		}
	}
	if e.Kind != "" || e.Version != 0 || e.Start != "2018-01-02T03:04:05" {
		t.Errorf("entity: %+v", e)
	}
	// A projection that does not name a property did not read it: no problem.
	if p := entityFromProps(map[string]any{"id": "e", "kind": "School"}).Problems; p.Check("nameZh") != nil {
		t.Errorf("projection: %v", p.All())
	}
	if p := toEntityProps(map[string]any{"id": "e", "kind": "School"}).Problems; p.Check("nameZh") == nil {
		t.Error("a whole node without nameZh: no problem")
	}
}

func toEntityProps(p map[string]any) kg.Entity { return readEntity(props{m: p, whole: true}) }
