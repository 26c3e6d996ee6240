package store_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// The expectations of these tests are computed in Go from the data files
// (dataset.Read), independently of the Cypher under test.

// seed is the data set, indexed for computing expected lists and counts.
type seed struct {
	g    *dataset.Graph
	byID map[string]kg.Entity
	rels map[string][]kg.Relation // relations at either end of an entity
}

func readSeed(t *testing.T) seed {
	t.Helper()
	g, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	s := seed{g: g, byID: map[string]kg.Entity{}, rels: map[string][]kg.Relation{}}
	for _, e := range g.Entities {
		s.byID[e.ID] = e
	}
	for _, r := range g.Relations {
		s.rels[r.From] = append(s.rels[r.From], r)
		s.rels[r.To] = append(s.rels[r.To], r)
	}
	return s
}

// span is the [from, to] a relation's stated time covers, as YYYY-MM-DD
// ("" where open), as the loader stores it in fromDate/toDate.
func span(r kg.Relation) (from, to string) {
	day := func(d *kg.PartialDate, last bool) string {
		if d == nil {
			return ""
		}
		lo, hi := d.Range()
		if last {
			return hi.Format("2006-01-02")
		}
		return lo.Format("2006-01-02")
	}
	if r.At != nil {
		return day(r.At, false), day(r.At, true)
	}
	return day(r.Since, false), day(r.Until, true)
}

func dayOf(t *testing.T, s string, last bool) string {
	t.Helper()
	if s == "" {
		return ""
	}
	d, err := kg.ParsePartialDate(s)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := d.Range()
	if last {
		return hi.Format("2006-01-02")
	}
	return lo.Format("2006-01-02")
}

// matches reports whether e passes f (and the per-kind list), in Go.
func (s seed) matches(t *testing.T, e kg.Entity, list kg.Kind, f store.EntityFilter) bool {
	if list != "" && e.Kind != list {
		return false
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, e.Kind) {
		return false
	}
	if f.NameContains != "" {
		key := textkey.Key(f.NameContains)
		found := false
		for _, n := range append([]string{e.NameZh, e.NameEn}, e.Aliases...) {
			if n != "" && strings.Contains(textkey.Key(n), key) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	other := func(r kg.Relation) string {
		if r.From == e.ID {
			return r.To
		}
		return r.From
	}
	if f.Country != "" && !slices.ContainsFunc(s.rels[e.ID], func(r kg.Relation) bool {
		o := s.byID[other(r)]
		return o.ID == f.Country && o.Kind == kg.Country
	}) {
		return false
	}
	if len(f.RelTypes) > 0 && !slices.ContainsFunc(s.rels[e.ID], func(r kg.Relation) bool { return slices.Contains(f.RelTypes, r.Type) }) {
		return false
	}
	if f.TimeFrom != "" || f.TimeTo != "" {
		lo, hi := dayOf(t, f.TimeFrom, false), dayOf(t, f.TimeTo, true)
		if !slices.ContainsFunc(s.rels[e.ID], func(r kg.Relation) bool {
			from, to := span(r)
			return (from != "" || to != "") && (lo == "" || to == "" || to >= lo) && (hi == "" || from == "" || from <= hi)
		}) {
			return false
		}
	}
	return true
}

// sortKey is an entity's key in an order: a string, or a count for
// RELATION_COUNT; none marks a TIME key of an entity with no dated relation.
type sortKey struct {
	s    string
	n    int
	none bool
}

func (s seed) key(e kg.Entity, o store.EntityOrder) sortKey {
	switch o.Field {
	case store.SortID:
		return sortKey{s: e.ID}
	case store.SortNameEn:
		return sortKey{s: strings.ToLower(cmp.Or(e.NameEn, e.NameZh))}
	case store.SortTime:
		earliest := ""
		for _, r := range s.rels[e.ID] {
			if from, _ := span(r); from != "" && (earliest == "" || from < earliest) {
				earliest = from
			}
		}
		return sortKey{s: earliest, none: earliest == ""}
	case store.SortRelationCount:
		n := 0
		for _, r := range s.rels[e.ID] {
			if o.RelType == "" || r.Type == o.RelType {
				n++
			}
		}
		return sortKey{n: n}
	default:
		return sortKey{s: e.NameZh}
	}
}

// want is the expected list of ids: the matching entities sorted in Go.
func (s seed) want(t *testing.T, list kg.Kind, f store.EntityFilter, o store.EntityOrder) []string {
	type row struct {
		id string
		k  sortKey
	}
	var rows []row
	for _, e := range s.g.Entities {
		if s.matches(t, e, list, f) {
			rows = append(rows, row{e.ID, s.key(e, o)})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		if a.k.none != b.k.none { // undated last, either direction
			if a.k.none {
				return 1
			}
			return -1
		}
		c := cmp.Or(cmp.Compare(a.k.n, b.k.n), strings.Compare(a.k.s, b.k.s), strings.Compare(a.id, b.id))
		if o.Desc {
			return -c
		}
		return c
	})
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	return ids
}

func ids(es []kg.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// pageThrough reads a whole list page by page, forward (first/after) or
// backward (last/before), checking on the way that pages do not overlap,
// that hasNextPage/hasPreviousPage are honest and, with q.WithTotal, that
// every page counts the whole list; it returns the ids in list order.
func pageThrough(t *testing.T, s *store.Store, q store.EntityQuery, size int, backward bool) []string {
	t.Helper()
	ctx := context.Background()
	var pages [][]string
	var totals []int64
	seen := map[string]bool{}
	cursor := ""
	for i := 0; ; i++ {
		if i > 200 {
			t.Fatalf("%+v: more than 200 pages", q)
		}
		q.First, q.Last, q.After, q.Before = size, 0, cursor, ""
		if backward {
			q.First, q.Last, q.After, q.Before = 0, size, "", cursor
		}
		p, err := s.Entities(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if len(p.Entities) != len(p.Cursors) || len(p.Entities) > size {
			t.Fatalf("%+v: %d entities, %d cursors", q, len(p.Entities), len(p.Cursors))
		}
		for _, id := range ids(p.Entities) {
			if seen[id] {
				t.Fatalf("%+v: %s on two pages", q, id)
			}
			seen[id] = true
		}
		pages = append(pages, ids(p.Entities))
		totals = append(totals, p.Total)
		// The side the scan started from: nothing before the first page,
		// something before every later one.
		startSide, farSide := p.HasPrev, p.HasNext
		if backward {
			startSide, farSide = p.HasNext, p.HasPrev
		}
		if startSide != (i > 0) {
			t.Errorf("%+v page %d: start-side flag %v", q, i, startSide)
		}
		if !farSide {
			break
		}
		if len(p.Entities) != size {
			t.Errorf("%+v page %d: short page (%d) that says more follow", q, i, len(p.Entities))
		}
		cursor = p.Cursors[len(p.Cursors)-1]
		if backward {
			cursor = p.Cursors[0]
		}
	}
	var out []string
	if backward {
		slices.Reverse(pages)
	}
	for _, p := range pages {
		out = append(out, p...)
	}
	for i, total := range totals {
		if want := int64(-1); q.WithTotal && total != int64(len(out)) || !q.WithTotal && total != want {
			t.Errorf("%+v page %d: total %d, the list has %d (total asked: %v)", q, i, total, len(out), q.WithTotal)
		}
	}
	return out
}

var allOrders = func() []store.EntityOrder {
	var out []store.EntityOrder
	for _, f := range []store.SortField{store.SortID, store.SortNameZh, store.SortNameEn, store.SortTime, store.SortRelationCount} {
		for _, desc := range []bool{false, true} {
			out = append(out, store.EntityOrder{Field: f, Desc: desc})
		}
	}
	return append(out, store.EntityOrder{Field: store.SortRelationCount, RelType: kg.MemberOf},
		store.EntityOrder{Field: store.SortRelationCount, RelType: kg.Built, Desc: true})
}()

func orderName(o store.EntityOrder) string {
	d := "ASC"
	if o.Desc {
		d = "DESC"
	}
	return strings.Trim(fmt.Sprintf("%s_%s_%s", o.Field, d, o.RelType), "_")
}

// Every order, both directions, paged forward and backward in several page
// sizes, gives the list sorted in Go, each entity once.
func TestEntityListOrdersAndPaging(t *testing.T) {
	s := neo4jtest.Store(t)
	sd := readSeed(t)
	for _, o := range allOrders {
		t.Run(orderName(o), func(t *testing.T) {
			want := sd.want(t, "", store.EntityFilter{}, o)
			if len(want) != len(sd.g.Entities) {
				t.Fatalf("want %d entities, data has %d", len(want), len(sd.g.Entities))
			}
			q := store.EntityQuery{Order: o}
			// One page holding everything is the unpaged list.
			p, err := s.Entities(context.Background(), store.EntityQuery{Order: o, First: 100, WithTotal: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Entities); !slices.Equal(got, want) {
				t.Errorf("unpaged:\n got %q\nwant %q", got, want)
			}
			if p.HasNext || p.HasPrev || p.Total != int64(len(want)) {
				t.Errorf("unpaged: hasNext %v hasPrev %v total %d", p.HasNext, p.HasPrev, p.Total)
			}
			for _, size := range []int{8, 85} {
				for _, backward := range []bool{false, true} {
					if got := pageThrough(t, s, q, size, backward); !slices.Equal(got, want) {
						t.Errorf("size %d backward %v:\n got %q\nwant %q", size, backward, got, want)
					}
				}
			}
			// A per-kind list (read in order from the kind's index in the
			// property orders), with its total on every page.
			want = sd.want(t, kg.Program, store.EntityFilter{}, o)
			for _, backward := range []bool{false, true} {
				q := store.EntityQuery{List: kg.Program, Order: o, WithTotal: true}
				if got := pageThrough(t, s, q, 6, backward); !slices.Equal(got, want) {
					t.Errorf("programs backward %v:\n got %q\nwant %q", backward, got, want)
				}
			}
		})
	}
}

// Each filter, alone and combined, on the list of every kind and on a
// per-kind list, gives the entities Go picks from the data, in order.
func TestEntityListFilters(t *testing.T) {
	s := neo4jtest.Store(t)
	sd := readSeed(t)
	for _, tc := range []struct {
		name    string
		list    kg.Kind
		f       store.EntityFilter
		atLeast int // the filter must keep at least this many (so that it is tested on something)
		fewer   bool
	}{
		{"kinds", "", store.EntityFilter{Kinds: []kg.Kind{kg.School, kg.Country}}, 15, true},
		{"name zh", "", store.EntityFilter{NameContains: "鲁班工坊"}, 2, true},
		{"name alias, case and width", "", store.EntityFilter{NameContains: "ＣＱ"}, 2, true},
		{"name en with spaces", "", store.EntityFilter{NameContains: "  Vocational   Institute "}, 1, true},
		{"name nowhere", "", store.EntityFilter{NameContains: "no such name"}, 0, true},
		{"country", "", store.EntityFilter{Country: "tanzania"}, 2, true},
		{"country thailand", "", store.EntityFilter{Country: "thailand"}, 2, true},
		{"country not a country", "", store.EntityFilter{Country: "cqvie"}, 0, true},
		{"relation types", "", store.EntityFilter{RelTypes: []kg.RelType{kg.Chairs, kg.SpokeAt}}, 3, true},
		{"time from", "", store.EntityFilter{TimeFrom: "2024"}, 5, true},
		{"time to", "", store.EntityFilter{TimeTo: "2018-12"}, 3, true},
		{"time span", "", store.EntityFilter{TimeFrom: "2019", TimeTo: "2022-06"}, 2, true},
		{"time day", "", store.EntityFilter{TimeFrom: "2024-05-13", TimeTo: "2024-05-13"}, 3, true},
		{"combined", "", store.EntityFilter{Kinds: []kg.Kind{kg.School}, RelTypes: []kg.RelType{kg.MemberOf}, TimeFrom: "2017"}, 1, true},
		{"per kind", kg.Program, store.EntityFilter{}, 10, true},
		{"per kind and name", kg.School, store.EntityFilter{NameContains: "重庆"}, 2, true},
		{"per kind contradicted", kg.School, store.EntityFilter{Kinds: []kg.Kind{kg.Country}}, 0, true},
		{"per kind agreeing", kg.School, store.EntityFilter{Kinds: []kg.Kind{kg.Country, kg.School}}, 5, true},
		{"one kind", "", store.EntityFilter{Kinds: []kg.Kind{kg.Alliance}}, 5, true},
		{"one kind twice", "", store.EntityFilter{Kinds: []kg.Kind{kg.Alliance, kg.Alliance}}, 5, true},
		{"time to, per kind", kg.School, store.EntityFilter{TimeTo: "2018"}, 2, true},
		// The country filter starts from the country; every other filter
		// and a kind narrow what is reached from it.
		{"country, per kind", kg.School, store.EntityFilter{Country: "thailand"}, 2, true},
		{"country, per kind, none of the kind", kg.Enterprise, store.EntityFilter{Country: "thailand"}, 0, true},
		{"country, per kind contradicted", kg.School, store.EntityFilter{Country: "thailand", Kinds: []kg.Kind{kg.Program}}, 0, true},
		{"country and one kind", "", store.EntityFilter{Country: "thailand", Kinds: []kg.Kind{kg.Program}}, 1, true},
		{"country and kinds", "", store.EntityFilter{Country: "thailand", Kinds: []kg.Kind{kg.School, kg.Alliance}}, 3, true},
		{"country and name", "", store.EntityFilter{Country: "thailand", NameContains: "孔敬"}, 2, true},
		{"country and relation types", "", store.EntityFilter{Country: "thailand", RelTypes: []kg.RelType{kg.CoFounded}}, 2, true},
		{"country and time from", "", store.EntityFilter{Country: "tanzania", TimeFrom: "2019"}, 1, true},
		{"country and time to", "", store.EntityFilter{Country: "tanzania", TimeTo: "2018"}, 1, true},
		{"country and time span", "", store.EntityFilter{Country: "thailand", TimeFrom: "2018-05", TimeTo: "2018-05"}, 2, true},
		{"country, per kind, every filter", kg.School, store.EntityFilter{
			Country: "thailand", Kinds: []kg.Kind{kg.School, kg.Program},
			NameContains: "孔", RelTypes: []kg.RelType{kg.CoFounded, kg.Hosted}, TimeFrom: "2018", TimeTo: "2018",
		}, 1, true},
		{"country not a country, per kind", kg.School, store.EntityFilter{Country: "cqvie"}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, o := range []store.EntityOrder{
				{Field: store.SortNameZh},
				{Field: store.SortTime, Desc: true},
				{Field: store.SortID, Desc: true},
				{Field: store.SortNameEn},
				{Field: store.SortRelationCount, Desc: true},
			} {
				want := sd.want(t, tc.list, tc.f, o)
				if len(want) < tc.atLeast || (tc.fewer && len(want) >= len(sd.g.Entities)) {
					t.Fatalf("the data gives %d entities; the case needs at least %d and fewer than all", len(want), tc.atLeast)
				}
				q := store.EntityQuery{List: tc.list, Filter: tc.f, Order: o, First: 100, WithTotal: true}
				p, err := s.Entities(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(p.Entities); !slices.Equal(got, want) {
					t.Errorf("%s:\n got %q\nwant %q", orderName(o), got, want)
				}
				if p.Total != int64(len(want)) || p.HasNext || p.HasPrev {
					t.Errorf("%s: total %d (want %d), next %v, prev %v", orderName(o), p.Total, len(want), p.HasNext, p.HasPrev)
				}
				if len(want) < 2 {
					continue
				}
				// Paged both ways (every page with its total), and between two
				// cursors.
				size := 2
				if len(want) > 8 {
					size = 5
				}
				for _, backward := range []bool{false, true} {
					if got := pageThrough(t, s, q, size, backward); !slices.Equal(got, want) {
						t.Errorf("%s paged by %d, backward %v:\n got %q\nwant %q", orderName(o), size, backward, got, want)
					}
				}
				if len(want) < 3 {
					continue
				}
				n := len(p.Cursors)
				for _, backward := range []bool{false, true} {
					between := q
					between.After, between.Before = p.Cursors[0], p.Cursors[n-1]
					if backward {
						between.First, between.Last = 0, 100
					}
					b, err := s.Entities(context.Background(), between)
					// Only the side the scan starts from is looked at: the
					// first entity lies before a forward page, the last after
					// a backward one.
					if got := ids(b.Entities); err != nil || !slices.Equal(got, want[1:n-1]) || b.Total != int64(len(want)) ||
						b.HasPrev != !backward || b.HasNext != backward {
						t.Errorf("%s between the first and the last, backward %v: %q (total %d, next %v, prev %v), %v; want %q",
							orderName(o), backward, got, b.Total, b.HasNext, b.HasPrev, err, want[1:n-1])
					}
				}
			}
		})
	}
}

// A total is computed only when asked; it counts every page.
func TestEntityListTotal(t *testing.T) {
	s := neo4jtest.Store(t)
	sd := readSeed(t)
	ctx := context.Background()
	p, err := s.Entities(ctx, store.EntityQuery{First: 2})
	if err != nil || p.Total != -1 {
		t.Errorf("total not asked: %d, %v; want -1", p.Total, err)
	}
	p, err = s.Entities(ctx, store.EntityQuery{List: kg.Program, Last: 2, WithTotal: true})
	want := len(sd.want(t, kg.Program, store.EntityFilter{}, store.EntityOrder{}))
	if err != nil || p.Total != int64(want) || len(p.Entities) != 2 {
		t.Errorf("programs total %d (%d on the page), %v; want %d", p.Total, len(p.Entities), err, want)
	}
	// An empty page still counts.
	p, err = s.Entities(ctx, store.EntityQuery{List: kg.Country, Filter: store.EntityFilter{NameContains: "xyz"}, First: 5, WithTotal: true})
	if err != nil || p.Total != 0 || len(p.Entities) != 0 || p.HasNext || p.HasPrev {
		t.Errorf("empty list: %+v, %v", p, err)
	}
}

// A list reads the properties asked for (and always the id and kind), and
// leaves the other fields zero.
func TestEntityListProps(t *testing.T) {
	s := neo4jtest.Store(t)
	sd := readSeed(t)
	p, err := s.Entities(context.Background(), store.EntityQuery{List: kg.School, First: 100, Props: "city,nameEn"})
	if err != nil {
		t.Fatal(err)
	}
	cities := 0
	for _, e := range p.Entities {
		d := sd.byID[e.ID]
		want := kg.Entity{ID: d.ID, Kind: d.Kind, NameEn: d.NameEn, City: d.City}
		if !reflect.DeepEqual(e, want) {
			t.Errorf("got %+v, want %+v", e, want)
		}
		if e.City != "" {
			cities++
		}
	}
	if len(p.Entities) < 5 || cities < 2 {
		t.Errorf("%d schools, %d with a city: too few to test on", len(p.Entities), cities)
	}
	// "" reads every property.
	p, err = s.Entities(context.Background(), store.EntityQuery{List: kg.Country, First: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Entities {
		if d := sd.byID[e.ID]; !reflect.DeepEqual(e, d) {
			t.Errorf("got %+v, want %+v", e, d)
		}
	}
}

// insertEntities writes bare test entities (no names) straight into Neo4j,
// with the Entity and kind labels and the properties the lists read, and
// removes them when the test ends. With dated set, it joins the two
// first ones by a PARTNERS_WITH relationship stated in 1900, so that they
// come first in TIME order.
func insertEntities(t *testing.T, kind, nameZh string, dated bool, ids ...string) {
	t.Helper()
	ctx := context.Background()
	drv := neo4jtest.Driver(t)
	run := func(cypher string, params map[string]any) error {
		_, err := neo4j.ExecuteQuery(ctx, drv, cypher, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		return err
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, "test-") {
			t.Fatalf("test entity ids start with test-, got %q", id)
		}
		t.Cleanup(func() {
			if err := run(`MATCH (n:Entity {id: $id}) DETACH DELETE n`, map[string]any{"id": id}); err != nil {
				t.Errorf("cleanup %s: %v", id, err)
			}
		})
		if err := run(`CREATE (n:Entity:$($kind) {id: $id, kind: $kind, nameZh: $zh, sortEn: toLower($zh), aliases: []})`,
			map[string]any{"id": id, "kind": kind, "zh": nameZh}); err != nil {
			t.Fatal(err)
		}
	}
	if dated {
		if err := run(`MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
CREATE (a)-[:PARTNERS_WITH {id: 'test:' + $a + ':' + $b, since: '1900', fromDate: date('1900-01-01')}]->(b)`,
			map[string]any{"a": ids[0], "b": ids[1]}); err != nil {
			t.Fatal(err)
		}
	}
}

// A page taken after a cursor is the same before and after an entity is
// inserted elsewhere in the order (keyset paging, not offsets); so is a
// page taken backward before a cursor when the insert lands after it.
func TestEntityListCursorsSurviveInserts(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		order    store.EntityOrder
		list     kg.Kind
		nameZh   string
		dated    bool
		size     int
		backward bool // page backward from a cursor; the insert lands after it
	}{
		{"name zh, insert first", store.EntityOrder{Field: store.SortNameZh}, "", "!测试插入", false, 3, false},
		{"name zh desc, insert last", store.EntityOrder{Field: store.SortNameZh, Desc: true}, "", "!测试插入", false, 3, true},
		{"name en, insert first", store.EntityOrder{Field: store.SortNameEn}, "", "!test insert", false, 5, false},
		{"id, insert before the cursor", store.EntityOrder{Field: store.SortID}, "", "测试", false, 80, false},
		{"time, dated insert first", store.EntityOrder{Field: store.SortTime}, "", "测试", true, 3, false},
		{"relation count, insert with none first", store.EntityOrder{Field: store.SortRelationCount}, kg.School, "测试", false, 3, false},
		{"relation count desc, insert with none last", store.EntityOrder{Field: store.SortRelationCount, Desc: true}, kg.School, "测试", false, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := store.EntityQuery{List: tc.list, Order: tc.order, First: tc.size}
			if tc.backward {
				q = store.EntityQuery{List: tc.list, Order: tc.order, Last: tc.size}
			}
			p1, err := s.Entities(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			// The page beyond the far end of the first page.
			next := q
			if tc.backward {
				next.Before = p1.Cursors[0]
			} else {
				next.After = p1.Cursors[len(p1.Cursors)-1]
			}
			p2, err := s.Entities(ctx, next)
			if err != nil {
				t.Fatal(err)
			}
			if len(p2.Entities) == 0 {
				t.Fatal("nothing beyond the first page")
			}
			insertEntities(t, string(cmp.Or(tc.list, kg.Award)), tc.nameZh, tc.dated, "test-list-insert", "test-list-insert-2")
			// The insert is in the list, on the near side of the cursor.
			all := pageThrough(t, s, store.EntityQuery{List: tc.list, Order: tc.order}, 100, false)
			at := slices.Index(all, "test-list-insert")
			if tc.backward {
				if last := slices.Index(all, p2.Entities[len(p2.Entities)-1].ID); at <= last {
					t.Fatalf("inserted entity at %d, the page before the cursor ends at %d: not after the cursor", at, last)
				}
			} else if first := slices.Index(all, p2.Entities[0].ID); at < 0 || at >= first {
				t.Fatalf("inserted entity at %d, the page after the cursor starts at %d: not before the cursor", at, first)
			}
			again, err := s.Entities(ctx, next)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(again.Entities), ids(p2.Entities)) || !slices.Equal(again.Cursors, p2.Cursors) {
				t.Errorf("page beyond the old cursor moved:\n before %q\n after  %q", ids(p2.Entities), ids(again.Entities))
			}
			// Whereas the first page, which an offset would count from, did change.
			p1again, err := s.Entities(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Equal(ids(p1again.Entities), ids(p1.Entities)) {
				t.Errorf("first page unchanged by the insert (%q): the insert is not where the test means it", ids(p1.Entities))
			}
		})
	}
}

// Beyond either end of a list a page is empty, and says that entities lie
// on the side it was paged from.
func TestEntityListPastTheEnds(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for _, o := range allOrders {
		whole, err := s.Entities(ctx, store.EntityQuery{Order: o, First: 100})
		if err != nil {
			t.Fatal(err)
		}
		firstCursor, lastCursor := whole.Cursors[0], whole.Cursors[len(whole.Cursors)-1]
		p, err := s.Entities(ctx, store.EntityQuery{Order: o, First: 5, After: lastCursor})
		if err != nil || len(p.Entities) != 0 || p.HasNext || !p.HasPrev {
			t.Errorf("%s: after the last: %d entities, next %v, prev %v, %v; want none, false, true", orderName(o), len(p.Entities), p.HasNext, p.HasPrev, err)
		}
		p, err = s.Entities(ctx, store.EntityQuery{Order: o, Last: 5, Before: firstCursor})
		if err != nil || len(p.Entities) != 0 || !p.HasNext || p.HasPrev {
			t.Errorf("%s: before the first: %d entities, next %v, prev %v, %v; want none, true, false", orderName(o), len(p.Entities), p.HasNext, p.HasPrev, err)
		}
		// Both cursors bound a page: what lies strictly between them.
		p, err = s.Entities(ctx, store.EntityQuery{Order: o, First: 100, After: whole.Cursors[10], Before: whole.Cursors[20]})
		if got, want := ids(p.Entities), ids(whole.Entities[11:20]); err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: between the 11th and the 21st: %q, %v; want %q", orderName(o), got, err, want)
		}
		p, err = s.Entities(ctx, store.EntityQuery{Order: o, Last: 3, After: whole.Cursors[10], Before: whole.Cursors[20]})
		if got, want := ids(p.Entities), ids(whole.Entities[17:20]); err != nil || !slices.Equal(got, want) || !p.HasNext || !p.HasPrev {
			t.Errorf("%s: last 3 between the 11th and the 21st: %q (next %v prev %v), %v; want %q", orderName(o), got, p.HasNext, p.HasPrev, err, want)
		}
	}
}

// Relationships outside the vocabulary (NAME_OF, FACT_OF, MENTIONED_IN, …)
// count nowhere, and an entity related twice to a country counts once.
func TestOnlyVocabularyRelationsCount(t *testing.T) {
	s := neo4jtest.Store(t)
	sd := readSeed(t)
	ctx := context.Background()
	insertEntities(t, "Event", "测试", false, "test-vocab-a", "test-vocab-b")
	insertEntities(t, "Country", "测试国", false, "test-vocab-country")
	_, err := neo4j.ExecuteQuery(ctx, neo4jtest.Driver(t), `
MATCH (a:Entity {id: 'test-vocab-a'}), (b:Entity {id: 'test-vocab-b'}), (c:Entity {id: 'test-vocab-country'})
SET c:Country
CREATE (a)-[:PARTNERS_WITH {id: 'test:a:c:1', since: '1900', fromDate: date('1900-01-01')}]->(c),
       (c)-[:SERVES {id: 'test:c:a:2'}]->(a),
       (b)-[:FACT_OF {id: 'test:b:c', fromDate: date('1800-01-01')}]->(c),
       (b)-[:MENTIONED_IN]->(c), (b)-[:NAME_OF]->(a)`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Entities(ctx, store.EntityQuery{Filter: store.EntityFilter{Country: "test-vocab-country"}, First: 10, WithTotal: true})
	if got := ids(p.Entities); err != nil || !slices.Equal(got, []string{"test-vocab-a"}) || p.Total != 1 {
		t.Errorf("related to the test country: %q (total %d), %v; want test-vocab-a once", got, p.Total, err)
	}
	p, err = s.Entities(ctx, store.EntityQuery{Filter: store.EntityFilter{TimeTo: "1850"}, First: 10})
	if err != nil || len(p.Entities) != 0 {
		t.Errorf("dated only by a FACT_OF relationship: %q, %v; want none", ids(p.Entities), err)
	}
	gs, err := s.EntityCounts(ctx, store.ByCountry, store.EntityFilter{Kinds: []kg.Kind{"Event"}})
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(gs, func(g store.Group) bool { return g.Key == "test-vocab-country" }); i < 0 || gs[i].Count != 1 {
		t.Errorf("by country: %q; want test-vocab-country=1", keysAndCounts(gs))
	}
	// test-vocab-b has no vocabulary relation: it is among the first by count
	// and among the last (undated) by time.
	var zero []string
	for _, e := range sd.g.Entities {
		if len(sd.rels[e.ID]) == 0 {
			zero = append(zero, e.ID)
		}
	}
	zero = append(zero, "test-vocab-b")
	slices.Sort(zero)
	p, err = s.Entities(ctx, store.EntityQuery{Order: store.EntityOrder{Field: store.SortRelationCount}, First: len(zero)})
	if got := ids(p.Entities); err != nil || !slices.Equal(got, zero) {
		t.Errorf("fewest relations first: %q, %v; want %q", got, err, zero)
	}
	p, err = s.Entities(ctx, store.EntityQuery{Order: store.EntityOrder{Field: store.SortTime}, First: 2})
	if got := ids(p.Entities); err != nil || !slices.Equal(got, []string{"test-vocab-a", "test-vocab-country"}) {
		t.Errorf("earliest first: %q, %v; want the two joined in 1900", got, err)
	}
	st, err := s.Stats(ctx)
	if want := int64(len(sd.g.Relations) + 2); err != nil || st.Relations != want || st.Entities != int64(len(sd.g.Entities)+3) {
		t.Errorf("stats %+v, %v; want %d relations, %d entities", st, err, want, len(sd.g.Entities)+3)
	}
	gs, err = s.RelationCounts(ctx, store.ByYear, nil)
	if err != nil || len(gs) == 0 || gs[0].Key != "1900" || gs[0].Count != 1 {
		t.Errorf("by year: %q, %v; want 1900=1 first", keysAndCounts(gs), err)
	}
}

func TestEntityListRefusesBadInput(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	p, err := s.Entities(ctx, store.EntityQuery{Order: store.EntityOrder{Field: store.SortNameZh}, First: 2})
	if err != nil {
		t.Fatal(err)
	}
	zhCursor := p.Cursors[1]
	p, err = s.Entities(ctx, store.EntityQuery{List: kg.School, Order: store.EntityOrder{Field: store.SortNameZh}, First: 2})
	if err != nil {
		t.Fatal(err)
	}
	schoolCursor := p.Cursors[1]
	p, err = s.Entities(ctx, store.EntityQuery{Order: store.EntityOrder{Field: store.SortRelationCount, RelType: kg.Built}, First: 2})
	if err != nil {
		t.Fatal(err)
	}
	builtCursor := p.Cursors[1]
	rel, err := s.Relations(ctx, []store.RelationQuery{{EntityID: "cqvie", First: 1}})
	if err != nil {
		t.Fatal(err)
	}
	relCursor := rel[0].Relations[0].Cursor
	zh := store.EntityOrder{Field: store.SortNameZh}
	for _, tc := range []struct {
		name string
		q    store.EntityQuery
	}{
		{"garbage cursor", store.EntityQuery{Order: zh, First: 2, After: "garbage!"}},
		{"base64 of nonsense", store.EntityQuery{Order: zh, First: 2, After: "bm9uc2Vuc2U"}},
		{"cursor of a relations list", store.EntityQuery{Order: zh, First: 2, After: relCursor}},
		{"cursor of another order", store.EntityQuery{Order: store.EntityOrder{Field: store.SortNameEn}, First: 2, After: zhCursor}},
		{"cursor of another direction", store.EntityQuery{Order: store.EntityOrder{Field: store.SortNameZh, Desc: true}, Last: 2, Before: zhCursor}},
		{"cursor of another list", store.EntityQuery{Order: zh, First: 2, After: schoolCursor}},
		{"cursor of the list of all in a per-kind list", store.EntityQuery{List: kg.School, Order: zh, First: 2, Before: zhCursor, Last: 1}},
		{"cursor of another counted type", store.EntityQuery{Order: store.EntityOrder{Field: store.SortRelationCount, RelType: kg.MemberOf}, First: 2, After: builtCursor}},
		{"cursor with a text key in a count order", store.EntityQuery{
			Order: store.EntityOrder{Field: store.SortRelationCount}, First: 2,
			After: base64.RawURLEncoding.EncodeToString([]byte(`{"f":"RELATION_COUNT","k":"many","i":"cqvie"}`)),
		}},
		{"cursor with a number key in a name order", store.EntityQuery{
			Order: zh, First: 2,
			After: base64.RawURLEncoding.EncodeToString([]byte(`{"f":"NAME_ZH","k":3,"i":"cqvie"}`)),
		}},
		{"cursor without an id", store.EntityQuery{
			Order: zh, First: 2,
			After: base64.RawURLEncoding.EncodeToString([]byte(`{"f":"NAME_ZH","k":"x"}`)),
		}},
		{"first and last", store.EntityQuery{Order: zh, First: 2, Last: 2}},
		{"neither first nor last", store.EntityQuery{Order: zh}},
		{"negative last", store.EntityQuery{Order: zh, Last: -1}},
		{"unknown field", store.EntityQuery{Order: store.EntityOrder{Field: "COLOUR"}, First: 2}},
		{"relation type with a name order", store.EntityQuery{Order: store.EntityOrder{Field: store.SortNameZh, RelType: kg.Built}, First: 2}},
		{"relation type outside the vocabulary", store.EntityQuery{Order: store.EntityOrder{Field: store.SortRelationCount, RelType: "NAME_OF"}, First: 2}},
		{"filter type outside the vocabulary", store.EntityQuery{Filter: store.EntityFilter{RelTypes: []kg.RelType{"FACT_OF"}}, First: 2}},
		{"unknown kind", store.EntityQuery{Filter: store.EntityFilter{Kinds: []kg.Kind{"Planet"}}, First: 2}},
		{"unknown list", store.EntityQuery{List: "Planet", First: 2}},
		{"bad month", store.EntityQuery{Filter: store.EntityFilter{TimeFrom: "2024-13"}, First: 2}},
		{"bad date", store.EntityQuery{Filter: store.EntityFilter{TimeTo: "yesterday"}, First: 2}},
		{"blank name", store.EntityQuery{Filter: store.EntityFilter{NameContains: "　 "}, First: 2}},
		{"name too long", store.EntityQuery{Filter: store.EntityFilter{NameContains: strings.Repeat("职", 201)}, First: 2}},
		{"property that is not an entity's", store.EntityQuery{First: 2, Props: "nameEn,sortEn"}},
		{"property that is not a name", store.EntityQuery{First: 2, Props: "n.id})//"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Entities(ctx, tc.q); !errors.Is(err, kg.ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
	// At the limit, a name is fine.
	if _, err := s.Entities(ctx, store.EntityQuery{Filter: store.EntityFilter{NameContains: strings.Repeat("职", 200)}, First: 2}); err != nil {
		t.Errorf("200 characters: %v", err)
	}
}

// groupsWant sorts expected counts as the store must: largest first, ties by key.
func groupsWant(m map[string]int64) []store.Group {
	var out []store.Group
	for k, n := range m {
		out = append(out, store.Group{Key: k, Count: n})
	}
	slices.SortFunc(out, func(a, b store.Group) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Key, b.Key))
	})
	return out
}

func keysAndCounts(gs []store.Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = fmt.Sprintf("%s=%d", g.Key, g.Count)
	}
	return out
}

func TestEntityCounts(t *testing.T) {
	s := neo4jtest.Store(t)
	sd := readSeed(t)
	ctx := context.Background()
	for _, f := range []store.EntityFilter{
		{},
		{RelTypes: []kg.RelType{kg.MemberOf, kg.PartnersWith}},
		{TimeFrom: "2024"},
		{TimeTo: "2018"},
		{Kinds: []kg.Kind{kg.School}},
		{Kinds: []kg.Kind{kg.School, kg.Program}},
		{NameContains: "重庆"},
		{Country: "thailand"},
		{Country: "tanzania", Kinds: []kg.Kind{kg.School, kg.Program}, TimeFrom: "2019"},
	} {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			byKind, byCountry := map[string]int64{}, map[string]int64{}
			for _, e := range sd.g.Entities {
				if !sd.matches(t, e, "", f) {
					continue
				}
				byKind[string(e.Kind)]++
				countries := map[string]bool{}
				for _, r := range sd.rels[e.ID] {
					for _, end := range []string{r.From, r.To} {
						if end != e.ID && sd.byID[end].Kind == kg.Country {
							countries[end] = true
						}
					}
				}
				for c := range countries {
					byCountry[c]++
				}
			}
			got, err := s.EntityCounts(ctx, store.ByKind, f)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := keysAndCounts(got), keysAndCounts(groupsWant(byKind)); !slices.Equal(g, w) {
				t.Errorf("by kind:\n got %q\nwant %q", g, w)
			}
			for _, g := range got {
				if l := kg.KindLabels[kg.Kind(g.Key)]; g.Names.Zh != l[0] || g.Names.En != l[1] {
					t.Errorf("kind %s labelled %+v", g.Key, g.Names)
				}
			}
			got, err = s.EntityCounts(ctx, store.ByCountry, f)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := keysAndCounts(got), keysAndCounts(groupsWant(byCountry)); !slices.Equal(g, w) {
				t.Errorf("by country:\n got %q\nwant %q", g, w)
			}
			for _, g := range got {
				if c := sd.byID[g.Key]; g.Names.Zh != c.NameZh || g.Names.En != c.NameEn {
					t.Errorf("country %s labelled %+v", g.Key, g.Names)
				}
			}
		})
	}
	if len(sd.g.Entities) == 0 {
		t.Fatal("no data")
	}
	if _, err := s.EntityCounts(ctx, "COLOUR", store.EntityFilter{}); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("unknown grouping: %v", err)
	}
	if _, err := s.EntityCounts(ctx, store.ByKind, store.EntityFilter{TimeTo: "2024-02-30"}); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("bad date: %v", err)
	}
}

func TestRelationCountsAndStats(t *testing.T) {
	s := neo4jtest.Store(t)
	sd := readSeed(t)
	ctx := context.Background()
	for _, types := range [][]kg.RelType{nil, {kg.MemberOf, kg.Built, kg.Hosted}} {
		t.Run(fmt.Sprint(types), func(t *testing.T) {
			byType, byYear := map[string]int64{}, map[string]int64{}
			for _, r := range sd.g.Relations {
				if len(types) > 0 && !slices.Contains(types, r.Type) {
					continue
				}
				byType[string(r.Type)]++
				year := "none"
				if d := cmp.Or(r.At, r.Since); d != nil {
					year = fmt.Sprintf("%04d", d.Year)
				}
				byYear[year]++
			}
			got, err := s.RelationCounts(ctx, store.ByType, types)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := keysAndCounts(got), keysAndCounts(groupsWant(byType)); !slices.Equal(g, w) {
				t.Errorf("by type:\n got %q\nwant %q", g, w)
			}
			for _, g := range got {
				if info, _ := kg.LookupRelType(g.Key); g.Names.Zh != info.Zh || g.Names.En != info.En {
					t.Errorf("type %s labelled %+v", g.Key, g.Names)
				}
			}
			got, err = s.RelationCounts(ctx, store.ByYear, types)
			if err != nil {
				t.Fatal(err)
			}
			want := groupsWant(byYear)
			slices.SortFunc(want, func(a, b store.Group) int { // years ascending, none last
				return cmp.Or(cmp.Compare(b2i(a.Key == "none"), b2i(b.Key == "none")), strings.Compare(a.Key, b.Key))
			})
			if g, w := keysAndCounts(got), keysAndCounts(want); !slices.Equal(g, w) || len(w) < 2 {
				t.Errorf("by year:\n got %q\nwant %q", g, w)
			}
		})
	}
	if _, err := s.RelationCounts(ctx, store.ByType, []kg.RelType{"NAME_OF"}); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("NAME_OF: %v", err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Stats{
		Entities: int64(len(sd.g.Entities)), Relations: int64(len(sd.g.Relations)),
		Facts: int64(len(sd.g.Facts)), Documents: int64(len(sd.g.Documents)),
	}
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
