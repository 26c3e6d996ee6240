package model

import (
	"bytes"
	"errors"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
)

func ptr[T any](v T) *T { return &v }

func TestFactText(t *testing.T) {
	for _, tc := range []struct {
		value  float64
		exact  *int64
		unit   string
		q      kg.Qualifier
		en, zh string
	}{
		{700, nil, "person", kg.MoreThan, "more than 700", "700余"},
		{96, nil, "percent", kg.MoreThan, "more than 96%", "96%以上"},
		{20000, nil, "person", kg.MoreThan, "more than 20000", "2万余"},
		{900, nil, "person", kg.Nearly, "nearly 900", "近900"},
		{400, nil, "person", kg.About, "about 400", "400左右"},
		{11, nil, "institution", kg.Exact, "11", "11"},
		{100000, nil, "time", kg.Nearly, "nearly 100000", "近10万"},
		{12345.5, nil, "person", kg.Exact, "12345.5", "1.23455万"},
		// An integer past 2^53 keeps every digit, in both languages.
		{9007199254740993, ptr(int64(9007199254740993)), "person", kg.Exact, "9007199254740993", "900719925474.0993万"},
		{3000000000, ptr(int64(3000000000)), "person", kg.MoreThan, "more than 3000000000", "300000万余"},
	} {
		f := Fact{F: kg.Fact{Value: tc.value, ValueInt: tc.exact, Unit: tc.unit, Qualifier: tc.q}}
		en, _ := f.Text(ptr(LangEn))
		zh, _ := f.Text(ptr(LangZh))
		if null, _ := f.Text(nil); en != tc.en || zh != tc.zh || null != zh {
			t.Errorf("Text(%v %s %s) = %q / %q / null %q, want %q / %q", tc.value, tc.unit, tc.q, en, zh, null, tc.en, tc.zh)
		}
	}
}

func TestNumberIsExact(t *testing.T) {
	for _, tc := range []struct {
		n    Number
		want string
	}{
		{Number{F: 700}, "700"},
		{Number{F: 0.5}, "0.5"},
		{Number{F: 9007199254740992, I: ptr(int64(9007199254740993))}, "9007199254740993"},
		{Number{F: -9.223372036854776e18, I: ptr(int64(-9223372036854775808))}, "-9223372036854775808"},
	} {
		var b bytes.Buffer
		tc.n.MarshalGQL(&b)
		if b.String() != tc.want {
			t.Errorf("MarshalGQL(%+v) = %s, want %s", tc.n, b.String(), tc.want)
		}
	}
}

func TestShiftDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"20000": "2", "25000": "2.5", "12345.5": "1.23455", "700": "0.07",
		"1": "0.0001", "100000": "10", "-25000": "-2.5", "0": "0",
	} {
		if got := shiftDecimal(in, 4); got != want {
			t.Errorf("shiftDecimal(%s, 4) = %s, want %s", in, got, want)
		}
	}
}

func TestNameFallsBack(t *testing.T) {
	e := Base{E: kg.Entity{NameZh: "渝北区"}}
	en, _ := e.Name(ptr(LangEn))
	if n, _ := e.NameEn(); en != "渝北区" || n != nil {
		t.Errorf("no English name: Name(EN) = %q", en)
	}
	e.E.NameEn = "Yubei District"
	en, _ = e.Name(ptr(LangEn))
	zh, _ := e.Name(ptr(LangZh))
	null, _ := e.Name(nil)
	if en != "Yubei District" || zh != "渝北区" || null != zh {
		t.Error("Name(lang) does not pick the language (null: ZH)")
	}
}

// A property the store could not read is the field's DataError, never a
// default; the other fields are served.
func TestProblemsAreFieldErrors(t *testing.T) {
	var p kg.DataProblems
	p.Add("nameEn", "holds an integer, not a string")
	e := Base{E: kg.Entity{ID: "x", NameZh: "某", Kind: kg.School, Problems: p}}
	if _, err := e.NameEn(); !errors.Is(err, kg.ErrData) {
		t.Errorf("NameEn: err %v, want ErrData", err)
	}
	if _, err := e.Name(ptr(LangEn)); !errors.Is(err, kg.ErrData) {
		t.Errorf("Name(EN): err %v, want ErrData", err)
	}
	if n, err := e.Name(nil); err != nil || n != "某" {
		t.Errorf("Name(ZH) = %q, %v; want the Chinese name", n, err)
	}
	if _, err := EntityToGQL(kg.Entity{ID: "x", Kind: "Planet"}); !errors.Is(err, kg.ErrData) {
		t.Errorf("unknown kind: err %v, want ErrData", err)
	}
}
