package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Report is the whole benchmark run; written as report.json and report.md.
type Report struct {
	Started     string            `json:"started"`
	Finished    string            `json:"finished"`
	Smoke       bool              `json:"smoke"`
	Seed        int64             `json:"seed"`
	Concurrency int               `json:"concurrency"`
	Reps        int               `json:"repetitions"`
	Duration    string            `json:"runDuration"`
	Pool        int               `json:"poolSize"`
	Machine     map[string]string `json:"machine"`
	Queries     []QueryInfo       `json:"queries"`
	Scales      []ScaleResult     `json:"scales"`
	Ratios      []Ratio           `json:"ratios"`
	Targets     []TargetCheck     `json:"targets"`
	Growth      []Growth          `json:"growth"`
	// WriteTargets are the write targets (issue 10), per scale
	// measured (writes.go).
	WriteTargets []TargetCheck `json:"writeTargets,omitempty"`
	Notes        []string      `json:"notes,omitempty"`

	// earlierWrites are the write results of scales an -append run
	// measures again (appendEarlier): a run with -writes off keeps them.
	earlierWrites map[int]*WriteResult
}

func (r *Report) name() string {
	if r.Smoke {
		return "smoke-report"
	}
	return "report"
}

// addScale adds a scale's results; with writesOnly, only its write results
// replace those of the same scale already in the report.
func (r *Report) addScale(sr ScaleResult, writesOnly bool) {
	if writesOnly {
		for i := range r.Scales {
			if r.Scales[i].Nodes == sr.Nodes {
				r.Scales[i].Writes = sr.Writes
				return
			}
		}
		sr.Cells, sr.Checks = nil, nil
	}
	if sr.Writes == nil && r.earlierWrites[sr.Nodes] != nil {
		sr.Writes = r.earlierWrites[sr.Nodes] // -writes off: the reads are new, the writes as measured before
		sr.Notes = append(sr.Notes, "writes: from the run started "+sr.Writes.Started+" (this run measured the reads only)")
	}
	r.Scales = append(r.Scales, sr)
}

// QueryInfo describes one benchmark query.
type QueryInfo struct {
	Name     string `json:"name"`
	About    string `json:"about"`
	Vetgraph string `json:"vetgraph"`
	Peer     string `json:"peer"`
	Floor    string `json:"floor"`
}

// Ratio compares vetgraph with the floor and the peer for one query and scale.
type Ratio struct {
	Nodes        int     `json:"nodes"`
	Query        string  `json:"query"`
	P50VsFloor   float64 `json:"p50VetgraphOverFloor"` // lower is better, 1 = floor
	RPSVsFloor   float64 `json:"rpsVetgraphOverFloor"`
	P50VsPeer    float64 `json:"p50VetgraphOverPeer"`
	RPSVsPeer    float64 `json:"rpsVetgraphOverPeer"` // higher is better
	P99VsPeer    float64 `json:"p99VetgraphOverPeer"`
	CPUVsPeer    float64 `json:"cpuVetgraphOverPeer"`
	RSSVsPeer    float64 `json:"rssVetgraphOverPeer"`
	HitsVetgraph int64   `json:"dbHitsVetgraph"`
	HitsPeer     int64   `json:"dbHitsPeer"`
	HitsFloor    int64   `json:"dbHitsFloor"`
	VoidFloor    string  `json:"voidFloor,omitempty"`
	VoidPeer     string  `json:"voidPeer,omitempty"`
	// Spread describes, per ratio (p50VsFloor, rpsVsPeer, …), the
	// per-repetition ratios its value is the median of, and the ratio of
	// the medians.
	Spread map[string]string `json:"spread,omitempty"`
}

// TargetCheck is one of the targets, met or not.
type TargetCheck struct {
	Target string  `json:"target"`
	Query  string  `json:"query"`
	Nodes  int     `json:"nodes"`
	Value  float64 `json:"value"`
	Limit  float64 `json:"limit"`
	Met    string  `json:"met"` // yes, no, void
	Note   string  `json:"note,omitempty"`
}

// Growth compares how p50 grows from the smallest to the largest scale.
type Growth struct {
	Query     string  `json:"query"`
	From, To  int     `json:"-"`
	FromNodes int     `json:"fromNodes"`
	ToNodes   int     `json:"toNodes"`
	Vetgraph  float64 `json:"vetgraphGrowth"`
	Floor     float64 `json:"floorGrowth"`
	Relative  float64 `json:"vetgraphOverFloorGrowth"`
	Met       string  `json:"met"`
}

// appendEarlier keeps the scales of an earlier report that this run does
// not measure, with a note: their numbers come from another run.
func (r *Report) appendEarlier(path string, measuring []int) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var old Report
	if json.Unmarshal(b, &old) != nil {
		return
	}
	for _, s := range old.Scales {
		again := false
		for _, n := range measuring {
			again = again || n == s.Nodes
		}
		if again && s.Writes != nil {
			if r.earlierWrites == nil {
				r.earlierWrites = map[int]*WriteResult{}
			}
			r.earlierWrites[s.Nodes] = s.Writes
		}
		if !again {
			s.Notes = append(s.Notes, "measured in an earlier run started "+old.Started+": ratios across scales mix two runs")
			r.Scales = append(r.Scales, s)
			r.Notes = append(r.Notes, fmt.Sprintf("%d nodes: from the run started %s", s.Nodes, old.Started))
		}
	}
	r.Notes = append(r.Notes, old.Notes...)
}

func queryInfos(names []string) []QueryInfo {
	var out []QueryInfo
	for _, n := range names {
		q, _ := queryByName(n)
		qi := QueryInfo{Name: n, About: q.About, Vetgraph: q.Vetgraph, Peer: q.Peer}
		if fq, ok := floorCypher(n); ok {
			qi.Floor = strings.TrimSpace(fq)
		}
		out = append(out, qi)
	}
	return out
}

func machine() map[string]string {
	m := map[string]string{"cpus": fmt.Sprint(runtime.NumCPU()), "go": runtime.Version(), "os": runtime.GOOS + "/" + runtime.GOARCH}
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		m["node"] = strings.TrimSpace(string(out))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m["memory"] = strings.TrimSpace(strings.TrimPrefix(strings.Split(string(b), "\n")[0], "MemTotal:"))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m["loadavgAtStart"] = strings.TrimSpace(string(b))
	}
	return m
}

func (s *ScaleResult) cell(q, t string) *Cell {
	for i := range s.Cells {
		if s.Cells[i].Query == q && s.Cells[i].Target == t {
			return &s.Cells[i]
		}
	}
	return nil
}

func div(a, b float64) float64 {
	if b == 0 || a == 0 {
		return 0
	}
	return a / b
}

func (r *Report) compute() {
	r.Ratios, r.Targets, r.Growth = nil, nil, nil
	r.Notes = uniqueNotes(r.Notes)
	for _, s := range r.Scales {
		for _, q := range r.Queries {
			v, p, f := s.cell(q.Name, "vetgraph"), s.cell(q.Name, "peer"), s.cell(q.Name, "floor")
			if v == nil || p == nil || f == nil {
				continue
			}
			ra := Ratio{Nodes: s.Nodes, Query: q.Name, HitsVetgraph: v.DBHits, HitsPeer: p.DBHits, HitsFloor: f.DBHits}
			ra.VoidFloor = firstNonEmpty(v.Void, f.Void)
			ra.VoidPeer = firstNonEmpty(v.Void, p.Void)
			// Judged as the writes are: the median of the per-repetition
			// ratios (a repetition runs the targets of a query back to back,
			// while Neo4j's speed drifts 2–3× over a run); the ratio of the
			// medians is kept beside it.
			ra.Spread = map[string]string{}
			judge := func(name string, a, b *Cell, of func(Run) float64, whole float64) float64 {
				rs := pairedRatios(a, b, of)
				if len(rs) == 0 {
					return whole
				}
				ra.Spread[name] = fmt.Sprintf("%s; ratio of the medians %.2f", pairedText(rs), whole)
				return median(rs)
			}
			p50 := func(r Run) float64 { return r.P50ms }
			rps := func(r Run) float64 { return r.RPS }
			if ra.VoidFloor == "" {
				ra.P50VsFloor = judge("p50VsFloor", v, f, p50, div(v.P50ms, f.P50ms))
				ra.RPSVsFloor = judge("rpsVsFloor", v, f, rps, div(v.RPS, f.RPS))
			}
			if ra.VoidPeer == "" {
				ra.P50VsPeer = judge("p50VsPeer", v, p, p50, div(v.P50ms, p.P50ms))
				ra.RPSVsPeer = judge("rpsVsPeer", v, p, rps, div(v.RPS, p.RPS))
				ra.P99VsPeer = judge("p99VsPeer", v, p, func(r Run) float64 { return r.P99ms }, div(v.P99ms, p.P99ms))
				ra.CPUVsPeer = judge("cpuVsPeer", v, p, func(r Run) float64 { return r.CPUmsPerReq }, div(v.CPUmsPerReq, p.CPUmsPerReq))
				ra.RSSVsPeer = div(v.PeakRSSMiB, p.PeakRSSMiB) // the peak over the run, not per repetition
			}
			r.Ratios = append(r.Ratios, ra)
		}
	}
	// The targets, at 100k nodes (or the scale nearest to it).
	ts := 0
	for _, s := range r.Scales {
		if ts == 0 || math.Abs(math.Log(float64(s.Nodes)/1e5)) < math.Abs(math.Log(float64(ts)/1e5)) {
			ts = s.Nodes
		}
	}
	for _, ra := range r.Ratios {
		if ra.Nodes != ts || r.Smoke {
			continue
		}
		add := func(name string, value, limit float64, lowerIsBetter bool, void string, spread ...string) {
			tc := TargetCheck{Target: name, Query: ra.Query, Nodes: ts, Value: round3(value), Limit: limit}
			if len(spread) > 0 && void == "" {
				tc.Note = ra.Spread[spread[0]]
			}
			switch {
			case void != "":
				tc.Met, tc.Note = "void", void
			case value == 0:
				tc.Met, tc.Note = "void", "not measured"
			case lowerIsBetter && value <= limit, !lowerIsBetter && value >= limit:
				tc.Met = "yes"
			default:
				tc.Met = "no"
			}
			r.Targets = append(r.Targets, tc)
		}
		floorLimit := 1.3
		if ra.Query == "search" || ra.Query == "path" || ra.Query == "neighborhood" {
			floorLimit = 1.15
		}
		add("p50 vetgraph/floor ≤", ra.P50VsFloor, floorLimit, true, ra.VoidFloor, "p50VsFloor")
		switch ra.Query {
		case "point", "page":
			add("throughput vetgraph/peer ≥", ra.RPSVsPeer, 3, false, ra.VoidPeer, "rpsVsPeer")
		case "twohop", "search":
			add("throughput vetgraph/peer ≥", ra.RPSVsPeer, 2, false, ra.VoidPeer, "rpsVsPeer")
		}
		add("p99 vetgraph/peer ≤", ra.P99VsPeer, 1, true, ra.VoidPeer, "p99VsPeer")
		add("CPU per request vetgraph/peer ≤", ra.CPUVsPeer, 0.2, true, ra.VoidPeer, "cpuVsPeer")
		add("peak RSS vetgraph/peer ≤", ra.RSSVsPeer, 0.25, true, ra.VoidPeer)
		hv := ""
		if ra.HitsVetgraph < 0 || ra.HitsPeer < 0 {
			hv = "db hits not captured"
		}
		add("db hits vetgraph/peer ≤", div(float64(ra.HitsVetgraph), float64(ra.HitsPeer)), 1, true, hv)
	}
	r.computeWrites()
	if len(r.Scales) >= 2 && !r.Smoke {
		lo, hi := r.Scales[0], r.Scales[len(r.Scales)-1]
		for _, q := range r.Queries {
			vl, vh, fl, fh := lo.cell(q.Name, "vetgraph"), hi.cell(q.Name, "vetgraph"), lo.cell(q.Name, "floor"), hi.cell(q.Name, "floor")
			if vl == nil || vh == nil || fl == nil || fh == nil {
				continue
			}
			g := Growth{Query: q.Name, FromNodes: lo.Nodes, ToNodes: hi.Nodes}
			g.Vetgraph, g.Floor = round3(div(vh.P50ms, vl.P50ms)), round3(div(fh.P50ms, fl.P50ms))
			g.Relative = round3(div(g.Vetgraph, g.Floor))
			switch {
			case firstNonEmpty(vl.Void, vh.Void, fl.Void, fh.Void) != "" || g.Relative == 0:
				g.Met = "void"
			case g.Relative <= 1.10:
				g.Met = "yes"
			default:
				g.Met = "no"
			}
			r.Growth = append(r.Growth, g)
		}
	}
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func (r *Report) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := r.name()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
		return err
	}
	if !r.Smoke {
		if err := os.WriteFile(filepath.Join(dir, "latency.svg"), []byte(r.svg()), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, name+".md"), []byte(r.markdown()), 0o644)
}

func f2(x float64) string {
	if x == 0 {
		return "–"
	}
	if x >= 100 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

func hits(n int64) string {
	if n < 0 {
		return "?"
	}
	return fmt.Sprint(n)
}

func human(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

func (r *Report) markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	title := "vetgraph benchmark: vetgraph vs @neo4j/graphql (peer) vs raw Bolt (floor)"
	if r.Smoke {
		title = "vetgraph benchmark smoke run (correctness only)"
	}
	w("# %s\n\n", title)
	w("Generated by `go run ./bench/cmd/vetbench` (`make bench`), started %s, finished %s.\n\n", r.Started, r.Finished)
	w("**One run, on a shared 2-core machine**: vegeta, the three servers and Neo4j share the same %s CPUs with other engineers' work, so absolute numbers are noisy and do not carry from run to run; the ratios, measured in one run against one Neo4j with interleaved, shuffled repetitions, are the result. Machine: %v.\n\n", r.Machine["cpus"], r.Machine)
	w("Settings: seed %d, %d concurrent clients (vegeta as a Go library, keep-alive), %d repetition(s) of %s per (query, target) after a warm-up, targets shuffled per query and repetition; Bolt pool %d for every target; database `neo4j`; read transactions; no response caching. Cells show the median over repetitions (peak RSS: the maximum).\n\n",
		r.Seed, r.Concurrency, r.Reps, r.Duration, r.Pool)
	for _, n := range r.Notes {
		w("- note: %s\n", n)
	}
	if len(r.Notes) > 0 {
		w("\n")
	}

	if !r.Smoke {
		w("## Ratios per query and scale\n\n")
		w("p50 and throughput of vetgraph over the floor's; throughput, p99, CPU per request and peak RSS of vetgraph over the peer's; PROFILE db hits per request of each target's Cypher. Each ratio is the median of the per-repetition ratios (a repetition runs a query's targets back to back, while Neo4j's speed drifts through a run), RSS the ratio of the peaks; the targets below give each ratio's spread and the ratio of the medians. – means void (see the checks) or not measured.\n\n")
		w("| nodes | query | p50 v/floor | rps v/floor | rps v/peer | p50 v/peer | p99 v/peer | CPU/req v/peer | RSS v/peer | db hits vetgraph / peer / floor |\n|---|---|---|---|---|---|---|---|---|---|\n")
		for _, ra := range r.Ratios {
			w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s |\n", human(ra.Nodes), ra.Query, f2(ra.P50VsFloor), f2(ra.RPSVsFloor), f2(ra.RPSVsPeer), f2(ra.P50VsPeer), f2(ra.P99VsPeer),
				f2(ra.CPUVsPeer), f2(ra.RSSVsPeer), hits(ra.HitsVetgraph), hits(ra.HitsPeer), hits(ra.HitsFloor))
		}
		w("\n![p50 latency against graph size](latency.svg)\n\n")
		if len(r.Targets) > 0 {
			w("## The issue's targets (%s nodes, %d clients, median of the per-repetition ratios)\n\n", human(r.Targets[0].Nodes), r.Concurrency)
			w("| target | query | value | limit | met |\n|---|---|---|---|---|\n")
			met, missed, void := 0, 0, 0
			for _, t := range r.Targets {
				note := ""
				if t.Note != "" {
					note = " (" + tail(t.Note, 120) + ")"
				}
				w("| %s | %s | %s | %g | %s%s |\n", t.Target, t.Query, f2(t.Value), t.Limit, t.Met, note)
				switch t.Met {
				case "yes":
					met++
				case "no":
					missed++
				default:
					void++
				}
			}
			w("\n%d met, %d missed, %d void.\n\n", met, missed, void)
		}
		if len(r.Growth) > 0 {
			w("## Growth of p50 with graph size\n\n| query | from | to | vetgraph p50 growth | floor p50 growth | vetgraph/floor | within 10%% |\n|---|---|---|---|---|---|---|\n")
			for _, g := range r.Growth {
				w("| %s | %s | %s | %s× | %s× | %s | %s |\n", g.Query, human(g.FromNodes), human(g.ToNodes), f2(g.Vetgraph), f2(g.Floor), f2(g.Relative), g.Met)
			}
			w("\n")
		}
	}
	r.writesMarkdown(&b)
	for _, s := range r.Scales {
		if len(s.Cells) == 0 && len(s.Checks) == 0 {
			continue // writes only
		}
		w("## %s nodes\n\n", human(s.Nodes))
		w("Graph in Neo4j: %v", s.Graph)
		if s.LoadSecs > 0 {
			w("; generated and loaded in %.0f s through store.BulkLoad", s.LoadSecs)
		}
		w(". Variables: `%s`.\n\n", mustJSON(s.Vars))
		for _, n := range s.Notes {
			w("- note: %s\n", n)
		}
		w("Correctness (each answer normalised to ids, compared with the floor's):\n\n| query | equal | detail |\n|---|---|---|\n")
		for _, c := range s.Checks {
			w("| %s | %v | %s |\n", c.Query, c.Equal, strings.ReplaceAll(tail(c.Detail, 400), "|", "\\|"))
		}
		w("\n| query | target | req/s | p50 ms | p99 ms | CPU ms/req | peak RSS MiB | db hits | statements | void |\n|---|---|---|---|---|---|---|---|---|---|\n")
		for _, c := range s.Cells {
			w("| %s | %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", c.Query, c.Target, f2(c.RPS), f2(c.P50ms), f2(c.P99ms), f2(c.CPUmsPerReq), f2(c.PeakRSSMiB),
				hits(c.DBHits), c.Statements, strings.ReplaceAll(tail(c.Void, 160), "|", "\\|"))
		}
		w("\n")
	}
	w("## Queries\n\n")
	for _, q := range r.Queries {
		w("### %s: %s\n\nvetgraph:\n```graphql\n%s\n```\npeer:\n```graphql\n%s\n```\nfloor:\n```cypher\n%s\n```\n\n", q.Name, q.About, q.Vetgraph, q.Peer, q.Floor)
	}
	w("The Cypher each target sent per request (captured through a Bolt proxy) is in report.json (`cells[].cypher`).\n")
	return b.String()
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// svg draws p50 latency against graph size, one panel per query, one line
// per target, log-log.
func (r *Report) svg() string {
	const pw, ph, cols, margin = 300, 220, 3, 50
	rows := (len(r.Queries) + cols - 1) / cols
	W, H := cols*(pw+margin)+margin, rows*(ph+margin)+margin+30
	colors := map[string]string{"vetgraph": "#1f77b4", "peer": "#d62728", "floor": "#2ca02c"}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", W, H)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%d" y="20" font-size="14">p50 latency (ms, log) against graph size (nodes, log); %d clients</text>`+"\n", margin, r.Concurrency)
	for i, t := range targetNames {
		fmt.Fprintf(&b, `<rect x="%d" y="28" width="12" height="4" fill="%s"/><text x="%d" y="34">%s</text>`+"\n", margin+i*90, colors[t], margin+16+i*90, t)
	}
	var nodes []int
	for _, s := range r.Scales {
		nodes = append(nodes, s.Nodes)
	}
	sort.Ints(nodes)
	if len(nodes) == 0 {
		b.WriteString("</svg>\n")
		return b.String()
	}
	xmin, xmax := math.Log10(float64(nodes[0])), math.Log10(float64(nodes[len(nodes)-1]))
	if xmax == xmin {
		xmin, xmax = xmin-0.5, xmax+0.5
	}
	for qi, q := range r.Queries {
		ox := margin + (qi%cols)*(pw+margin)
		oy := 50 + margin/2 + (qi/cols)*(ph+margin)
		ymin, ymax := math.Inf(1), math.Inf(-1)
		for _, s := range r.Scales {
			for _, t := range targetNames {
				if c := s.cell(q.Name, t); c != nil && c.P50ms > 0 && c.Void == "" {
					ymin, ymax = math.Min(ymin, math.Log10(c.P50ms)), math.Max(ymax, math.Log10(c.P50ms))
				}
			}
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/><text x="%d" y="%d" font-size="12">%s</text>`+"\n", ox, oy, pw, ph, ox, oy-6, q.Name)
		if math.IsInf(ymin, 0) {
			continue
		}
		ymin, ymax = math.Floor(ymin), math.Ceil(ymax)
		if ymax == ymin {
			ymax++
		}
		px := func(n int) float64 {
			return float64(ox) + 10 + (math.Log10(float64(n))-xmin)/(xmax-xmin)*float64(pw-20)
		}
		py := func(v float64) float64 { return float64(oy+ph) - 10 - (math.Log10(v)-ymin)/(ymax-ymin)*float64(ph-20) }
		for e := ymin; e <= ymax; e++ {
			y := py(math.Pow(10, e))
			fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#eee"/><text x="%d" y="%.1f" text-anchor="end">%g</text>`+"\n", ox, ox+pw, y, y, ox-3, y+4, math.Pow(10, e))
		}
		for _, n := range nodes {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", px(n), oy+ph+14, human(n))
		}
		for _, t := range targetNames {
			var pts []string
			for _, s := range r.Scales {
				if c := s.cell(q.Name, t); c != nil && c.P50ms > 0 && c.Void == "" {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(s.Nodes), py(c.P50ms)))
					fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", px(s.Nodes), py(c.P50ms), colors[t])
				}
			}
			if len(pts) > 1 {
				fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), colors[t])
			}
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// uniqueNotes drops repeated notes, keeping the first of each in order: a
// report merged from earlier runs (-append, -writes only) carries their
// notes once.
func uniqueNotes(notes []string) []string {
	seen := make(map[string]bool, len(notes))
	out := notes[:0]
	for _, n := range notes {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
