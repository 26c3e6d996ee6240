// Package searchkey provides the forms under which names are searched, and
// the same forms of a search text, so that the loader and the search agree.
//
// A name is searched by its key (package textkey: NFKC, lower case, single
// spaces), by its words and by its pinyin. Words: Chinese is segmented into
// words by gse, with a compact form of its dictionary that cuts every name
// of the data as the whole one does (see newSegmenter): 重庆工程职业技术学院
// → 重庆 工程 职业 技术 学院, and in search mode also the shorter dictionary
// words inside a long word, 坦桑尼亚 → 坦桑 尼亚 坦桑尼亚. Other scripts are
// split at anything that is not a letter or digit; a few function words (的,
// 与, of, and, the) are dropped. Pinyin: see PinyinOf. Every word holds only letters, marks and
// digits, so none needs quoting in a Lucene query; Lucene escapes anyway.
package searchkey

import (
	"slices"
	"strings"
	"unicode"

	"github.com/vetgraph/vetgraph/internal/textkey"
)

// MaxWords bounds the words taken from one search text.
const MaxWords = 64

// stopWords are dropped from names and queries: they join words but do not
// identify anything.
var stopWords = map[string]bool{
	"的": true, "与": true, "和": true, "及": true, "暨": true, "之": true,
	"a": true, "an": true, "and": true, "the": true, "of": true, "for": true,
	"in": true, "on": true, "at": true, "to": true, "with": true, "by": true,
}

// Words returns the distinct words of key (a textkey.Key), in order.
func Words(key string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if w != "" && !stopWords[w] && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, r := range runs(key) {
		if !r.han {
			add(r.text)
			continue
		}
		for _, w := range cut(r.text, true) {
			add(w)
		}
	}
	return out
}

// Forms are the search forms of one name.
type Forms struct {
	Key   string   // textkey.Key of the name
	Words []string // Words(Key)
	// PinyinWords are the pinyin of the Han words among Words, each
	// word's syllables joined (重庆 → chongqing, 重庆市 → chongqingshi),
	// distinct; nil when the name has no Han character.
	PinyinWords []string
	Pinyin      Pinyin // PinyinOf(Key); zero when the name has no Han character
}

// FormsOf returns the search forms of a name.
func FormsOf(name string) Forms {
	key := textkey.Key(name)
	f := Forms{Key: key, Words: Words(key), Pinyin: PinyinOf(key)}
	seen := map[string]bool{}
	for _, w := range f.Words {
		if !isHan(w) {
			continue
		}
		if p := strings.Join(syllables(w), ""); p != "" && !seen[p] {
			seen[p] = true
			f.PinyinWords = append(f.PinyinWords, p)
		}
	}
	return f
}

// Tokens returns what the full-text index holds for the name, separated by
// single spaces: its words, its pinyin words, its joined pinyin and its
// initials, each once. It is "" for a name with no letter or digit.
func (f Forms) Tokens() string {
	toks := slices.Concat(f.Words, f.PinyinWords)
	if f.Pinyin.Joined != "" {
		toks = append(toks, f.Pinyin.Joined, f.Pinyin.Initials)
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range toks {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// isHan reports whether w starts with a Han character (words are never
// mixed: see runs).
func isHan(w string) bool {
	for _, r := range w {
		return unicode.Is(unicode.Han, r)
	}
	return false
}

// Query is a search text in the forms names are stored under.
type Query struct {
	// Key is textkey.Key of the text with control characters taken as
	// spaces and format characters (zero-width space, BOM, …) removed; ""
	// when the text is blank.
	Key string
	// Compact is the letters and digits of Key when it has no Han
	// character, to compare with joined pinyin and initials ("lu ban" →
	// "luban"); "" otherwise.
	Compact string
	// Words are Words(Key), at most MaxWords of them.
	Words []string
}

// ParseQuery returns the search forms of text. Any text is accepted; the
// caller bounds its length.
func ParseQuery(text string) Query {
	clean := strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r):
			return -1 // invisible: zero-width space and joiner, BOM, soft hyphen
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, text)
	q := Query{Key: textkey.Key(clean)}
	if q.Key == "" {
		return q
	}
	var compact strings.Builder
	for _, r := range runs(q.Key) {
		if r.han {
			compact.Reset()
			break
		}
		compact.WriteString(r.text)
	}
	q.Compact = compact.String()
	q.Words = Words(q.Key)
	if len(q.Words) > MaxWords {
		q.Words = q.Words[:MaxWords]
	}
	return q
}

// luceneSpecial are the characters with a meaning in Lucene's query syntax.
const luceneSpecial = `+-&|!(){}[]^"~*?:\/`

// EscapeLucene returns s with every character of Lucene's query syntax
// escaped by a backslash and every space, control or format character
// dropped, so that it is read as one literal term.
func EscapeLucene(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		case strings.ContainsRune(luceneSpecial, r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Lucene returns a Lucene query that matches any of words as a whole term
// ("重庆 OR 工业"); "" when there are none. Each word is escaped with
// EscapeLucene, and the Lucene operator words are never produced bare.
func Lucene(words []string) string {
	terms := make([]string, 0, len(words))
	for _, w := range words {
		t := EscapeLucene(w)
		switch t {
		case "":
			continue
		case "AND", "OR", "NOT", "TO":
			t = `\` + t
		}
		terms = append(terms, t)
	}
	return strings.Join(terms, " OR ")
}
