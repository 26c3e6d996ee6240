package graph_test

import (
	"fmt"
	"strings"
	"testing"
)

// More questions of the kinds in shared/eval/questions-public.md, written from
// an independent reading of data/sources/000_c17574c6fccee1e4/text.txt. Each
// asks the server through GraphQL (real Neo4j, data/ loaded) and compares the
// answer as a set. The article holds two reports: the first is about
// 重庆工业职业技术学院 (CQIPC), the second about 重庆工程职业技术学院 (CQVIE),
// whose heading is printed at the very end; the two paragraphs after the
// opening paragraph are about CQVIE.

const ownDocID = "000_c17574c6fccee1e4"

// ownOthers returns the Chinese names at the other end of name's relations.
func ownOthers(t *testing.T, name string, types []string, dir string, kinds []string) []string {
	t.Helper()
	return pluck(related(t, name, types, dir, kinds), "e.relations.edges.*.node.other.nameZh")
}

// ownFacts returns the facts of the entity called name, as decoded JSON objects.
func ownFacts(t *testing.T, name string) []map[string]any {
	t.Helper()
	d := ask(t, `query($name: String!) { e: entityByName(name: $name) { id
  facts { id value unit qualifier en: text(lang: EN) zh: text label labelEn: label(lang: EN) at { value } evidence { quote } } } }`,
		map[string]any{"name": name})
	if d["e"] == nil {
		t.Fatalf("no entity named %q", name)
	}
	var out []map[string]any
	for _, f := range d["e"].(map[string]any)["facts"].([]any) {
		out = append(out, f.(map[string]any))
	}
	return out
}

// ownFactsWith returns the facts of name with this value and unit.
func ownFactsWith(t *testing.T, name string, value float64, unit string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, f := range ownFacts(t, name) {
		if f["value"] == value && f["unit"] == unit {
			out = append(out, f)
		}
	}
	return out
}

// ownOneFact fails unless name carries exactly one fact of this value and
// unit, and returns it.
func ownOneFact(t *testing.T, name string, value float64, unit string) map[string]any {
	t.Helper()
	fs := ownFactsWith(t, name, value, unit)
	if len(fs) != 1 {
		t.Fatalf("%s: want exactly one fact %v %s, got %v (all facts: %v)", name, value, unit, fs, ownFacts(t, name))
	}
	return fs[0]
}

// ownCheckFact compares a fact's qualifier and its English and Chinese renderings.
func ownCheckFact(t *testing.T, f map[string]any, qualifier, en, zh string) {
	t.Helper()
	if f["qualifier"] != qualifier {
		t.Errorf("fact %v: qualifier = %v, want %s", f["id"], f["qualifier"], qualifier)
	}
	if f["en"] != en {
		t.Errorf("fact %v: text(lang: EN) = %q, want %q", f["id"], f["en"], en)
	}
	if zh != "" && f["zh"] != zh {
		t.Errorf("fact %v: text = %q, want %q", f["id"], f["zh"], zh)
	}
}

// ownName resolves name and returns the entity's nameZh, or nil for no entity.
func ownName(t *testing.T, name string) map[string]any {
	t.Helper()
	d := ask(t, `query($name: String!) { e: entityByName(name: $name) { id kind nameZh nameEn aliases } }`, map[string]any{"name": name})
	e, _ := d["e"].(map[string]any)
	return e
}

// Q01 “渝工程”指哪所学校？ / Which school is "渝工程" (the brand in the second
// report's heading)? — 重庆工程职业技术学院 (CQVIE), not 重庆工业职业技术学院.
func TestOwnQ01YuGongChengIsCQVIE(t *testing.T) {
	e := ownName(t, "渝工程")
	if e == nil {
		t.Fatal("渝工程 resolves to nothing")
	}
	sameSet(t, "nameZh", pluck(e, "nameZh"), []string{"重庆工程职业技术学院"})
	sameSet(t, "nameEn", pluck(e, "nameEn"), []string{"Chongqing Vocational Institute of Engineering"})
	sameSet(t, "kind", pluck(e, "kind"), []string{"SCHOOL"})
}

// Q02 Full-width and mixed-case lookups: “ｃｑｖｉｅ”, “ＣＱＩＰＣ”, “Cqipc” /
// 全角、大小写不同的缩写能否找到学校？ — ｃｑｖｉｅ → 重庆工程职业技术学院;
// ＣＱＩＰＣ, Cqipc → 重庆工业职业技术学院.
func TestOwnQ02WidthAndCaseInsensitiveLookup(t *testing.T) {
	for name, want := range map[string]string{
		"ｃｑｖｉｅ":   "重庆工程职业技术学院",
		"ＣＱＶＩＥ":   "重庆工程职业技术学院",
		"ＣＱＩＰＣ":   "重庆工业职业技术学院",
		" Cqipc ": "重庆工业职业技术学院",
	} {
		e := ownName(t, name)
		if e == nil {
			t.Errorf("%q resolves to nothing, want %s", name, want)
			continue
		}
		sameSet(t, fmt.Sprintf("entityByName(%q)", name), pluck(e, "nameZh"), []string{want})
	}
}

// Q03 “中泰项目”指什么？它和“中泰职教联盟”是否同一实体？ / What is "中泰项目"? —
// the China–Thailand vocational cooperation project (a programme, 中泰职教合作项目);
// 中泰职业教育联盟 (the form used in “共建中泰职业教育联盟”) is the alliance 中泰职教联盟.
func TestOwnQ03ChinaThailandProjectVersusAlliance(t *testing.T) {
	p := ownName(t, "中泰项目")
	a := ownName(t, "中泰职业教育联盟")
	if p == nil || a == nil {
		t.Fatalf("中泰项目 = %v, 中泰职业教育联盟 = %v; both must resolve", p, a)
	}
	sameSet(t, "中泰项目 kind", pluck(p, "kind"), []string{"PROGRAM"})
	sameSet(t, "中泰职业教育联盟 nameZh", pluck(a, "nameZh"), []string{"中泰职教联盟"})
	sameSet(t, "中泰职业教育联盟 kind", pluck(a, "kind"), []string{"ALLIANCE"})
	if p["id"] == a["id"] {
		t.Errorf("中泰项目 and 中泰职教联盟 are the same entity %v", p["id"])
	}
}

// Q04 “德国莱茵”是谁？在哪国？ / Who is "德国莱茵" and where is it based? —
// 德国莱茵TÜV (TÜV Rheinland), an enterprise, in 德国 (Germany).
func TestOwnQ04TUVRheinlandShortForm(t *testing.T) {
	for _, name := range []string{"德国莱茵", "德国莱茵TÜV", "tüv rheinland"} {
		e := ownName(t, name)
		if e == nil {
			t.Errorf("%q resolves to nothing", name)
			continue
		}
		sameSet(t, name+" nameZh", pluck(e, "nameZh"), []string{"德国莱茵TÜV"})
		sameSet(t, name+" kind", pluck(e, "kind"), []string{"ENTERPRISE"})
	}
	sameSet(t, "country", ownOthers(t, "德国莱茵", []string{"LOCATED_IN"}, "OUT", []string{"COUNTRY"}), []string{"德国"})
}

// Q05 “语合中心”批了哪些项目给学校？ / Which projects of "语合中心" appear? —
// 教育部语合中心 (Center for Language Education and Cooperation) awards the
// “汉语桥” projects and the 国际中文教育协作机制项目; it is part of 教育部.
func TestOwnQ05CLECShortForm(t *testing.T) {
	e := ownName(t, "语合中心")
	if e == nil {
		t.Fatal("语合中心 resolves to nothing")
	}
	sameSet(t, "nameZh", pluck(e, "nameZh"), []string{"教育部语合中心"})
	sameSet(t, "awards", ownOthers(t, "语合中心", []string{"AWARDED_BY"}, "IN", nil), []string{"汉语桥", "国际中文教育协作机制项目"})
	sameSet(t, "part of", ownOthers(t, "语合中心", []string{"PART_OF"}, "OUT", nil), []string{"教育部"})
}

// Q06 CEAIE 认定了什么？ / What did CEAIE recognise? — 中国教育国际交流协会 (China
// Education Association for International Exchange) recognised the 坦桑尼亚鲁班工坊
// as a 国家级鲁班工坊运营项目, early 2024 (今年初).
func TestOwnQ06CEAIERecognised(t *testing.T) {
	e := ownName(t, "ceaie")
	if e == nil {
		t.Fatal("ceaie resolves to nothing")
	}
	sameSet(t, "nameZh", pluck(e, "nameZh"), []string{"中国教育国际交流协会"})
	sameSet(t, "kind", pluck(e, "kind"), []string{"ORGANIZATION"})
	d := related(t, "CEAIE", []string{"RECOGNIZED_BY"}, "IN", nil)
	sameSet(t, "recognised", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"坦桑尼亚鲁班工坊"})
	sameSet(t, "when", pluck(d, "e.relations.edges.*.node.at.value"), []string{"2024~early"})
	sameSet(t, "what", pluck(d, "e.relations.edges.*.node.detail"), []string{"国家级鲁班工坊运营项目"})
}

// Q07 WFCP 的银牌奖颁给了谁？ / Who received the silver award of WFCP? —
// 世界职业院校与技术大学联盟 (World Federation of Colleges and Polytechnics) awards the
// 银牌奖, received by 重庆工程职业技术学院 (two hops: WFCP ← award ← school).
func TestOwnQ07WFCPSilverAward(t *testing.T) {
	e := ownName(t, "WFCP")
	if e == nil {
		t.Fatal("WFCP resolves to nothing")
	}
	sameSet(t, "nameZh", pluck(e, "nameZh"), []string{"世界职业院校与技术大学联盟"})
	d := ask(t, `{ e: entityByName(name: "wfcp") { relations(types: [AWARDED_BY], direction: IN) { edges { node { other { nameZh
  relations(types: [RECEIVED], direction: IN, kinds: [SCHOOL]) { edges { node { other { nameZh } } } } } } } } } }`, nil)
	sameSet(t, "award", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"世界职业院校与技术大学联盟银牌奖"})
	sameSet(t, "received by", pluck(d, "e.relations.edges.*.node.other.relations.edges.*.node.other.nameZh"), []string{"重庆工程职业技术学院"})
}

// Q08 名称写法不同时（全角括号、只写“斯坦金”）能否找到外方大学？ / Does STANKIN resolve
// from its other spellings? — 莫斯科国立工艺大学(斯坦金) (Moscow State University of
// Technology "STANKIN"), whatever the bracket width or case.
func TestOwnQ08STANKINSpellings(t *testing.T) {
	for _, name := range []string{"斯坦金", " Ｓｔａｎｋｉｎ ", "莫斯科国立工艺大学（斯坦金）", "莫斯科国立工艺大学"} {
		e := ownName(t, name)
		if e == nil {
			t.Errorf("%q resolves to nothing", name)
			continue
		}
		sameSet(t, fmt.Sprintf("entityByName(%q)", name), pluck(e, "nameZh"), []string{"莫斯科国立工艺大学(斯坦金)"})
	}
}

// Q09 “长安”“吉利”指什么？ / What are "长安" and "吉利" in “长安、吉利汽车企业员工”? —
// the carmakers 长安汽车 (Changan Automobile) and 吉利汽车 (Geely Automobile),
// enterprises — not the 长安汽车产业学院.
func TestOwnQ09ChanganGeelyShortForms(t *testing.T) {
	for name, want := range map[string]string{"长安": "长安汽车", "吉利": "吉利汽车"} {
		e := ownName(t, name)
		if e == nil {
			t.Errorf("%q resolves to nothing", name)
			continue
		}
		sameSet(t, name+" nameZh", pluck(e, "nameZh"), []string{want})
		sameSet(t, name+" kind", pluck(e, "kind"), []string{"ENTERPRISE"})
	}
	e := ownName(t, "长安汽车产业学院")
	sameSet(t, "industry college kind", pluck(e, "kind"), []string{"PROGRAM"})
}

// Q10 中泰职教联盟由谁共同发起成立？何时？ / Who co-founded the China–Thailand
// Vocational Education Alliance, and when? — 重庆工程职业技术学院 and
// 泰国孔敬大学孔子学院 (Confucius Institute at Khon Kaen University), May 2018 (2018年5月).
func TestOwnQ10ChinaThailandAllianceFounders(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "中泰职教联盟") { ... on Alliance { founders { nameZh } } } }`, nil)
	sameSet(t, "founders", pluck(d, "e.founders.*.nameZh"), []string{"重庆工程职业技术学院", "泰国孔敬大学孔子学院"})
	d = ask(t, `{ e: entityByName(name: "中泰职教联盟") { relations(types: [CO_FOUNDED], direction: IN) {
  edges { node { other { nameZh } at { value precision start end } } } } } }`, nil)
	sameSet(t, "co-founders", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆工程职业技术学院", "泰国孔敬大学孔子学院"})
	sameSet(t, "when", pluck(d, "e.relations.edges.*.node.at.value"), []string{"2018-05"})
	sameSet(t, "precision", pluck(d, "e.relations.edges.*.node.at.precision"), []string{"MONTH"})
	sameSet(t, "start", pluck(d, "e.relations.edges.*.node.at.start"), []string{"2018-05-01"})
	sameSet(t, "end", pluck(d, "e.relations.edges.*.node.at.end"), []string{"2018-05-31"})
	hasNone(t, "co-founders", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆工业职业技术学院", "重庆市教育部门", "泰国职业教育委员会"})
}

// Q11 中泰职教联盟是在谁的指导下成立的？ / Under whose guidance was the alliance
// founded? — 重庆市教育部门 (Chongqing education authorities) and 泰国职业教育委员会
// (Thailand's Office of the Vocational Education Commission); not 重庆市教委, which
// co-founded the other (成渝) alliance.
func TestOwnQ11ChinaThailandAllianceGuidedBy(t *testing.T) {
	d := related(t, "中泰职教联盟", []string{"GUIDED_BY"}, "OUT", nil)
	sameSet(t, "guided by", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆市教育部门", "泰国职业教育委员会"})
	sameSet(t, "when", pluck(d, "e.relations.edges.*.node.at.value"), []string{"2018-05"})
	hasNone(t, "guided by", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆市教委", "教育部"})
}

// Q12 “泰国教育部职教委”与“泰国职业教育委员会”是同一机构吗？它认定了什么？ / Is
// "泰国教育部职教委" the same body as the one that guided the alliance, and what did
// it recognise? — yes (OVEC); it recognised 40余门 courses of the 中泰项目 as
// “高质量职业课程” (more than 40).
func TestOwnQ12OVECRecognisedCourses(t *testing.T) {
	a, b := ownName(t, "泰国教育部职教委"), ownName(t, "泰国职业教育委员会")
	if a == nil || b == nil || a["id"] != b["id"] {
		t.Fatalf("泰国教育部职教委 = %v, 泰国职业教育委员会 = %v; want one entity", a, b)
	}
	sameSet(t, "recognised", ownOthers(t, "泰国教育部职教委", []string{"RECOGNIZED_BY"}, "IN", nil), []string{"中泰职教合作项目"})
	f := ownOneFact(t, "中泰项目", 40, "course")
	ownCheckFact(t, f, "MORE_THAN", "more than 40", "40余")
}

// Q13 中泰项目成果推广至哪些国家（文中点名的）？共多少国？ / Which countries did the
// China–Thailand results reach? — 泰国, 老挝, 马来西亚 (Thailand, Laos, Malaysia) are
// named, 17 countries in all (“等17个国家”, exactly 17).
func TestOwnQ13ChinaThailandResultsCountries(t *testing.T) {
	sameSet(t, "serves", ownOthers(t, "中泰项目", []string{"SERVES"}, "OUT", []string{"COUNTRY"}), []string{"泰国", "老挝", "马来西亚"})
	d := ask(t, `{ e: entityByName(name: "中泰项目") { ... on Program { countries { nameEn iso2 } } } }`, nil)
	sameSet(t, "countries", pluck(d, "e.countries.*.iso2"), []string{"TH", "LA", "MY"})
	f := ownOneFact(t, "中泰项目", 17, "country")
	ownCheckFact(t, f, "EXACT", "17", "17")
}

// Q14 泰国孔敬大学孔子学院隶属于哪所大学？在哪国？ / Which university is the
// Confucius Institute part of, and in which country? — 孔敬大学 (Khon Kaen
// University), 泰国 (Thailand). Two hops.
func TestOwnQ14ConfuciusInstitutePartOf(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "孔敬大学孔子学院") { nameZh ... on School { schoolType }
  relations(types: [PART_OF], direction: OUT) { edges { node { other { nameZh nameEn
    relations(types: [LOCATED_IN], direction: OUT, kinds: [COUNTRY]) { edges { node { other { nameZh } } } } } } } } } }`, nil)
	sameSet(t, "nameZh", pluck(d, "e.nameZh"), []string{"泰国孔敬大学孔子学院"})
	sameSet(t, "part of", pluck(d, "e.relations.edges.*.node.other.nameEn"), []string{"Khon Kaen University"})
	sameSet(t, "country", pluck(d, "e.relations.edges.*.node.other.relations.edges.*.node.other.nameZh"), []string{"泰国"})
}

// Q15 重庆工业职业技术学院与四川地区多少所学校开展实质性交流合作？ / With how many
// Sichuan schools does CQIPC cooperate? — 20余所: more than 20 (MORE_THAN 20).
func TestOwnQ15CQIPCSichuanSchoolsMoreThan20(t *testing.T) {
	f := ownOneFact(t, "重庆工业职业技术学院", 20, "school")
	ownCheckFact(t, f, "MORE_THAN", "more than 20", "20余")
	if q, _ := f["evidence"].(map[string]any)["quote"].(string); !strings.Contains(q, "20余所") {
		t.Errorf("evidence %q does not state 20余所", q)
	}
	if len(ownFactsWith(t, "重庆工程职业技术学院", 20, "school")) > 0 {
		t.Error("CQVIE must not carry CQIPC's 20余所 Sichuan schools")
	}
}

// Q16 “中文+职业技能”项目培训了多少技术技能人才？该项目由哪个联盟打造？ / How many
// were trained in the "Chinese + Vocational Skills" programme, and by which
// alliance was it built? — nearly 900 (近900名, NEARLY 900); 中泰职教联盟.
func TestOwnQ16ChinesePlusSkillsNearly900(t *testing.T) {
	f := ownOneFact(t, "中文+职业技能", 900, "person")
	ownCheckFact(t, f, "NEARLY", "nearly 900", "近900")
	sameSet(t, "built by", ownOthers(t, "中文+职业技能", []string{"BUILT", "RUNS"}, "IN", nil), []string{"中泰职教联盟"})
	// 900 is not the Tanzania workshop's or the spray training's number.
	for _, other := range []string{"坦桑尼亚鲁班工坊", "喷涂技师系列培训认证"} {
		if len(ownFactsWith(t, other, 900, "person")) > 0 {
			t.Errorf("%s must not carry the 近900 trainees", other)
		}
	}
}

// Q17 喷涂技师培训认证共培训多少人？ / How many did the spray-painting technician
// training train? — about 400 (400人左右, ABOUT 400).
func TestOwnQ17SprayTrainingAbout400(t *testing.T) {
	f := ownOneFact(t, "喷涂技师系列培训认证", 400, "person")
	ownCheckFact(t, f, "ABOUT", "about 400", "400左右")
}

// Q18 重庆工业职业技术学院毕业生就业率？ / CQIPC's graduate employment rate? —
// above 96% (96%以上, MORE_THAN 96 percent); stated of CQIPC, not CQVIE.
func TestOwnQ18CQIPCEmploymentRateAbove96(t *testing.T) {
	f := ownOneFact(t, "CQIPC", 96, "percent")
	// The Chinese rendering is only checked to start with the number: the
	// article writes 96%以上.
	ownCheckFact(t, f, "MORE_THAN", "more than 96%", "")
	if zh, _ := f["zh"].(string); !strings.HasPrefix(zh, "96%") {
		t.Errorf("text = %q, want it to start with 96%%", zh)
	}
	if len(ownFactsWith(t, "CQVIE", 96, "percent")) > 0 {
		t.Error("CQVIE must not carry CQIPC's employment rate")
	}
}

// Q19 重庆工程职院国际化合作办学惠及多少国家、院校、师生？ / How many countries,
// institutions and teachers/students has CQVIE's international cooperative
// education benefited? — 17 countries, 66 Chinese and foreign institutions (exact),
// more than 20,000 teachers and students (2万余名).
func TestOwnQ19CQVIE17Countries66Institutions20000People(t *testing.T) {
	ownCheckFact(t, ownOneFact(t, "CQVIE", 17, "country"), "EXACT", "17", "17")
	ownCheckFact(t, ownOneFact(t, "CQVIE", 66, "institution"), "EXACT", "66", "66")
	ownCheckFact(t, ownOneFact(t, "CQVIE", 20000, "person"), "MORE_THAN", "more than 20000", "")
}

// Q20 重庆工程职院入选了多少个试点院校项目、建成多少国际平台？点名的试点项目有哪些？ /
// How many pilot programmes and international platforms does CQVIE count, and
// which pilots are named? — 12 pilots and 12 platforms (exact); the named pilots are
// 人文交流经世项目, 中国—东盟高职院校特色合作项目, 中德工业4.0产教融合项目, 未来非洲计划.
func TestOwnQ20CQVIETwelvePilotsTwelvePlatforms(t *testing.T) {
	fs := ownFactsWith(t, "CQVIE", 12, "item")
	if len(fs) != 2 {
		t.Fatalf("CQVIE 12-item facts = %v, want two (12 pilot selections, 12 international platforms)", fs)
	}
	var labels []string
	for _, f := range fs {
		ownCheckFact(t, f, "EXACT", "12", "12")
		labels = append(labels, f["label"].(string))
	}
	joined := strings.Join(labels, "|")
	if !strings.Contains(joined, "试点") || !strings.Contains(joined, "平台") {
		t.Errorf("12-item labels = %q, want one about 试点 and one about 平台", labels)
	}
	hasAll(t, "pilots", ownOthers(t, "CQVIE", []string{"SELECTED_FOR"}, "OUT", []string{"PROGRAM"}),
		[]string{"人文交流经世项目", "中国—东盟高职院校特色合作项目", "中德工业4.0产教融合项目", "未来非洲计划"})
}

// Q21 坦桑尼亚鲁班工坊何时建立？2022年发生了什么？ / When was the Tanzania Luban
// Workshop established, and what happened in 2022? — established 2019 (year
// precision); in 2022 CQVIE took part in its upgrade (参与升级改造).
func TestOwnQ21WorkshopEstablished2019Upgraded2022(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "坦桑尼亚鲁班工坊") { ... on Program { start { value precision start end } category } } }`, nil)
	sameSet(t, "start", pluck(d, "e.start.value"), []string{"2019"})
	sameSet(t, "precision", pluck(d, "e.start.precision"), []string{"YEAR"})
	sameSet(t, "start..end", append(pluck(d, "e.start.start"), pluck(d, "e.start.end")...), []string{"2019-01-01", "2019-12-31"})
	d = ask(t, `{ e: entityByName(name: "坦桑尼亚鲁班工坊") { relations(types: [BUILT], direction: IN) {
  edges { node { other { nameZh } at { value } detail label(lang: EN) } } } } }`, nil)
	edges, _ := d["e"].(map[string]any)["relations"].(map[string]any)["edges"].([]any)
	byYear := map[string]string{}
	for _, e := range edges {
		n := e.(map[string]any)["node"].(map[string]any)
		if other := n["other"].(map[string]any)["nameZh"]; other != "重庆工程职业技术学院" {
			t.Errorf("workshop built by %v, want only 重庆工程职业技术学院", other)
		}
		if at, ok := n["at"].(map[string]any); ok {
			byYear[at["value"].(string)], _ = n["detail"].(string)
		}
	}
	if !strings.Contains(byYear["2019"], "建立") {
		t.Errorf("2019 relation detail = %q, want 建立 (established); all: %v", byYear["2019"], byYear)
	}
	if !strings.Contains(byYear["2022"], "升级改造") {
		t.Errorf("2022 relation detail = %q, want 参与升级改造; all: %v", byYear["2022"], byYear)
	}
	sameSet(t, "label", pluck(d, "e.relations.edges.*.node.label"), []string{"was built by"})
}

// Q22 喷涂技师培训认证第一期何时在哪里开班？ / When and where did the first session
// of the spray-painting training open? — March 2024 (今年3月, month precision),
// at 重庆工业职业技术学院车辆工程学院.
func TestOwnQ22SprayTrainingStartedMarch2024(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "喷涂技师培训认证") { nameZh ... on Program { start { value precision start end } } } }`, nil)
	sameSet(t, "nameZh", pluck(d, "e.nameZh"), []string{"喷涂技师系列培训认证"})
	sameSet(t, "start", pluck(d, "e.start.value"), []string{"2024-03"})
	sameSet(t, "precision", pluck(d, "e.start.precision"), []string{"MONTH"})
	sameSet(t, "start..end", append(pluck(d, "e.start.start"), pluck(d, "e.start.end")...), []string{"2024-03-01", "2024-03-31"})
	d = related(t, "喷涂技师系列培训认证", []string{"LOCATED_IN"}, "OUT", nil)
	sameSet(t, "opened at", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"车辆工程学院"})
	sameSet(t, "opened", pluck(d, "e.relations.edges.*.node.at.value"), []string{"2024-03"})
	// The sub-college resolves by its full form too, and belongs to CQIPC.
	sameSet(t, "sub-college of", ownOthers(t, "重庆工业职业技术学院车辆工程学院", []string{"PART_OF"}, "OUT", nil), []string{"重庆工业职业技术学院"})
}

// Q23 重庆工业职业技术学院在成渝联盟中担任什么？ / What does CQIPC head? — the
// 成渝地区双城经济圈职业教育协同发展联盟 (first rotating chair, 第一届轮值理事长单位) and
// the 联盟职业教育发展研究院 (主任单位); the institute is part of that alliance.
func TestOwnQ23CQIPCChairsAllianceAndInstitute(t *testing.T) {
	d := related(t, "CQIPC", []string{"CHAIRS"}, "OUT", nil)
	sameSet(t, "chairs", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"成渝地区双城经济圈职业教育协同发展联盟", "联盟职业教育发展研究院"})
	hasAll(t, "detail", pluck(d, "e.relations.edges.*.node.detail"), []string{"第一届轮值理事长单位"})
	sameSet(t, "institute part of", ownOthers(t, "联盟职业教育发展研究院", []string{"PART_OF"}, "OUT", nil), []string{"成渝地区双城经济圈职业教育协同发展联盟"})
	// Two hops: the 2024 annual meeting belongs to an alliance chaired by CQIPC.
	d = ask(t, `{ e: entityByName(name: "成渝地区双城经济圈职业教育协同发展联盟年会暨智能制造技术论坛") {
  relations(types: [PART_OF], direction: OUT) { edges { node { other { nameZh
    relations(types: [CHAIRS], direction: IN, kinds: [SCHOOL]) { edges { node { other { nameZh } } } } } } } } } }`, nil)
	sameSet(t, "meeting's alliance", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"成渝地区双城经济圈职业教育协同发展联盟"})
	sameSet(t, "its chair", pluck(d, "e.relations.edges.*.node.other.relations.edges.*.node.other.nameZh"), []string{"重庆工业职业技术学院"})
}

// Q24 智能制造国际学院由谁共建？ / Who built the International College of Intelligent
// Manufacturing? — 重庆工程职业技术学院 and 莫斯科国立工艺大学(斯坦金); not CQIPC.
func TestOwnQ24InternationalCollegeBuilders(t *testing.T) {
	got := ownOthers(t, "智能制造国际学院", []string{"BUILT", "RUNS", "CO_FOUNDED"}, "IN", nil)
	sameSet(t, "built by", got, []string{"重庆工程职业技术学院", "莫斯科国立工艺大学(斯坦金)"})
}

// Q25 中德工业4.0产教融合项目由学校与谁共同开展？ / With whom does CQVIE carry out the
// China–Germany Industry 4.0 project? — 德国莱茵 (TÜV Rheinland); and with whom does
// it build the regional talent incubator? — 重庆高新区管委会 and 德国莱茵TÜV.
func TestOwnQ25SinoGermanIndustry4(t *testing.T) {
	got := ownOthers(t, "中德工业4.0产教融合项目", []string{"RUNS"}, "IN", []string{"SCHOOL", "ENTERPRISE"})
	sameSet(t, "carried out by", got, []string{"重庆工程职业技术学院", "德国莱茵TÜV"})
	hasAll(t, "CQVIE partners", ownOthers(t, "CQVIE", []string{"PARTNERS_WITH"}, "BOTH", nil), []string{"重庆高新区管委会", "德国莱茵TÜV"})
}

// Q26 重庆工程职院获得了哪些荣誉？ / Which honours did CQVIE receive? —
// 国际影响力50强, 世界职业院校与技术大学联盟银牌奖, 国家教学成果二等奖, 重庆市外事工作先进集体.
func TestOwnQ26CQVIEHonours(t *testing.T) {
	sameSet(t, "received", ownOthers(t, "重庆工程职院", []string{"RECEIVED"}, "OUT", []string{"AWARD"}),
		[]string{"国际影响力50强", "世界职业院校与技术大学联盟银牌奖", "国家教学成果二等奖", "重庆市外事工作先进集体"})
}

// Q27 重庆工业职业技术学院获得了哪些学校层面的荣誉/称号？2022年获评什么？ / Which
// school-level honours did CQIPC get, and which one in 2022? — 全国职业院校育人成效50强,
// 全国职业院校服务贡献50强 (2次), 高职院校服务贡献典型学校 (2次), and in 2022
// 重庆市职业教育服务贡献典型学校.
func TestOwnQ27CQIPCHonours(t *testing.T) {
	d := related(t, "重庆工业职业技术学院", []string{"RECEIVED", "SELECTED_FOR"}, "OUT", []string{"AWARD"})
	got := pluck(d, "e.relations.edges.*.node.other.nameZh")
	hasAll(t, "honours", got, []string{"全国职业院校育人成效50强", "全国职业院校服务贡献50强", "高职院校服务贡献典型学校", "重庆市职业教育服务贡献典型学校"})
	hasNone(t, "honours", got, []string{"国际影响力50强", "世界职业院校与技术大学联盟银牌奖", "国家教学成果二等奖", "重庆市外事工作先进集体"})
	d = ask(t, `{ e: entityByName(name: "重庆市职业教育服务贡献典型学校") { relations(direction: IN) { edges { node { other { nameZh } at { value precision } } } } } }`, nil)
	sameSet(t, "2022 title holder", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆工业职业技术学院"})
	sameSet(t, "2022", pluck(d, "e.relations.edges.*.node.at.value"), []string{"2022"})
	// “2次” each, on CQIPC.
	if n := len(ownFactsWith(t, "CQIPC", 2, "time")); n != 2 {
		t.Errorf("CQIPC has %d facts of 2 times, want 2 (服务贡献50强 2次, 服务贡献典型学校 2次)", n)
	}
}

// Q28 中泰职教联盟的合作成果数字？ / The China–Thailand alliance's numbers? — 102
// resources developed, 2 national quality courses, 1 national virtual simulation
// base, 32 Thai students enrolled (all exact), and 6 years since its founding.
func TestOwnQ28ChinaThailandAllianceNumbers(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit string
	}{{102, "item"}, {2, "course"}, {1, "item"}, {32, "person"}, {6, "year"}} {
		f := ownOneFact(t, "中泰职教联盟", c.v, c.unit)
		ownCheckFact(t, f, "EXACT", strings.TrimSuffix(fmt.Sprint(c.v), ".0"), "")
	}
}

// Q29 重庆工程职院获批多少“汉语桥”项目、多少国际中文教育协作机制项目？丝路项目连续几年？ /
// How many Chinese Bridge and collaboration-mechanism projects did CQVIE get, and
// for how many years in a row the Chongqing Silk Road Project? — 5, 1, 6 years.
func TestOwnQ29CQVIELanguageAndSilkRoadProjects(t *testing.T) {
	fs := ownFacts(t, "CQVIE")
	find := func(sub string) map[string]any {
		for _, f := range fs {
			if strings.Contains(f["label"].(string), sub) {
				return f
			}
		}
		t.Errorf("CQVIE has no fact labelled …%s…: %v", sub, fs)
		return map[string]any{}
	}
	if f := find("汉语桥"); f["value"] != nil && f["value"] != 5.0 {
		t.Errorf("汉语桥 projects = %v, want 5", f["value"])
	}
	if f := find("协作机制"); f["value"] != nil && f["value"] != 1.0 {
		t.Errorf("collaboration mechanism projects = %v, want 1", f["value"])
	}
	if f := find("丝路"); f["value"] != nil && (f["value"] != 6.0 || f["unit"] != "year") {
		t.Errorf("silk road = %v %v, want 6 year", f["value"], f["unit"])
	}
	hasAll(t, "selected for", ownOthers(t, "CQVIE", []string{"SELECTED_FOR"}, "OUT", nil), []string{"汉语桥", "国际中文教育协作机制项目", "重庆市丝路项目"})
}

// Q30 坦桑尼亚鲁班工坊有没有被坦桑尼亚的机构认定？ / Was the workshop recognised by
// any Tanzanian body? — not stated: its recognisers (中国教育国际交流协会, 教育部) are
// Chinese; no recogniser is located in Tanzania.
func TestOwnQ30NoTanzanianRecogniser(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "坦桑尼亚鲁班工坊") { relations(types: [RECOGNIZED_BY], direction: OUT) { totalCount edges { node { other { nameZh
  relations(types: [LOCATED_IN], direction: OUT) { edges { node { other { nameZh } } } } } } } } } }`, nil)
	got := pluck(d, "e.relations.edges.*.node.other.nameZh")
	if len(got) == 0 {
		t.Fatal("the workshop has no recogniser at all; CEAIE is stated")
	}
	for _, g := range got {
		if g != "中国教育国际交流协会" && g != "教育部" {
			t.Errorf("unexpected recogniser %q", g)
		}
	}
	sameSet(t, "recognisers located in", pluck(d, "e.relations.edges.*.node.other.relations.edges.*.node.other.nameZh"), nil)
	hasNone(t, "recognisers", got, []string{"坦桑尼亚阿尔迪大学", "坦桑尼亚联合建设国际有限公司"})
}

// Q31 重庆工业职业技术学院是不是成渝联盟的发起成立者？ / Did CQIPC found the 成渝
// alliance? — not stated: it was set up by 重庆市教委 and 四川省教育厅; CQIPC was
// elected its chair.
func TestOwnQ31CQIPCNotFounderOfChengduChongqingAlliance(t *testing.T) {
	hasNone(t, "CQIPC co-founded", ownOthers(t, "CQIPC", []string{"CO_FOUNDED"}, "OUT", nil), []string{"成渝地区双城经济圈职业教育协同发展联盟"})
	d := ask(t, `{ e: entityByName(name: "职教协同发展联盟") { nameZh ... on Alliance { founders { nameZh kind } } } }`, nil)
	sameSet(t, "alliance", pluck(d, "e.nameZh"), []string{"成渝地区双城经济圈职业教育协同发展联盟"})
	sameSet(t, "founder kinds", pluck(d, "e.founders.*.kind"), []string{"ORGANIZATION"})
	hasNone(t, "founders", pluck(d, "e.founders.*.nameZh"), []string{"重庆工业职业技术学院", "四川工程职业技术学院", "重庆工程职业技术学院"})
}

// Q32 重庆工业职业技术学院是否参与建设了坦桑尼亚鲁班工坊？ / Did CQIPC build the
// Tanzania Luban Workshop? — no: nothing links CQIPC to the workshop in any direction.
func TestOwnQ32CQIPCDidNotBuildTanzaniaWorkshop(t *testing.T) {
	hasNone(t, "CQIPC relations", ownOthers(t, "重庆工业职业技术学院", nil, "BOTH", nil), []string{"坦桑尼亚鲁班工坊", "坦桑尼亚联合建设国际有限公司", "坦桑尼亚阿尔迪大学"})
	hasNone(t, "workshop relations", ownOthers(t, "坦桑尼亚鲁班工坊", nil, "BOTH", nil), []string{"重庆工业职业技术学院"})
	d := ask(t, `{ e: entityByName(name: "CQIPC") { ... on School { programs { nameZh } } } }`, nil)
	hasNone(t, "CQIPC programs", pluck(d, "e.programs.*.nameZh"), []string{"坦桑尼亚鲁班工坊", "智能制造国际学院", "中泰职教合作项目"})
}

// Q33 “北京大学”“重庆工程”“联盟”“学校”是图中的实体吗？ / Are 北京大学 (not in the
// article), the truncated "重庆工程" and the bare words "联盟"/"学校" (which change
// meaning between the reports) names of an entity? — no: null, and no error.
func TestOwnQ33UnknownAndAmbiguousNamesAreNull(t *testing.T) {
	for _, name := range []string{"北京大学", "Peking University", "重庆工程", "联盟", "学校"} {
		r := post(t, `query($name: String!) { e: entityByName(name: $name) { id nameZh } }`, map[string]any{"name": name})
		if len(r.Errors) > 0 || r.Status != 200 {
			t.Errorf("%q: status %d errors %+v, want 200 and no error", name, r.Status, r.Errors)
			continue
		}
		if r.Data == nil {
			t.Errorf("%q: no data", name)
			continue
		}
		if v, ok := r.Data["e"]; !ok || v != nil {
			t.Errorf("%q: e = %v, want null", name, v)
		}
	}
}

// Q34 重庆工业职业技术学院属于哪些联盟、与哪些伙伴合作？ / Which alliances is CQIPC in,
// and who are its partners? — alliance: 成渝地区双城经济圈职业教育协同发展联盟 (not the
// 中泰职教联盟); partners include 渝北区, 广安市, 四川交通职业技术学院 and none of
// CQVIE's foreign partners.
func TestOwnQ34CQIPCAlliancesAndPartners(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "CQIPC") { ... on School { alliances { nameZh } partners { nameZh } } } }`, nil)
	hasAll(t, "alliances", pluck(d, "e.alliances.*.nameZh"), []string{"成渝地区双城经济圈职业教育协同发展联盟"})
	hasNone(t, "alliances", pluck(d, "e.alliances.*.nameZh"), []string{"中泰职教联盟", "CEC产教融合共同体"})
	hasAll(t, "partners", pluck(d, "e.partners.*.nameZh"), []string{"渝北区", "广安市", "四川交通职业技术学院"})
	hasNone(t, "partners", pluck(d, "e.partners.*.nameZh"), []string{"莫斯科国立工艺大学(斯坦金)", "德国莱茵TÜV", "坦桑尼亚联合建设国际有限公司", "重庆高新区管委会"})
	d = ask(t, `{ e: entityByName(name: "CQVIE") { ... on School { alliances { nameZh } } } }`, nil)
	hasNone(t, "CQVIE alliances", pluck(d, "e.alliances.*.nameZh"), []string{"成渝地区双城经济圈职业教育协同发展联盟"})
}

// Q35 四川工程职业技术学院与重庆工程职业技术学院是否同一所？各在哪里？ / Are 四川工程
// and 重庆工程 the same school? — no: SCETC is in 四川 (Sichuan), CQVIE in 重庆.
func TestOwnQ35SichuanEngineeringIsNotCQVIE(t *testing.T) {
	a, b := ownName(t, "SCETC"), ownName(t, "CQVIE")
	if a == nil || b == nil || a["id"] == b["id"] {
		t.Fatalf("SCETC = %v, CQVIE = %v; want two different schools", a, b)
	}
	sameSet(t, "SCETC nameZh", pluck(a, "nameZh"), []string{"四川工程职业技术学院"})
	sameSet(t, "SCETC in", ownOthers(t, "SCETC", []string{"LOCATED_IN"}, "OUT", nil), []string{"四川"})
	sameSet(t, "CQVIE in", ownOthers(t, "CQVIE", []string{"LOCATED_IN"}, "OUT", nil), []string{"重庆"})
}

// Q36 文档的日期与“今年”？ / What is the article's date? — 2024 (year precision);
// “今年初”, “今年3月” and “6年来” (since 2018) read against it.
func TestOwnQ36DocumentDate(t *testing.T) {
	d := ask(t, `query($id: ID!) { doc: document(id: $id) { id language date { value precision } } }`, map[string]any{"id": ownDocID})
	sameSet(t, "date", pluck(d, "doc.date.value"), []string{"2024"})
	sameSet(t, "precision", pluck(d, "doc.date.precision"), []string{"YEAR"})
	sameSet(t, "language", pluck(d, "doc.language"), []string{"zh"})
}

// Q37 Evidence: every relation and fact of the two schools (and the relations
// asked about above) quotes a verbatim span of the article; a few quotes name
// both ends. / 证据：引文是否出自原文？ — yes, each quote occurs in document.text.
func TestOwnQ37EvidenceQuotesOccurInDocument(t *testing.T) {
	d := ask(t, `query($id: ID!) { doc: document(id: $id) { text } }`, map[string]any{"id": ownDocID})
	text, _ := d["doc"].(map[string]any)["text"].(string)
	if len(text) < 10000 {
		t.Fatalf("document text is %d bytes; the article is longer", len(text))
	}
	// A few relations, their document fetched through the evidence itself.
	for _, c := range []struct {
		name, typ, dir, other string
		mustName              []string
	}{
		{"坦桑尼亚鲁班工坊", "RECOGNIZED_BY", "OUT", "中国教育国际交流协会", []string{"坦桑尼亚鲁班工坊", "中国教育国际交流协会"}},
		{"重庆工业职业技术学院", "CHAIRS", "OUT", "成渝地区双城经济圈职业教育协同发展联盟", []string{"重庆工业职业技术学院", "理事长"}},
		{"中泰职教联盟", "CO_FOUNDED", "IN", "泰国孔敬大学孔子学院", []string{"孔敬大学孔子学院", "中泰职教联盟"}},
		{"重庆工程职业技术学院", "SIGNED_AGREEMENT_WITH", "OUT", "莫斯科国立工艺大学(斯坦金)", []string{"莫斯科国立工艺大学(斯坦金)", "协议"}},
		{"喷涂技师系列培训认证", "RUNS", "IN", "车辆工程学院", []string{"车辆工程学院", "喷涂技师"}},
	} {
		d := ask(t, `query($name: String!, $types: [RelationType!], $dir: Direction) { e: entityByName(name: $name) {
  relations(types: $types, direction: $dir) { edges { node { other { nameZh } evidence { quote document { id text } } } } } } }`,
			map[string]any{"name": c.name, "types": []string{c.typ}, "dir": c.dir})
		found := false
		for _, e := range d["e"].(map[string]any)["relations"].(map[string]any)["edges"].([]any) {
			n := e.(map[string]any)["node"].(map[string]any)
			if n["other"].(map[string]any)["nameZh"] != c.other {
				continue
			}
			found = true
			ev := n["evidence"].(map[string]any)
			q, _ := ev["quote"].(string)
			doc := ev["document"].(map[string]any)
			if doc["id"] != ownDocID {
				t.Errorf("%s %s %s: document %v, want %s", c.name, c.typ, c.other, doc["id"], ownDocID)
			}
			if q == "" || !strings.Contains(doc["text"].(string), q) {
				t.Errorf("%s %s %s: quote %q is not in the document text", c.name, c.typ, c.other, q)
			}
			for _, w := range c.mustName {
				if !strings.Contains(q, w) {
					t.Errorf("%s %s %s: quote %q does not name %q", c.name, c.typ, c.other, q, w)
				}
			}
		}
		if !found {
			t.Errorf("%s has no %s relation with %s", c.name, c.typ, c.other)
		}
	}
	// Every relation and fact of both schools.
	for _, school := range []string{"CQVIE", "CQIPC"} {
		d := ask(t, `query($name: String!) { e: entityByName(name: $name) {
  relations(first: 100) { totalCount edges { node { id evidence { quote document { id } } } } }
  facts { id evidence { quote document { id } } } } }`, map[string]any{"name": school})
		e := d["e"].(map[string]any)
		rels := e["relations"].(map[string]any)
		if n := rels["totalCount"].(float64); n > 100 || n < 10 {
			t.Errorf("%s has %v relations; want 10..100 for this check", school, n)
		}
		quotes := append(pluck(e, "relations.edges.*.node.evidence.quote"), pluck(e, "facts.*.evidence.quote")...)
		for _, q := range quotes {
			if !strings.Contains(text, q) {
				t.Errorf("%s: quote %q is not in the article", school, q)
			}
		}
		hasNone(t, school+" evidence documents", append(pluck(e, "relations.edges.*.node.evidence.document.id"), pluck(e, "facts.*.evidence.document.id")...), []string{""})
		sameSet(t, school+" evidence documents", append(pluck(e, "relations.edges.*.node.evidence.document.id"), pluck(e, "facts.*.evidence.document.id")...), []string{ownDocID})
	}
}

// ownHoldings is what a school is linked to: "TYPE>name" for its outgoing
// relations, "TYPE<name" for incoming ones, "fact:value unit QUALIFIER" for its
// facts; bare holds the other ends' names and "fact:value unit" alone, to
// assert that the wrong school has no link of any type.
type ownHoldings struct{ typed, bare []string }

func ownHold(t *testing.T, school string) ownHoldings {
	t.Helper()
	d := ask(t, `query($name: String!) { e: entityByName(name: $name) {
  relations(first: 100) { totalCount edges { node { type direction other { nameZh } } } }
  facts { value unit qualifier } } }`, map[string]any{"name": school})
	e, _ := d["e"].(map[string]any)
	if e == nil {
		t.Fatalf("no entity %q", school)
	}
	if n := e["relations"].(map[string]any)["totalCount"].(float64); n > 100 {
		t.Fatalf("%s has %v relations, more than one page", school, n)
	}
	var h ownHoldings
	for _, x := range e["relations"].(map[string]any)["edges"].([]any) {
		n := x.(map[string]any)["node"].(map[string]any)
		other := n["other"].(map[string]any)["nameZh"].(string)
		arrow := ">"
		if n["direction"] == "IN" {
			arrow = "<"
		}
		h.typed = append(h.typed, n["type"].(string)+arrow+other)
		h.bare = append(h.bare, other)
	}
	for _, x := range e["facts"].([]any) {
		f := x.(map[string]any)
		vu := fmt.Sprintf("fact:%v %v", f["value"], f["unit"])
		h.typed = append(h.typed, vu+" "+f["qualifier"].(string))
		h.bare = append(h.bare, vu)
	}
	return h
}

// TestAttributionOwn pins every fact that is easy to give to the wrong school:
// the right school has it, the other one has no link to it of any kind.
//
// CQVIE (重庆工程职业技术学院) — the two paragraphs above the CQIPC heading and
// the second report: the Tanzania Luban Workshop, 国际影响力50强, the CEC
// community, 12 pilots / 12 platforms, 17 countries / 66 institutions / 2万余名,
// 智能制造国际学院, 中泰职教联盟, STANKIN, the keynotes, WFCP silver award.
// CQIPC (重庆工业职业技术学院) — the first report: chair of the 成渝 alliance and its
// institute, the 渝北区/广安市 agreements, 长安汽车产业学院, 11 industry colleges,
// 车辆工程学院, 育人成效50强, 服务贡献50强, the resource library with 四川交通职业技术学院,
// 20余所 Sichuan schools, 96%以上, the 2024 annual meeting.
func TestAttributionOwn(t *testing.T) {
	const cqvie, cqipc = "重庆工程职业技术学院", "重庆工业职业技术学院"
	hold := map[string]ownHoldings{cqvie: ownHold(t, cqvie), cqipc: ownHold(t, cqipc)}
	other := map[string]string{cqvie: cqipc, cqipc: cqvie}
	for _, c := range []struct {
		what, right string
		typed, bare []string
	}{
		{"Tanzania Luban Workshop", cqvie, []string{"BUILT>坦桑尼亚鲁班工坊"}, []string{"坦桑尼亚鲁班工坊"}},
		{"2017 agreement with the Tanzanian enterprise", cqvie, []string{"SIGNED_AGREEMENT_WITH>坦桑尼亚联合建设国际有限公司"}, []string{"坦桑尼亚联合建设国际有限公司"}},
		{"国际影响力50强", cqvie, []string{"RECEIVED>国际影响力50强"}, []string{"国际影响力50强"}},
		{"CEC产教融合共同体", cqvie, []string{"CO_FOUNDED>CEC产教融合共同体"}, []string{"CEC产教融合共同体"}},
		{"12 pilots and 12 international platforms", cqvie, []string{"fact:12 item EXACT"}, []string{"fact:12 item"}},
		{"17 countries and 66 institutions", cqvie, []string{"fact:17 country EXACT", "fact:66 institution EXACT"}, []string{"fact:17 country", "fact:66 institution"}},
		{"2万余名 teachers and students", cqvie, []string{"fact:20000 person MORE_THAN"}, []string{"fact:20000 person"}},
		{"智能制造国际学院", cqvie, []string{"BUILT>智能制造国际学院"}, []string{"智能制造国际学院"}},
		{"中泰职教联盟", cqvie, []string{"CO_FOUNDED>中泰职教联盟"}, []string{"中泰职教联盟", "泰国孔敬大学孔子学院"}},
		{"中泰项目", cqvie, []string{"RUNS>中泰职教合作项目"}, []string{"中泰职教合作项目"}},
		{"STANKIN", cqvie, []string{"SIGNED_AGREEMENT_WITH>莫斯科国立工艺大学(斯坦金)"}, []string{"莫斯科国立工艺大学(斯坦金)"}},
		{"keynotes", cqvie, []string{"SPOKE_AT>首届世界职教大会", "SPOKE_AT>中非职业教育合作大会"}, []string{"首届世界职教大会", "中非职业教育合作大会"}},
		{"WFCP silver award", cqvie, []string{"RECEIVED>世界职业院校与技术大学联盟银牌奖"}, []string{"世界职业院校与技术大学联盟银牌奖"}},
		{"德国莱茵 / 中德工业4.0", cqvie, []string{"RUNS>中德工业4.0产教融合项目", "PARTNERS_WITH>德国莱茵TÜV"}, []string{"中德工业4.0产教融合项目", "德国莱茵TÜV"}},
		{"成渝 alliance chair", cqipc, []string{"CHAIRS>成渝地区双城经济圈职业教育协同发展联盟", "CHAIRS>联盟职业教育发展研究院"}, []string{"成渝地区双城经济圈职业教育协同发展联盟", "联盟职业教育发展研究院"}},
		{"2024 annual meeting", cqipc, []string{"HOSTED>2024年成渝地区双城经济圈职业教育协同发展联盟年会暨智能制造技术论坛"}, []string{"2024年成渝地区双城经济圈职业教育协同发展联盟年会暨智能制造技术论坛"}},
		{"渝北区 and 广安市 agreements", cqipc, []string{"SIGNED_AGREEMENT_WITH>渝北区", "SIGNED_AGREEMENT_WITH>广安市"}, []string{"渝北区", "广安市"}},
		{"长安汽车产业学院", cqipc, []string{"BUILT>长安汽车产业学院"}, []string{"长安汽车产业学院"}},
		{"11 industry colleges", cqipc, []string{"fact:11 item EXACT"}, []string{"fact:11 item"}},
		{"车辆工程学院", cqipc, []string{"PART_OF<车辆工程学院"}, []string{"车辆工程学院"}},
		{"全国职业院校育人成效50强", cqipc, []string{"RECEIVED>全国职业院校育人成效50强"}, []string{"全国职业院校育人成效50强"}},
		{"全国职业院校服务贡献50强", cqipc, []string{"SELECTED_FOR>全国职业院校服务贡献50强"}, []string{"全国职业院校服务贡献50强"}},
		{"resource library with 四川交通职业技术学院", cqipc, []string{"PARTNERS_WITH>四川交通职业技术学院", "BUILT>国家级教学资源库"}, []string{"四川交通职业技术学院", "国家级教学资源库"}},
		{"20余所 Sichuan schools", cqipc, []string{"fact:20 school MORE_THAN"}, []string{"fact:20 school"}},
		{"96%以上 employment", cqipc, []string{"fact:96 percent MORE_THAN"}, []string{"fact:96 percent"}},
		{"双高计划", cqipc, []string{"SELECTED_FOR>双高计划"}, []string{"双高计划"}},
	} {
		t.Run(c.what, func(t *testing.T) {
			hasAll(t, c.right+" has", hold[c.right].typed, c.typed)
			hasNone(t, other[c.right]+" must not have", hold[other[c.right]].bare, c.bare)
		})
	}
}
