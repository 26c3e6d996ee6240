package graph_test

import "testing"

// The public questions of shared/eval/questions-public.md, asked through
// GraphQL against the real Neo4j loaded from data/, answers compared as sets.

const otherNames = `relations(types: $types, direction: $dir, kinds: $kinds, first: 100) {
  edges { node { other { id nameZh nameEn } at { value } since { value } until { value } detail evidence { quote } } }
}`

// related asks for the entities at the other end of name's relations.
func related(t *testing.T, name string, types []string, dir string, kinds []string) map[string]any {
	t.Helper()
	vars := map[string]any{"name": name, "types": types, "dir": dir, "kinds": kinds}
	return ask(t, `query($name: String!, $types: [RelationType!], $dir: Direction, $kinds: [Kind!]) {
  e: entityByName(name: $name) { id nameZh `+otherNames+` } }`, vars)
}

func TestP01AliasResolvesToCQVIE(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "重庆工程职院") { id kind nameZh nameEn aliases } }`, nil)
	sameSet(t, "nameZh", pluck(d, "e.nameZh"), []string{"重庆工程职业技术学院"})
	sameSet(t, "nameEn", pluck(d, "e.nameEn"), []string{"Chongqing Vocational Institute of Engineering"})
	sameSet(t, "kind", pluck(d, "e.kind"), []string{"SCHOOL"})
	hasAll(t, "aliases", pluck(d, "e.aliases.*"), []string{"CQVIE", "重庆工程职院"})
	// The English abbreviation finds the same school, in any case.
	d = ask(t, `{ e: entityByName(name: " cqvie ") { nameZh } }`, nil)
	sameSet(t, "by abbreviation", pluck(d, "e.nameZh"), []string{"重庆工程职业技术学院"})
}

func TestP02AllianceFounders(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "成渝地区双城经济圈职业教育协同发展联盟") {
  ... on Alliance { founders { nameZh nameEn } } } }`, nil)
	sameSet(t, "founders", pluck(d, "e.founders.*.nameZh"), []string{"重庆市教委", "四川省教育厅"})
	// The chair school is not a founder; it chairs.
	d = related(t, "重庆工业职业技术学院", []string{"CHAIRS"}, "OUT", []string{"ALLIANCE"})
	sameSet(t, "CQIPC chairs", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"成渝地区双城经济圈职业教育协同发展联盟"})
}

func TestP03AnnualMeetingHostsAndDates(t *testing.T) {
	d := related(t, "2024年成渝地区双城经济圈职业教育协同发展联盟年会暨智能制造技术论坛", []string{"HOSTED"}, "IN", nil)
	sameSet(t, "hosts", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆工业职业技术学院", "四川工程职业技术学院"})
	sameSet(t, "since", pluck(d, "e.relations.edges.*.node.since.value"), []string{"2024-05-12"})
	sameSet(t, "until", pluck(d, "e.relations.edges.*.node.until.value"), []string{"2024-05-14"})
	hasNone(t, "hosts", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆工程职业技术学院"})
}

func TestP04TanzaniaLubanWorkshopBuiltByCQVIE(t *testing.T) {
	d := related(t, "坦桑尼亚鲁班工坊", []string{"BUILT", "RUNS", "CO_FOUNDED"}, "IN", []string{"SCHOOL"})
	sameSet(t, "builders", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆工程职业技术学院"})
}

func TestP05WorkshopRecognisedByCEAIEEarly2024(t *testing.T) {
	d := related(t, "Luban Workshop in Tanzania", []string{"RECOGNIZED_BY"}, "OUT", nil)
	got := pluck(d, "e.relations.edges.*.node.other.nameZh")
	hasAll(t, "recognisers", got, []string{"中国教育国际交流协会"})
	for _, g := range got {
		if g != "中国教育国际交流协会" && g != "教育部" {
			t.Errorf("unexpected recogniser %q", g)
		}
	}
	sameSet(t, "time", pluck(d, "e.relations.edges.*.node.at.value"), []string{"2024~early"})
	d = ask(t, `{ e: entityByName(name: "坦桑尼亚鲁班工坊") { relations(types: [RECOGNIZED_BY]) { edges { node { at { precision part start end } } } } } }`, nil)
	sameSet(t, "precision", pluck(d, "e.relations.edges.*.node.at.precision"), []string{"YEAR"})
	sameSet(t, "part", pluck(d, "e.relations.edges.*.node.at.part"), []string{"early"})
	sameSet(t, "start", pluck(d, "e.relations.edges.*.node.at.start"), []string{"2024-01-01"})
}

func TestP06WorkshopCampusAndCountry(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "坦桑尼亚鲁班工坊") {
  relations(types: [LOCATED_IN], direction: OUT, kinds: [SCHOOL]) { edges { node { other { nameZh nameEn
    relations(types: [LOCATED_IN], direction: OUT, kinds: [COUNTRY]) { edges { node { other { nameZh nameEn ... on Country { iso2 } } } } }
  } } } } } }`, nil)
	sameSet(t, "campus", pluck(d, "e.relations.edges.*.node.other.nameEn"), []string{"Ardhi University"})
	sameSet(t, "country", pluck(d, "e.relations.edges.*.node.other.relations.edges.*.node.other.nameZh"), []string{"坦桑尼亚"})
	sameSet(t, "iso2", pluck(d, "e.relations.edges.*.node.other.relations.edges.*.node.other.iso2"), []string{"TZ"})
}

func TestP07WorkshopTrainedMoreThan700(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "坦桑尼亚鲁班工坊") { facts { value unit qualifier text(lang: EN) zh: text label evidence { quote } } } }`, nil)
	facts, _ := d["e"].(map[string]any)["facts"].([]any)
	found := false
	for _, f := range facts {
		m := f.(map[string]any)
		if m["value"] == 700.0 {
			found = true
			if m["qualifier"] != "MORE_THAN" || m["unit"] != "person" || m["text"] != "more than 700" || m["zh"] != "700余" {
				t.Errorf("700 fact = %v, want MORE_THAN person, 'more than 700', '700余'", m)
			}
		}
		if m["value"] == 400.0 || m["value"] == 900.0 {
			t.Errorf("the workshop must not carry %v (another programme's number)", m["value"])
		}
	}
	if !found {
		t.Errorf("no 700 fact on the workshop: %v", facts)
	}
}

func TestP08SprayPaintingTraining(t *testing.T) {
	d := related(t, "喷涂技师系列培训认证", []string{"RUNS"}, "IN", nil)
	sameSet(t, "led by", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"车辆工程学院"})
	d = related(t, "车辆工程学院", []string{"PART_OF"}, "OUT", nil)
	sameSet(t, "sub-college of", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆工业职业技术学院"})
	d = related(t, "喷涂技师系列培训认证", []string{"PARTICIPATES_IN"}, "IN", []string{"ENTERPRISE"})
	sameSet(t, "partners", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"长安汽车", "吉利汽车", "雅图高新材料股份有限公司"})
}

func TestP09AgreementRegions(t *testing.T) {
	d := related(t, "重庆工业职业技术学院", []string{"SIGNED_AGREEMENT_WITH"}, "OUT", []string{"REGION"})
	sameSet(t, "regions", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"渝北区", "广安市"})
	d = related(t, "重庆工业职业技术学院", []string{"LOCATED_IN"}, "OUT", nil)
	hasNone(t, "located in", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"渝北区", "广安市"})
}

func TestP10IndustryColleges(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "CQIPC") { facts { value qualifier label(lang: EN) } ... on School { programs { nameZh category } } } }`, nil)
	hasAll(t, "fact values", pluck(d, "e.facts.*.value"), []string{"11", "10"})
	hasAll(t, "programs", pluck(d, "e.programs.*.nameZh"), []string{"长安汽车产业学院"})
}

func TestP11STANKINAndInternationalCollege(t *testing.T) {
	d := related(t, "重庆工程职业技术学院", []string{"SIGNED_AGREEMENT_WITH"}, "OUT", []string{"SCHOOL"})
	sameSet(t, "foreign partner", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"莫斯科国立工艺大学(斯坦金)"})
	d = related(t, "莫斯科国立工艺大学(斯坦金)", []string{"BUILT"}, "OUT", nil)
	sameSet(t, "built together", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"智能制造国际学院"})
	d = related(t, "重庆工程职业技术学院", []string{"BUILT"}, "OUT", nil)
	hasAll(t, "CQVIE built", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"智能制造国际学院"})
}

func TestP12TanzanianEnterprise2017(t *testing.T) {
	d := related(t, "重庆工程职业技术学院", []string{"SIGNED_AGREEMENT_WITH"}, "OUT", []string{"ENTERPRISE"})
	sameSet(t, "enterprise", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"坦桑尼亚联合建设国际有限公司"})
	sameSet(t, "year", pluck(d, "e.relations.edges.*.node.at.value"), []string{"2017"})
	d = related(t, "坦桑尼亚联合建设国际有限公司", []string{"LOCATED_IN"}, "OUT", []string{"COUNTRY"})
	sameSet(t, "country", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"坦桑尼亚"})
}

func TestP13ChinaASEANSelections(t *testing.T) {
	d := related(t, "中泰项目", []string{"SELECTED_FOR"}, "OUT", nil)
	hasAll(t, "selected for", pluck(d, "e.relations.edges.*.node.other.nameZh"),
		[]string{"中国—东盟双百职业院校强强合作旗舰项目", "中国—东盟高职院校特色合作项目"})
}

func TestP14ChanganIndustryCollegeRunByCQIPC(t *testing.T) {
	d := related(t, "长安汽车产业学院", []string{"RUNS", "BUILT"}, "IN", nil)
	sameSet(t, "run by", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"重庆工业职业技术学院"})
	hasNone(t, "run by", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"长安汽车"})
}

func TestP15CQVIEKeynotes(t *testing.T) {
	d := related(t, "CQVIE", []string{"SPOKE_AT"}, "OUT", nil)
	sameSet(t, "keynotes", pluck(d, "e.relations.edges.*.node.other.nameZh"), []string{"首届世界职教大会", "中非职业教育合作大会"})
}

// The same questions answered without knowing in advance which entity
// carries the answer: by searching the evidence, or filtering facts.

func TestP07BySearchingTheNumber(t *testing.T) {
	d := ask(t, `{ searchEvidence(text: "本土化技术技能人才", filter: {hitKinds: [FACT]}, first: 1) { edges { node {
	  ... on FactHit { subject { nameZh } fact { value unit qualifier text(lang: EN) } } } } } }`, nil)
	sameSet(t, "subject", pluck(d, "searchEvidence.edges.*.node.subject.nameZh"), []string{"坦桑尼亚鲁班工坊"})
	sameSet(t, "number", pluck(d, "searchEvidence.edges.*.node.fact.text"), []string{"more than 700"})
	d = ask(t, `{ facts(filter: {labelContains: "坦桑尼亚", units: ["person"]}) { edges { node { value qualifier } } } }`, nil)
	sameSet(t, "value", pluck(d, "facts.edges.*.node.value"), []string{"700"})
	sameSet(t, "qualifier", pluck(d, "facts.edges.*.node.qualifier"), []string{"MORE_THAN"})
}

func TestP10ByFactsAndEvidence(t *testing.T) {
	d := ask(t, `{ facts(subjects: ["cqipc"], filter: {labelContains: "产业学院"}) { edges { node { value label(lang: EN) } } } }`, nil)
	sameSet(t, "industry colleges", pluck(d, "facts.edges.*.node.value"), []string{"11"})
	d = ask(t, `{ searchEvidence(text: "mixed-ownership", filter: {hitKinds: [RELATION]}) { edges { node {
	  ... on RelationHit { from { nameZh } to { nameZh } relation { type } } } } } }`, nil)
	sameSet(t, "the named one", pluck(d, "searchEvidence.edges.*.node.to.nameZh"), []string{"长安汽车产业学院"})
	sameSet(t, "built by", pluck(d, "searchEvidence.edges.*.node.from.nameZh"), []string{"重庆工业职业技术学院"})
}

func TestP15BySearchingKeynotes(t *testing.T) {
	d := ask(t, `{ searchEvidence(text: "主旨演讲", filter: {relationTypes: [SPOKE_AT]}) { edges { node {
	  ... on RelationHit { from { nameZh } to { nameZh } } } } } }`, nil)
	sameSet(t, "speaker", pluck(d, "searchEvidence.edges.*.node.from.nameZh"), []string{"重庆工程职业技术学院"})
	sameSet(t, "conferences", pluck(d, "searchEvidence.edges.*.node.to.nameZh"), []string{"首届世界职教大会", "中非职业教育合作大会"})
}
