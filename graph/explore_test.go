package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// The exploration fields, end to end over HTTP, checked against breadth-
// and depth-first searches over the data files in Go (neo4jtest.Reference).

const (
	khonKaenCI    = "khon-kaen-university-confucius-institute"
	thaiAlliance  = "china-thailand-vocational-education-alliance"
	annualMeeting = "chengdu-chongqing-alliance-annual-meeting-2024"
)

type gNode struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Degree   int    `json:"degree"`
	Distance int    `json:"distance"`
}

type gEdge struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	From     string `json:"from"`
	To       string `json:"to"`
	Label    string `json:"label"`
	Evidence struct {
		Quote string `json:"quote"`
	} `json:"evidence"`
}

type gPath struct {
	Nodes  []gNode `json:"nodes"`
	Edges  []gEdge `json:"edges"`
	Length int     `json:"length"`
}

const pathFields = `nodes { id kind name degree distance } edges { id type from to label evidence { quote } } length`

// decode re-reads part of a response as typed values.
func decode[T any](t *testing.T, v any) T {
	t.Helper()
	var out T
	b, _ := json.Marshal(v)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return out
}

func TestNeighborhoodField(t *testing.T) {
	ref := neo4jtest.Ref(t)
	const query = `query($id: ID!, $depth: Int, $limit: Int, $types: [RelationType!], $kinds: [Kind!], $asOf: String) {
  neighborhood(id: $id, depth: $depth, types: $types, kinds: $kinds, limit: $limit, asOf: $asOf) {
    nodes { id kind degree distance entity { id nameZh } }
    edges { id type from to evidence { quote } }
    more { nodeId type count }
    truncated } }`
	for _, tc := range []struct {
		id           string
		depth, limit int
		types        []kg.RelType
		kinds        []kg.Kind
		asOf         string
	}{
		{id: "cqvie", depth: 1, limit: 50},
		{id: "cqvie", depth: 1, limit: 8},
		{id: "cqvie", depth: 2, limit: 30},
		{id: "cqvie", depth: 3, limit: 200},
		{id: "tanzania-luban-workshop", depth: 2, limit: 200},
		{id: "tanzania-luban-workshop", depth: 3, limit: 25},
		{id: "cqipc", depth: 2, limit: 100, types: []kg.RelType{kg.MemberOf, kg.Chairs, kg.CoFounded}, kinds: []kg.Kind{kg.School, kg.Alliance}},
		{id: thaiAlliance, depth: 2, limit: 50, asOf: "2018-04"},
		{id: annualMeeting, depth: 1, limit: 50, asOf: "2024-06"},
	} {
		t.Run(fmt.Sprintf("%s/%d/%d/%v/%v/%s", tc.id, tc.depth, tc.limit, tc.types, tc.kinds, tc.asOf), func(t *testing.T) {
			vars := map[string]any{"id": tc.id, "depth": tc.depth, "limit": tc.limit}
			if tc.types != nil {
				vars["types"] = tc.types
			}
			if tc.kinds != nil {
				var ks []string
				for _, k := range tc.kinds {
					ks = append(ks, strings.ToUpper(string(k)))
				}
				vars["kinds"] = ks
			}
			if tc.asOf != "" {
				vars["asOf"] = tc.asOf
			}
			sg := decode[struct {
				Nodes []struct {
					gNode
					Entity struct{ ID, NameZh string }
				}
				Edges []gEdge
				More  []struct {
					NodeID, Type string
					Count        int
				}
				Truncated bool
			}](t, ask(t, query, vars)["neighborhood"])
			want := ref.Neighborhood(tc.id, tc.depth, neo4jtest.Filter{Types: tc.types, AsOf: tc.asOf}, tc.kinds, tc.limit)

			var ids []string
			for _, n := range sg.Nodes {
				ids = append(ids, n.ID)
				if n.Distance != want.Distance[n.ID] || n.Degree != ref.Degree(n.ID) || n.Entity.ID != n.ID ||
					n.Entity.NameZh != ref.Entities[n.ID].NameZh || n.Kind != strings.ToUpper(string(ref.Entities[n.ID].Kind)) {
					t.Errorf("node %+v: want distance %d, degree %d", n, want.Distance[n.ID], ref.Degree(n.ID))
				}
			}
			if !slices.Equal(ids, want.Nodes) {
				t.Errorf("nodes = %q\nwant %q", ids, want.Nodes)
			}
			if len(ids) > tc.limit || sg.Truncated != want.Truncated {
				t.Errorf("%d nodes, truncated %v; want at most %d, truncated %v", len(ids), sg.Truncated, tc.limit, want.Truncated)
			}
			var edges []string
			for _, e := range sg.Edges {
				edges = append(edges, e.ID)
				if !slices.Contains(ids, e.From) || !slices.Contains(ids, e.To) || e.Evidence.Quote == "" {
					t.Errorf("edge %+v: an end not returned, or no quote", e)
				}
			}
			slices.Sort(edges)
			if !slices.Equal(edges, want.Edges) {
				t.Errorf("edges = %q\nwant %q", edges, want.Edges)
			}
			more := map[string]int{}
			for _, m := range sg.More {
				more[m.NodeID+" "+m.Type] = m.Count
			}
			if fmt.Sprint(more) != fmt.Sprint(want.More) {
				t.Errorf("more = %v\nwant %v", more, want.More)
			}
		})
	}
}

func TestShortestPathField(t *testing.T) {
	ref := neo4jtest.Ref(t)
	d := ask(t, `{
  undirected: shortestPath(from: "`+khonKaenCI+`", to: "cqvie") { `+pathFields+` }
  directed: shortestPath(from: "`+khonKaenCI+`", to: "cqvie", directed: true) { length }
  reverse: shortestPath(from: "cqvie", to: "`+khonKaenCI+`") { length nodes { id } }
  before: shortestPath(from: "`+khonKaenCI+`", to: "cqvie", asOf: "2018-04") { `+pathFields+` }
  down: shortestPath(from: "tanzania-luban-workshop", to: "tanzania", directed: true) { `+pathFields+` }
  up: shortestPath(from: "tanzania", to: "tanzania-luban-workshop", directed: true) { length }
  self: shortestPath(from: "cqvie", to: "cqvie") { length nodes { id } edges { id } }
}`, nil)
	p := decode[gPath](t, d["undirected"])
	if p.Length != 2 || len(p.Nodes) != 3 || p.Nodes[0].ID != khonKaenCI || p.Nodes[1].ID != thaiAlliance || p.Nodes[2].ID != "cqvie" {
		t.Errorf("undirected shortest path = %+v, want Khon Kaen CI – 中泰职教联盟 – CQVIE", p)
	}
	checkGPath(t, p, khonKaenCI, "cqvie", 4, false)
	// Both ends point at the alliance (CO_FOUNDED): no path follows the arrows.
	if d["directed"] != nil {
		t.Errorf("directed = %v, want null", d["directed"])
	}
	if r := decode[gPath](t, d["reverse"]); r.Length != 2 || r.Nodes[0].ID != "cqvie" {
		t.Errorf("reverse = %+v", r)
	}
	// Before May 2018 neither had co-founded the alliance.
	before := ref.Paths(khonKaenCI, "cqvie", neo4jtest.Filter{AsOf: "2018-04"}, 4, false)
	if len(before) == 0 {
		if d["before"] != nil {
			t.Errorf("before = %v, want null", d["before"])
		}
	} else {
		b := decode[gPath](t, d["before"])
		checkGPath(t, b, khonKaenCI, "cqvie", 4, false)
		for _, e := range b.Edges {
			if e.Type == "CO_FOUNDED" {
				t.Errorf("asOf 2018-04 path uses %s", e.ID)
			}
		}
		if b.Length != len(before[0]) {
			t.Errorf("asOf 2018-04: length %d, want %d", b.Length, len(before[0]))
		}
	}
	// Directed differs by direction: the workshop serves Tanzania, not the other way.
	down := decode[gPath](t, d["down"])
	checkGPath(t, down, "tanzania-luban-workshop", "tanzania", 4, true)
	if want := ref.Paths("tanzania", "tanzania-luban-workshop", neo4jtest.Filter{}, 4, true); (d["up"] == nil) != (len(want) == 0) {
		t.Errorf("up = %v, want %d paths", d["up"], len(want))
	}
	if s := decode[gPath](t, d["self"]); s.Length != 0 || len(s.Nodes) != 1 || len(s.Edges) != 0 {
		t.Errorf("self = %+v, want the path of length 0", s)
	}
}

// checkGPath checks the shape of a path answer: endpoints, positions, no
// entity twice, edges[i] joining nodes[i] and nodes[i+1] (along its
// direction when directed), within the bound.
func checkGPath(t *testing.T, p gPath, from, to string, maxHops int, directed bool) {
	t.Helper()
	if len(p.Nodes) != p.Length+1 || len(p.Edges) != p.Length || p.Length > maxHops || p.Length == 0 {
		t.Fatalf("path %+v: bad shape (bound %d)", p, maxHops)
	}
	if p.Nodes[0].ID != from || p.Nodes[p.Length].ID != to {
		t.Errorf("path runs %s…%s, want %s…%s", p.Nodes[0].ID, p.Nodes[p.Length].ID, from, to)
	}
	seen := map[string]bool{}
	for i, n := range p.Nodes {
		if seen[n.ID] || n.Distance != i {
			t.Errorf("node %d (%s): repeated or distance %d", i, n.ID, n.Distance)
		}
		seen[n.ID] = true
	}
	for i, e := range p.Edges {
		a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
		fwd := e.From == a && e.To == b
		if !fwd && !(e.From == b && e.To == a) || directed && !fwd {
			t.Errorf("edge %d %s does not join %s and %s", i, e.ID, a, b)
		}
	}
}

func TestPathsField(t *testing.T) {
	ref := neo4jtest.Ref(t)
	for _, tc := range []struct {
		from, to string
		hops     int
		first    int // 0: the default, 5
		directed bool
	}{
		{from: khonKaenCI, to: "cqvie", hops: 4, first: 20},
		{from: khonKaenCI, to: "cqvie", hops: 4},
		{from: "cqipc", to: "thailand", hops: 6, first: 20},
		{from: "cqvie", to: "china", hops: 5, first: 7},
		{from: "tanzania-luban-workshop", to: "tanzania", hops: 3, first: 20, directed: true},
	} {
		t.Run(fmt.Sprintf("%s-%s/%d/%d/%v", tc.from, tc.to, tc.hops, tc.first, tc.directed), func(t *testing.T) {
			vars := map[string]any{"from": tc.from, "to": tc.to, "hops": tc.hops, "directed": tc.directed}
			first := 5
			if tc.first != 0 {
				vars["first"], first = tc.first, tc.first
			}
			ps := decode[[]gPath](t, ask(t, `query($from: ID!, $to: ID!, $hops: Int, $first: Int, $directed: Boolean) {
  paths(from: $from, to: $to, maxHops: $hops, first: $first, directed: $directed) { `+pathFields+` } }`, vars)["paths"])
			all := ref.Paths(tc.from, tc.to, neo4jtest.Filter{}, tc.hops, tc.directed)
			want := all[:min(first, len(all))]
			if len(ps) != len(want) || len(ps) == 0 {
				t.Fatalf("%d paths, want %d (of %d)", len(ps), len(want), len(all))
			}
			seen := map[string]bool{}
			var prev []string
			for i, p := range ps {
				checkGPath(t, p, tc.from, tc.to, tc.hops, tc.directed)
				var ids []string
				for _, e := range p.Edges {
					ids = append(ids, e.ID)
				}
				if !slices.Equal(ids, neo4jtest.RelIDs(want[i])) {
					t.Errorf("path %d = %q\nwant %q", i, ids, neo4jtest.RelIDs(want[i]))
				}
				if key := strings.Join(ids, " "); seen[key] {
					t.Errorf("path %d repeats an earlier one", i)
				} else {
					seen[key] = true
				}
				if i > 0 && (len(ids) < len(prev) || len(ids) == len(prev) && slices.Compare(ids, prev) <= 0) {
					t.Errorf("path %d is not after path %d", i, i-1)
				}
				prev = ids
			}
		})
	}
}

func TestCommonNeighborsField(t *testing.T) {
	ref := neo4jtest.Ref(t)
	for _, tc := range []struct {
		a, b  string
		types string
		must  []string
	}{
		{a: khonKaenCI, b: "cqvie", must: []string{thaiAlliance}},
		{a: khonKaenCI, b: "cqvie", types: "[CO_FOUNDED]", must: []string{thaiAlliance}},
		{a: "cqvie", b: "cqipc"},
	} {
		t.Run(tc.a+"-"+tc.b+tc.types, func(t *testing.T) {
			args := fmt.Sprintf(`a: %q, b: %q`, tc.a, tc.b)
			var types []kg.RelType
			if tc.types != "" {
				args += ", types: " + tc.types
				types = []kg.RelType{kg.RelType(strings.Trim(tc.types, "[]"))}
			}
			ns := decode[[]gNode](t, ask(t, `{ commonNeighbors(`+args+`) { id kind name degree distance } }`, nil)["commonNeighbors"])
			var ids []string
			for _, n := range ns {
				ids = append(ids, n.ID)
				if n.Degree != ref.Degree(n.ID) || n.Distance != 1 {
					t.Errorf("%+v: want degree %d, distance 1", n, ref.Degree(n.ID))
				}
			}
			if want := ref.Common(tc.a, tc.b, types); !slices.Equal(ids, want) {
				t.Errorf("common neighbours = %q\nwant %q", ids, want)
			}
			hasAll(t, "common neighbours", ids, tc.must)
		})
	}
}

func TestExplainField(t *testing.T) {
	ref := neo4jtest.Ref(t)
	const fields = `text path { length nodes { id } } steps { from { id } to { id } edge { id type from to evidence { quote } }
      sentence quote document { id text } }`
	d := ask(t, `{
  zh: explain(from: "`+khonKaenCI+`", to: "cqvie") { `+fields+` }
  en: explain(from: "`+khonKaenCI+`", to: "cqvie", lang: EN) { `+fields+` }
  hosted: explain(from: "scetc", to: "`+annualMeeting+`", lang: EN, maxHops: 1) { text }
  hostedZh: explain(from: "scetc", to: "`+annualMeeting+`", maxHops: 1) { text }
  chairs: explain(from: "cqipc", to: "chengdu-chongqing-vocational-education-alliance", types: [CHAIRS]) { text }
}`, nil)
	type step struct {
		From, To struct{ ID string }
		Edge     gEdge
		Sentence string
		Quote    string
		Document struct{ ID, Text string }
	}
	type explanation struct {
		Text  string
		Path  struct{ Length int }
		Steps []step
	}
	for lang, want := range map[string][]string{
		"zh": {"泰国孔敬大学孔子学院 发起成立 中泰职教联盟（2018年5月）", "重庆工程职业技术学院 发起成立 中泰职教联盟（2018年5月）"},
		"en": {
			"Confucius Institute at Khon Kaen University co-founded China-Thailand Vocational Education Alliance (May 2018)",
			"Chongqing Vocational Institute of Engineering co-founded China-Thailand Vocational Education Alliance (May 2018)",
		},
	} {
		ex := decode[explanation](t, d[lang])
		if ex.Path.Length != 2 || len(ex.Steps) != 2 {
			t.Fatalf("%s: %+v, want two steps", lang, ex)
		}
		var sentences []string
		for i, s := range ex.Steps {
			sentences = append(sentences, s.Sentence)
			if s.Quote == "" || !strings.Contains(s.Document.Text, s.Quote) || s.Quote != s.Edge.Evidence.Quote {
				t.Errorf("%s step %d: quote %q is not in document %s", lang, i, s.Quote, s.Document.ID)
			}
			if !strings.Contains(ref.Docs[s.Document.ID].Text, s.Quote) {
				t.Errorf("%s step %d: quote %q is not in the data file's text", lang, i, s.Quote)
			}
		}
		if ex.Steps[0].From.ID != khonKaenCI || ex.Steps[0].To.ID != thaiAlliance || ex.Steps[1].To.ID != "cqvie" {
			t.Errorf("%s: steps run %+v", lang, ex.Steps)
		}
		if !slices.Equal(sentences, want) {
			t.Errorf("%s sentences = %q\nwant %q", lang, sentences, want)
		}
		sep, end := "；", "。"
		if lang == "en" {
			sep, end = "; ", "."
		}
		if wantText := strings.Join(want, sep) + end; ex.Text != wantText {
			t.Errorf("%s text = %q, want %q", lang, ex.Text, wantText)
		}
	}
	for field, want := range map[string]string{
		"hosted":   "Sichuan Engineering Technical College hosted 2024 Annual Meeting of the Chengdu-Chongqing Economic Circle Vocational Education Collaborative Development Alliance and Intelligent Manufacturing Technology Forum (from 12 May 2024 to 14 May 2024).",
		"hostedZh": "四川工程职业技术学院 承办/举办 2024年成渝地区双城经济圈职业教育协同发展联盟年会暨智能制造技术论坛（2024年5月12日至2024年5月14日）。",
		"chairs":   "重庆工业职业技术学院 担任 成渝地区双城经济圈职业教育协同发展联盟 的理事长单位。",
	} {
		if got := decode[explanation](t, d[field]).Text; got != want {
			t.Errorf("%s = %q\nwant %q", field, got, want)
		}
	}
}

func TestExplorationBoundsAndUnknownIDs(t *testing.T) {
	long := strings.Repeat("x", 201)
	for _, tc := range []struct {
		name, query, code string
	}{
		{"depth 4", `{ neighborhood(id: "cqvie", depth: 4) { truncated } }`, graph.CodeHopsLimit},
		{"depth 0", `{ neighborhood(id: "cqvie", depth: 0) { truncated } }`, graph.CodeHopsLimit},
		{"limit 0", `{ neighborhood(id: "cqvie", limit: 0) { truncated } }`, graph.CodeNeighborhoodLimit},
		{"limit 201", `{ neighborhood(id: "cqvie", limit: 201) { truncated } }`, graph.CodeNeighborhoodLimit},
		{"neighborhood asOf", `{ neighborhood(id: "cqvie", asOf: "2018-13") { truncated } }`, graph.CodeBadInput},
		{"neighborhood long id", `{ neighborhood(id: "` + long + `") { truncated } }`, graph.CodeBadInput},
		{"shortestPath maxHops 7", `{ shortestPath(from: "cqvie", to: "cqipc", maxHops: 7) { length } }`, graph.CodeHopsLimit},
		{"shortestPath maxHops 0", `{ shortestPath(from: "cqvie", to: "cqipc", maxHops: 0) { length } }`, graph.CodeHopsLimit},
		{"shortestPath asOf", `{ shortestPath(from: "cqvie", to: "cqipc", asOf: "May 2018") { length } }`, graph.CodeBadInput},
		{"paths maxHops 7", `{ paths(from: "cqvie", to: "cqipc", maxHops: 7) { length } }`, graph.CodeHopsLimit},
		{"paths first 21", `{ paths(from: "cqvie", to: "cqipc", first: 21) { length } }`, graph.CodePageSizeLimit},
		{"paths first 0", `{ paths(from: "cqvie", to: "cqipc", first: 0) { length } }`, graph.CodePageSizeLimit},
		{"explain maxHops 7", `{ explain(from: "cqvie", to: "cqipc", maxHops: 7) { text } }`, graph.CodeHopsLimit},
		{"commonNeighbors long id", `{ commonNeighbors(a: "cqvie", b: "` + long + `") { id } }`, graph.CodeBadInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, tc.query, nil)
			if r.Status >= 500 || code(r) != tc.code {
				t.Errorf("status %d, errors %+v; want code %s", r.Status, r.Errors, tc.code)
			}
		})
	}
	// An unknown id is NOT_FOUND, naming the argument; no path within the
	// bound is null, not an error.
	for _, q := range []string{
		`{ neighborhood(id: "no-such-entity") { truncated } }`,
		`{ shortestPath(from: "no-such-entity", to: "cqvie") { length } }`,
		`{ shortestPath(from: "cqvie", to: "no-such-entity") { length } }`,
		`{ paths(from: "cqvie", to: "no-such-entity") { length } }`,
		`{ commonNeighbors(a: "no-such-entity", b: "cqvie") { id } }`,
		`{ explain(from: "no-such-entity", to: "cqvie") { text } }`,
	} {
		r := post(t, q, nil)
		if code(r) != graph.CodeNotFound || !strings.Contains(r.Errors[0].Message, `"no-such-entity"`) {
			t.Errorf("%s: errors %+v, want %s naming the id", q, r.Errors, graph.CodeNotFound)
		}
	}
	r := post(t, `{ far: shortestPath(from: "`+khonKaenCI+`", to: "cqvie", maxHops: 1) { length }
  e: explain(from: "`+khonKaenCI+`", to: "cqvie", maxHops: 1) { text } }`, nil)
	if len(r.Errors) != 0 || r.Data["far"] != nil || r.Data["e"] != nil {
		t.Errorf("no path within the bound: errors %+v, data %v; want nulls", r.Errors, r.Data)
	}
}

// partsRecorder is the real store, recording the parts each exploration
// call asks for.
type partsRecorder struct {
	graph.Store
	mu    sync.Mutex
	parts []store.Parts
}

func (r *partsRecorder) record(p store.Parts) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.parts = append(r.parts, p)
}

func (r *partsRecorder) take() []store.Parts {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.parts
	r.parts = nil
	return p
}

func (r *partsRecorder) Neighborhood(ctx context.Context, q store.NeighborhoodQuery) (store.Subgraph, error) {
	r.record(q.Parts)
	return r.Store.Neighborhood(ctx, q)
}

func (r *partsRecorder) Paths(ctx context.Context, q store.PathQuery) ([]store.Path, error) {
	r.record(q.Parts)
	return r.Store.Paths(ctx, q)
}

func (r *partsRecorder) CommonNeighbors(ctx context.Context, a, b string, types []kg.RelType, parts store.Parts) ([]store.Node, error) {
	r.record(parts)
	return r.Store.CommonNeighbors(ctx, a, b, types, parts)
}

// The exploration fields ask the store only for the costly parts their
// selection reads (through fragments, and minding @skip and @include):
// degree, whole entities, relation properties, edges, more.
func TestExplorationAsksOnlyForSelectedParts(t *testing.T) {
	rec := &partsRecorder{Store: neo4jtest.Store(t)}
	srv := httptest.NewServer(graph.NewHandler(rec, nil, testLimits, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	const nb = `neighborhood(id: "cqvie", depth: 2, limit: 50)`
	const sp = `shortestPath(from: "` + khonKaenCI + `", to: "cqvie", maxHops: 4)`
	for _, tc := range []struct {
		query string
		vars  map[string]any
		want  store.Parts
	}{
		// The benchmark's questions.
		{query: `{ ` + nb + ` { nodes { id name distance } truncated } }`},
		{query: `{ ` + sp + ` { length nodes { id name } edges { id type } } }`},
		{query: `{ ` + nb + ` { __typename nodes { __typename id kind name(lang: EN) } } }`},
		{query: `{ ` + nb + ` { nodes { degree } } }`, want: store.Parts{Degree: true}},
		{query: `{ ` + nb + ` { nodes { entity { id aliases } } } }`, want: store.Parts{Entity: true}},
		{query: `{ ` + nb + ` { edges { id type from to label(lang: EN) } } }`, want: store.Parts{Edges: true}},
		{query: `{ ` + nb + ` { edges { at { value } } } }`, want: store.Parts{Edges: true, Relation: true}},
		{query: `{ ` + nb + ` { more { nodeId type count } } }`, want: store.Parts{More: true}},
		{
			query: `{ ` + nb + ` { ...S } } fragment S on Subgraph { nodes { ...N } more { count } } fragment N on GraphNode { degree }`,
			want:  store.Parts{Degree: true, More: true},
		},
		{query: `{ ` + nb + ` { nodes { id ... on GraphNode { degree @skip(if: true) } } } }`},
		{query: `query($d: Boolean!) { ` + nb + ` { nodes { id degree @include(if: $d) } } }`, vars: map[string]any{"d": false}},
		{
			query: `query($d: Boolean!) { ` + nb + ` { nodes { id degree @include(if: $d) } } }`, vars: map[string]any{"d": true},
			want: store.Parts{Degree: true},
		},
		{query: `{ ` + sp + ` { edges { evidence { quote } } } }`, want: store.Parts{Relation: true}},
		{
			query: `{ paths(from: "` + khonKaenCI + `", to: "cqvie") { nodes { degree entity { id } } edges { detail } } }`,
			want:  store.Parts{Degree: true, Entity: true, Relation: true},
		},
		{query: `{ explain(from: "` + khonKaenCI + `", to: "cqvie") { text } }`, want: store.Parts{Relation: true}},
		{
			query: `{ explain(from: "` + khonKaenCI + `", to: "cqvie") { steps { from { degree } } } }`,
			want:  store.Parts{Relation: true, Degree: true},
		},
		{query: `{ commonNeighbors(a: "` + khonKaenCI + `", b: "cqvie") { id name } }`},
		{query: `{ commonNeighbors(a: "` + khonKaenCI + `", b: "cqvie") { degree } }`, want: store.Parts{Degree: true}},
	} {
		body, _ := json.Marshal(map[string]any{"query": tc.query, "variables": tc.vars})
		res, err := http.Post(srv.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ Errors []gqlError }
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if err != nil || len(out.Errors) > 0 {
			t.Fatalf("%s: %v %+v", tc.query, err, out.Errors)
		}
		if got := rec.take(); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s\nasked the store for %+v, want [%+v]", tc.query, got, tc.want)
		}
	}
}

// The answer to a field does not depend on what else is selected: the
// cheap questions get the same nodes, paths and truncation as the full ones.
func TestExplorationAnswersDoNotDependOnSelection(t *testing.T) {
	const (
		subgraph = "nodes.*.id nodes.*.name nodes.*.kind nodes.*.distance truncated"
		path     = "*.length *.nodes.*.id *.nodes.*.name *.edges.*.id *.edges.*.type *.edges.*.from *.edges.*.to *.edges.*.label"
	)
	for _, tc := range []struct{ field, cheap, full, compare string }{
		{
			`neighborhood(id: "cqvie", depth: 2, limit: 50)`, `nodes { id kind name distance } truncated`,
			`nodes { id kind name distance degree entity { id } } edges { id at { value } } more { count } truncated`, subgraph,
		},
		{
			`neighborhood(id: "tanzania-luban-workshop", depth: 3, limit: 12)`, `nodes { id kind name distance } truncated`,
			`nodes { id kind name distance degree } edges { id evidence { quote } } more { count } truncated`, subgraph,
		},
		{
			`shortestPath(from: "` + khonKaenCI + `", to: "cqvie", maxHops: 4)`, `length nodes { id name } edges { id type from to label }`,
			`length nodes { id name degree entity { nameEn } } edges { id type from to label at { value } evidence { quote } }`, path,
		},
		{
			`paths(from: "cqipc", to: "thailand", maxHops: 5, first: 20)`, `length nodes { id name } edges { id type from to label }`,
			`length nodes { id name degree } edges { id type from to label detail evidence { quote } }`, path,
		},
	} {
		d := ask(t, `{ cheap: `+tc.field+` { `+tc.cheap+` } full: `+tc.field+` { `+tc.full+` } }`, nil)
		cheap, full := d["cheap"], d["full"]
		if _, ok := cheap.(map[string]any); ok && tc.compare == path {
			cheap, full = []any{cheap}, []any{full} // a single path: compare it as a list of one
		}
		for _, path := range strings.Fields(tc.compare) {
			got, want := pluck(cheap, path), pluck(full, path)
			if len(want) == 0 || strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s %s = %q without the costly fields, %q with them", tc.field, path, got, want)
			}
		}
	}
}

// BenchmarkNeighborhood measures one depth-2 neighbourhood request of at
// most 50 nodes (the benchmark's query) through the real handler and Neo4j.
func BenchmarkNeighborhood(b *testing.B) {
	benchRequests(b, `query Hood($id: ID!, $limit: Int!) { neighborhood(id: $id, depth: 2, limit: $limit) { nodes { id name distance } truncated } }`,
		map[string]any{"id": "cqvie", "limit": 50})
}
