// Command gendict writes dict_zh.txt, the compact Chinese dictionary of
// package searchkey: the words of gse's embedded simplified-Chinese
// dictionary (zh_s, about 350 000 words) that a search can need, with gse's
// frequencies.
//
// It keeps the words made of Han characters only (package searchkey
// segments Han runs only, so no other word is ever looked up) that are
//
//   - one character long (gse weighs a character it does not know below
//     one it knows, and one that only begins longer words not at all),
//   - among the -top most frequent, for search texts in general, or
//   - inside a name of the data (-data: every Han run of every Chinese or
//     English name and alias; all its substrings that are dictionary
//     words), so that every name is segmented exactly as with the whole
//     dictionary.
//
// The first line records the whole dictionary's total frequency, which gse
// divides every word's frequency by; package searchkey keeps that total.
// The output is sorted and depends only on gse's dictionary (the version in
// go.mod), -top and the names of the data. Run by go generate in package
// searchkey:
//
//	go run ./gendict -data ../../data -o dict_zh.txt
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strconv"
	"unicode"

	"github.com/go-ego/gse"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

func main() {
	data := flag.String("data", "data", "data directory whose names must segment as with the whole dictionary")
	top := flag.Int("top", 30000, "most frequent words to keep")
	out := flag.String("o", "dict_zh.txt", "output file")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gendict: ")
	if err := run(*data, *top, *out); err != nil {
		log.Fatal(err)
	}
}

// word is one dictionary word with its frequency.
type word struct {
	text string
	freq float64
}

func run(data string, top int, out string) error {
	g, err := dataset.Read(data)
	if err != nil {
		return err
	}
	var full gse.Segmenter
	full.SkipLog = true
	if err := full.LoadDictEmbed("zh_s"); err != nil {
		return err
	}
	dict := full.Dictionary()

	// The Han words, most frequent first; ties in dictionary order.
	var han []word
	maxLen := 0
	for i := range dict.Tokens {
		t := &dict.Tokens[i]
		if w := t.Text(); isHan(w) {
			han = append(han, word{w, t.Freq()})
			maxLen = max(maxLen, len([]rune(w)))
		}
	}
	slices.SortStableFunc(han, func(a, b word) int { return cmp.Compare(b.freq, a.freq) })

	keep := map[string]float64{}
	for i, w := range han {
		if i < top || len([]rune(w.text)) == 1 {
			keep[w.text] = w.freq
		}
	}
	fromTop := len(keep)
	// Every dictionary word inside a name's Han runs.
	for _, e := range g.Entities {
		for _, name := range append([]string{e.NameZh, e.NameEn}, e.Aliases...) {
			for _, run := range hanRuns(textkey.Key(name)) {
				for i := range run {
					for j := i + 1; j <= min(len(run), i+maxLen); j++ {
						if f, _, ok := full.Find(string(run[i:j])); ok && f > 0 {
							keep[string(run[i:j])] = f
						}
					}
				}
			}
		}
	}

	words := make([]word, 0, len(keep))
	for t, f := range keep {
		words = append(words, word{t, f})
	}
	slices.SortFunc(words, func(a, b word) int { return cmp.Compare(a.text, b.text) })

	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# total %s\n", strconv.FormatFloat(dict.TotalFreq(), 'f', -1, 64))
	for _, x := range words {
		fmt.Fprintf(w, "%s %s\n", x.text, strconv.FormatFloat(x.freq, 'f', -1, 64))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	log.Printf("%s: %d words (%d frequent or single characters, %d more from the data's names) of %d Han words",
		out, len(words), fromTop, len(words)-fromTop, len(han))
	return nil
}

// isHan reports whether s is non-empty and all Han characters.
func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// hanRuns returns the maximal runs of Han characters in s.
func hanRuns(s string) [][]rune {
	var out [][]rune
	var cur []rune
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
