package graph_test

import "testing"

// Public questions of shared/eval/questions-public.md answered the
// analyst's way (issue 12): one request each, entities named by name, the
// relations list instead of an entity's relations from both ends, roll-up
// of sub-units, explanations by name. Answers compared as sets.

// listed asks the relations list with filter (a RelationFilter literal)
// and returns the data: r.edges.*.node with from, to (Chinese names), at,
// since, until and the quote.
func listed(t *testing.T, filter string) map[string]any {
	t.Helper()
	return ask(t, `{ r: relations(filter: `+filter+`, first: 100) { totalCount edges { node {
  type from { nameZh } to { nameZh } at { value } since { value } until { value } evidence { quote } } } } }`, nil)
}

func TestP02FoundersListed(t *testing.T) {
	d := listed(t, `{types: [CO_FOUNDED], to: {names: ["成渝地区双城经济圈职业教育协同发展联盟"]}}`)
	sameSet(t, "founders", pluck(d, "r.edges.*.node.from.nameZh"), []string{"重庆市教委", "四川省教育厅"})
}

func TestP03HostsListed(t *testing.T) {
	d := listed(t, `{types: [HOSTED], to: {names: ["2024年成渝地区双城经济圈职业教育协同发展联盟年会暨智能制造技术论坛"]}}`)
	sameSet(t, "hosts", pluck(d, "r.edges.*.node.from.nameZh"), []string{"重庆工业职业技术学院", "四川工程职业技术学院"})
	sameSet(t, "since", pluck(d, "r.edges.*.node.since.value"), []string{"2024-05-12"})
	sameSet(t, "until", pluck(d, "r.edges.*.node.until.value"), []string{"2024-05-14"})
	// The same hosts among everything dated May 2024.
	d = listed(t, `{timeFrom: "2024-05", timeTo: "2024-05", types: [HOSTED]}`)
	sameSet(t, "hosted in May 2024", pluck(d, "r.edges.*.node.from.nameZh"), []string{"重庆工业职业技术学院", "四川工程职业技术学院"})
}

func TestP04WorkshopBuildersListed(t *testing.T) {
	d := listed(t, `{types: [BUILT, RUNS, CO_FOUNDED], to: {names: ["坦桑尼亚鲁班工坊"]}, from: {kinds: [SCHOOL]}}`)
	sameSet(t, "builders", pluck(d, "r.edges.*.node.from.nameZh"), []string{"重庆工程职业技术学院"})
}

// Two hops, one request: the path from the workshop to its country along
// LOCATED_IN, named, each hop with its quote.
func TestP06WorkshopCampusAndCountryByPath(t *testing.T) {
	d := ask(t, `{ p: shortestPath(fromName: "坦桑尼亚鲁班工坊", toName: "Tanzania", types: [LOCATED_IN], directed: true) {
  length nodes { name } edges { evidence { quote } } } }`, nil)
	sameSet(t, "path", pluck(d, "p.nodes.*.name"), []string{"坦桑尼亚鲁班工坊", "坦桑尼亚阿尔迪大学", "坦桑尼亚"})
	if got := pluck(d, "p.length"); len(got) != 1 || got[0] != "2" {
		t.Errorf("length = %v, want 2", got)
	}
}

// A sub-college belongs to its school: rolled up from the college, the
// training is led by its School of Vehicle Engineering, with the three
// companies.
func TestP08SprayPaintingTrainingRolledUp(t *testing.T) {
	d := ask(t, `{ e: entityByName(name: "重庆工业职业技术学院") {
  relations(includeParts: true, types: [RUNS], direction: OUT) { edges { node { via { nameZh } other { nameZh
    relations(types: [PARTICIPATES_IN], direction: IN) { edges { node { other { nameZh } } } } } } } } } }`, nil)
	var led []string
	for _, e := range d["e"].(map[string]any)["relations"].(map[string]any)["edges"].([]any) {
		node := e.(map[string]any)["node"].(map[string]any)
		if pluck(node, "other.nameZh")[0] == "喷涂技师系列培训认证" {
			led = pluck(node, "via.nameZh")
			sameSet(t, "partners", pluck(node, "other.relations.edges.*.node.other.nameZh"), []string{"长安汽车", "吉利汽车", "雅图高新材料股份有限公司"})
		}
	}
	sameSet(t, "led by", led, []string{"车辆工程学院"})
}

func TestP12AgreementOf2017Listed(t *testing.T) {
	d := listed(t, `{types: [SIGNED_AGREEMENT_WITH], from: {names: ["CQVIE"]}, to: {kinds: [ENTERPRISE]}, timeFrom: "2017", timeTo: "2017"}`)
	sameSet(t, "enterprise", pluck(d, "r.edges.*.node.to.nameZh"), []string{"坦桑尼亚联合建设国际有限公司"})
	sameSet(t, "year", pluck(d, "r.edges.*.node.at.value"), []string{"2017"})
}

func TestP14ChanganIndustryCollegeRunnersListed(t *testing.T) {
	d := listed(t, `{types: [RUNS, BUILT], to: {names: ["长安汽车产业学院"]}}`)
	sameSet(t, "run or built by", pluck(d, "r.edges.*.node.from.nameZh"), []string{"重庆工业职业技术学院"})
}

func TestP15KeynotesListed(t *testing.T) {
	d := listed(t, `{types: [SPOKE_AT], from: {names: ["重庆工程职院"]}}`)
	sameSet(t, "keynotes", pluck(d, "r.edges.*.node.to.nameZh"), []string{"首届世界职教大会", "中非职业教育合作大会"})
}
