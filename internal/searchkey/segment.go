package searchkey

import (
	"sync"
	"unicode"

	"github.com/go-ego/gse"
)

// The segmenter is gse's with its embedded simplified-Chinese dictionary
// (about 350 000 words, compiled into the binary: nothing is read from disk or
// the network). Building it takes a few seconds and about 130 MiB, so it is
// built once per process, on first use or by Warm.
var (
	segOnce sync.Once
	seg     gse.Segmenter
)

func segmenter() *gse.Segmenter {
	segOnce.Do(func() {
		seg.SkipLog = true
		// LoadDictEmbed reads the dictionary compiled into gse; it has no
		// failure path other than a corrupt build, which it cannot report
		// either (it skips malformed lines).
		_ = seg.LoadDictEmbed("zh_s")
	})
	return &seg
}

// Warm builds the Chinese segmenter in the background, so that the first
// search or load does not wait for it. It returns at once; calling it more
// than once is harmless.
func Warm() { go segmenter() }

// run is a maximal stretch of text of one class: Han characters, or other
// letters, marks and digits. Everything else separates runs.
type run struct {
	text string
	han  bool
}

// runs splits s into runs; separators (space, punctuation, symbols, control
// characters) are dropped.
func runs(s string) []run {
	var out []run
	var cur []rune
	curHan := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, run{text: string(cur), han: curHan})
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			if !curHan {
				flush()
			}
			curHan = true
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || (unicode.IsMark(r) && len(cur) > 0):
			if curHan {
				flush()
			}
			curHan = false
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// cut segments a Han run into words: one partition of it (search=false), or
// for search also the dictionary words of two and three characters inside
// longer words (坦桑尼亚 → 坦桑, 尼亚, 坦桑尼亚). Unknown words are
// recognised with gse's HMM (阿尔迪 → 阿尔, 迪).
func cut(han string, search bool) []string {
	if search {
		return segmenter().CutSearch(han, true)
	}
	return segmenter().Cut(han, true)
}
