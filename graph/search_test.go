package graph_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

const searchQuery = `query($t: String!, $k: [Kind!], $f: Int) {
  search(text: $t, kinds: $k, first: $f) { entity { id kind } matched field match score } }`

type searchHit struct {
	ID, Kind, Matched, Field, Match string
	Score                           float64
}

// searchVars are the variables of searchQuery; first 0 means the default.
func searchVars(text string, kinds []string, first int) map[string]any {
	v := map[string]any{"t": text}
	if kinds != nil {
		v["k"] = kinds
	}
	if first != 0 {
		v["f"] = first
	}
	return v
}

// search runs a search that must succeed and returns its hits in order.
func search(t *testing.T, text string, kinds []string, first int) []searchHit {
	t.Helper()
	return toHits(t, ask(t, searchQuery, searchVars(text, kinds, first)))
}

func toHits(t *testing.T, data map[string]any) []searchHit {
	t.Helper()
	list, ok := data["search"].([]any)
	if !ok {
		t.Fatalf("search = %#v, want a list", data["search"])
	}
	out := make([]searchHit, len(list))
	for i, x := range list {
		m := x.(map[string]any)
		e := m["entity"].(map[string]any)
		out[i] = searchHit{
			ID: e["id"].(string), Kind: e["kind"].(string), Matched: m["matched"].(string),
			Field: m["field"].(string), Match: m["match"].(string), Score: m["score"].(float64),
		}
	}
	return out
}

func ids(hs []searchHit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.ID
	}
	return out
}

// first fails unless the first hit is of entity id, and returns it.
func firstHit(t *testing.T, text string, hs []searchHit, id string) searchHit {
	t.Helper()
	if len(hs) == 0 || hs[0].ID != id {
		t.Fatalf("search(%q) = %q, want %s first", text, ids(hs), id)
	}
	return hs[0]
}

// before fails unless a comes before b in hs (both present).
func before(t *testing.T, text string, hs []searchHit, a, b string) {
	t.Helper()
	ia, ib := slices.Index(ids(hs), a), slices.Index(ids(hs), b)
	if ia < 0 || ib < 0 || ia > ib {
		t.Errorf("search(%q) = %q, want %s before %s", text, ids(hs), a, b)
	}
}

var matchClass = map[string]int{"EXACT": 4, "PREFIX": 3, "WORDS": 2, "SUBSTRING": 1}

// checkRanking fails unless hs obey the contract: one hit per entity, valid
// enum values, classes best first, scores descending within the class range,
// ties by id.
func checkRanking(t *testing.T, text string, hs []searchHit) {
	t.Helper()
	seen := map[string]bool{}
	for i, h := range hs {
		if seen[h.ID] {
			t.Errorf("search(%q): %s twice", text, h.ID)
		}
		seen[h.ID] = true
		c, ok := matchClass[h.Match]
		if !ok {
			t.Errorf("search(%q): match %q", text, h.Match)
		}
		if !slices.Contains([]string{"NAME_ZH", "NAME_EN", "ALIAS", "PINYIN"}, h.Field) {
			t.Errorf("search(%q): field %q", text, h.Field)
		}
		if h.Score < float64(c) || h.Score >= float64(c+1) {
			t.Errorf("search(%q): %s %s score %v outside [%d, %d)", text, h.ID, h.Match, h.Score, c, c+1)
		}
		if h.Matched == "" {
			t.Errorf("search(%q): %s matched nothing", text, h.ID)
		}
		if i == 0 {
			continue
		}
		p := hs[i-1]
		if matchClass[p.Match] < c {
			t.Errorf("search(%q): %s (%s) after %s (%s)", text, h.ID, h.Match, p.ID, p.Match)
		}
		if p.Score < h.Score || (p.Score == h.Score && p.ID > h.ID) {
			t.Errorf("search(%q): %s (%v) after %s (%v)", text, h.ID, h.Score, p.ID, p.Score)
		}
	}
}

func TestSearchChinese(t *testing.T) {
	// 鲁班: the workshop whose name starts with it, then the one that has it as a word.
	hs := search(t, "鲁班", nil, 0)
	if got := ids(hs); !slices.Equal(got, []string{"luban-workshop", "tanzania-luban-workshop"}) {
		t.Errorf("search(鲁班) = %q, want [luban-workshop tanzania-luban-workshop]", got)
	}
	if len(hs) == 2 && (hs[0].Match != "PREFIX" || hs[0].Matched != "鲁班工坊" || hs[1].Match != "WORDS" || hs[1].Matched != "坦桑尼亚鲁班工坊") {
		t.Errorf("search(鲁班) = %+v", hs)
	}
	checkRanking(t, "鲁班", hs)

	// 工程职院 is no name, but its words 工程 + 职院 are those of 重庆工程职院.
	hs = search(t, "工程职院", nil, 0)
	if h := firstHit(t, "工程职院", hs, "cqvie"); h.Match != "WORDS" || h.Matched != "重庆工程职院" || h.Field != "ALIAS" {
		t.Errorf("search(工程职院)[0] = %+v", h)
	}
	hasAll(t, "search(工程职院)", ids(hs), []string{"scetc"}) // 四川工程职业技术学院 shares 工程
	checkRanking(t, "工程职院", hs)

	hs = search(t, "重庆工业", nil, 0)
	if h := firstHit(t, "重庆工业", hs, "cqipc"); h.Match != "PREFIX" || h.Field != "NAME_ZH" {
		t.Errorf("search(重庆工业)[0] = %+v", h)
	}
	if len(hs) < 5 {
		t.Errorf("search(重庆工业) = %q: want other 重庆 entities after CQIPC", ids(hs))
	}
	before(t, "重庆工业", hs, "cqipc", "cqvie")
	checkRanking(t, "重庆工业", hs)

	alliances := []string{"chengdu-chongqing-vocational-education-alliance", "china-thailand-vocational-education-alliance", "wfcp"}
	hs = search(t, "联盟", nil, 20)
	hasAll(t, "search(联盟)", ids(hs), alliances)
	checkRanking(t, "联盟", hs)
	sameSet(t, "search(联盟, ALLIANCE)", ids(search(t, "联盟", []string{"ALLIANCE"}, 0)), alliances)

	// Segmented words in any order.
	hs = search(t, "工坊 坦桑尼亚", nil, 0)
	firstHit(t, "工坊 坦桑尼亚", hs, "tanzania-luban-workshop")
}

func TestSearchEnglish(t *testing.T) {
	want := search(t, "Ardhi", nil, 0)
	if h := firstHit(t, "Ardhi", want, "ardhi-university"); h.Match != "PREFIX" || h.Field != "NAME_EN" || h.Matched != "Ardhi University" {
		t.Errorf("search(Ardhi)[0] = %+v", h)
	}
	for _, text := range []string{"ardhi", "ARDHI", "  aRdHi ", "Ａｒｄｈｉ"} {
		if got := search(t, text, nil, 0); !slices.Equal(got, want) {
			t.Errorf("search(%q) = %+v, want as search(Ardhi) %+v", text, got, want)
		}
	}

	hs := search(t, "chongqing vocational institute", nil, 0)
	if h := firstHit(t, "chongqing vocational institute", hs, "cqvie"); h.Match != "PREFIX" || h.Field != "NAME_EN" {
		t.Errorf("search(chongqing vocational institute)[0] = %+v", h)
	}
	if len(hs) != 10 {
		t.Errorf("search(chongqing vocational institute) has %d hits, want the default 10", len(hs))
	}
	checkRanking(t, "chongqing vocational institute", hs)

	hs = search(t, "CHONGQING VOCATIONAL INSTITUTE OF ENGINEERING", nil, 0)
	if h := firstHit(t, "CHONGQING VOCATIONAL INSTITUTE OF ENGINEERING", hs, "cqvie"); h.Match != "EXACT" {
		t.Errorf("search(full English name)[0] = %+v", h)
	}
	// English words inside names: ASEAN in China-ASEAN.
	hs = search(t, "asean", nil, 0)
	if got, want := ids(hs)[:2], []string{"asean", "asean-education-ministers-meeting"}; !slices.Equal(got, want) {
		t.Errorf("search(asean) = %q, want %q first", ids(hs), want)
	}
	hasAll(t, "search(asean)", ids(hs), []string{"china-asean-featured-cooperation-project", "china-asean-double-hundred-flagship"})
}

func TestSearchAbbreviations(t *testing.T) {
	for text, id := range map[string]string{
		"CQVIE": "cqvie", "cqvie": "cqvie", "ｃｑｖｉｅ": "cqvie", "CEAIE": "ceaie",
		"WFCP": "wfcp", "CQIPC": "cqipc", "ASEAN": "asean", "MOE": "ministry-of-education",
	} {
		hs := search(t, text, nil, 0)
		h := firstHit(t, text, hs, id)
		if h.Match != "EXACT" || h.Field != "ALIAS" || h.Score != 4.9 || textkey.Key(h.Matched) != textkey.Key(text) {
			t.Errorf("search(%q)[0] = %+v, want an EXACT ALIAS match scored 4.9", text, h)
		}
		checkRanking(t, text, hs)
	}
	// WFCP is also the start of its award's English name: after the exact hit.
	hs := search(t, "WFCP", nil, 0)
	if len(hs) < 2 || hs[1].ID != "wfcp-silver-award" || hs[1].Match != "PREFIX" {
		t.Errorf("search(WFCP) = %+v, want wfcp-silver-award second by PREFIX", hs)
	}
}

func TestSearchPinyin(t *testing.T) {
	hs := search(t, "luban", nil, 0)
	hasAll(t, "search(luban)", ids(hs), []string{"luban-workshop", "tanzania-luban-workshop"})
	before(t, "luban", hs, "luban-workshop", "tanzania-luban-workshop")

	hs = search(t, "lubangongfang", nil, 0)
	if h := firstHit(t, "lubangongfang", hs, "luban-workshop"); h.Match != "EXACT" || h.Field != "PINYIN" || h.Matched != "luban gongfang" {
		t.Errorf("search(lubangongfang)[0] = %+v", h)
	}
	hasAll(t, "search(lubangongfang)", ids(hs), []string{"tanzania-luban-workshop"})

	for _, text := range []string{"chongqing gongcheng", "Chong Qing Gong Cheng", "chongqinggongcheng", "chongqing gongcheng zhiye jishu xueyuan"} {
		hs = search(t, text, nil, 0)
		if h := firstHit(t, text, hs, "cqvie"); h.Field != "PINYIN" || !strings.HasPrefix(h.Matched, "chongqing gongcheng") {
			t.Errorf("search(%q)[0] = %+v, want a PINYIN match", text, h)
		}
		checkRanking(t, text, hs)
	}
	if h := firstHit(t, "chongqinggongchengzhiyejishuxueyuan", search(t, "chongqinggongchengzhiyejishuxueyuan", nil, 0), "cqvie"); h.Match != "EXACT" {
		t.Errorf("search(joined pinyin)[0] = %+v, want EXACT", h)
	}

	// Initials.
	hs = search(t, "cqgc", nil, 0)
	if h := firstHit(t, "cqgc", hs, "cqvie"); h.Field != "PINYIN" || h.Match != "PREFIX" {
		t.Errorf("search(cqgc)[0] = %+v", h)
	}
	hasNone(t, "search(cqgc)", ids(hs), []string{"cqipc"}) // cqgy…
	firstHit(t, "cqgy", search(t, "cqgy", nil, 0), "cqipc")
	if h := firstHit(t, "cqgczyjsxy", search(t, "cqgczyjsxy", nil, 0), "cqvie"); h.Match != "EXACT" || h.Matched != "cqgczyjsxy" {
		t.Errorf("search(cqgczyjsxy)[0] = %+v", h)
	}

	// 重庆 reads chongqing (not zhongqing, go-pinyin's reading of 重 alone).
	hs = search(t, "chongqing", []string{"SCHOOL"}, 0)
	hasAll(t, "search(chongqing, SCHOOL)", ids(hs), []string{"cqvie", "cqipc"})
	if hs := search(t, "zhongqing", nil, 0); len(hs) != 0 {
		t.Errorf("search(zhongqing) = %q, want none", ids(hs))
	}
	// A pinyin word inside a name.
	hs = search(t, "gongcheng", []string{"SCHOOL"}, 0)
	hasAll(t, "search(gongcheng)", ids(hs), []string{"cqvie", "scetc"})
}

func TestSearchKinds(t *testing.T) {
	all := search(t, "重庆", nil, 100)
	hasAll(t, "search(重庆)", ids(all), []string{"chongqing", "cqvie", "cqipc", "chongqing-municipal-education-commission"})
	firstHit(t, "重庆", all, "chongqing")

	schools := search(t, "重庆", []string{"SCHOOL"}, 100)
	hasAll(t, "search(重庆, SCHOOL)", ids(schools), []string{"cqvie", "cqipc"})
	for _, h := range schools {
		if h.Kind != "SCHOOL" {
			t.Errorf("search(重庆, SCHOOL) holds %s of kind %s", h.ID, h.Kind)
		}
	}
	// A kind filter keeps the order of the unfiltered search.
	var want []string
	for _, h := range all {
		if h.Kind == "SCHOOL" {
			want = append(want, h.ID)
		}
	}
	if !slices.Equal(ids(schools), want) {
		t.Errorf("search(重庆, SCHOOL) = %q, want the schools of search(重庆) in order %q", ids(schools), want)
	}

	two := search(t, "重庆", []string{"SCHOOL", "REGION"}, 100)
	hasAll(t, "search(重庆, SCHOOL|REGION)", ids(two), []string{"chongqing", "cqvie", "cqipc", "chongqing-high-tech-zone"})
	for _, h := range two {
		if h.Kind != "SCHOOL" && h.Kind != "REGION" {
			t.Errorf("search(重庆, SCHOOL|REGION) holds %s of kind %s", h.ID, h.Kind)
		}
	}
	if hs := search(t, "鲁班", []string{"AWARD"}, 0); len(hs) != 0 {
		t.Errorf("search(鲁班, AWARD) = %q, want none", ids(hs))
	}
	// An empty list means every kind.
	if got := search(t, "重庆", []string{}, 100); !slices.Equal(got, all) {
		t.Errorf("search(重庆, kinds: []) differs from search(重庆)")
	}
}

func TestSearchRanking(t *testing.T) {
	// One text that matches in every class: 东盟 is ASEAN's name, starts
	// 东盟教育部长会议, is a word of 中国—东盟…, and dongmeng… is inside
	// the joined pinyin of no other word.
	hs := search(t, "东盟", nil, 0)
	if got := ids(hs); len(got) < 4 || got[0] != "asean" || got[1] != "asean-education-ministers-meeting" {
		t.Fatalf("search(东盟) = %q", got)
	}
	if hs[0].Match != "EXACT" || hs[1].Match != "PREFIX" || hs[2].Match != "WORDS" {
		t.Errorf("search(东盟) = %+v, want EXACT, PREFIX, WORDS", hs)
	}
	// Not a word, only inside names.
	hs = search(t, "班工", nil, 0)
	if got := ids(hs); !slices.Equal(got, []string{"luban-workshop", "tanzania-luban-workshop"}) || hs[0].Match != "SUBSTRING" || hs[1].Match != "SUBSTRING" {
		t.Errorf("search(班工) = %+v, want two SUBSTRING hits, the shorter name first", hs)
	}

	// Every class shows up across these, and each answer obeys the order.
	classes := map[string]bool{}
	for _, text := range []string{
		"chongqing", "重庆", "东盟", "班工", "a", "教育", "职业", "university", "sichuan", "中泰",
		"tanzania", "jiaoyu", "学院", "cq", "l", "重庆 四川", "Education", "50强",
	} {
		hs := search(t, text, nil, 100)
		checkRanking(t, text, hs)
		for _, h := range hs {
			classes[h.Match] = true
		}
	}
	if len(classes) != 4 {
		t.Errorf("match classes seen = %v, want all four", classes)
	}

	// first bounds the list and keeps its head.
	full := search(t, "a", nil, 100)
	if len(full) <= 10 {
		t.Fatalf("search(a) has %d hits; the test needs more than 10", len(full))
	}
	if got := search(t, "a", nil, 0); !slices.Equal(got, full[:10]) {
		t.Errorf("search(a) with the default first = %q, want the first 10 of %q", ids(got), ids(full))
	}
	if got := search(t, "a", nil, 1); !slices.Equal(got, full[:1]) {
		t.Errorf("search(a, first: 1) = %q", ids(got))
	}
}

// searchError runs a search that must fail and returns its error code and message.
func searchError(t *testing.T, text string, first int) (code, msg string) {
	t.Helper()
	r := post(t, searchQuery, searchVars(text, nil, first))
	if len(r.Errors) != 1 {
		t.Fatalf("search(%.40q…, first %d): errors = %+v, want one", text, first, r.Errors)
	}
	if r.Data != nil && r.Data["search"] != nil {
		t.Errorf("search(%.40q…): data = %v alongside the error", text, r.Data)
	}
	code, _ = r.Errors[0].Extensions["code"].(string)
	return code, r.Errors[0].Message
}

func TestSearchInputLimits(t *testing.T) {
	for _, text := range []string{"", " ", "   \t\n ", "\u3000", "\x00", "\x00\x07\x1b\u200b\ufeff"} {
		r := post(t, searchQuery, searchVars(text, nil, 0))
		if len(r.Errors) > 0 {
			t.Errorf("search(%q): errors %+v, want an empty list", text, r.Errors)
			continue
		}
		if l, ok := r.Data["search"].([]any); !ok || len(l) != 0 {
			t.Errorf("search(%q) = %#v, want []", text, r.Data["search"])
		}
	}

	// The limit is 200 characters, not bytes: 200 Chinese characters or
	// emoji are accepted.
	for _, text := range []string{strings.Repeat("鲁", 200), strings.Repeat("🎓", 200), strings.Repeat("a", 199) + "班"} {
		search(t, text, nil, 0)
	}
	// One more is refused, whatever it is; so is a 10 KB string, fast.
	tenKB := strings.Repeat(`鲁班 CQVIE +-&&||!(){}[]^"~*?:\/ 🎓 `, 10240/len(`鲁班 CQVIE +-&&||!(){}[]^"~*?:\/ 🎓 `)+1)
	for _, text := range []string{
		strings.Repeat("鲁", 201), strings.Repeat("🎓", 201), strings.Repeat(" ", 201),
		strings.Repeat("x", 10240), tenKB, strings.Repeat("\x00", 10240),
	} {
		start := time.Now()
		code, msg := searchError(t, text, 0)
		if code != graph.CodeBadInput || !strings.Contains(msg, "200 characters") {
			t.Errorf("search(%d characters) = %s %q, want BAD_USER_INPUT naming the limit of 200 characters", len([]rune(text)), code, msg)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("search(%d bytes) took %v", len(text), d)
		}
	}

	for _, first := range []int{-1, 101, 1000} {
		if code, msg := searchError(t, "鲁班", first); code != graph.CodePageSizeLimit || !strings.Contains(msg, "between 1 and 100") {
			t.Errorf("search(first: %d) = %s %q, want PAGE_SIZE_LIMIT_EXCEEDED", first, code, msg)
		}
	}
	r := post(t, `{ search(text: "鲁班", first: 0) { matched } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != graph.CodePageSizeLimit {
		t.Errorf("search(first: 0) errors = %+v, want PAGE_SIZE_LIMIT_EXCEEDED", r.Errors)
	}
	if hs := search(t, "鲁班", nil, 100); len(hs) != 2 {
		t.Errorf("search(鲁班, first: 100) = %q", ids(hs))
	}
}

func TestSearchOddText(t *testing.T) {
	want := ids(search(t, "鲁班", nil, 0))
	for _, text := range []string{"\x00鲁班\x07", "鲁\u200b班", "\t鲁班\r\n", "🎓鲁班🎓"} {
		hs := search(t, text, nil, 0)
		if len(hs) == 0 || hs[0].ID != "luban-workshop" {
			t.Errorf("search(%q) = %q, want luban-workshop first", text, ids(hs))
		}
		if text != "🎓鲁班🎓" && !slices.Equal(ids(hs), want) {
			t.Errorf("search(%q) = %q, want as search(鲁班) %q", text, ids(hs), want)
		}
	}
	for _, text := range []string{"🎓", "👩‍🎓", "🇨🇳", "\U0010FFFF", "\uFFFD", "ﷺ", "𠀀𠀁"} {
		if hs := search(t, text, nil, 0); len(hs) != 0 {
			t.Errorf("search(%q) = %q, want none", text, ids(hs))
		}
	}
}

// luceneSpecial are the characters (and pairs) with a meaning in Lucene's
// query syntax.
var luceneSpecial = []string{"+", "-", "&&", "||", "&", "|", "!", "(", ")", "{", "}", "[", "]", "^", `"`, "~", "*", "?", ":", `\`, "/"}

func TestSearchSpecialCharacters(t *testing.T) {
	for _, c := range luceneSpecial {
		// Alone: whatever is found has the character in its name.
		for _, h := range search(t, c, nil, 100) {
			if !strings.Contains(textkey.Key(h.Matched), c) {
				t.Errorf("search(%q) found %s by %q", c, h.ID, h.Matched)
			}
		}
		// Mixed into real text: the real text still finds its entities.
		for _, tc := range []struct{ text, id string }{
			{"鲁班" + c + "工坊", "luban-workshop"},
			{c + "鲁班工坊" + c, "luban-workshop"},
			{"CQVIE" + c, "cqvie"},
			{c + c + "chongqing vocational institute" + c, "cqvie"},
			{"ardhi" + c + "university", "ardhi-university"},
			{"chongqing" + c + "gongcheng", "cqvie"},
		} {
			firstHit(t, tc.text, search(t, tc.text, nil, 0), tc.id)
		}
	}
	// Lucene syntax spelled out.
	for _, text := range []string{
		strings.Join(luceneSpecial, ""), strings.Join(luceneSpecial, " "), `luban~2`, `luban*`, `lu?an`,
		`"luban workshop"`, `nameZh:鲁班`, `luban AND workshop`, `NOT luban`, `(luban OR cqvie)`, `luban^10`, `[a TO z]`,
		`{!lucene}`, `/reg.*ex/`, `\`, `\\`, `"`, `*:*`, `AND`, `OR NOT`, `' OR 1=1 --`, `$lucene`, `}) RETURN 1 //`,
	} {
		checkRanking(t, text, search(t, text, nil, 100))
	}
	hs := search(t, "luban AND workshop", nil, 0)
	hasAll(t, "search(luban AND workshop)", ids(hs), []string{"luban-workshop", "tanzania-luban-workshop"})
	// Names that hold such a character are found by it.
	hasAll(t, "search(+)", ids(search(t, "+", nil, 0)), []string{"chinese-plus-vocational-skills-programme", "internet-plus-innovation-competition"})
	firstHit(t, "中文+职业技能", search(t, "中文+职业技能", nil, 0), "chinese-plus-vocational-skills-programme")
	firstHit(t, "(斯坦金)", search(t, "(斯坦金)", nil, 0), "stankin")
}

// BenchmarkSearch measures one search through the whole GraphQL handler
// (HTTP, parsing, resolver, one Cypher statement, JSON), cycling through
// Chinese, English, pinyin and abbreviation texts.
func BenchmarkSearch(b *testing.B) {
	st := neo4jtest.Store(b)
	s := httptest.NewServer(graph.NewHandler(st, nil, testLimits, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer s.Close()
	texts := []string{"鲁班", "工程职院", "chongqing vocational institute", "luban", "cqgc", "CQVIE", "重庆工业", "联盟"}
	body := func(text string) string {
		return fmt.Sprintf(`{"query":"{ search(text: \"%s\") { entity { id nameZh } matched field match score } }"}`, text)
	}
	res, err := s.Client().Post(s.URL, "application/json", strings.NewReader(body("鲁班")))
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("warm-up search: %v %v", res, err)
	}
	res.Body.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := s.Client().Post(s.URL, "application/json", strings.NewReader(body(texts[i%len(texts)])))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, res.Body); err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
