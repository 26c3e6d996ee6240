package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// target is one server under test, started by the harness.
type target struct {
	Name   string // vetgraph, peer, floor
	URL    string // base URL
	cmd    *exec.Cmd
	log    string
	remove func()
}

// endpoint is where a query is sent and with which body.
func (t *target) request(q benchQuery, vars map[string]any) (url string, body []byte) {
	switch t.Name {
	case "floor":
		b, _ := jsonMarshal(vars)
		return t.URL + "/q/" + q.Name, b
	case "peer":
		b, _ := jsonMarshal(map[string]any{"query": q.Peer, "variables": vars})
		return t.URL + "/graphql", b
	default:
		b, _ := jsonMarshal(map[string]any{"query": q.Vetgraph, "variables": vars})
		return t.URL + "/graphql", b
	}
}

func (t *target) pid() int { return t.cmd.Process.Pid }

// startTarget starts target name on port, connected to boltURI.
func startTarget(root, name string, port int, boltURI string, pool int, logDir string) (*target, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	env := append(os.Environ(), "NEO4J_URI="+boltURI, "NEO4J_MAX_POOL_SIZE="+strconv.Itoa(pool), "NEO4J_DATABASE=neo4j")
	var cmd *exec.Cmd
	health := "/healthz"
	switch name {
	case "vetgraph":
		cmd = exec.Command(filepath.Join(root, "bench/.bin/vetgraph"), "serve")
		// The floor and the peer bound no statement; vetgraph's exploration
		// statements get the request's whole budget (15 s) instead of the
		// default 5 s, so that all three do the same work under load.
		// Neither bounds the requests it runs at once nor a client's rate:
		// vetgraph's rate limit is off and its admission control opened
		// wide (with a pool of 50, 22 requests execute at once with 2
		// statements each, any heavy ones together, and the rest wait
		// rather than being refused), so that the three do the same work.
		env = append(env, "VETGRAPH_ADDR="+addr, "VETGRAPH_LOG_LEVEL=warn", "VETGRAPH_DATA_DIR="+filepath.Join(root, "data"),
			"VETGRAPH_EXPLORE_TIMEOUT=15s", "VETGRAPH_RATE_LIMIT=0", "VETGRAPH_MAX_WORK=1000000000",
			"VETGRAPH_MAX_REQUESTS="+strconv.Itoa(max(1, (pool-max(2, pool/10))/2)), "VETGRAPH_MAX_QUEUE=10000", "VETGRAPH_QUEUE_TIMEOUT=15s")
		health = "/readyz"
	case "floor":
		cmd = exec.Command(filepath.Join(root, "bench/.bin/floor"))
		env = append(env, "FLOOR_ADDR="+addr)
	case "peer":
		cmd = exec.Command("node", filepath.Join(root, "bench/peer/server.mjs"))
		env = append(env, "PEER_ADDR="+addr, "NODE_ENV=production")
	default:
		return nil, fmt.Errorf("unknown target %s", name)
	}
	cmd.Env = env
	cmd.Dir = root
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logPath := filepath.Join(logDir, fmt.Sprintf("%s-%d.log", name, port))
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { _ = cmd.Wait(); f.Close() }()
	t := &target{Name: name, URL: "http://" + addr, cmd: cmd, log: logPath}
	t.remove = atExit(t.stop)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(t.URL + health)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return t, nil
			}
		}
		if cmd.ProcessState != nil || time.Now().After(deadline) {
			t.stop()
			b, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("%s did not become ready on %s: %s", name, addr, tail(string(b), 1500))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop ends the target's process group (SIGTERM, then SIGKILL).
func (t *target) stop() {
	if t == nil || t.cmd.Process == nil {
		return
	}
	if t.remove != nil {
		t.remove()
	}
	pgid := t.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	for i := 0; i < 50; i++ {
		if syscall.Kill(pgid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// cpuTicks returns utime+stime of pid in clock ticks (1/100 s).
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	// after the command: state(3) ... utime(14) stime(15)
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st, nil
}

// resetPeak sets the process's peak RSS (VmHWM) to its current RSS.
func resetPeak(pid int) {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// peakRSS returns VmHWM of pid in KiB.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			f := strings.Fields(l)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// neo4jScript runs scripts/neo4j with the bench instance's settings.
func neo4jScript(ctx context.Context, root, verb, dir string, port int, javaOpts string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(root, "scripts/neo4j"), verb)
	cmd.Env = append(os.Environ(), "VETGRAPH_NEO4J_DIR="+dir, "VETGRAPH_NEO4J_PORT="+strconv.Itoa(port),
		"VETGRAPH_NEO4J_JAVA_OPTS="+javaOpts)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	logf("scripts/neo4j %s: %s", verb, strings.TrimSpace(string(out)))
	return err
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
