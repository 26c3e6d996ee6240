package searchkey

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string // exactly these, in this order
	}{
		{"重庆工程职业技术学院", []string{"重庆", "工程", "职业", "技术", "学院"}},
		{"坦桑尼亚鲁班工坊", []string{"坦桑", "尼亚", "坦桑尼亚", "鲁班", "工坊"}},
		{"鲁班工坊", []string{"鲁班", "工坊"}},
		{"中泰职教联盟", []string{"中泰", "职教", "联盟"}},
		{"工程职院", []string{"工程", "职院"}},
		{"重庆工业", []string{"重庆", "工业"}},
		// "与" is a function word; 职业院校 is one dictionary word holding two.
		{"世界职业院校与技术大学联盟", []string{"世界", "职业", "院校", "职业院校", "技术", "大学", "联盟"}},
		// Other scripts split at anything that is not a letter or digit; "of" is dropped.
		{"chongqing vocational institute of engineering", []string{"chongqing", "vocational", "institute", "engineering"}},
		{"china-thailand vocational education alliance", []string{"china", "thailand", "vocational", "education", "alliance"}},
		// Mixed scripts: Latin runs stay whole (tüv is not split into letters).
		{"cec产教融合共同体", []string{"cec", "产教", "融合", "共同", "同体", "共同体"}},
		{"德国莱茵tüv", []string{"德国", "莱茵", "tüv"}},
		{"中德工业4.0产教融合项目", []string{"中德", "工业", "4", "0", "产教", "融合", "项目"}},
		{"“汉语桥”项目", []string{"汉语", "桥", "项目"}},
		{"", nil},
		{"+-&&||!(){}[]^\"~*?:\\/", nil},
	} {
		if got := Words(tc.name); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPinyinOf(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want Pinyin
	}{
		{"重庆工程职业技术学院", Pinyin{"chongqing gongcheng zhiye jishu xueyuan", "chongqinggongchengzhiyejishuxueyuan", "cqgczyjsxy"}},
		{"重庆工业职业技术学院", Pinyin{"chongqing gongye zhiye jishu xueyuan", "chongqinggongyezhiyejishuxueyuan", "cqgyzyjsxy"}},
		{"鲁班工坊", Pinyin{"luban gongfang", "lubangongfang", "lbgf"}},
		{"坦桑尼亚鲁班工坊", Pinyin{"tansangniya luban gongfang", "tansangniyalubangongfang", "tsnylbgf"}},
		// go-pinyin alone reads 重 zhong and 长 zhang; wordReadings fixes them.
		{"重庆", Pinyin{"chongqing", "chongqing", "cq"}},
		{"重庆市教委", Pinyin{"chongqingshi jiaowei", "chongqingshijiaowei", "cqsjw"}},
		{"长安", Pinyin{"changan", "changan", "ca"}},
		// Other scripts stay as they are.
		{"cec产教融合共同体", Pinyin{"cec chanjiao ronghe gongtongti", "cecchanjiaoronghegongtongti", "ceccjrhgtt"}},
		// No Han character: no pinyin.
		{"cqvie", Pinyin{}},
		{"ardhi university", Pinyin{}},
		{"", Pinyin{}},
	} {
		if got := PinyinOf(tc.key); got != tc.want {
			t.Errorf("PinyinOf(%q) = %+v, want %+v", tc.key, got, tc.want)
		}
	}
}

// token is what a full-text token may hold: no space, no Lucene syntax.
var token = regexp.MustCompile(`^[\p{L}\p{M}\p{N}]+$`)

func TestFormsOf(t *testing.T) {
	f := FormsOf("  坦桑尼亚鲁班工坊 ")
	if f.Key != "坦桑尼亚鲁班工坊" {
		t.Errorf("Key = %q", f.Key)
	}
	if want := []string{"tansang", "niya", "tansangniya", "luban", "gongfang"}; !slices.Equal(f.PinyinWords, want) {
		t.Errorf("PinyinWords = %q, want %q", f.PinyinWords, want)
	}
	toks := strings.Split(f.Tokens(), " ")
	for _, want := range []string{"鲁班", "坦桑尼亚", "luban", "tansangniya", "tansangniyalubangongfang", "tsnylbgf"} {
		if !slices.Contains(toks, want) {
			t.Errorf("Tokens() = %q, missing %q", toks, want)
		}
	}
	for _, name := range []string{
		"坦桑尼亚鲁班工坊", "Chongqing Changan Automobile Co., Ltd.", "莫斯科国立工艺大学(斯坦金)",
		"全国“互联网+”大学生创新创业大赛", "中德工业4.0产教融合项目", "德国莱茵TÜV", "People's Republic of China",
	} {
		toks := strings.Split(FormsOf(name).Tokens(), " ")
		if len(toks) != len(slices.Compact(slices.Sorted(slices.Values(toks)))) {
			t.Errorf("Tokens(%q) = %q: a token twice", name, toks)
		}
		for _, tok := range toks {
			if !token.MatchString(tok) {
				t.Errorf("Tokens(%q) holds %q, not letters and digits only", name, tok)
			}
		}
	}
	if got := FormsOf("“”").Tokens(); got != "" {
		t.Errorf(`FormsOf("“”").Tokens() = %q, want ""`, got)
	}
	// English names have no pinyin forms.
	if f := FormsOf("Ardhi University"); f.PinyinWords != nil || f.Pinyin != (Pinyin{}) || f.Tokens() != "ardhi university" {
		t.Errorf("FormsOf(Ardhi University) = %+v, tokens %q", f, f.Tokens())
	}
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Query
	}{
		{" ＣＱＶＩＥ ", Query{Key: "cqvie", Compact: "cqvie", Words: []string{"cqvie"}}},
		{"Chongqing  Vocational\tInstitute", Query{
			Key: "chongqing vocational institute", Compact: "chongqingvocationalinstitute",
			Words: []string{"chongqing", "vocational", "institute"},
		}},
		{"lu ban", Query{Key: "lu ban", Compact: "luban", Words: []string{"lu", "ban"}}},
		{"lu'ban", Query{Key: "lu'ban", Compact: "luban", Words: []string{"lu", "ban"}}},
		// Han text has no compact form: it cannot match pinyin.
		{"工程职院", Query{Key: "工程职院", Words: []string{"工程", "职院"}}},
		// Control characters are spaces; format characters are dropped.
		{"\x00鲁班\t工坊\x07", Query{Key: "鲁班 工坊", Words: []string{"鲁班", "工坊"}}},
		{"鲁\u200b班\u00ad工坊\ufeff", Query{Key: "鲁班工坊", Words: []string{"鲁班", "工坊"}}},
		{"", Query{}},
		{" \t\n\u3000 ", Query{}},
		{"\x00\x01\x1f\u200b", Query{}},
		// Lucene syntax alone: a key to look for as a substring, no words.
		{`+-&&||!(){}[]^"~*?:\/`, Query{Key: `+-&&||!(){}[]^"~*?:\/`}},
		{"🎓", Query{Key: "🎓"}},
	} {
		got := ParseQuery(tc.text)
		if got.Key != tc.want.Key || got.Compact != tc.want.Compact || !slices.Equal(got.Words, tc.want.Words) {
			t.Errorf("ParseQuery(%q) = %+v, want %+v", tc.text, got, tc.want)
		}
	}
	var long strings.Builder
	for i := range 100 {
		long.WriteString(" w" + string(rune('a'+i%26)) + string(rune('a'+i/26)))
	}
	if n := len(ParseQuery(long.String()).Words); n != MaxWords {
		t.Errorf("ParseQuery(200 words) has %d words, want MaxWords (%d)", n, MaxWords)
	}
}

func TestEscapeLucene(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"重庆", "重庆"},
		{"a+b", `a\+b`},
		{"&&", `\&\&`},
		{"||", `\|\|`},
		{`+-&|!(){}[]^"~*?:\/`, `\+\-\&\|\!\(\)\{\}\[\]\^\"\~\*\?\:\\\/`},
		{"a b\tc\x00d\u200be", "abcde"},
		{"", ""},
	} {
		if got := EscapeLucene(tc.in); got != tc.want {
			t.Errorf("EscapeLucene(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLucene(t *testing.T) {
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"重庆", "工业"}, "重庆 OR 工业"},
		{[]string{"cqvie"}, "cqvie"},
		{nil, ""},
		{[]string{"", " "}, ""},
		{[]string{"AND", "OR", "NOT", "TO", "x"}, `\AND OR \OR OR \NOT OR \TO OR x`},
		{[]string{"c++", "a:b"}, `c\+\+ OR a\:b`},
	} {
		if got := Lucene(tc.words); got != tc.want {
			t.Errorf("Lucene(%q) = %q, want %q", tc.words, got, tc.want)
		}
	}
}

// luceneSafe reports whether q is a sequence of terms joined by " OR ",
// every Lucene special character escaped.
func luceneSafe(q string) bool {
	if q == "" {
		return true
	}
	for _, term := range strings.Split(q, " OR ") {
		if term == "" || strings.ContainsFunc(term, unicode.IsSpace) {
			return false
		}
		for i := 0; i < len(term); {
			r, n := utf8.DecodeRuneInString(term[i:])
			if r == '\\' {
				if i+n >= len(term) {
					return false // a trailing backslash escapes nothing
				}
				_, m := utf8.DecodeRuneInString(term[i+n:])
				i += n + m
				continue
			}
			if strings.ContainsRune(luceneSpecial, r) {
				return false
			}
			i += n
		}
	}
	return true
}

// FuzzParseQuery: any text gives words that are letters and digits only and
// a Lucene query with nothing unescaped. `go test` runs the seeds; `go test
// -fuzz FuzzParseQuery` explores further.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"", "鲁班", "CQVIE", "chongqing vocational institute", `"luban~"`, "luban*",
		`工程\职院`, "重庆/工业", "a && b || !c", "(重庆)", "{[^]}", "🎓鲁班🎓", "\x00\x7f\u200b", "AND OR NOT",
		"\xff\xfe", strings.Repeat("+", 300),
	} {
		f.Add(s)
	}
	segmenter() // built once per fuzzing process, not inside one input's time limit
	f.Fuzz(func(t *testing.T, text string) {
		q := ParseQuery(text)
		for _, w := range q.Words {
			if !token.MatchString(w) {
				t.Errorf("ParseQuery(%q): word %q is not letters and digits only", text, w)
			}
		}
		if len(q.Words) > MaxWords {
			t.Errorf("ParseQuery(%q): %d words", text, len(q.Words))
		}
		if l := Lucene(q.Words); !luceneSafe(l) {
			t.Errorf("Lucene(ParseQuery(%q).Words) = %q: not escaped", text, l)
		}
		if strings.TrimSpace(q.Key) != q.Key || strings.Contains(q.Key, "  ") {
			t.Errorf("ParseQuery(%q).Key = %q: not normalised", text, q.Key)
		}
	})
}

// Every word reading gives one syllable per character, and longestReading
// covers the longest word.
func TestWordReadings(t *testing.T) {
	longest := 0
	for w, syl := range wordReadings {
		n := utf8.RuneCountInString(w)
		longest = max(longest, n)
		if len(syl) != n {
			t.Errorf("wordReadings[%q] = %q: %d syllables for %d characters", w, syl, len(syl), n)
		}
		if got := syllables(w); !slices.Equal(got, syl) {
			t.Errorf("syllables(%q) = %q, want %q", w, got, syl)
		}
	}
	if longest != longestReading {
		t.Errorf("longestReading = %d, the longest word is %d characters", longestReading, longest)
	}
}
