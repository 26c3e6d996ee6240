// Command vetbench benchmarks vetgraph side by side with the peer
// (@neo4j/graphql 7 on graphql-yoga, bench/peer) and the floor (the reference
// Cypher over the Go driver with no GraphQL, bench/cmd/floor), on generated
// graphs (bench/gen) in one Neo4j per scale, and writes bench/report.md,
// bench/report.json and bench/latency.svg.
//
//	go run ./bench/cmd/vetbench                       # make bench: 10k, 100k, 1M
//	go run ./bench/cmd/vetbench -smoke                # make bench-smoke: ~2k nodes, correctness only
//
// For each scale: start a Neo4j of its own (scripts/neo4j, unless NEO4J_URI is
// set), generate and load the graph in batches through store.BulkLoad
// (skipped when the database already holds that graph), pick the query
// variables with Cypher, start the three targets, check that every target's
// answer to every query equals the floor's (a mismatch voids that cell),
// capture each target's Cypher through a Bolt proxy and PROFILE it for db
// hits, then load each target with vegeta at fixed concurrency, query by
// query, targets in shuffled order, repetitions interleaved.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/vetgraph/vetgraph/bench/boltcap"
	"github.com/vetgraph/vetgraph/bench/floor"
	"github.com/vetgraph/vetgraph/bench/gen"
	"github.com/vetgraph/vetgraph/internal/repodir"
	"github.com/vetgraph/vetgraph/internal/store"
)

var targetNames = []string{"vetgraph", "peer", "floor"}

type options struct {
	scales      []int
	reps        int
	duration    time.Duration
	warmup      time.Duration
	concurrency int
	seed        int64
	pool        int
	smoke       bool
	out         string
	neo4jDir    string
	neo4jPort   int
	basePort    int
	javaOpts    func(scale int) string
	queries     []string
	keep        bool
	// The write benchmark (writes.go).
	writes      string // on, off, only
	writeConc   int
	writeWarmup time.Duration
	restart     bool
	restartRate float64
	restartFor  time.Duration
	importRows  int
}

var start = time.Now()

// cleanups stop what the harness started, also when it is interrupted.
var (
	cleanupMu sync.Mutex
	cleanups  = map[int]func(){}
	nextID    int
)

func atExit(f func()) (remove func()) {
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	id := nextID
	nextID++
	cleanups[id] = f
	return func() {
		cleanupMu.Lock()
		delete(cleanups, id)
		cleanupMu.Unlock()
	}
}

func runCleanups() {
	cleanupMu.Lock()
	fs := cleanups
	cleanups = map[int]func(){}
	cleanupMu.Unlock()
	for _, f := range fs {
		f()
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func main() {
	var o options
	scales := flag.String("scales", "10000,100000,1000000", "graph sizes (entities), comma-separated")
	flag.IntVar(&o.reps, "reps", 3, "repetitions of every (query, target) load run, interleaved")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "length of one load run")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unrecorded load before the first run of each (query, target)")
	flag.IntVar(&o.concurrency, "c", 16, "concurrent clients")
	flag.Int64Var(&o.seed, "seed", 20240601, "generator seed")
	flag.IntVar(&o.pool, "pool", 50, "Bolt connection pool size of every target")
	flag.BoolVar(&o.smoke, "smoke", false, "CI smoke run: a ~2k-node graph, correctness and db hits only, no load")
	flag.StringVar(&o.out, "out", "bench", "directory for report.md, report.json and latency.svg")
	flag.StringVar(&o.neo4jDir, "neo4j-dir", ".neo4j-bench", "parent directory of the per-scale Neo4j data directories")
	flag.IntVar(&o.neo4jPort, "neo4j-port", 7705, "Bolt port of the bench Neo4j")
	flag.IntVar(&o.basePort, "port", 7711, "first HTTP port of the targets (uses 6)")
	heapSmall := flag.String("java-opts", "-Xms1g -Xmx2g", "JVM options of the bench Neo4j up to 100k nodes")
	heapLarge := flag.String("java-opts-large", "-Xms2g -Xmx4g", "JVM options of the bench Neo4j above 100k nodes")
	only := flag.String("queries", "", "run only these queries (comma-separated)")
	flag.BoolVar(&o.keep, "keep", true, "keep the per-scale databases for the next run")
	rewrite := flag.Bool("rewrite", false, "only recompute the ratios of the existing report.json and write report.md and latency.svg again")
	note := flag.String("note", "", "a note to add to the report")
	appendTo := flag.Bool("append", false, "keep the scales of the existing report.json that this run does not measure (marked as from an earlier run)")
	flag.StringVar(&o.writes, "writes", "on", "the write benchmark after the reads: on, off, or only (the writes alone, put into the existing report.json beside its reads)")
	flag.IntVar(&o.writeConc, "write-c", 16, "concurrent clients of the addRelation load")
	flag.DurationVar(&o.writeWarmup, "write-warmup", 90*time.Second, "unrecorded addRelation load before the first repetition, the targets taking turns in slices of -warmup (a freshly started Neo4j writes several times faster after a minute or two)")
	flag.BoolVar(&o.restart, "restart", true, "write across a restart of the harness's Neo4j (not in -smoke)")
	flag.Float64Var(&o.restartRate, "restart-rate", 20, "writes per second during the restart run")
	flag.DurationVar(&o.restartFor, "restart-for", 30*time.Second, "length of the restart run (Neo4j is stopped after a third of it)")
	flag.IntVar(&o.importRows, "import-rows", 5000, "entities imported per run of the import measurement")
	flag.Parse()
	if o.writes != "on" && o.writes != "off" && o.writes != "only" {
		fatal("-writes must be on, off or only, not %q", o.writes)
	}
	if o.restartRate <= 0 || o.restartFor <= 0 {
		fatal("-restart-rate and -restart-for must be positive")
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		logf("interrupted: stopping the targets and Neo4j")
		runCleanups()
		os.Exit(2)
	}()
	if o.smoke {
		*scales = "2000"
		o.reps = 1
	}
	for _, s := range strings.Split(*scales, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 500 {
			fatal("bad -scales %q", *scales)
		}
		o.scales = append(o.scales, n)
	}
	o.javaOpts = func(scale int) string {
		if scale > 100_000 {
			return *heapLarge
		}
		return *heapSmall
	}
	for _, q := range queries {
		if *only == "" || strings.Contains(","+*only+",", ","+q.Name+",") {
			o.queries = append(o.queries, q.Name)
		}
	}
	root, err := repodir.Root()
	if err != nil {
		fatal("%v", err)
	}
	if !filepath.IsAbs(o.out) {
		o.out = filepath.Join(root, o.out)
	}
	if *rewrite {
		b, err := os.ReadFile(filepath.Join(o.out, "report.json"))
		if err != nil {
			fatal("%v", err)
		}
		var old Report
		if err := json.Unmarshal(b, &old); err != nil {
			fatal("%v", err)
		}
		if *note != "" {
			old.Notes = append(old.Notes, *note)
		}
		old.compute()
		if err := old.write(o.out); err != nil {
			fatal("%v", err)
		}
		return
	}
	rep := &Report{
		Started: time.Now().UTC().Format(time.RFC3339), Seed: o.seed, Concurrency: o.concurrency, Reps: o.reps,
		Duration: o.duration.String(), Pool: o.pool, Smoke: o.smoke, Queries: queryInfos(o.queries), Machine: machine(),
	}
	if err := build(root); err != nil {
		fatal("%v", err)
	}
	if out, err := execCommand(root, "git", "describe", "--always", "--dirty", "--exclude", "*").Output(); err == nil {
		rep.Machine["vetgraphCommit"] = strings.TrimSpace(string(out))
	}
	if *note != "" {
		rep.Notes = append(rep.Notes, *note)
	}
	if *appendTo {
		rep.appendEarlier(filepath.Join(o.out, "report.json"), o.scales)
	}
	if o.writes == "only" {
		// The reads stay those of the existing report; only the write
		// results of the scales measured now are replaced.
		if old, err := os.ReadFile(filepath.Join(o.out, rep.name()+".json")); err == nil {
			var prev Report
			if err := json.Unmarshal(old, &prev); err != nil {
				fatal("-writes only: %s.json: %v", rep.name(), err)
			}
			prev.Notes = append(prev.Notes, rep.Notes...)
			rep = &prev
		} else {
			rep.Queries = nil
		}
	}
	for _, scale := range o.scales {
		sr, err := runScale(root, o, scale)
		if sr != nil {
			rep.addScale(*sr, o.writes == "only")
		}
		if err != nil {
			logf("scale %d: %v", scale, err)
			rep.Notes = append(rep.Notes, fmt.Sprintf("scale %d failed: %v", scale, err))
		}
		sort.Slice(rep.Scales, func(i, j int) bool { return rep.Scales[i].Nodes < rep.Scales[j].Nodes })
		if o.writes != "only" { // else Started and Finished stay the reads'; the writes carry their own
			rep.Finished = time.Now().UTC().Format(time.RFC3339)
		}
		rep.compute()
		if err := rep.write(o.out); err != nil { // after every scale: a long run keeps what it measured
			fatal("%v", err)
		}
	}
	logf("wrote the report in %s", o.out)
	if o.smoke {
		bad, total := 0, 0
		for _, s := range rep.Scales {
			for _, c := range s.Checks {
				total++
				if !c.Equal {
					bad++
					fmt.Printf("bench-smoke: %s at %d nodes: %s\n", c.Query, s.Nodes, c.Detail)
				}
			}
			if o.writes == "off" {
				continue
			}
			wr := s.Writes
			if wr == nil {
				total++
				bad++
				fmt.Printf("bench-smoke: writes at %d nodes: not run\n", s.Nodes)
				continue
			}
			for _, c := range wr.Checks {
				total++
				if !c.OK {
					bad++
					fmt.Printf("bench-smoke: writes at %d nodes: %s: %s\n", s.Nodes, c.Name, c.Detail)
				}
			}
			for _, c := range wr.Concurrent {
				total++
				if !c.Met {
					bad++
					fmt.Printf("bench-smoke: writes at %d nodes: %d concurrent %s (key %s): %d ok, %d %s, %d change entries %v\n",
						s.Nodes, c.Requests, c.Mutation, c.Key, c.OK, c.Count, c.What, c.Changes, c.Errors)
				}
			}
		}
		fmt.Printf("bench-smoke: %d passed, %d failed\n", total-bad, bad)
		if bad > 0 || len(rep.Scales) == 0 {
			os.Exit(1)
		}
	}
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "vetbench: "+format+"\n", args...)
	os.Exit(1)
}

func build(root string) error {
	for _, b := range [][2]string{{"bench/.bin/vetgraph", "./cmd/vetgraph"}, {"bench/.bin/floor", "./bench/cmd/floor"}} {
		cmd := execCommand(root, "go", "build", "-o", b[0], b[1])
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", b[1], err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "bench/peer/node_modules/@neo4j/graphql")); err != nil {
		cmd := execCommand(filepath.Join(root, "bench/peer"), "npm", "ci", "--no-audit", "--no-fund")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("npm ci in bench/peer: %w\n%s", err, out)
		}
	}
	return nil
}

// ---- one scale ----

// ScaleResult is everything measured at one graph size.
type ScaleResult struct {
	Nodes    int                       `json:"nodes"`
	Graph    map[string]int64          `json:"graph"` // counts in Neo4j
	LoadSecs float64                   `json:"loadSeconds,omitempty"`
	Vars     map[string]map[string]any `json:"variables"`
	Checks   []Check                   `json:"checks"`
	Cells    []Cell                    `json:"cells"`
	Writes   *WriteResult              `json:"writes,omitempty"` // writes.go
	Notes    []string                  `json:"notes,omitempty"`
}

// Check is the correctness check of one query at one scale.
type Check struct {
	Query   string              `json:"query"`
	Equal   bool                `json:"equal"`
	Answers map[string][]string `json:"answers"`
	Detail  string              `json:"detail,omitempty"`
	Void    []string            `json:"void,omitempty"` // targets whose cells are void
}

// Cell is one (query, target) at one scale.
type Cell struct {
	Query       string   `json:"query"`
	Target      string   `json:"target"`
	Void        string   `json:"void,omitempty"`
	Runs        []Run    `json:"runs,omitempty"`
	P50ms       float64  `json:"p50ms"`
	P95ms       float64  `json:"p95ms,omitempty"`
	P99ms       float64  `json:"p99ms"`
	RPS         float64  `json:"rps"`
	CPUmsPerReq float64  `json:"cpuMsPerRequest"`
	PeakRSSMiB  float64  `json:"peakRssMiB"`
	DBHits      int64    `json:"dbHits"` // -1 unknown
	Statements  int      `json:"statements"`
	Cypher      []string `json:"cypher,omitempty"`
	StmtHits    []int64  `json:"statementDbHits,omitempty"`
}

// Run is one load run.
type Run struct {
	Rep         int     `json:"rep"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	RPS         float64 `json:"rps"`
	P50ms       float64 `json:"p50ms"`
	P95ms       float64 `json:"p95ms,omitempty"`
	P99ms       float64 `json:"p99ms"`
	CPUmsPerReq float64 `json:"cpuMsPerRequest"`
	PeakRSSMiB  float64 `json:"peakRssMiB"`
	FirstError  string  `json:"firstError,omitempty"`
}

func runScale(root string, o options, scale int) (*ScaleResult, error) {
	ctx := context.Background()
	sr := &ScaleResult{Nodes: scale, Vars: map[string]map[string]any{}}
	boltURI := os.Getenv("NEO4J_URI")
	owned := boltURI == ""
	dir := filepath.Join(o.neo4jDir, fmt.Sprintf("n%d", scale))
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	if owned {
		boltURI = fmt.Sprintf("bolt://127.0.0.1:%d", o.neo4jPort)
		if err := neo4jScript(ctx, root, "start", dir, o.neo4jPort, o.javaOpts(scale)); err != nil {
			return nil, fmt.Errorf("start neo4j: %w", err)
		}
		stopNeo := func() {
			_ = neo4jScript(context.Background(), root, "stop", dir, o.neo4jPort, o.javaOpts(scale))
			if !o.keep {
				_ = os.RemoveAll(dir)
			}
		}
		remove := atExit(stopNeo)
		defer func() { remove(); stopNeo() }()
	}
	driver, err := floor.Driver(boltURI, os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"), o.pool)
	if err != nil {
		return nil, err
	}
	defer driver.Close(ctx)
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return nil, err
	}
	loaded, secs, err := ensureGraph(ctx, driver, o.seed, scale, owned)
	if err != nil {
		return sr, err
	}
	if loaded {
		sr.LoadSecs = secs
	}
	sr.Graph = graphCounts(ctx, driver)
	logf("scale %d: graph %v", scale, sr.Graph)
	logDir := filepath.Join(root, "bench/.logs")
	_ = os.MkdirAll(logDir, 0o755)
	if o.writes != "only" {
		if err := runReads(ctx, root, o, scale, sr, driver, boltURI, logDir); err != nil {
			return sr, err
		}
	}
	if o.writes != "off" {
		wr, err := runWrites(ctx, &writeEnv{
			root: root, o: o, scale: scale, driver: driver, boltURI: boltURI,
			neo4jDir: dir, owned: owned, logDir: logDir,
		})
		sr.Writes = wr
		if err != nil {
			return sr, fmt.Errorf("writes: %w", err)
		}
	}
	return sr, nil
}

// runReads runs the read benchmark at one scale into sr: variables,
// captured Cypher and db hits, correctness, load.
func runReads(ctx context.Context, root string, o options, scale int, sr *ScaleResult, driver neo4j.DriverWithContext, boltURI, logDir string) error {
	vars, notes := pickVariables(ctx, driver, scale)
	sr.Vars = vars
	sr.Notes = append(sr.Notes, notes...)
	logf("scale %d: variables %v", scale, vars)

	// 1. capture each target's Cypher through the Bolt proxy, and PROFILE it.
	hostPort := strings.TrimPrefix(strings.TrimPrefix(boltURI, "bolt://"), "neo4j://")
	proxy, err := boltcap.Listen(hostPort)
	if err != nil {
		return err
	}
	defer proxy.Close()
	captured := map[string]map[string][]boltcap.Statement{} // target → query → statements
	for i, tn := range targetNames {
		t, err := startTarget(root, tn, o.basePort+3+i, "bolt://"+proxy.Addr(), o.pool, logDir)
		if err != nil {
			return fmt.Errorf("capture instance: %w", err)
		}
		captured[tn] = map[string][]boltcap.Statement{}
		for _, qn := range o.queries {
			q, _ := queryByName(qn)
			if tn == "peer" && q.Peer == "" {
				continue
			}
			proxy.Take()
			_, _ = ask(t, q, vars[qn])
			time.Sleep(50 * time.Millisecond)
			stmts, errs := proxy.Take()
			if len(errs) > 0 {
				logf("capture %s %s: %v", tn, qn, errs)
			}
			// the peer's one-time server version check on its first request
			kept := stmts[:0]
			for _, st := range stmts {
				if !strings.Contains(st.Query, "dbms.components()") {
					kept = append(kept, st)
				}
			}
			captured[tn][qn] = kept
		}
		t.stop()
	}

	// 2. the timed instances; correctness first.
	targets := map[string]*target{}
	defer func() {
		for _, t := range targets {
			t.stop()
		}
	}()
	for i, tn := range targetNames {
		t, err := startTarget(root, tn, o.basePort+i, boltURI, o.pool, logDir)
		if err != nil {
			return err
		}
		targets[tn] = t
	}
	void := map[string]map[string]string{} // query → target → reason
	for _, qn := range o.queries {
		q, _ := queryByName(qn)
		c := Check{Query: qn, Answers: map[string][]string{}}
		void[qn] = map[string]string{}
		problems := map[string]string{}
		for _, tn := range targetNames {
			if tn == "peer" && q.Peer == "" {
				problems[tn] = noPeer
				continue
			}
			got, err := ask(targets[tn], q, vars[qn])
			if err != nil { // once more: the machine is shared, a timeout may pass
				time.Sleep(2 * time.Second)
				got, err = ask(targets[tn], q, vars[qn])
			}
			if err != nil {
				problems[tn] = err.Error()
				continue
			}
			c.Answers[tn] = got
		}
		ref, hasRef := c.Answers["floor"]
		if !hasRef {
			for _, tn := range targetNames {
				if _, ok := problems[tn]; !ok {
					problems[tn] = "no floor answer to compare with"
				}
			}
		} else if len(ref) == 0 {
			problems["floor"] = "empty answer: the variables select nothing"
		}
		for _, tn := range targetNames {
			if tn == "floor" || problems[tn] != "" || !hasRef {
				continue
			}
			if !agrees(q, c.Answers[tn], ref) {
				problems[tn] = fmt.Sprintf("answer differs from the floor's: %v vs %v", short(c.Answers[tn]), short(ref))
			}
		}
		c.Equal = true // a target that has no form of the query is not a disagreement
		for _, p := range problems {
			c.Equal = c.Equal && p == noPeer
		}
		var det []string
		for _, tn := range targetNames {
			if p := problems[tn]; p != "" {
				det = append(det, tn+": "+p)
				c.Void = append(c.Void, tn)
				void[qn][tn] = p
			}
		}
		c.Detail = strings.Join(det, "; ")
		logf("scale %d check %s: equal=%v %s", scale, qn, c.Equal, c.Detail)
		sr.Checks = append(sr.Checks, c)
	}

	// 3. db hits of the captured statements.
	cells := map[string]*Cell{}
	for _, qn := range o.queries {
		for _, tn := range targetNames {
			c := &Cell{Query: qn, Target: tn, DBHits: -1}
			if r := void[qn][tn]; r != "" {
				c.Void = r
			}
			stmts := captured[tn][qn]
			c.Statements = len(stmts)
			if len(stmts) > 0 {
				c.DBHits = 0
			}
			for _, s := range stmts {
				c.Cypher = append(c.Cypher, strings.TrimSpace(s.Query))
				h, err := profile(ctx, driver, s)
				if err != nil {
					logf("profile %s %s: %v", tn, qn, err)
					c.DBHits = -1
					break
				}
				c.DBHits += h
				c.StmtHits = append(c.StmtHits, h)
			}
			cells[qn+"/"+tn] = c
		}
	}

	// 4. load.
	if !o.smoke {
		rng := rand.New(rand.NewSource(o.seed + int64(scale)))
		warm := map[string]bool{}
		for rep := 0; rep < o.reps; rep++ {
			for _, qn := range o.queries {
				order := append([]string(nil), targetNames...)
				rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
				for _, tn := range order {
					c := cells[qn+"/"+tn]
					if c.Void != "" {
						continue
					}
					q, _ := queryByName(qn)
					if !warm[qn+"/"+tn] && o.warmup > 0 {
						attack(targets[tn], q, vars[qn], o.concurrency, o.warmup)
						warm[qn+"/"+tn] = true
					}
					r := attack(targets[tn], q, vars[qn], o.concurrency, o.duration)
					r.Rep = rep
					c.Runs = append(c.Runs, r)
					logf("scale %d rep %d %-12s %-8s %7.1f req/s p50 %7.2f ms p99 %7.2f ms cpu %.2f ms/req rss %.0f MiB errors %d",
						scale, rep, qn, tn, r.RPS, r.P50ms, r.P99ms, r.CPUmsPerReq, r.PeakRSSMiB, r.Errors)
				}
			}
		}
	}
	for _, qn := range o.queries {
		for _, tn := range targetNames {
			c := cells[qn+"/"+tn]
			c.summarise()
			sr.Cells = append(sr.Cells, *c)
		}
	}
	return nil
}

// agrees reports whether a target's normalised answer got agrees with the
// floor's, ref: equal lists, or for a subset query a non-empty list whose
// every string is in ref.
func agrees(q benchQuery, got, ref []string) bool {
	if !q.subset {
		return reflect.DeepEqual(got, ref)
	}
	if len(got) == 0 {
		return false
	}
	for _, s := range got {
		if !slices.Contains(ref, s) {
			return false
		}
	}
	return true
}

func short(l []string) string {
	if len(l) > 12 {
		return fmt.Sprintf("%v…(%d)", l[:12], len(l))
	}
	return fmt.Sprint(l)
}

// ask sends q once and returns the normalised answer.
func ask(t *target, q benchQuery, vars map[string]any) ([]string, error) {
	url, body := t.request(q, vars)
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	d, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("HTTP %d, not JSON: %s", resp.StatusCode, tail(string(b), 300))
	}
	if msg := gqlErrors(d); msg != "" || resp.StatusCode != 200 {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, tail(msg, 300))
	}
	return q.norm(t.Name, d)
}

// attack loads t with q at fixed concurrency for d.
func attack(t *target, q benchQuery, vars map[string]any, conc int, d time.Duration) Run {
	url, body := t.request(q, vars)
	tr := vegeta.NewStaticTargeter(vegeta.Target{
		Method: "POST", URL: url, Body: body,
		Header: http.Header{"Content-Type": []string{"application/json"}},
	})
	return load(t, tr, conc, d, readOK)
}

// readOK reports whether a read answered without an error.
func readOK(code int, body []byte) bool {
	return code == 200 && !bytes.Contains(body, []byte(`"errors"`)) && !bytes.HasPrefix(body, []byte(`{"error"`))
}

// load sends tr's requests to t from conc workers at unbounded rate for d;
// a response that ok refuses counts as an error.
func load(t *target, tr vegeta.Targeter, conc int, d time.Duration, ok func(code int, body []byte) bool) Run {
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(conc)), vegeta.MaxWorkers(uint64(conc)),
		vegeta.Connections(conc), vegeta.MaxConnections(conc), vegeta.KeepAlive(true), vegeta.Timeout(60*time.Second))
	pid := t.pid()
	resetPeak(pid)
	cpu0, _ := cpuTicks(pid)
	var lats []time.Duration
	var run Run
	var first, last time.Time
	for res := range atk.Attack(tr, vegeta.Rate{Freq: 0}, d, t.Name) {
		run.Requests++
		if first.IsZero() || res.Timestamp.Before(first) {
			first = res.Timestamp
		}
		if e := res.End(); e.After(last) {
			last = e
		}
		bad := res.Error != "" || !ok(int(res.Code), res.Body)
		if bad {
			run.Errors++
			if run.FirstError == "" {
				run.FirstError = fmt.Sprintf("HTTP %d %s %s", res.Code, res.Error, tail(string(res.Body), 200))
			}
			continue
		}
		lats = append(lats, res.Latency)
	}
	cpu1, _ := cpuTicks(pid)
	run.PeakRSSMiB = float64(peakRSS(pid)) / 1024
	el := last.Sub(first).Seconds()
	if el > 0 {
		run.RPS = float64(len(lats)) / el
	}
	if run.Requests > 0 {
		run.CPUmsPerReq = float64(cpu1-cpu0) * 10 / float64(run.Requests)
	}
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	run.P50ms = quantile(lats, 0.50)
	run.P95ms = quantile(lats, 0.95)
	run.P99ms = quantile(lats, 0.99)
	return run
}

func quantile(l []time.Duration, q float64) float64 {
	if len(l) == 0 {
		return 0
	}
	i := int(q*float64(len(l)-1) + 0.5)
	return float64(l[i]) / float64(time.Millisecond)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (c *Cell) summarise() {
	var p50, p95, p99, rps, cpu []float64
	for _, r := range c.Runs {
		if r.Errors > 0 && c.Void == "" {
			c.Void = fmt.Sprintf("%d of %d requests failed in rep %d: %s", r.Errors, r.Requests, r.Rep, r.FirstError)
		}
		p50 = append(p50, r.P50ms)
		p95 = append(p95, r.P95ms)
		p99 = append(p99, r.P99ms)
		rps = append(rps, r.RPS)
		cpu = append(cpu, r.CPUmsPerReq)
		c.PeakRSSMiB = max(c.PeakRSSMiB, r.PeakRSSMiB)
	}
	c.P50ms, c.P95ms, c.P99ms, c.RPS, c.CPUmsPerReq = median(p50), median(p95), median(p99), median(rps), median(cpu)
}

// profile PROFILEs one captured statement and returns its db hits.
func profile(ctx context.Context, driver neo4j.DriverWithContext, s boltcap.Statement) (int64, error) {
	if s.Unsupported {
		return 0, errors.New("a parameter could not be decoded")
	}
	q := strings.TrimSpace(s.Query)
	if up := strings.ToUpper(q); strings.HasPrefix(up, "PROFILE") || strings.HasPrefix(up, "EXPLAIN") {
		q = strings.TrimSpace(q[7:])
	}
	res, err := neo4j.ExecuteQuery(ctx, driver, "PROFILE "+q, s.Params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase("neo4j"), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return 0, err
	}
	p := res.Summary.Profile()
	if p == nil {
		return 0, errors.New("no profile")
	}
	return sumHits(p), nil
}

func sumHits(p neo4j.ProfiledPlan) int64 {
	n := p.DbHits()
	for _, c := range p.Children() {
		n += sumHits(c)
	}
	return n
}

// ---- the graph ----

// batch is the most rows one load transaction writes (halved on a timeout).
var batch = 20_000

func graphKey(seed int64, scale int) string {
	return fmt.Sprintf("gen v%d seed %d nodes %d", gen.Version, seed, scale)
}

// ensureGraph makes the database hold exactly the generated graph for
// (seed, scale): kept when a marker says it does, else wiped (only an empty
// database or one marked as a bench graph is wiped) and loaded.
func ensureGraph(ctx context.Context, driver neo4j.DriverWithContext, seed int64, scale int, owned bool) (bool, float64, error) {
	key := graphKey(seed, scale)
	q := func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
		if err != nil {
			return nil, err
		}
		return res.Records, nil
	}
	recs, err := q(`OPTIONAL MATCH (m:BenchGraph) WITH collect(m.key) AS keys
RETURN keys, COUNT { MATCH (n:Entity) WHERE n.origin = 'data' } AS entities`, nil)
	if err != nil {
		return false, 0, err
	}
	keys, _ := recs[0].Values[0].([]any)
	entities := recs[0].Values[1].(int64)
	if len(keys) == 1 && keys[0] == key {
		logf("database holds %q already: not loading", key)
		return false, 0, nil
	}
	s := store.New(driver, "neo4j")
	if r, err := q(`MATCH (m:BenchGraphLoaded {key: $key}) RETURN count(m)`, map[string]any{"key": key}); err == nil && r[0].Values[0].(int64) == 1 {
		logf("database holds %q, its indexes unfinished: creating them", key)
		t1 := time.Now()
		if err := ensureIndexes(ctx, s, q); err != nil {
			return false, 0, err
		}
		logf("indexes created and populated in %.0fs", time.Since(t1).Seconds())
		_, err := q(`MERGE (m:BenchGraph {key: $key})`, map[string]any{"key": key})
		return false, 0, err
	}
	if entities > 0 {
		if len(keys) == 0 && !owned {
			return false, 0, fmt.Errorf("the database at NEO4J_URI holds %d entities that are not a bench graph: refusing to wipe it", entities)
		}
		logf("wiping the database (%v)", keys)
		// CALL … IN TRANSACTIONS runs only in an auto-commit transaction
		// (ExecuteQuery's is a managed one).
		if _, err := autoCommit(ctx, driver, `MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`, nil); err != nil {
			return false, 0, err
		}
	}
	t0 := time.Now()
	g := gen.Generate(gen.Config{Seed: seed, Nodes: scale})
	st := g.Stats()
	logf("generated %d entities, %d relations, %d facts, %d documents; max degree %d (%s), median %d in %.1fs",
		st.Entities, st.Relations, st.Facts, st.Documents, st.MaxDegree, st.MaxDegreeID, st.MedianDegree, time.Since(t0).Seconds())
	// Constraints first (the load looks rows up by them); the other indexes
	// (sort keys, search text and full-text indexes) after the load.
	if err := s.EnsureConstraints(ctx); err != nil {
		return false, 0, err
	}
	chunks := g.Chunks(100_000)
	for i, c := range chunks {
		if _, err := s.BulkLoad(ctx, c, batch); err != nil {
			return false, 0, fmt.Errorf("load chunk %d: %w", i, err)
		}
		if i%5 == 4 || i == len(chunks)-1 {
			logf("loaded chunk %d/%d (%.0fs)", i+1, len(chunks), time.Since(t0).Seconds())
		}
	}
	if _, err := q(`MERGE (m:BenchGraphLoaded {key: $key})`, map[string]any{"key": key}); err != nil {
		return false, 0, err
	}
	t1 := time.Now()
	if err := ensureIndexes(ctx, s, q); err != nil {
		return false, 0, err
	}
	logf("indexes created and populated in %.0fs", time.Since(t1).Seconds())
	if _, err := q(`MERGE (m:BenchGraph {key: $key})`, map[string]any{"key": key}); err != nil {
		return false, 0, err
	}
	g = nil
	runtime.GC()
	return true, time.Since(t0).Seconds(), nil
}

// ensureIndexes runs EnsureSchema. Its own wait for the indexes runs in a
// transaction, which the server ends after 30 s; populating the indexes of a
// million-node graph takes longer, so on an error it polls until every index
// is online, then runs EnsureSchema again.
func ensureIndexes(ctx context.Context, s *store.Store, q func(string, map[string]any) ([]*neo4j.Record, error)) error {
	var err error
	for i := 0; i < 3; i++ {
		if err = s.EnsureSchema(ctx); err == nil {
			return nil
		}
		logf("schema: %v; polling until the indexes are online", err)
		for deadline := time.Now().Add(time.Hour); time.Now().Before(deadline); time.Sleep(10 * time.Second) {
			r, perr := q(`SHOW INDEXES YIELD state, populationPercent WHERE state <> 'ONLINE' RETURN count(*), min(populationPercent)`, nil)
			if perr == nil && r[0].Values[0].(int64) == 0 {
				break
			}
			if perr == nil {
				logf("indexes: %d not online yet (%v%%)", r[0].Values[0], r[0].Values[1])
			}
		}
	}
	return err
}

func graphCounts(ctx context.Context, driver neo4j.DriverWithContext) map[string]int64 {
	out := map[string]int64{}
	for name, cypher := range map[string]string{
		"entities":  `MATCH (n:Entity) RETURN count(n)`,
		"relations": `MATCH (:Entity)-[r]->(:Entity) RETURN count(r)`,
		"maxDegree": `MATCH (n:Entity) WITH n ORDER BY COUNT { (n)--(:Entity) } DESC LIMIT 1 RETURN COUNT { (n)--(:Entity) }`,
	} {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
		if err == nil && len(res.Records) == 1 {
			out[name], _ = res.Records[0].Values[0].(int64)
		}
	}
	return out
}

// pickVariables chooses each query's variables with Cypher, deterministically.
func pickVariables(ctx context.Context, driver neo4j.DriverWithContext, scale int) (map[string]map[string]any, []string) {
	var notes []string
	one := func(cypher string, params map[string]any) []any {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
		if err != nil || len(res.Records) == 0 {
			if err != nil {
				notes = append(notes, "pick: "+err.Error())
			}
			return nil
		}
		return res.Records[0].Values
	}
	v := map[string]map[string]any{
		"point":        {"id": "school-7"},
		"page":         {"country": "country-0", "first": 20},
		"twohop":       {"id": "school-0", "first": 10},
		"search":       {"text": searchText(scale), "first": 10},
		"neighborhood": {"id": "school-100", "limit": 50},
		// a relation type's sentence (bench/gen), which every generated
		// document holds: it matches quotes and documents' text
		"evidence": {"text": "签署战略合作协议", "first": 10},
	}
	// two-hop: the school in the most alliances (ties: smallest id)
	if r := one(`MATCH (s:School)-[:MEMBER_OF]->(:Alliance) WITH s, count(*) AS c ORDER BY c DESC, s.id LIMIT 1 RETURN s.id`, nil); r != nil {
		v["twohop"]["id"] = r[0]
	}
	// path: two of the least-linked schools and enterprises that are joined
	// within 4 hops
	from, to := "", ""
	for i := 1; i <= 20 && from == ""; i++ {
		a := fmt.Sprintf("school-%d", int(float64(scale)*0.26)-i*7)
		b := fmt.Sprintf("enterprise-%d", int(float64(scale)*0.24)-i*11)
		r := one(floor.Queries["path"].Cypher, map[string]any{"from": a, "to": b, "types": floor.Vocabulary()})
		if r != nil {
			if l, _ := r[2].(int64); l >= 2 {
				from, to = a, b
			}
		}
	}
	if from == "" {
		notes = append(notes, "no pair of entities joined within 4 hops found for the path query")
		from, to = "school-1", "enterprise-1"
	}
	v["path"] = map[string]any{"from": from, "to": to}
	return v, notes
}

// searchText is the search query: a name syllable pair that a few dozen
// schools' names start with at 100k nodes.
func searchText(scale int) string { return "Hua Xing" }

func execCommand(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	return cmd
}

func floorCypher(name string) (string, bool) {
	q, ok := floor.Queries[name]
	return q.Cypher, ok
}
