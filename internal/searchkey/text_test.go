package searchkey

import (
	"slices"
	"strings"
	"testing"
)

func TestTextTokens(t *testing.T) {
	for _, tc := range []struct {
		texts []string
		want  string
	}{
		{[]string{"毕业生就业率在96%以上"}, "毕业 毕业生 就业 就业率 在 96 以上"},
		// Words once across texts; empty texts skipped; English lower case,
		// function words dropped.
		{[]string{"graduate employment rate", "", "毕业生就业率", "Employment of graduates"}, "graduate employment rate 毕业 毕业生 就业 就业率 graduates"},
		// Mixed scripts split where the script changes; a zero-width space
		// is dropped, a control character separates.
		{[]string{"协助李教授指导学员完成BIM设计"}, "协助 李 教授 指导 学员 完成 bim 设计"},
		{[]string{"Luban\u200bworkshop\x01Tanzania"}, "lubanworkshop tanzania"},
		{[]string{"", "  ", "。！"}, ""},
	} {
		if got := TextTokens(tc.texts...); got != tc.want {
			t.Errorf("TextTokens(%q) = %q, want %q", tc.texts, got, tc.want)
		}
	}
}

// runeSlice returns the characters [r.Start, r.End) of s.
func runeSlice(s string, r Range) string { return string([]rune(s)[r.Start:r.End]) }

func TestFind(t *testing.T) {
	for _, tc := range []struct {
		name, query, text string
		phrase            bool
		words             int
		matched           []string // the text at each range, in order
	}{
		{"a Chinese phrase", "就业率", "毕业生就业率在96%以上", true, 2, []string{"就业率"}},
		{"a phrase twice", "三三制", "“三三制”与三三制", true, 1, []string{"三三制", "三三制"}},
		{"case and width", "BIM", "完成ＢＩＭ设计和bim", true, 1, []string{"ＢＩＭ", "bim"}},
		{"runs of space", "employment rate", "the employment\n\n  rate", true, 2, []string{"employment\n\n  rate"}},
		// Not the phrase: each word found, each its own range.
		{"words", "rate employment", "employment rate of graduates", false, 2, []string{"employment", "rate"}},
		{"touching ranges merge", "鲁班工坊", "工坊鲁班", false, 2, []string{"工坊鲁班"}},
		{"some words", "skilled labour force", "the local supply of skilled labor force", false, 2, []string{"skilled", "force"}},
		// A Latin word is matched whole; a Han word anywhere.
		{"no word inside a word", "rate", "cooperate and operate", false, 0, nil},
		{"a Latin word by Han", "bim", "完成BIM设计", true, 1, []string{"BIM"}},
		{"a Han word inside Han text", "工坊", "坦桑尼亚鲁班工坊揭牌", true, 1, []string{"工坊"}},
		{"a digit run is a word", "96", "在96%以上，1996年", true, 1, []string{"96"}},
		// Ranges count characters of the original text: full-width, an
		// emoji outside the BMP and a ligature NFKC expands before it.
		{"offsets in characters", "ab", "🎓ﬁ ＡＢ", true, 1, []string{"ＡＢ"}},
		{"an expanded character", "fi", "a ﬁ b", true, 1, []string{"ﬁ"}},
		{"invisible characters", "鲁班工坊", "鲁班\u200b工坊", true, 2, []string{"鲁班\u200b工坊"}},
		{"nothing", "三三制", "没有", false, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := ParseQuery(tc.query)
			m := q.Find(tc.text)
			var got []string
			for _, r := range m.Ranges {
				got = append(got, runeSlice(tc.text, r))
			}
			if m.Phrase != tc.phrase || m.Words != tc.words || !slices.Equal(got, tc.matched) {
				t.Errorf("Find(%q in %q) = phrase %v, words %d, matched %q; want %v, %d, %q",
					tc.query, tc.text, m.Phrase, m.Words, got, tc.phrase, tc.words, tc.matched)
			}
			if m.Found() != (len(tc.matched) > 0) {
				t.Errorf("Found() = %v with ranges %v", m.Found(), m.Ranges)
			}
		})
	}
}

func TestFindCountsAndCover(t *testing.T) {
	m := ParseQuery("鲁班").Find("鲁班工坊，鲁班工坊")
	if m.Count != 2 || m.Covered != 4 || m.Length != 9 {
		t.Errorf("count %d, covered %d, length %d; want 2, 4, 9", m.Count, m.Covered, m.Length)
	}
	// Occurrences are bounded.
	long := strings.Repeat("ab ", 5000)
	if m := ParseQuery("ab").Find(long); m.Count != MaxOccurrences || len(m.Ranges) != MaxOccurrences {
		t.Errorf("count %d, ranges %d; want %d", m.Count, len(m.Ranges), MaxOccurrences)
	}
	// A blank query finds nothing.
	if m := ParseQuery(" \u200b ").Find("text"); m.Found() {
		t.Errorf("a blank query found %v", m)
	}
}

func TestSnippets(t *testing.T) {
	text := "第一句话很长很长。深耕细作强技能，毕业生就业率在96%以上，学校荣获育人成效50强。最后一句。"
	m := ParseQuery("就业率").Find(text)
	sn := Snippets(text, m.Ranges, 3, 40, 80, 10)
	if len(sn) != 1 {
		t.Fatalf("snippets = %+v", sn)
	}
	s := sn[0]
	// The window starts after the sentence end before the match and ends
	// with the sentence's own end.
	if s.Text != "深耕细作强技能，毕业生就业率在96%以上，学校荣获育人成效50强。" {
		t.Errorf("window %q", s.Text)
	}
	if string([]rune(text)[s.Offset:s.Offset+len([]rune(s.Text))]) != s.Text {
		t.Errorf("window %q is not the text at offset %d", s.Text, s.Offset)
	}
	if len(s.Ranges) != 1 || runeSlice(s.Text, s.Ranges[0]) != "就业率" {
		t.Errorf("ranges %v in %q", s.Ranges, s.Text)
	}

	// No sentence end near: from the first clause mark before the match.
	long := "近年来，重庆工业职业技术学院车辆工程学院汽车检测与维修技术专业群响应国家产业发展需求，构筑“三层面、三保障”的“三三制”社会服务体系，打通汽车专业群社会服务“最后一公里”。"
	m = ParseQuery("三三制").Find(long)
	if sn := Snippets(long, m.Ranges, 3, 40, 80, 10); len(sn) != 1 || !strings.HasPrefix(sn[0].Text, "构筑“三层面") || !strings.HasSuffix(sn[0].Text, "“最后一公里”。") {
		t.Errorf("clause start: %+v", sn)
	}

	// English: whole words at both ends; several windows, at most limit.
	en := strings.Repeat("filler words here and there ", 5) + "promote the employability of graduates. " +
		strings.Repeat("more filler words ", 10) + "employability again " + strings.Repeat("tail words ", 10) + "employability once more"
	m = ParseQuery("employability").Find(en)
	sn = Snippets(en, m.Ranges, 2, 40, 30, 10)
	if len(sn) != 2 {
		t.Fatalf("got %d windows, want 2 (the limit): %+v", len(sn), sn)
	}
	runes := []rune(en)
	for _, s := range sn {
		if string(runes[s.Offset:s.Offset+len([]rune(s.Text))]) != s.Text {
			t.Errorf("window %q is not the text at offset %d", s.Text, s.Offset)
		}
		if s.Offset > 0 && wordRune(runes[s.Offset-1]) {
			t.Errorf("window %q starts inside a word", s.Text)
		}
		if end := s.Offset + len([]rune(s.Text)); end < len(runes) && wordRune(runes[end]) {
			t.Errorf("window %q ends inside a word", s.Text)
		}
		if len(s.Ranges) != 1 || runeSlice(s.Text, s.Ranges[0]) != "employability" {
			t.Errorf("ranges %v in %q", s.Ranges, s.Text)
		}
	}
	// A short text is one window: all of it.
	if sn := Snippets("BIM设计", []Range{{0, 3}}, 3, 40, 80, 160); len(sn) != 1 || sn[0].Text != "BIM设计" || sn[0].Offset != 0 {
		t.Errorf("short text: %+v", sn)
	}
	if sn := Snippets("x", nil, 3, 40, 80, 160); sn != nil {
		t.Errorf("no ranges: %+v", sn)
	}
}
