package searchkey

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/go-ego/gse"
)

//go:generate go run ./gendict -data ../../data -o dict_zh.txt

// dictZh is the compact Chinese dictionary written by gendict: about 40 000
// of the 350 000 words of gse's embedded simplified-Chinese dictionary
// (zh_s) with their frequencies, one "word frequency" a line, after a first
// line "# total N" that gives the whole dictionary's total frequency. It
// holds the Han words among the 30 000 most frequent, every single Han
// character and every dictionary word inside a name of the data.
//
//go:embed dict_zh.txt
var dictZh string

// The segmenter is gse's with the compact dictionary: about 9 MiB of heap
// and 50 ms to build (gse's whole dictionary took about 130 MiB and 2 s).
// It is built once per process, on first use or by Warm.
var (
	segOnce sync.Once
	seg     *gse.Segmenter
)

func segmenter() *gse.Segmenter {
	segOnce.Do(func() { seg = newSegmenter(dictZh) })
	return seg
}

// newSegmenter returns a gse segmenter with the dictionary dict (the format
// of dictZh).
//
// gse cuts a text along the partition into dictionary words whose
// frequencies, each over the dictionary's total, have the greatest product;
// runs of single characters left over go to its HMM model. A dictionary word
// can only matter to a text it occurs in, and only Han runs are cut: so with
// the whole dictionary's total, a text all of whose dictionary words are in
// dict is cut exactly as with the whole dictionary. gendict keeps every
// word of the data's names, so names are cut as gse always cut them; other
// text differs where it holds a rarer word, which is then cut into shorter
// ones.
//
// The words are added one by one: LoadDictStr would also precompute the
// sub-segments of every word for gse's Segment mode, unused here, at about
// 1.4 times the memory and twice the time. Not to be called while another
// segmenter cuts: Init loads gse's HMM model into a package variable of gse.
func newSegmenter(dict string) *gse.Segmenter {
	s := &gse.Segmenter{SkipLog: true}
	s.Dict = gse.NewDict()
	s.Init() // gse's defaults and its HMM model
	// AddToken appends to Tokens: room for every word (and restWord) at
	// once, rather than a slice grown many times over.
	s.Dict.Tokens = make([]gse.Token, 0, strings.Count(dict, "\n")+1)
	var total, sum float64
	for line := range strings.Lines(dict) {
		line = strings.TrimSuffix(line, "\n")
		if t, ok := strings.CutPrefix(line, "# total "); ok {
			total, _ = strconv.ParseFloat(t, 64)
			continue
		}
		text, freq, _ := strings.Cut(line, " ")
		f, err := strconv.ParseFloat(freq, 64)
		if err != nil || text == "" {
			continue // gendict writes no such line
		}
		_ = s.AddToken(text, f) // fails only past cedar's value limit
		sum += f
	}
	if total > sum {
		_ = s.AddToken(restWord, total-sum)
	}
	return s
}

// restWord carries the frequency of the words dictZh leaves out, so that
// the segmenter's total is the whole dictionary's. It is a private-use
// character: never in a Han run, so never looked up.
const restWord = "\ue000"

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
