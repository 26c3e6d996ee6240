package graph_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// The list and analysis fields through GraphQL, against the real Neo4j;
// what they must answer is computed in Go from the data files.

// listFilter is an EntityFilter as GraphQL variables take it.
type listFilter struct {
	Kinds         []string `json:"kinds,omitempty"`
	NameContains  string   `json:"nameContains,omitempty"`
	Country       string   `json:"country,omitempty"`
	RelationTypes []string `json:"relationTypes,omitempty"`
	TimeFrom      string   `json:"timeFrom,omitempty"`
	TimeTo        string   `json:"timeTo,omitempty"`
}

func (f listFilter) vars() map[string]any {
	m := map[string]any{}
	if len(f.Kinds) > 0 {
		m["kinds"] = f.Kinds
	}
	for k, v := range map[string]string{"nameContains": f.NameContains, "country": f.Country, "timeFrom": f.TimeFrom, "timeTo": f.TimeTo} {
		if v != "" {
			m[k] = v
		}
	}
	if len(f.RelationTypes) > 0 {
		m["relationTypes"] = f.RelationTypes
	}
	return m
}

// listOrder is an EntityOrder as GraphQL variables take it.
type listOrder struct{ Field, Direction, RelationType string }

func (o listOrder) vars() map[string]any {
	m := map[string]any{"field": o.Field, "direction": cmp.Or(o.Direction, "ASC")}
	if o.RelationType != "" {
		m["relationType"] = o.RelationType
	}
	return m
}

func (o listOrder) String() string {
	return strings.Trim(o.Field+"_"+cmp.Or(o.Direction, "ASC")+"_"+o.RelationType, "_")
}

// data is the seed data, indexed.
type data struct {
	g    *dataset.Graph
	byID map[string]kg.Entity
	rels map[string][]kg.Relation // by either end
}

func readData(t *testing.T) data {
	t.Helper()
	g, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	d := data{g: g, byID: map[string]kg.Entity{}, rels: map[string][]kg.Relation{}}
	for _, e := range g.Entities {
		d.byID[e.ID] = e
	}
	for _, r := range g.Relations {
		d.rels[r.From] = append(d.rels[r.From], r)
		d.rels[r.To] = append(d.rels[r.To], r)
	}
	return d
}

// days is the [first, last] day a relation's stated time covers ("" open).
func days(r kg.Relation) (string, string) {
	f := func(d *kg.PartialDate, last bool) string {
		if d == nil {
			return ""
		}
		lo, hi := d.Range()
		return map[bool]string{false: lo.Format("2006-01-02"), true: hi.Format("2006-01-02")}[last]
	}
	if r.At != nil {
		return f(r.At, false), f(r.At, true)
	}
	return f(r.Since, false), f(r.Until, true)
}

func partialDay(t *testing.T, s string, last bool) string {
	t.Helper()
	if s == "" {
		return ""
	}
	r := kg.Relation{At: new(kg.PartialDate)}
	d, err := kg.ParsePartialDate(s)
	if err != nil {
		t.Fatal(err)
	}
	*r.At = d
	lo, hi := days(r)
	if last {
		return hi
	}
	return lo
}

func (d data) matches(t *testing.T, e kg.Entity, list kg.Kind, f listFilter) bool {
	if list != "" && e.Kind != list {
		return false
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, string(model.KindToGQL(e.Kind))) {
		return false
	}
	if f.NameContains != "" && !slices.ContainsFunc(append([]string{e.NameZh, e.NameEn}, e.Aliases...), func(n string) bool {
		return n != "" && strings.Contains(textkey.Key(n), textkey.Key(f.NameContains))
	}) {
		return false
	}
	rels := d.rels[e.ID]
	if f.Country != "" && !slices.ContainsFunc(rels, func(r kg.Relation) bool {
		other := r.From
		if other == e.ID {
			other = r.To
		}
		return other == f.Country && d.byID[other].Kind == kg.Country
	}) {
		return false
	}
	if len(f.RelationTypes) > 0 && !slices.ContainsFunc(rels, func(r kg.Relation) bool { return slices.Contains(f.RelationTypes, string(r.Type)) }) {
		return false
	}
	if f.TimeFrom != "" || f.TimeTo != "" {
		lo, hi := partialDay(t, f.TimeFrom, false), partialDay(t, f.TimeTo, true)
		if !slices.ContainsFunc(rels, func(r kg.Relation) bool {
			from, to := days(r)
			return (from != "" || to != "") && (lo == "" || to == "" || to >= lo) && (hi == "" || from == "" || from <= hi)
		}) {
			return false
		}
	}
	return true
}

// expect is the list the server must give: matching entities sorted in Go
// (undated last in TIME order either way; ties by id, reversed with DESC).
func (d data) expect(t *testing.T, list kg.Kind, f listFilter, o listOrder) []string {
	type row struct {
		id, s string
		n     int
		none  bool
	}
	var rows []row
	for _, e := range d.g.Entities {
		if !d.matches(t, e, list, f) {
			continue
		}
		r := row{id: e.ID}
		switch o.Field {
		case "ID":
			r.s = e.ID
		case "NAME_EN":
			r.s = strings.ToLower(cmp.Or(e.NameEn, e.NameZh))
		case "TIME":
			for _, rel := range d.rels[e.ID] {
				if from, _ := days(rel); from != "" && (r.s == "" || from < r.s) {
					r.s = from
				}
			}
			r.none = r.s == ""
		case "RELATION_COUNT":
			for _, rel := range d.rels[e.ID] {
				if o.RelationType == "" || string(rel.Type) == o.RelationType {
					r.n++
				}
			}
		default:
			r.s = e.NameZh
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b row) int {
		if a.none != b.none {
			return map[bool]int{true: 1, false: -1}[a.none]
		}
		c := cmp.Or(cmp.Compare(a.n, b.n), strings.Compare(a.s, b.s), strings.Compare(a.id, b.id))
		if o.Direction == "DESC" {
			return -c
		}
		return c
	})
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.id
	}
	return out
}

// listQuery asks one page of a list field (entities, schools, …).
func listQuery(field string) string {
	return fmt.Sprintf(`query($f: EntityFilter, $o: EntityOrder, $first: Int, $after: String, $last: Int, $before: String) {
  l: %s(filter: $f, orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id kind nameZh } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`, field)
}

type listPage struct {
	ids, cursors           []string
	hasNext, hasPrev       bool
	startCursor, endCursor string
	totalCount             int64
}

func askPage(t *testing.T, field string, vars map[string]any) listPage {
	t.Helper()
	d := ask(t, listQuery(field), vars)
	l := d["l"].(map[string]any)
	pi := l["pageInfo"].(map[string]any)
	p := listPage{
		ids: pluck(d, "l.edges.*.node.id"), cursors: pluck(d, "l.edges.*.cursor"),
		hasNext: pi["hasNextPage"].(bool), hasPrev: pi["hasPreviousPage"].(bool), totalCount: int64(l["totalCount"].(float64)),
	}
	p.startCursor, _ = pi["startCursor"].(string)
	p.endCursor, _ = pi["endCursor"].(string)
	if len(p.cursors) > 0 && (p.startCursor != p.cursors[0] || p.endCursor != p.cursors[len(p.cursors)-1]) {
		t.Errorf("start/end cursors %q/%q are not the first and last edge's", p.startCursor, p.endCursor)
	}
	if len(p.cursors) == 0 && (p.startCursor != "" || p.endCursor != "") {
		t.Errorf("empty page with cursors %q/%q", p.startCursor, p.endCursor)
	}
	return p
}

// pageAll pages through a list field, forward or backward, checking that
// pages do not overlap and the page flags; it returns the ids in list order.
func pageAll(t *testing.T, field string, f listFilter, o listOrder, size int, backward bool) []string {
	t.Helper()
	var pages [][]string
	seen := map[string]bool{}
	cursor := ""
	for i := 0; ; i++ {
		if i > 100 {
			t.Fatal("more than 100 pages")
		}
		vars := map[string]any{"f": f.vars(), "o": o.vars(), "first": size}
		if cursor != "" {
			vars["after"] = cursor
		}
		if backward {
			vars = map[string]any{"f": f.vars(), "o": o.vars(), "last": size}
			if cursor != "" {
				vars["before"] = cursor
			}
		}
		p := askPage(t, field, vars)
		for _, id := range p.ids {
			if seen[id] {
				t.Fatalf("%s %s: %s on two pages", field, o, id)
			}
			seen[id] = true
		}
		pages = append(pages, p.ids)
		started, more := p.hasPrev, p.hasNext
		if backward {
			started, more = p.hasNext, p.hasPrev
		}
		if started != (i > 0) {
			t.Errorf("%s %s backward=%v page %d: flag for the side paged from is %v", field, o, backward, i, started)
		}
		if !more {
			break
		}
		cursor = p.endCursor
		if backward {
			cursor = p.startCursor
		}
	}
	if backward {
		slices.Reverse(pages)
	}
	var out []string
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

var listOrders = []listOrder{
	{"ID", "ASC", ""},
	{"ID", "DESC", ""},
	{"NAME_ZH", "ASC", ""},
	{"NAME_ZH", "DESC", ""},
	{"NAME_EN", "ASC", ""},
	{"NAME_EN", "DESC", ""},
	{"TIME", "ASC", ""},
	{"TIME", "DESC", ""},
	{"RELATION_COUNT", "ASC", ""},
	{"RELATION_COUNT", "DESC", ""},
	{"RELATION_COUNT", "DESC", "PART_OF"},
}

func TestListOrdersPageBothWays(t *testing.T) {
	d := readData(t)
	for _, o := range listOrders {
		t.Run(o.String(), func(t *testing.T) {
			want := d.expect(t, "", listFilter{}, o)
			if len(want) != len(d.g.Entities) {
				t.Fatalf("expected %d, data has %d", len(want), len(d.g.Entities))
			}
			whole := askPage(t, "entities", map[string]any{"o": o.vars(), "first": 100})
			if !slices.Equal(whole.ids, want) || whole.hasNext || whole.hasPrev || whole.totalCount != int64(len(want)) {
				t.Errorf("one page of 100:\n got %q (next %v prev %v total %d)\nwant %q", whole.ids, whole.hasNext, whole.hasPrev, whole.totalCount, want)
			}
			for _, backward := range []bool{false, true} {
				if got := pageAll(t, "entities", listFilter{}, o, 9, backward); !slices.Equal(got, want) {
					t.Errorf("pages of 9, backward %v:\n got %q\nwant %q", backward, got, want)
				}
			}
		})
	}
}

func TestListFilters(t *testing.T) {
	d := readData(t)
	for _, tc := range []struct {
		name    string
		field   string
		list    kg.Kind
		f       listFilter
		atLeast int
	}{
		{"kinds", "entities", "", listFilter{Kinds: []string{"ALLIANCE", "ENTERPRISE"}}, 6},
		{"name contains zh", "entities", "", listFilter{NameContains: "鲁班"}, 2},
		{"name contains alias, any case and width", "entities", "", listFilter{NameContains: "ｃｑｉ"}, 1},
		{"name contains english", "entities", "", listFilter{NameContains: "university"}, 2},
		{"country", "entities", "", listFilter{Country: "tanzania"}, 2},
		{"country with no such id", "entities", "", listFilter{Country: "atlantis"}, 0},
		{"relation types", "entities", "", listFilter{RelationTypes: []string{"HOSTED", "RECEIVED"}}, 3},
		{"time from", "entities", "", listFilter{TimeFrom: "2024-03"}, 3},
		{"time to", "entities", "", listFilter{TimeTo: "2019"}, 3},
		{"time span", "entities", "", listFilter{TimeFrom: "2018-05-20", TimeTo: "2022"}, 2},
		{"all together", "entities", "", listFilter{
			Kinds: []string{"SCHOOL", "PROGRAM"}, NameContains: "坦桑尼亚", Country: "tanzania",
			RelationTypes: []string{"LOCATED_IN"},
		}, 1},
		{"schools", "schools", kg.School, listFilter{}, 5},
		{"countries", "countries", kg.Country, listFilter{}, 5},
		{"enterprises", "enterprises", kg.Enterprise, listFilter{}, 3},
		{"alliances", "alliances", kg.Alliance, listFilter{}, 3},
		{"programs", "programs", kg.Program, listFilter{}, 10},
		{"schools in thailand", "schools", kg.School, listFilter{Country: "thailand"}, 1},
		{"programs since 2022", "programs", kg.Program, listFilter{TimeFrom: "2022"}, 1},
		{"schools filtered to countries", "schools", kg.School, listFilter{Kinds: []string{"COUNTRY"}}, 0},
		{"countries filtered to countries and schools", "countries", kg.Country, listFilter{Kinds: []string{"COUNTRY", "SCHOOL"}}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, o := range []listOrder{{Field: "NAME_EN"}, {Field: "RELATION_COUNT", Direction: "DESC"}} {
				want := d.expect(t, tc.list, tc.f, o)
				if len(want) < tc.atLeast || (tc.atLeast == 0) != (len(want) == 0) {
					t.Fatalf("data gives %d entities, the case is about at least %d", len(want), tc.atLeast)
				}
				p := askPage(t, tc.field, map[string]any{"f": tc.f.vars(), "o": o.vars(), "first": 100})
				if !slices.Equal(p.ids, want) || p.totalCount != int64(len(want)) {
					t.Errorf("%s:\n got %q (total %d)\nwant %q", o, p.ids, p.totalCount, want)
				}
				if len(want) > 2 {
					if got := pageAll(t, tc.field, tc.f, o, 2, true); !slices.Equal(got, want) {
						t.Errorf("%s paged backward by 2:\n got %q\nwant %q", o, got, want)
					}
				}
			}
		})
	}
	// The per-kind fields answer their own types.
	r := ask(t, `{ schools(first: 2) { edges { node { __typename city } } } countries(first: 2) { edges { node { __typename iso2 } } }
  programs(first: 100) { edges { node { __typename category } } } }`, nil)
	sameSet(t, "school types", pluck(r, "schools.edges.*.node.__typename"), []string{"School"})
	sameSet(t, "country types", pluck(r, "countries.edges.*.node.__typename"), []string{"Country"})
	sameSet(t, "programme types", pluck(r, "programs.edges.*.node.__typename"), []string{"Program"})
	hasAll(t, "iso2", pluck(r, "countries.edges.*.node.iso2"), []string{"CN"})
}

// A list reads of each entity only the properties its selection needs
// (through fragments too), and answers exactly what a list that reads whole
// entities answers: a selection with a field the projection table does not
// know (partners) reads every property.
func TestListReadsWhatIsSelected(t *testing.T) {
	const fields = `id kind name(lang: EN) nameZh nameEn nameEnOfficial aliases description(lang: EN)
  ... on School { city schoolType } ...country ... on Program { category start { value } } ... on Region { regionType }`
	const fragment = `fragment country on Country { iso2 iso3 }`
	whole := ask(t, `{ l: entities(first: 100) { edges { node { `+fields+` ... on School { partners { id } } } } } } `+fragment, nil)
	edges := whole["l"].(map[string]any)["edges"].([]any)
	for _, e := range edges {
		delete(e.(map[string]any)["node"].(map[string]any), "partners")
	}
	hasAll(t, "whole", pluck(whole, "l.edges.*.node.iso2"), []string{"CN"})
	hasAll(t, "whole", pluck(whole, "l.edges.*.node.category"), []string{"Luban Workshop"})
	for _, tc := range []struct {
		name, query string
		paths       []string // under l.edges.*.node; none: compare everything
	}{
		{"every field", `{ l: entities(first: 100) { edges { node { ` + fields + ` } } } } ` + fragment, nil},
		{"one field", `{ l: entities(first: 100) { edges { node { nameEn } } } }`, []string{"nameEn"}},
		{
			"kind fields only", `{ l: entities(first: 100) { edges { node { ...country ... on School { city } } } } } ` + fragment,
			[]string{"iso2", "city"},
		},
		{
			"a named fragment on the edge", `{ l: entities(first: 100) { ...e } } fragment e on EntityConnection { edges { node { aliases } } }`,
			[]string{"aliases.*"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ask(t, tc.query, nil)
			if tc.paths == nil {
				if g, w := fmt.Sprint(got), fmt.Sprint(whole); g != w {
					t.Errorf("projected:\n%s\nwhole:\n%s", g, w)
				}
				return
			}
			for _, path := range tc.paths {
				path = "l.edges.*.node." + path
				if g, w := pluck(got, path), pluck(whole, path); !slices.Equal(g, w) || len(w) == 0 {
					t.Errorf("%s:\n got %q\nwant %q", path, g, w)
				}
			}
		})
	}
	// A per-kind list, the same.
	got := ask(t, `{ schools(first: 100, orderBy: {field: NAME_EN}) { edges { node { city } } } }`, nil)
	want := ask(t, `{ schools(first: 100, orderBy: {field: NAME_EN}) { edges { node { city partners { id } } } } }`, nil)
	if g, w := pluck(got, "schools.edges.*.node.city"), pluck(want, "schools.edges.*.node.city"); !slices.Equal(g, w) || len(w) < 3 {
		t.Errorf("school cities:\n got %q\nwant %q", g, w)
	}
}

// Neither first nor last: the first 20 in Chinese-name order.
func TestListDefaults(t *testing.T) {
	d := readData(t)
	r := ask(t, `{ entities { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }`, nil)
	want := d.expect(t, "", listFilter{}, listOrder{Field: "NAME_ZH"})[:20]
	if got := pluck(r, "entities.edges.*.node.id"); !slices.Equal(got, want) {
		t.Errorf("default page:\n got %q\nwant %q", got, want)
	}
	sameSet(t, "flags", pluck(r, "entities.pageInfo.hasNextPage"), []string{"true"})
	sameSet(t, "flags", pluck(r, "entities.pageInfo.hasPreviousPage"), []string{"false"})
	// orderBy given without a field: NAME_ZH, and the direction asked.
	r = ask(t, `{ entities(orderBy: {direction: DESC}, first: 3) { edges { node { id } } } }`, nil)
	if got, want := pluck(r, "entities.edges.*.node.id"), d.expect(t, "", listFilter{}, listOrder{Field: "NAME_ZH", Direction: "DESC"})[:3]; !slices.Equal(got, want) {
		t.Errorf("orderBy {direction: DESC}: got %q, want %q", got, want)
	}
}

// totalCount is computed when selected, and is the count of every page.
func TestListTotalCount(t *testing.T) {
	d := readData(t)
	r := ask(t, `{ all: entities(first: 1) { totalCount } schools(last: 1) { totalCount }
  tz: entities(filter: {country: "tanzania"}, first: 1) { totalCount edges { node { id } } } }`, nil)
	for path, want := range map[string]int{
		"all.totalCount":     len(d.g.Entities),
		"schools.totalCount": len(d.expect(t, kg.School, listFilter{}, listOrder{Field: "ID"})),
		"tz.totalCount":      len(d.expect(t, "", listFilter{Country: "tanzania"}, listOrder{Field: "ID"})),
	} {
		sameSet(t, path, pluck(r, path), []string{fmt.Sprint(want)})
	}
	if n := len(pluck(r, "tz.edges.*.node.id")); n != 1 {
		t.Errorf("tz: %d edges, want 1", n)
	}
}

// A page after (before) a cursor does not move when an entity is inserted
// before (after) the cursor in the order.
func TestListPagesSurviveInserts(t *testing.T) {
	ctx := context.Background()
	drv := neo4jtest.Driver(t)
	run := func(cypher string, params map[string]any) {
		t.Helper()
		if _, err := neo4j.ExecuteQuery(ctx, drv, cypher, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(neo4jtest.Database())); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, field string
		o           listOrder
		kind        string
		backward    bool
	}{
		{"entities by english name, insert first", "entities", listOrder{Field: "NAME_EN"}, "Event", false},
		{"schools by chinese name descending, insert last", "schools", listOrder{Field: "NAME_ZH", Direction: "DESC"}, "School", true},
		{"programs by relation count, insert first", "programs", listOrder{Field: "RELATION_COUNT"}, "Program", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := map[string]any{"o": tc.o.vars(), "first": 2}
			if tc.backward {
				first = map[string]any{"o": tc.o.vars(), "last": 2}
			}
			p1 := askPage(t, tc.field, first)
			next := map[string]any{"o": tc.o.vars(), "first": 2, "after": p1.endCursor}
			if tc.backward {
				next = map[string]any{"o": tc.o.vars(), "last": 2, "before": p1.startCursor}
			}
			p2 := askPage(t, tc.field, next)
			id := "test-lists-insert"
			t.Cleanup(func() { run(`MATCH (n:Entity {id: $id}) DETACH DELETE n`, map[string]any{"id": id}) })
			run(`CREATE (n:Entity:$($kind) {id: $id, kind: $kind, nameZh: '!插入', sortEn: '!insert', aliases: []})`, map[string]any{"id": id, "kind": tc.kind})
			if p := askPage(t, tc.field, first); !slices.Contains(p.ids, id) {
				t.Fatalf("the inserted entity is not on the first page %q: the test does not insert where it means to", p.ids)
			}
			again := askPage(t, tc.field, next)
			if !slices.Equal(again.ids, p2.ids) || !slices.Equal(again.cursors, p2.cursors) {
				t.Errorf("page beyond the old cursor moved: %q → %q", p2.ids, again.ids)
			}
		})
	}
}

func TestListBadArguments(t *testing.T) {
	schools := askPage(t, "schools", map[string]any{"first": 1})
	byZh := askPage(t, "entities", map[string]any{"o": listOrder{Field: "NAME_ZH"}.vars(), "first": 1})
	rel := ask(t, `{ entity(id: "cqvie") { relations(first: 1) { pageInfo { endCursor } } } }`, nil)
	relCursor := pluck(rel, "entity.relations.pageInfo.endCursor")[0]
	for _, tc := range []struct {
		name, field string
		vars        map[string]any
		code, msg   string
	}{
		{"garbage cursor", "entities", map[string]any{"after": "%%%"}, graph.CodeBadInput, "cursor"},
		{"garbage before cursor", "schools", map[string]any{"last": 2, "before": "eyJ4IjoxfQ"}, graph.CodeBadInput, "cursor"},
		{"cursor of another list", "countries", map[string]any{"after": schools.endCursor}, graph.CodeBadInput, "cursor"},
		{"cursor of another order", "entities", map[string]any{"o": listOrder{Field: "ID"}.vars(), "after": byZh.endCursor}, graph.CodeBadInput, "cursor"},
		{"cursor of another direction", "entities", map[string]any{"o": listOrder{Field: "NAME_ZH", Direction: "DESC"}.vars(), "after": byZh.endCursor}, graph.CodeBadInput, "cursor"},
		{"cursor of a relations list", "entities", map[string]any{"after": relCursor}, graph.CodeBadInput, "cursor"},
		{"first and last", "entities", map[string]any{"first": 2, "last": 2}, graph.CodeBadInput, "not both"},
		{"first 0", "programs", map[string]any{"first": 0}, graph.CodePageSizeLimit, "first must be between 1 and 100"},
		{"first 101", "entities", map[string]any{"first": 101}, graph.CodePageSizeLimit, "first must be between 1 and 100, got 101"},
		{"last 0", "entities", map[string]any{"last": 0}, graph.CodePageSizeLimit, "last must be between 1 and 100, got 0"},
		{"last 101", "alliances", map[string]any{"last": 101}, graph.CodePageSizeLimit, "last must be between 1 and 100"},
		{"bad timeFrom", "entities", map[string]any{"f": map[string]any{"timeFrom": "2024-13"}}, graph.CodeBadInput, "timeFrom"},
		{"bad timeTo", "schools", map[string]any{"f": map[string]any{"timeTo": "soon"}}, graph.CodeBadInput, "timeTo"},
		{"empty nameContains", "entities", map[string]any{"f": map[string]any{"nameContains": ""}}, graph.CodeBadInput, "nameContains"},
		{"blank nameContains", "entities", map[string]any{"f": map[string]any{"nameContains": "   "}}, graph.CodeBadInput, "nameContains"},
		{"long nameContains", "entities", map[string]any{"f": map[string]any{"nameContains": strings.Repeat("a", 201)}}, graph.CodeBadInput, "nameContains"},
		{"relationType with a name order", "entities", map[string]any{"o": listOrder{Field: "NAME_EN", RelationType: "BUILT"}.vars()}, graph.CodeBadInput, "relationType"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, listQuery(tc.field), tc.vars)
			if r.Status >= 500 || code(r) != tc.code || !strings.Contains(r.Errors[0].Message, tc.msg) {
				t.Errorf("status %d errors %+v, want %s with %q", r.Status, r.Errors, tc.code, tc.msg)
			}
			if r.Data["l"] != nil {
				t.Errorf("data %v alongside the error", r.Data)
			}
		})
	}
	r := post(t, `{ entityCounts(groupBy: KIND, filter: {timeFrom: "2024-02-30"}) { key } }`, nil)
	if code(r) != graph.CodeBadInput {
		t.Errorf("entityCounts with a bad date: %+v", r.Errors)
	}
}

// groups renders groups as key=count in their order.
func groups(d map[string]any, field string) []string {
	keys, counts := pluck(d, field+".*.key"), pluck(d, field+".*.count")
	out := make([]string, len(keys))
	for i := range keys {
		out[i] = keys[i] + "=" + counts[i]
	}
	return out
}

// sortedGroups orders expected counts largest first, ties by key.
func sortedGroups(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b)) })
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return out
}

func TestEntityCountsByKindAndCountry(t *testing.T) {
	d := readData(t)
	for _, f := range []listFilter{{}, {Kinds: []string{"SCHOOL", "PROGRAM", "ORGANIZATION"}}, {TimeTo: "2022"}} {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			byKind, byCountry := map[string]int{}, map[string]int{}
			for _, e := range d.g.Entities {
				if !d.matches(t, e, "", f) {
					continue
				}
				byKind[string(model.KindToGQL(e.Kind))]++
				cs := map[string]bool{}
				for _, r := range d.rels[e.ID] {
					for _, end := range []string{r.From, r.To} {
						if end != e.ID && d.byID[end].Kind == kg.Country {
							cs[end] = true
						}
					}
				}
				for c := range cs {
					byCountry[c]++
				}
			}
			r := ask(t, `query($f: EntityFilter) {
  k: entityCounts(groupBy: KIND, filter: $f) { key count zh: label en: label(lang: EN) }
  c: entityCounts(groupBy: COUNTRY, filter: $f) { key count zh: label en: label(lang: EN) } }`, map[string]any{"f": f.vars()})
			if got, want := groups(r, "k"), sortedGroups(byKind); !slices.Equal(got, want) {
				t.Errorf("by kind:\n got %q\nwant %q", got, want)
			}
			if got, want := groups(r, "c"), sortedGroups(byCountry); !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("by country:\n got %q\nwant %q", got, want)
			}
			for _, g := range r["k"].([]any) {
				g := g.(map[string]any)
				l := kg.KindLabels[model.KindFromGQL(model.Kind(g["key"].(string)))]
				if g["zh"] != l[0] || g["en"] != l[1] {
					t.Errorf("kind %v labelled %v / %v", g["key"], g["zh"], g["en"])
				}
			}
			for _, g := range r["c"].([]any) {
				g := g.(map[string]any)
				if c := d.byID[g["key"].(string)]; g["zh"] != c.NameZh || g["en"] != c.NameEn {
					t.Errorf("country %v labelled %v / %v", g["key"], g["zh"], g["en"])
				}
			}
		})
	}
}

func TestRelationCountsByTypeAndYear(t *testing.T) {
	d := readData(t)
	for _, types := range [][]string{nil, {"BUILT", "SELECTED_FOR", "HOSTED", "RECOGNIZED_BY"}} {
		t.Run(fmt.Sprint(types), func(t *testing.T) {
			byType, byYear := map[string]int{}, map[string]int{}
			for _, rel := range d.g.Relations {
				if types != nil && !slices.Contains(types, string(rel.Type)) {
					continue
				}
				byType[string(rel.Type)]++
				year := "none"
				if p := cmp.Or(rel.At, rel.Since); p != nil {
					year = fmt.Sprint(p.Year)
				}
				byYear[year]++
			}
			vars := map[string]any{}
			if types != nil {
				vars["types"] = types
			}
			r := ask(t, `query($types: [RelationType!]) {
  t: relationCounts(groupBy: TYPE, types: $types) { key count zh: label en: label(lang: EN) }
  y: relationCounts(groupBy: YEAR, types: $types) { key count } }`, vars)
			if got, want := groups(r, "t"), sortedGroups(byType); !slices.Equal(got, want) {
				t.Errorf("by type:\n got %q\nwant %q", got, want)
			}
			var want []string
			years := make([]string, 0, len(byYear))
			for y := range byYear {
				if y != "none" {
					years = append(years, y)
				}
			}
			slices.Sort(years)
			for _, y := range years {
				want = append(want, fmt.Sprintf("%s=%d", y, byYear[y]))
			}
			if n, ok := byYear["none"]; ok {
				want = append(want, fmt.Sprintf("none=%d", n))
			}
			if got := groups(r, "y"); !slices.Equal(got, want) || len(years) < 2 {
				t.Errorf("by year:\n got %q\nwant %q", got, want)
			}
			for _, g := range r["t"].([]any) {
				g := g.(map[string]any)
				if info, _ := kg.LookupRelType(g["key"].(string)); g["zh"] != info.Zh || g["en"] != info.En {
					t.Errorf("type %v labelled %v / %v", g["key"], g["zh"], g["en"])
				}
			}
		})
	}
}

func TestStats(t *testing.T) {
	d := readData(t)
	r := ask(t, `{ stats { entities relations facts documents } }`, nil)
	for field, n := range map[string]int{
		"entities": len(d.g.Entities), "relations": len(d.g.Relations),
		"facts": len(d.g.Facts), "documents": len(d.g.Documents),
	} {
		sameSet(t, field, pluck(r, "stats."+field), []string{fmt.Sprint(n)})
	}
}
