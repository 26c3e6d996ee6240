package searchkey

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// pinyinArgs: toneless syllables ("zhong", "lv"); characters without a
// reading are skipped.
var pinyinArgs = pinyin.NewArgs()

// wordReadings are the readings of words whose characters have more than one
// reading and where go-pinyin's most common reading (it reads character by
// character) is wrong: 重庆 is chongqing, not zhongqing. Place names and
// words common in institution names; a word is matched anywhere inside a
// segmented word (重庆市 → chong qing shi).
var wordReadings = map[string][]string{
	"重庆":  {"chong", "qing"},
	"长安":  {"chang", "an"},
	"长寿":  {"chang", "shou"},
	"长沙":  {"chang", "sha"},
	"长春":  {"chang", "chun"},
	"长江":  {"chang", "jiang"},
	"长城":  {"chang", "cheng"},
	"长治":  {"chang", "zhi"},
	"成都":  {"cheng", "du"},
	"首都":  {"shou", "du"},
	"都江堰": {"du", "jiang", "yan"},
	"厦门":  {"xia", "men"},
	"蚌埠":  {"beng", "bu"},
	"六安":  {"lu", "an"},
	"乐山":  {"le", "shan"},
	"朝阳":  {"chao", "yang"},
	"银行":  {"yin", "hang"},
	"行业":  {"hang", "ye"},
	"会计":  {"kuai", "ji"},
	"音乐":  {"yin", "yue"},
	"重复":  {"chong", "fu"},
	"重建":  {"chong", "jian"},
}

// longestReading is the length in characters of the longest key of wordReadings.
const longestReading = 3

// runeReadings caches go-pinyin's reading of one character (rune → its
// []string, not to be modified): go-pinyin applies its style with regular
// expressions on every call, which made pinyin a third of the time spent on
// a name's search forms, and names repeat their characters (职业技术学院).
// It holds at most one entry per distinct character read.
var runeReadings sync.Map

// runeSyllables is pinyin.LazyPinyin of one character, cached.
func runeSyllables(r rune) []string {
	if v, ok := runeReadings.Load(r); ok {
		return v.([]string)
	}
	syl := pinyin.LazyPinyin(string(r), pinyinArgs)
	runeReadings.Store(r, syl)
	return syl
}

// syllables returns the toneless pinyin syllables of a Han word, using
// wordReadings where one applies.
func syllables(word string) []string {
	rs := []rune(word)
	var out []string
	for i := 0; i < len(rs); {
		n := 0
		for l := min(longestReading, len(rs)-i); l >= 2 && n == 0; l-- {
			if r, ok := wordReadings[string(rs[i:i+l])]; ok {
				out = append(out, r...)
				n = l
			}
		}
		if n == 0 {
			out = append(out, runeSyllables(rs[i])...)
			n = 1
		}
		i += n
	}
	return out
}

// Pinyin is the pinyin of a name: its words (Han words as their joined
// syllables, other words as they are) separated by spaces, all of them
// joined, and the initials (the first letter of each syllable; other words
// whole).
type Pinyin struct {
	Words    string // "chongqing gongcheng zhiye jishu xueyuan"
	Joined   string // "chongqinggongchengzhiyejishuxueyuan"
	Initials string // "cqgczyjsxy"
}

// PinyinOf returns the pinyin forms of key (a textkey.Key); zero when key has
// no Han character.
func PinyinOf(key string) Pinyin {
	rs := runs(key)
	hasHan := false
	for _, r := range rs {
		hasHan = hasHan || r.han
	}
	if !hasHan {
		return Pinyin{}
	}
	var words []string
	var initials strings.Builder
	for _, r := range rs {
		if !r.han {
			words = append(words, r.text)
			initials.WriteString(r.text)
			continue
		}
		for _, w := range cut(r.text, false) {
			syl := syllables(w)
			if len(syl) == 0 {
				continue
			}
			words = append(words, strings.Join(syl, ""))
			for _, s := range syl {
				c, _ := utf8.DecodeRuneInString(s)
				initials.WriteRune(c)
			}
		}
	}
	if len(words) == 0 {
		return Pinyin{}
	}
	return Pinyin{Words: strings.Join(words, " "), Joined: strings.Join(words, ""), Initials: initials.String()}
}
