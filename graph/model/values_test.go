package model

import (
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
)

func TestFactText(t *testing.T) {
	for _, tc := range []struct {
		value  float64
		unit   string
		q      kg.Qualifier
		en, zh string
	}{
		{700, "person", kg.MoreThan, "more than 700", "700余"},
		{96, "percent", kg.MoreThan, "more than 96%", "96%以上"},
		{20000, "person", kg.MoreThan, "more than 20000", "2万余"},
		{900, "person", kg.Nearly, "nearly 900", "近900"},
		{400, "person", kg.About, "about 400", "400左右"},
		{11, "institution", kg.Exact, "11", "11"},
		{100000, "time", kg.Nearly, "nearly 100000", "近10万"},
	} {
		f := Fact{F: kg.Fact{Value: tc.value, Unit: tc.unit, Qualifier: tc.q}}
		if en, zh := f.Text(LangEn), f.Text(LangZh); en != tc.en || zh != tc.zh {
			t.Errorf("Text(%v %s %s) = %q / %q, want %q / %q", tc.value, tc.unit, tc.q, en, zh, tc.en, tc.zh)
		}
	}
}

func TestNameFallsBack(t *testing.T) {
	e := Base{E: kg.Entity{NameZh: "渝北区"}}
	if e.Name(LangEn) != "渝北区" || e.NameEn() != nil {
		t.Errorf("no English name: Name(EN) = %q", e.Name(LangEn))
	}
	e.E.NameEn = "Yubei District"
	if e.Name(LangEn) != "Yubei District" || e.Name(LangZh) != "渝北区" {
		t.Error("Name(lang) does not pick the language")
	}
}
