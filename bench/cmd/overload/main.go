// Command overload measures vetgraph's admission control (issue 11): the
// latency of a trivial lookup while many clients send heavy-but-legal
// requests, against its latency on the idle server in the same run, and what
// the heavy clients get back (complete answers, OVERLOADED, RATE_LIMITED,
// field errors such as UNAVAILABLE).
//
//	go run ./bench/cmd/overload -neo4j bolt://127.0.0.1:7688
//
// It builds the server, starts `vetgraph serve --load` with its default
// settings (plus -env) against the given Neo4j, and runs three phases:
// warm-up, idle (the lookup alone, one request at a time), and load (-heavy
// clients each sending the heavy request in a loop, one greedy client
// sending cheap requests from -greedy connections as fast as it can, and
// the lookup measured as in the idle phase). Every simulated client sends
// from its own loopback address (127.x.y.z), so the per-client rate limit
// counts it as it would a machine of its own. Heavy clients wait what
// Retry-After says after a refusal unless -honor-retry=false.
//
// It is not part of CI: a run takes about a minute and loads both cores.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/vetgraph/vetgraph/internal/repodir"
)

// The requests. heavy is issue 11's: 30 aliased `paths` at 4 hops, each
// within every limit, about 3 KB.
const (
	lookup = `{ entity(id: "cqvie") { id nameZh } }`
	cheap  = `{ stats { entities } }`
)

func heavy() string {
	var b strings.Builder
	b.WriteString("{")
	for i := range 30 {
		fmt.Fprintf(&b, ` p%d: paths(from: "cqvie", to: "thailand", maxHops: 4, first: 5) { length nodes { id name } edges { id type } }`, i)
	}
	b.WriteString(" }")
	return b.String()
}

type options struct {
	neo4j      string
	heavy      int
	greedy     int
	duration   time.Duration
	idle       int
	honorRetry bool
	env        string
	bin        string
	interval   time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.neo4j, "neo4j", os.Getenv("NEO4J_URI"), "Bolt URI of a Neo4j (the repository's data is loaded into it)")
	flag.IntVar(&o.heavy, "heavy", 200, "concurrent clients sending the heavy request")
	flag.IntVar(&o.greedy, "greedy", 4, "connections of the one greedy client sending cheap requests without pause (0: none)")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "length of the load phase")
	flag.IntVar(&o.idle, "idle", 300, "lookups measured on the idle server")
	flag.DurationVar(&o.interval, "probe-interval", 50*time.Millisecond, "time between the starts of two lookups (within the default rate limit)")
	flag.BoolVar(&o.honorRetry, "honor-retry", true, "heavy clients wait Retry-After after a 503 or 429")
	flag.StringVar(&o.env, "env", "", "extra server settings, comma-separated NAME=value")
	flag.StringVar(&o.bin, "bin", "", "vetgraph binary to run (default: built from this tree)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "overload:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.neo4j == "" {
		return fmt.Errorf("set -neo4j (or NEO4J_URI) to a running Neo4j, e.g. one of `scripts/neo4j start`")
	}
	root, err := repodir.Root()
	if err != nil {
		return err
	}
	if o.bin == "" {
		dir, err := os.MkdirTemp("", "overload")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.bin = filepath.Join(dir, "vetgraph")
		build := exec.Command("go", "build", "-o", o.bin, "./cmd/vetgraph")
		build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	url, pid, stop, err := startServer(root, o)
	if err != nil {
		return err
	}
	defer stop()
	gql := url + "/graphql"
	heavyQ := heavy()
	fmt.Printf("server %s; heavy request %d bytes; %d heavy clients, greedy client with %d connections, load %s, honor Retry-After %v\n",
		url, len(heavyQ), o.heavy, o.greedy, o.duration, o.honorRetry)

	prober := newClient(net.IPv4(127, 0, 0, 2))
	// Warm-up: plan the statements once, as a server does on first use.
	if r := send(prober, gql, heavyQ); r.class != "complete" {
		return fmt.Errorf("the heavy request alone: %s (%s)", r.class, r.body)
	}
	for range 20 {
		if r := send(prober, gql, lookup); r.class != "complete" {
			return fmt.Errorf("the lookup alone: %s (%s)", r.class, r.body)
		}
		time.Sleep(o.interval)
	}

	idle := probe(prober, gql, o.interval, o.idle, nil)
	fmt.Printf("idle:  lookup p50 %s  p99 %s  max %s  (%d requests; %s)\n", pct(idle.lat, 50), pct(idle.lat, 99), pct(idle.lat, 100),
		len(idle.lat), idle.classes())

	var stopLoad atomic.Bool
	var wg sync.WaitGroup
	heavyOut, greedyOut := newTally(), newTally()
	for i := range o.heavy {
		c := newClient(net.IPv4(127, 1, byte(i/250), byte(i%250+1)))
		wg.Go(func() {
			for !stopLoad.Load() {
				r := send(c, gql, heavyQ)
				heavyOut.add(r)
				if o.honorRetry && r.retryAfter > 0 {
					sleepUnless(&stopLoad, r.retryAfter)
				}
			}
		})
	}
	if o.greedy > 0 {
		c := newClient(net.IPv4(127, 0, 0, 3))
		for range o.greedy {
			wg.Go(func() {
				for !stopLoad.Load() {
					greedyOut.add(send(c, gql, cheap))
				}
			})
		}
	}
	ramp := min(5*time.Second, o.duration/4)
	time.Sleep(ramp)
	deadline := time.Now().Add(o.duration - ramp)
	serverCPU, selfCPU, wall := procCPU(pid), procCPU(os.Getpid()), time.Now()
	loaded := probe(prober, gql, o.interval, 0, func() bool { return time.Now().After(deadline) })
	serverCPU, selfCPU, elapsed := procCPU(pid)-serverCPU, procCPU(os.Getpid())-selfCPU, time.Since(wall)
	stopLoad.Store(true)
	wg.Wait()

	fmt.Printf("load:  lookup p50 %s  p99 %s  max %s  (%d requests; %s)\n", pct(loaded.lat, 50), pct(loaded.lat, 99), pct(loaded.lat, 100),
		len(loaded.lat), loaded.classes())
	fmt.Printf("ratio: lookup p99 under load / idle p99 = %.2f (p50 %.2f)\n",
		float64(pct(loaded.lat, 99))/float64(pct(idle.lat, 99)), float64(pct(loaded.lat, 50))/float64(pct(idle.lat, 50)))
	fmt.Printf("heavy clients: %s\n", heavyOut)
	if o.greedy > 0 {
		fmt.Printf("greedy client: %s\n", greedyOut)
	}
	fmt.Printf("cpu while measured under load: vetgraph %.2f cores, this load generator %.2f cores (the rest of the machine: Neo4j and other work)\n",
		serverCPU.Seconds()/elapsed.Seconds(), selfCPU.Seconds()/elapsed.Seconds())
	if idle.bad+loaded.bad > 0 {
		return fmt.Errorf("%d lookups did not answer completely", idle.bad+loaded.bad)
	}
	return nil
}

// result is one answer, classified.
type result struct {
	class      string // complete, or the status and codes
	lat        time.Duration
	retryAfter time.Duration
	body       string
}

var codeRE = regexp.MustCompile(`"code":"([A-Z_]+)"`)

func send(c *http.Client, url, query string) result {
	body, _ := json.Marshal(map[string]any{"query": query})
	start := time.Now()
	res, err := c.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return result{class: "transport error", lat: time.Since(start), body: err.Error()}
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	r := result{lat: time.Since(start), body: string(b[:min(len(b), 300)])}
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil {
		r.retryAfter = time.Duration(s) * time.Second
	}
	var codes []string
	for _, m := range codeRE.FindAllSubmatch(b, -1) {
		if c := string(m[1]); !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	switch {
	case res.StatusCode == http.StatusOK && len(codes) == 0 && !bytes.Contains(b, []byte(`"errors"`)):
		r.class = "complete"
	case res.StatusCode == http.StatusOK:
		r.class = "200 with field errors " + strings.Join(codes, ",")
	default:
		r.class = strconv.Itoa(res.StatusCode) + " " + strings.Join(codes, ",")
	}
	return r
}

// probe sends the lookup one request at a time, one every interval (or
// as soon as the last answered): n of them, or until done.
type probed struct {
	lat    []time.Duration
	byKind map[string]int
	bad    int
}

func probe(c *http.Client, url string, interval time.Duration, n int, done func() bool) probed {
	p := probed{byKind: map[string]int{}}
	next := time.Now()
	for i := 0; (n > 0 && i < n) || (n == 0 && !done()); i++ {
		time.Sleep(time.Until(next))
		next = time.Now().Add(interval)
		r := send(c, url, lookup)
		p.byKind[r.class]++
		if r.class != "complete" {
			p.bad++
			continue
		}
		p.lat = append(p.lat, r.lat)
	}
	return p
}

func (p probed) classes() string {
	var parts []string
	for k, v := range p.byKind {
		parts = append(parts, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// pct is the p-th percentile of ds (nearest rank), 0 for none.
func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)].Round(10 * time.Microsecond)
}

// tally counts answers by class, with the latency of each class.
type tally struct {
	mu  sync.Mutex
	n   map[string]int
	lat map[string][]time.Duration
}

func newTally() *tally {
	return &tally{n: map[string]int{}, lat: map[string][]time.Duration{}}
}

func (t *tally) add(r result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n[r.class]++
	t.lat[r.class] = append(t.lat[r.class], r.lat)
}

func (t *tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var parts []string
	for k, v := range t.n {
		parts = append(parts, fmt.Sprintf("%s %d (p50 %s, p99 %s)", k, v, pct(t.lat[k], 50), pct(t.lat[k], 99)))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// newClient is an HTTP client whose connections come from ip.
func newClient(ip net.IP) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute,
	}}
}

func sleepUnless(stop *atomic.Bool, d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end) && !stop.Load(); {
		time.Sleep(50 * time.Millisecond)
	}
}

// procCPU is the CPU time (user and system) process pid has used, from
// /proc/<pid>/stat; 0 where that cannot be read.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) in parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // clock ticks: 100 per second on Linux
}

// startServer runs `vetgraph serve --load` on a free port and returns its
// URL once it is up, its process id, and the function that stops it.
func startServer(root string, o options) (string, int, func(), error) {
	cmd := exec.Command(o.bin, "serve", "--load")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "NEO4J_URI="+o.neo4j, "VETGRAPH_ADDR=127.0.0.1:0", "VETGRAPH_LOG_LEVEL=error",
		"VETGRAPH_DATA_DIR="+filepath.Join(root, "data"))
	for _, kv := range strings.Split(o.env, ",") {
		if kv = strings.TrimSpace(kv); kv != "" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", 0, nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", 0, nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
	}
	up := regexp.MustCompile(`vetgraph is up: playground (http://\S+)/ `)
	found := make(chan string, 1)
	go func() {
		buf := make([]byte, 4096)
		var seen []byte
		for {
			n, err := out.Read(buf)
			seen = append(seen, buf[:n]...)
			if m := up.FindSubmatch(seen); m != nil {
				found <- string(m[1])
				_, _ = io.Copy(io.Discard, out)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	select {
	case u := <-found:
		return u, cmd.Process.Pid, stop, nil
	case <-ctx.Done():
		stop()
		return "", 0, nil, fmt.Errorf("the server did not start within 3 minutes")
	}
}
