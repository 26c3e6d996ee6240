package searchkey

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Texts (quotes, labels, details, a document's title and text) are searched
// as names are: by their words, in the same forms (see Words), so that a
// search text cut into words finds the texts holding those words. Unlike a
// name, a text is also matched character by character (Find), so that the
// places it matched can be shown in the exact text, and a phrase is told
// from words scattered through a document.

// TextTokens returns what a full-text index holds for texts: the distinct
// words (Words of each text's key, control characters taken as spaces and
// format characters dropped, as ParseQuery does) of all of them, separated
// by single spaces; "" when they have none. Empty texts are skipped.
func TextTokens(texts ...string) string {
	var out []string
	seen := map[string]bool{}
	for _, t := range texts {
		if t == "" {
			continue
		}
		for _, w := range Words(textkey.Key(clean(t))) {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return strings.Join(out, " ")
}

// clean drops format characters (zero-width space, BOM, soft hyphen) and
// turns control characters into spaces, as ParseQuery does to a search text.
func clean(text string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r):
			return -1
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, text)
}

// Range is a stretch [Start, End) of a text, in Unicode characters (code
// points) from its start.
type Range struct{ Start, End int }

// Match says how a query matched one text.
type Match struct {
	// Phrase is set when the whole query (its key: case, full/half width
	// and runs of space ignored) occurs in the text.
	Phrase bool
	// Words is how many distinct words of the query occur in the text:
	// len(Query.Words) when all do.
	Words int
	// Count is how many times the phrase occurs, or when it does not, the
	// query's words do (at most MaxOccurrences).
	Count int
	// Ranges are where: the phrase's occurrences, or else the words', in
	// characters of the text, sorted and disjoint (overlapping and touching
	// ones are merged).
	Ranges []Range
	// Covered is the number of characters inside Ranges; Length the text's.
	Covered, Length int
}

// Found reports whether anything of the query occurs in the text.
func (m Match) Found() bool { return m.Phrase || m.Words > 0 }

// MaxOccurrences bounds the occurrences Find records in one text.
const MaxOccurrences = 1000

// Find returns where q occurs in text. The text is compared in the form of
// its key (textkey.Key, character by character: NFKC, lower case, runs of
// space as one space), so "BIM" finds "bim" and "ＢＩＭ"; the ranges are in
// characters of the original text. A Han word of the query matches anywhere
// in the text (Chinese has no spaces to bound it); a word of other scripts
// matches only whole, bounded by anything that is not a letter, digit or
// mark of those scripts ("rate" does not match inside "cooperate", "bim"
// does in "BIM设计").
func (q Query) Find(text string) Match {
	nt := normalise(text)
	m := Match{Length: nt.length}
	if q.Key == "" {
		return m
	}
	var occ []Range
	if rs := nt.find(q.Key); len(rs) > 0 {
		m.Phrase, m.Words, occ = true, len(q.Words), rs
	} else {
		for _, w := range q.Words {
			if rs := nt.find(w); len(rs) > 0 {
				m.Words++
				occ = append(occ, rs...)
				if len(occ) >= MaxOccurrences {
					occ = occ[:MaxOccurrences]
					break
				}
			}
		}
	}
	m.Count = len(occ)
	m.Ranges = merge(occ)
	for _, r := range m.Ranges {
		m.Covered += r.End - r.Start
	}
	return m
}

// normText is a text in the form keys are compared in, with for each of
// its runes the index of the character of the original text it comes from.
type normText struct {
	s      string // the normalised text
	src    []int  // src[i]: original character of the i-th rune of s
	length int    // characters of the original text
}

// normalise is textkey.Key applied character by character (so that every
// normalised rune knows its original character), with control characters as
// spaces and format characters dropped, as ParseQuery does.
func normalise(text string) normText {
	var b strings.Builder
	b.Grow(len(text))
	src := make([]int, 0, len(text)/2)
	var enc [utf8.UTFMax]byte
	var nfkc []byte
	space := true // no space at the start
	i := 0
	emit := func(r rune) {
		if unicode.IsSpace(r) {
			if space {
				return
			}
			space, r = true, ' '
		} else {
			space = false
		}
		b.WriteRune(r)
		src = append(src, i)
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Cf, r):
		case unicode.IsControl(r):
			emit(' ')
		case r < utf8.RuneSelf:
			emit(unicode.ToLower(r))
		case r >= 0x4E00 && r <= 0x9FFF:
			emit(r) // CJK Unified Ideographs: NFKC and lower case leave them
		default:
			n := utf8.EncodeRune(enc[:], r)
			nfkc = norm.NFKC.Append(nfkc[:0], enc[:n]...)
			for _, x := range strings.ToLower(string(nfkc)) {
				emit(x)
			}
		}
		i++
	}
	s := b.String()
	if space && len(src) > 0 { // a trailing space
		s, src = s[:len(s)-1], src[:len(src)-1]
	}
	return normText{s: s, src: src, length: i}
}

// find returns the occurrences of needle (a key or a word) in t, in
// characters of the original text, at most MaxOccurrences; an occurrence of
// a needle that starts or ends with a letter or digit of a non-Han script
// must not continue a word of such letters there.
func (t normText) find(needle string) []Range {
	if needle == "" {
		return nil
	}
	first, _ := utf8.DecodeRuneInString(needle)
	last, _ := utf8.DecodeLastRuneInString(needle)
	boundStart, boundEnd := wordRune(first), wordRune(last)
	n := utf8.RuneCountInString(needle)
	var out []Range
	pos, runeAt := 0, 0 // byte offset in t.s, and the rune index there
	for len(out) < MaxOccurrences {
		j := strings.Index(t.s[pos:], needle)
		if j < 0 {
			break
		}
		at := pos + j
		runeAt += utf8.RuneCountInString(t.s[pos:at])
		ok := true
		if boundStart && at > 0 {
			prev, _ := utf8.DecodeLastRuneInString(t.s[:at])
			ok = !wordRune(prev) && !unicode.IsMark(prev)
		}
		if end := at + len(needle); ok && boundEnd && end < len(t.s) {
			next, _ := utf8.DecodeRuneInString(t.s[end:])
			ok = !wordRune(next) && !unicode.IsMark(next)
		}
		if ok {
			out = append(out, Range{t.src[runeAt], t.src[runeAt+n-1] + 1})
		}
		// Go on from the next rune: occurrences may overlap.
		_, size := utf8.DecodeRuneInString(t.s[at:])
		pos, runeAt = at+size, runeAt+1
	}
	return out
}

// wordRune reports whether r is a letter or digit of a script other than
// Han: what runs of Words are made of besides Han characters.
func wordRune(r rune) bool {
	return !unicode.Is(unicode.Han, r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r))
}

// merge sorts rs and joins overlapping and touching ranges.
func merge(rs []Range) []Range {
	if len(rs) == 0 {
		return nil
	}
	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b Range) int { return cmp.Or(a.Start-b.Start, a.End-b.End) })
	out := []Range{sorted[0]}
	for _, r := range sorted[1:] {
		last := &out[len(out)-1]
		if r.Start <= last.End {
			last.End = max(last.End, r.End)
			continue
		}
		out = append(out, r)
	}
	return out
}

// Snippet is a window of a text around some of its matched ranges.
type Snippet struct {
	Text   string  // the exact characters of the window
	Offset int     // where Text starts in the whole text, in characters
	Ranges []Range // the matched ranges inside the window, relative to Text
}

// Snippets cuts up to limit windows out of text around ranges (a Match's,
// sorted and disjoint): each window starts about before characters ahead of
// its first range and ends about after characters past it, but not across
// the end of a sentence (。！？；!?; or a line break) when one lies between
// (else it starts after the first clause mark, ，、：,: before the range, and
// ends after the last one past it, unless it reaches the text's start or
// end), nor inside a word of a spaced script (Latin, Cyrillic …: the window
// shrinks to whole words);
// a window holds every range that fits in it, and the next window starts at
// the first range past it. Window edges fall on character boundaries and the
// text is never altered. A text of at most whole characters is one window: all of it.
func Snippets(text string, ranges []Range, limit, before, after, whole int) []Snippet {
	runes := []rune(text)
	if len(ranges) == 0 || limit < 1 {
		return nil
	}
	if len(runes) <= whole {
		return []Snippet{{Text: text, Ranges: clip(ranges, 0, len(runes))}}
	}
	var out []Snippet
	for i := 0; i < len(ranges) && len(out) < limit; {
		r := ranges[i]
		start := max(0, r.Start-before)
		if k := lastIndex(runes, start, r.Start, sentenceEnd); k >= 0 {
			start = k + 1 // the sentence's start
		} else if k := firstIndex(runes, start, r.Start, clauseEnd); k >= 0 && start > 0 {
			start = k + 1 // a clause's start
		}
		// Not inside a word of a spaced script: from the next word on.
		if start > 0 && wordRune(runes[start-1]) {
			for start < r.Start && wordRune(runes[start]) {
				start++
			}
		}
		for start < r.Start && unicode.IsSpace(runes[start]) {
			start++
		}
		end := min(len(runes), r.End+after)
		if k := firstIndex(runes, r.End, end, sentenceEnd); k >= 0 {
			end = k + 1 // the sentence's end
		} else if k := lastIndex(runes, r.End, end, clauseEnd); k >= 0 && end < len(runes) {
			end = k + 1 // a clause's end
		}
		if end < len(runes) && wordRune(runes[end]) {
			for end > r.End && wordRune(runes[end-1]) {
				end--
			}
		}
		for end > r.End && unicode.IsSpace(runes[end-1]) {
			end--
		}
		j := i + 1
		for j < len(ranges) && ranges[j].End <= end {
			j++
		}
		out = append(out, Snippet{Text: string(runes[start:end]), Offset: start, Ranges: clip(ranges[i:j], start, end)})
		i = j
	}
	return out
}

// clip returns the ranges within [start, end), relative to start.
func clip(rs []Range, start, end int) []Range {
	out := make([]Range, 0, len(rs))
	for _, r := range rs {
		if r.End <= start || r.Start >= end {
			continue
		}
		out = append(out, Range{max(r.Start, start) - start, min(r.End, end) - start})
	}
	return out
}

// firstIndex and lastIndex return the first and last index in [from, to)
// of runes where is holds; -1 for none.
func firstIndex(runes []rune, from, to int, is func(rune) bool) int {
	for k := from; k < to; k++ {
		if is(runes[k]) {
			return k
		}
	}
	return -1
}

func lastIndex(runes []rune, from, to int, is func(rune) bool) int {
	for k := to - 1; k >= from; k-- {
		if is(runes[k]) {
			return k
		}
	}
	return -1
}

// clauseEnd reports whether r ends a clause: a comma, an enumeration comma
// or a colon.
func clauseEnd(r rune) bool {
	switch r {
	case '，', '、', '：', ',', ':':
		return true
	}
	return false
}

func sentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '\n', '\r':
		return true
	}
	return false
}
