// Package gen makes synthetic vetgraph graphs for the benchmark: a seeded,
// deterministic generator of entities of every kind in kg.Kinds, joined by the
// relationship types of kg.Builtin (only kind pairs each type allows), with
// bilingual names, aliases, dated relations with quotes taken verbatim from
// generated documents, and numeric facts.
//
// Degrees are skewed on purpose: the far end of a relation is drawn from a
// Zipf distribution over the entities of its kind, so a few countries,
// regions, enterprises and alliances gather very many links and most entities
// have a handful. Entity 0 of a kind is its biggest hub.
//
// The output is split into dataset.Graph chunks in load order (entities first,
// then relations with their documents, then facts), so a million-node graph
// never has to be turned into loader rows all at once.
package gen

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"strconv"
	"strings"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
)

// Version changes whenever the generator's output for a given Config changes
// (it keys cached databases).
const Version = 1

// Config says what to generate.
type Config struct {
	Seed  int64
	Nodes int // number of entities, ≥ 500
	// RelsPerNode is the number of vocabulary relations per entity (default 2).
	RelsPerNode float64
}

// Graph is one generated graph.
type Graph struct {
	Config    Config
	Entities  []kg.Entity
	ByKind    map[kg.Kind][]int // indices into Entities, in kind order (index 0 is the kind's biggest hub)
	Relations []kg.Relation
	Facts     []kg.Fact
	Documents []kg.Document
	// DocOf gives, for each relation, the index of its document.
	relDoc []int
}

// share of entities per kind; countries are a fixed number taken from Region's share.
var shares = []struct {
	kind  kg.Kind
	share float64
}{
	{kg.School, 0.26},
	{kg.Enterprise, 0.24},
	{kg.Program, 0.15},
	{kg.Organization, 0.09},
	{kg.Event, 0.08},
	{kg.Award, 0.06},
	{kg.Alliance, 0.04},
	{kg.Region, 0.08},
	{kg.Country, 0},
}

// Countries returns the number of countries for n entities.
func Countries(n int) int { return min(max(n/500, 20), 240) }

// relation types of the random part and their weights; LOCATED_IN is laid
// down separately (every entity has one).
var typeWeights = []struct {
	t kg.RelType
	w int
}{
	{kg.MemberOf, 14},
	{kg.PartnersWith, 14},
	{kg.ParticipatesIn, 12},
	{kg.SignedAgreementWith, 10},
	{kg.Runs, 8},
	{kg.Built, 6},
	{kg.PartOf, 4},
	{kg.Hosted, 5},
	{kg.CoFounded, 4},
	{kg.Serves, 5},
	{kg.Received, 4},
	{kg.SelectedFor, 3},
	{kg.RecognizedBy, 3},
	{kg.GuidedBy, 3},
	{kg.AwardedBy, 2},
	{kg.SpokeAt, 2},
	{kg.Chairs, 2},
}

// The name alphabet: each Chinese character has a distinct pinyin syllable,
// so a Chinese name and its English form are both unique.
var (
	zhChars = []rune("华兴明德安康泰和宁信博远盛丰嘉瑞恒光中南北东西金海山江云林川鹏达成立平文昌祥荣通")
	pinyin  = []string{
		"Hua", "Xing", "Ming", "De", "An", "Kang", "Tai", "He", "Ning", "Xin", "Bo", "Yuan", "Sheng",
		"Feng", "Jia", "Rui", "Heng", "Guang", "Zhong", "Nan", "Bei", "Dong", "Xi", "Jin", "Hai", "Shan", "Jiang", "Yun",
		"Lin", "Chuan", "Peng", "Da", "Cheng", "Li", "Ping", "Wen", "Chang", "Xiang", "Rong", "Tong",
	}
)

type suffix struct{ zh, en string }

var suffixes = map[kg.Kind][]suffix{
	kg.School:       {{"职业技术学院", "Vocational and Technical College"}, {"职业学院", "Polytechnic"}, {"技师学院", "Technician College"}},
	kg.Enterprise:   {{"科技有限公司", "Technology Co., Ltd."}, {"汽车集团", "Automotive Group"}, {"智能制造有限公司", "Intelligent Manufacturing Co., Ltd."}},
	kg.Alliance:     {{"职业教育联盟", "Vocational Education Alliance"}, {"职教集团", "Vocational Education Group"}},
	kg.Program:      {{"鲁班工坊", "Luban Workshop"}, {"产业学院", "Industry College"}, {"培训项目", "Training Programme"}},
	kg.Organization: {{"职业教育协会", "Vocational Education Association"}, {"教育委员会", "Education Commission"}},
	kg.Region:       {{"市", "City"}, {"区", "District"}},
	kg.Event:        {{"职业教育论坛", "Vocational Education Forum"}, {"技能大赛", "Skills Competition"}},
	kg.Award:        {{"教学成果奖", "Teaching Achievement Award"}, {"示范项目", "Model Project"}},
	kg.Country:      {{"国", "Republic"}},
}

var (
	programCategory = []string{"Luban Workshop", "industry college", "training"}
	regionType      = []string{"city", "district"}
	schoolType      = []string{"higher vocational college", "higher vocational college", "technician college"}
)

// sentences quoted by relations, one per type; every document contains all of them.
var sentences = map[kg.RelType]string{
	kg.MemberOf: "该校成为联盟成员单位", kg.Chairs: "当选为轮值理事长单位", kg.CoFounded: "共同发起成立",
	kg.Runs: "牵头主办并运营", kg.Built: "参与共建", kg.ParticipatesIn: "参与合作项目",
	kg.PartOf: "隶属于", kg.LocatedIn: "坐落于", kg.SignedAgreementWith: "签署战略合作协议",
	kg.PartnersWith: "开展深度合作", kg.Hosted: "承办年会", kg.SelectedFor: "成功入选",
	kg.RecognizedBy: "获认定为国家级项目", kg.Received: "荣获", kg.AwardedBy: "由评审委员会颁发",
	kg.GuidedBy: "在指导下开展工作", kg.SpokeAt: "作主旨演讲", kg.Serves: "面向当地提供服务",
}

const factQuote = "累计培养技术技能人才"

// RelsPerDocument is how many relations quote one generated document.
const RelsPerDocument = 2000

// Generate builds the graph for cfg.
func Generate(cfg Config) *Graph {
	if cfg.RelsPerNode <= 0 {
		cfg.RelsPerNode = 2
	}
	if cfg.Nodes < 500 {
		cfg.Nodes = 500
	}
	r := rand.New(rand.NewSource(cfg.Seed))
	g := &Graph{Config: cfg, ByKind: map[kg.Kind][]int{}}

	counts := map[kg.Kind]int{}
	nc := Countries(cfg.Nodes)
	left := cfg.Nodes
	for _, s := range shares {
		c := int(math.Round(s.share * float64(cfg.Nodes)))
		switch s.kind {
		case kg.Region:
			c -= nc
		case kg.Country:
			c = nc
		}
		counts[s.kind] = c
		left -= c
	}
	counts[kg.School] += left // rounding
	for _, k := range kg.Kinds {
		g.entities(r, k, counts[k])
	}
	g.relations(r)
	g.documents()
	g.facts(r)
	return g
}

// nameDigits turns index i of a kind into w base-40 digits through a
// seed-dependent bijection, so names look scattered but never repeat.
func nameDigits(i, w int, mult, off int64) []int {
	mod := int64(math.Pow(40, float64(w)))
	x := (int64(i)*mult + off) % mod
	d := make([]int, w)
	for j := w - 1; j >= 0; j-- {
		d[j] = int(x % 40)
		x /= 40
	}
	return d
}

func (g *Graph) entities(r *rand.Rand, k kg.Kind, n int) {
	w := 2
	for math.Pow(40, float64(w)) < float64(n) {
		w++
	}
	// a multiplier coprime to 40 makes i -> i*mult+off mod 40^w a bijection
	mult := int64(r.Intn(1_000_000))*40 + 3
	off := int64(r.Intn(1_000_000))
	kindLetter := strings.ToUpper(string(k)[:1])
	for i := 0; i < n; i++ {
		d := nameDigits(i, w, mult, off)
		var zh strings.Builder
		syl := make([]string, w)
		var initials strings.Builder
		for j, x := range d {
			zh.WriteRune(zhChars[x])
			syl[j] = pinyin[x]
			initials.WriteByte(pinyin[x][0])
		}
		sfx := suffixes[k][i%len(suffixes[k])]
		e := kg.Entity{
			ID:             strings.ToLower(string(k)) + "-" + strconv.Itoa(i),
			Kind:           k,
			NameZh:         zh.String() + sfx.zh,
			NameEn:         strings.Join(syl, " ") + " " + sfx.en,
			NameEnOfficial: i%4 != 0,
			Description: kg.Names{
				Zh: zh.String() + sfx.zh + "（合成基准数据）",
				En: "Synthetic benchmark entity " + strconv.Itoa(i) + " of kind " + string(k),
			},
		}
		if k == kg.Country {
			e.NameEn = "Republic of " + strings.Join(syl, " ")
			e.ISO2 = string([]byte{byte('A' + i/26%26), byte('A' + i%26)})
			e.ISO3 = e.ISO2 + "X"
		}
		if k == kg.School || k == kg.Enterprise || k == kg.Alliance {
			e.Aliases = []string{initials.String() + "-" + kindLetter + strconv.FormatInt(int64(i), 36)}
		}
		switch k {
		case kg.School:
			e.SchoolType = schoolType[i%len(schoolType)]
			e.City = syl[0] + syl[len(syl)-1]
		case kg.Enterprise, kg.Organization:
			e.City = syl[0] + syl[len(syl)-1]
		case kg.Program:
			e.Category = programCategory[i%len(programCategory)]
			if i%3 == 0 {
				e.Start = strconv.Itoa(2010 + i%15)
			}
		case kg.Region:
			e.RegionType = regionType[i%len(regionType)]
		}
		g.ByKind[k] = append(g.ByKind[k], len(g.Entities))
		g.Entities = append(g.Entities, e)
	}
}

// picker draws entities of a kind: uniformly, or Zipf-skewed towards index 0.
type picker struct {
	idx  []int
	zipf *rand.Zipf
}

func (g *Graph) relations(r *rand.Rand) {
	pick := map[kg.Kind]*picker{}
	for _, k := range kg.Kinds {
		p := &picker{idx: g.ByKind[k]}
		if n := len(p.idx); n > 1 {
			p.zipf = rand.NewZipf(r, 1.1, 1, uint64(n-1))
		}
		pick[k] = p
	}
	uniform := func(k kg.Kind) int { p := pick[k]; return p.idx[r.Intn(len(p.idx))] }
	skewed := func(k kg.Kind) int {
		p := pick[k]
		if p.zipf == nil {
			return p.idx[0]
		}
		return p.idx[p.zipf.Uint64()]
	}
	typeIndex := map[kg.RelType]int{}
	for i, v := range kg.Builtin {
		typeIndex[v.Type] = i
	}
	seen := map[uint64]struct{}{}
	add := func(t kg.RelType, from, to int) {
		if from == to {
			return
		}
		key := uint64(from)<<27 | uint64(to)<<5 | uint64(typeIndex[t])
		if _, dup := seen[key]; dup {
			return
		}
		seen[key] = struct{}{}
		rel := kg.Relation{Type: t, From: g.Entities[from].ID, To: g.Entities[to].ID}
		switch x := r.Intn(100); {
		case x < 35:
			rel.At = &kg.PartialDate{Year: 2010 + r.Intn(15)}
		case x < 50:
			rel.Since = &kg.PartialDate{Year: 2010 + r.Intn(15), Month: 1 + r.Intn(12)}
			if x < 40 {
				rel.Until = &kg.PartialDate{Year: rel.Since.Year + 1 + r.Intn(3)}
			}
		}
		g.Relations = append(g.Relations, rel)
	}

	// Every entity but a country is located in a region (60%) or a country;
	// regions in a country. Both ends skewed: a few countries get very many.
	for _, k := range kg.Kinds {
		if k == kg.Country {
			continue
		}
		for _, i := range g.ByKind[k] {
			if k != kg.Region && r.Intn(100) < 60 {
				add(kg.LocatedIn, i, skewed(kg.Region))
			} else {
				add(kg.LocatedIn, i, skewed(kg.Country))
			}
		}
	}

	total := 0
	for _, tw := range typeWeights {
		total += tw.w
	}
	target := int(cfg(g).RelsPerNode * float64(len(g.Entities)))
	pop := func(k kg.Kind) int { return len(g.ByKind[k]) }
	for tries := 0; len(g.Relations) < target && tries < 4*target; tries++ {
		x := r.Intn(total)
		var t kg.RelType
		for _, tw := range typeWeights {
			if x < tw.w {
				t = tw.t
				break
			}
			x -= tw.w
		}
		info, _ := kg.LookupRelType(string(t))
		// Countries take part only as the served end of SERVES (besides
		// LOCATED_IN), so "related to a country" means located in or served.
		fk := weightedKind(r, info.From, pop, t == kg.Serves)
		tk := weightedKind(r, info.To, pop, t == kg.Serves)
		if fk == "" || tk == "" {
			continue
		}
		add(t, uniform(fk), skewed(tk))
	}
}

func cfg(g *Graph) Config { return g.Config }

// weightedKind picks one of ks in proportion to its population; Country only
// when allowCountry.
func weightedKind(r *rand.Rand, ks []kg.Kind, pop func(kg.Kind) int, allowCountry bool) kg.Kind {
	total := 0
	for _, k := range ks {
		if k == kg.Country && !allowCountry {
			continue
		}
		total += pop(k)
	}
	if total == 0 {
		return ""
	}
	x := r.Intn(total)
	for _, k := range ks {
		if k == kg.Country && !allowCountry {
			continue
		}
		if x < pop(k) {
			return k
		}
		x -= pop(k)
	}
	return ""
}

// DocumentID names generated document k.
func DocumentID(seed int64, k int) string { return fmt.Sprintf("gen-%d-%05d", seed, k) }

func (g *Graph) documents() {
	n := (len(g.Relations) + RelsPerDocument - 1) / RelsPerDocument
	if n == 0 {
		n = 1
	}
	types := make([]string, 0, len(sentences))
	for _, v := range kg.Builtin {
		types = append(types, sentences[v.Type])
	}
	for k := 0; k < n; k++ {
		id := DocumentID(g.Config.Seed, k)
		text := fmt.Sprintf("合成基准文档第%d篇。%s。%s%d名。", k, strings.Join(types, "；"), factQuote, 100+k)
		g.Documents = append(g.Documents, kg.Document{
			ID: id, Title: fmt.Sprintf("合成基准文档 %d", k),
			Publisher: "vetgraph bench", Date: "2024", Language: "zh", Text: text,
		})
	}
	g.relDoc = make([]int, len(g.Relations))
	counter := map[string]int{}
	for i := range g.Relations {
		rel := &g.Relations[i]
		d := i / RelsPerDocument
		g.relDoc[i] = d
		rel.Evidence = kg.Evidence{DocumentID: g.Documents[d].ID, Quote: sentences[rel.Type]}
		rel.ID = rel.Evidence.DocumentID + ":" + rel.From + ":" + string(rel.Type) + ":" + rel.To
		if c := counter[rel.ID]; c > 0 { // cannot happen (pairs are unique), kept for safety
			rel.ID += "#" + strconv.Itoa(c)
		}
		counter[rel.ID]++
	}
}

func (g *Graph) facts(r *rand.Rand) {
	for _, k := range []kg.Kind{kg.School, kg.Program} {
		for j, i := range g.ByKind[k] {
			if j%33 != 0 {
				continue
			}
			e := g.Entities[i]
			d := r.Intn(len(g.Documents))
			g.Facts = append(g.Facts, kg.Fact{
				ID: "fact-" + e.ID, Subject: e.ID,
				Label: kg.Names{Zh: "培养技术技能人才", En: "technical talents trained"},
				Value: float64(100 + r.Intn(5000)), Unit: "person", Qualifier: kg.MoreThan,
				At:       &kg.PartialDate{Year: 2020 + r.Intn(5)},
				Evidence: kg.Evidence{DocumentID: g.Documents[d].ID, Quote: factQuote},
			})
		}
	}
}

// Chunks splits g into data sets to load one after another: entities in
// chunks of at most size, then relations in chunks of whole documents
// (about size relations each), then the facts. Each chunk's Mentions cover
// what its relations and facts name.
func (g *Graph) Chunks(size int) []*dataset.Graph {
	if size < RelsPerDocument {
		size = RelsPerDocument
	}
	var out []*dataset.Graph
	for lo := 0; lo < len(g.Entities); lo += size {
		hi := min(lo+size, len(g.Entities))
		out = append(out, &dataset.Graph{Entities: g.Entities[lo:hi], Mentions: map[string][]string{}})
	}
	perChunk := size / RelsPerDocument
	for d0 := 0; d0 < len(g.Documents); d0 += perChunk {
		d1 := min(d0+perChunk, len(g.Documents))
		lo, hi := d0*RelsPerDocument, min(d1*RelsPerDocument, len(g.Relations))
		c := &dataset.Graph{Documents: g.Documents[d0:d1], Relations: g.Relations[lo:hi], Mentions: map[string][]string{}}
		mention(c, func(yield func(doc, id string)) {
			for _, rel := range c.Relations {
				yield(rel.Evidence.DocumentID, rel.From)
				yield(rel.Evidence.DocumentID, rel.To)
			}
		})
		out = append(out, c)
	}
	if len(g.Facts) > 0 {
		c := &dataset.Graph{Documents: g.Documents, Facts: g.Facts, Mentions: map[string][]string{}}
		mention(c, func(yield func(doc, id string)) {
			for _, f := range c.Facts {
				yield(f.Evidence.DocumentID, f.Subject)
			}
		})
		out = append(out, c)
	}
	return out
}

func mention(c *dataset.Graph, each func(func(doc, id string))) {
	set := map[string]map[string]bool{}
	each(func(doc, id string) {
		if set[doc] == nil {
			set[doc] = map[string]bool{}
		}
		set[doc][id] = true
	})
	for doc, ids := range set {
		l := make([]string, 0, len(ids))
		for id := range ids {
			l = append(l, id)
		}
		sort.Strings(l)
		c.Mentions[doc] = l
	}
}

// Stats summarises g.
type Stats struct {
	Entities, Relations, Facts, Documents int
	PerKind                               map[kg.Kind]int
	PerType                               map[kg.RelType]int
	MaxDegree                             int
	MaxDegreeID                           string
	MedianDegree                          int
}

// Stats counts g's entities, relations and degrees.
func (g *Graph) Stats() Stats {
	s := Stats{
		Entities: len(g.Entities), Relations: len(g.Relations), Facts: len(g.Facts), Documents: len(g.Documents),
		PerKind: map[kg.Kind]int{}, PerType: map[kg.RelType]int{},
	}
	deg := map[string]int{}
	for _, e := range g.Entities {
		s.PerKind[e.Kind]++
	}
	for _, r := range g.Relations {
		s.PerType[r.Type]++
		deg[r.From]++
		deg[r.To]++
	}
	ds := make([]int, 0, len(g.Entities))
	for _, e := range g.Entities {
		d := deg[e.ID]
		ds = append(ds, d)
		if d > s.MaxDegree {
			s.MaxDegree, s.MaxDegreeID = d, e.ID
		}
	}
	sort.Ints(ds)
	s.MedianDegree = ds[len(ds)/2]
	return s
}
