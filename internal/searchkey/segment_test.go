package searchkey

import (
	"bufio"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-ego/gse"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// maxSegmenterHeap bounds the heap the segmenter keeps (about 9 MiB with
// gendict's default -top); the whole zh_s dictionary kept about 130 MiB.
const maxSegmenterHeap = 12 << 20

// vmHWM returns the process's peak resident set size, as /proc reports it
// ("43168 kB"); "?" where there is no /proc.
func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// memStats returns the memory statistics after a full collection.
func memStats() runtime.MemStats {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// The segmenter is small and quick to build. Run alone for the peak RSS of
// a fresh process:
//
//	go test -count=1 -run TestSegmenterMemory -v ./internal/searchkey/
func TestSegmenterMemory(t *testing.T) {
	mib := func(n uint64) float64 { return float64(n) / (1 << 20) }
	before := memStats()
	t.Logf("before: HeapInuse %.1f MiB, Sys %.1f MiB, VmHWM %s", mib(before.HeapInuse), mib(before.Sys), vmHWM())
	start := time.Now()
	s := newSegmenter(dictZh)
	words := s.CutSearch("坦桑尼亚鲁班工坊", true)
	took := time.Since(start)
	after := memStats()
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("after: HeapInuse %.1f MiB, Sys %.1f MiB, VmHWM %s; built and cut in %v; %d words, %.1f MiB kept",
		mib(after.HeapInuse), mib(after.Sys), vmHWM(), took.Round(time.Millisecond), s.Dict.NumTokens(), float64(kept)/(1<<20))
	if want := []string{"坦桑", "尼亚", "坦桑尼亚", "鲁班", "工坊"}; !slices.Equal(words, want) {
		t.Errorf("CutSearch(坦桑尼亚鲁班工坊) = %q, want %q", words, want)
	}
	if kept > maxSegmenterHeap {
		t.Errorf("the segmenter keeps %.1f MiB, want at most %d MiB", float64(kept)/(1<<20), maxSegmenterHeap>>20)
	}
	runtime.KeepAlive(s)
}

// Every name of the data is cut exactly as gse cuts it with its whole
// embedded dictionary, in both modes: gendict keeps every dictionary word
// inside a name, and the whole dictionary's total frequency. It fails when a
// name was added or changed without running go generate.
func TestCompactDictionaryCutsNamesAsWholeDictionary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gse's whole dictionary: about 2 s and 200 MiB")
	}
	g, err := dataset.Read("../../data")
	if err != nil {
		t.Fatal(err)
	}
	var full gse.Segmenter
	full.SkipLog = true
	if err := full.LoadDictEmbed("zh_s"); err != nil {
		t.Fatal(err)
	}
	compact := segmenter()
	if got, want := compact.Dict.TotalFreq(), full.Dict.TotalFreq(); got != want {
		t.Errorf("total frequency %v, want the whole dictionary's %v", got, want)
	}
	n := 0
	for _, e := range g.Entities {
		for _, name := range append([]string{e.NameZh, e.NameEn}, e.Aliases...) {
			for _, r := range runs(textkey.Key(name)) {
				if !r.han {
					continue
				}
				n++
				if got, want := compact.Cut(r.text, true), full.Cut(r.text, true); !slices.Equal(got, want) {
					t.Errorf("Cut(%q) = %q, whole dictionary %q (run go generate ./internal/searchkey)", r.text, got, want)
				}
				if got, want := compact.CutSearch(r.text, true), full.CutSearch(r.text, true); !slices.Equal(got, want) {
					t.Errorf("CutSearch(%q) = %q, whole dictionary %q (run go generate ./internal/searchkey)", r.text, got, want)
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d Han runs in the data's names", n)
	}
}
