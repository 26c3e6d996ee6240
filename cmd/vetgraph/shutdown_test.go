package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// syncBuffer is a log destination that several goroutines may write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// response is what a client got: a status and body, or an error.
type response struct {
	code int
	body string
	err  error
}

func fetch(c *http.Client, req *http.Request) response {
	resp, err := c.Do(req)
	if err != nil {
		return response{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{code: resp.StatusCode, body: string(b), err: err}
}

// A signal during a request: /readyz answers 503 at once while the request
// goes on; after VETGRAPH_SHUTDOWN_DELAY new connections are refused; the
// request is answered in full (200, its data, from Neo4j) and only then
// does serve return, with nil (exit 0).
func TestShutdownDrainsRequestsInFlight(t *testing.T) {
	neo4jtest.Store(t) // Neo4j with the data files loaded; fails without one
	cfg := testConfig(t)
	cfg.Addr = "127.0.0.1:0"
	cfg.ShutdownDelay = 2 * time.Second // long enough to read /readyz after the signal on a busy machine
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	defer func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs)
		}
	}()

	// The test hook: a /graphql request marked X-Test-Hold waits for
	// release before the real handler runs it.
	entered, release := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	defer releaseOnce.Do(func() { close(release) })
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/graphql" && r.Header.Get("X-Test-Hold") != "" {
				close(entered)
				<-release
			}
			next.ServeHTTP(w, r)
		})
	}

	ctx, signal := context.WithCancelCause(context.Background())
	defer signal(nil)
	addrs := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() {
		served <- serve(ctx, cfg, log, serveOptions{wrap: wrap, listening: func(a net.Addr) { addrs <- a }})
	}()
	var addr string
	select {
	case a := <-addrs:
		addr = a.String()
	case err := <-served:
		t.Fatalf("serve returned before listening: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("serve did not listen within 2 minutes")
	}
	base := "http://" + addr
	// A fresh connection per request: what a load balancer's probe does.
	probe := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(path string) response {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		return fetch(probe, req)
	}

	if r := get("/readyz"); r.err != nil || r.code != 200 || r.body != "ready\n" {
		t.Fatalf("/readyz before the signal = %d %q %v, want 200 ready", r.code, r.body, r.err)
	}

	// The request in flight.
	slow := make(chan response, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, base+"/graphql",
			strings.NewReader(`{"query":"{ entityByName(name: \"重庆工程职院\") { id } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test-Hold", "1")
		slow <- fetch(&http.Client{Timeout: 2 * time.Minute}, req)
	}()
	select {
	case <-entered:
	case r := <-slow:
		t.Fatalf("the held request ended before it was held: %+v", r)
	case <-time.After(30 * time.Second):
		t.Fatal("the held request did not reach the server")
	}

	signal(errors.New("test: SIGTERM"))

	// /readyz answers 503 while the request is in flight (it is held until
	// release). The signal reaches serve through a goroutine, so the first
	// probes may still see 200.
	var r response
	for deadline := time.Now().Add(cfg.ShutdownDelay); time.Now().Before(deadline); {
		if r = get("/readyz"); r.err != nil || r.code != 200 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if r.err != nil || r.code != http.StatusServiceUnavailable || r.body != "shutting down\n" {
		t.Fatalf("/readyz after the signal = %d %q %v, want 503 shutting down", r.code, r.body, r.err)
	}
	// Other routes still answer until the listener closes, and tell the
	// client to close its connection.
	req, _ := http.NewRequest(http.MethodGet, base+"/healthz", nil)
	if resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req); err != nil {
		t.Errorf("/healthz during the shutdown delay: %v (the listener closed too early?)", err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != 200 || !resp.Close {
			t.Errorf("/healthz during the shutdown delay = %d, Connection: close %v; want 200 and close", resp.StatusCode, resp.Close)
		}
	}

	// After the delay the listener is closed: connections are refused
	// while the request is still in flight.
	var dialErr error
	for deadline := time.Now().Add(cfg.ShutdownDelay + 30*time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			dialErr = err
			break
		}
		c.Close()
	}
	if !errors.Is(dialErr, syscall.ECONNREFUSED) {
		t.Fatalf("connecting after the shutdown delay: %v, want connection refused", dialErr)
	}
	select {
	case err := <-served:
		t.Fatalf("serve returned %v with a request in flight", err)
	case r := <-slow:
		t.Fatalf("the held request ended before release: %+v", r)
	default:
	}

	releaseOnce.Do(func() { close(release) })
	select {
	case r := <-slow:
		if r.err != nil || r.code != 200 || !strings.Contains(r.body, `"id":"cqvie"`) {
			t.Errorf("the request in flight = %d %q %v, want 200 with cqvie", r.code, r.body, r.err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the request in flight got no answer")
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serve = %v, want nil (exit 0)", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("serve did not return after the last request")
	}
	if _, err := net.DialTimeout("tcp", addr, 5*time.Second); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("connecting after serve returned: %v, want connection refused", err)
	}
	for _, want := range []string{"shutting down: /readyz answers 503", "cause=\"test: SIGTERM\"", "shut down: every request was answered"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q", want)
		}
	}
}

// A request still running when the grace ends is cut, and shutdown says so
// (serve's error: exit 1) instead of reporting a clean drain.
func TestShutdownCutsRequestsPastTheGrace(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
	})}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	got := make(chan response, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/", nil)
		got <- fetch(&http.Client{Timeout: time.Minute}, req)
	}()
	<-entered
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	rd := newReadiness(nil, quiet)
	err = shutdown(srv, served, rd, 0, 100*time.Millisecond, quiet, errors.New("test"))
	if err == nil || !strings.Contains(err.Error(), "were cut") {
		t.Errorf("shutdown = %v, want an error saying requests were cut", err)
	}
	if r := <-got; r.err == nil {
		t.Errorf("the cut request got %d %q, want a broken connection", r.code, r.body)
	}
}

// The drain waits for what the request timeout allows (it was a fixed 10 s
// under a 15 s request timeout).
func TestShutdownGraceCoversTheRequestTimeout(t *testing.T) {
	for _, timeout := range []time.Duration{time.Second, 15 * time.Second, 2 * time.Minute} {
		cfg := testConfig(t)
		cfg.Timeout = timeout
		if got := shutdownGrace(cfg); got < timeout+time.Second {
			t.Errorf("shutdownGrace(Timeout %s) = %s, want the timeout and time to write the answer", timeout, got)
		}
	}
}

// fakeReady is a readyChecker that counts its queries.
type fakeReady struct {
	calls atomic.Int64
	err   atomic.Pointer[error]
}

func (f *fakeReady) Ready(ctx context.Context) error {
	f.calls.Add(1)
	if p := f.err.Load(); p != nil {
		return *p
	}
	return nil
}

func TestReadinessAnswers(t *testing.T) {
	f := &fakeReady{}
	rd := newReadiness(f, slog.New(slog.NewTextHandler(io.Discard, nil)))
	check := func(wantCode int, wantBody string, wantCalls int64) {
		t.Helper()
		r := get(t, rd, "/readyz", nil)
		if r.Code != wantCode || r.Body.String() != wantBody || f.calls.Load() != wantCalls {
			t.Errorf("/readyz = %d %q after %d queries, want %d %q after %d", r.Code, r.Body, f.calls.Load(), wantCode, wantBody, wantCalls)
		}
		if r.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("/readyz Cache-Control = %q, want no-store", r.Header().Get("Cache-Control"))
		}
	}
	check(200, "ready\n", 1)
	check(200, "ready\n", 1) // within readyReuse: the same result, no query

	down := errors.New("neo4j down")
	f.err.Store(&down)
	rd.at = time.Now().Add(-readyReuse) // the result is too old
	check(503, "neo4j unavailable\n", 2)
	check(503, "neo4j unavailable\n", 2)

	f.err.Store(nil)
	rd.at = time.Now().Add(-readyReuse)
	check(200, "ready\n", 3)

	rd.drain()
	rd.at = time.Now().Add(-readyReuse)
	check(503, "shutting down\n", 3) // no query once draining
}
