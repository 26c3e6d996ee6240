package admission

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/internal/clientip"
	"github.com/vetgraph/vetgraph/internal/kg"
)

func TestAllowKeepsEachClientsBurstAndRate(t *testing.T) {
	l := NewRateLimiter(RateConfig{Rate: 2, Burst: 3})
	now := time.Unix(1_000_000, 0)
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("a", now); !ok {
			t.Fatalf("request %d of a's burst of 3 refused", i+1)
		}
	}
	ok, wait := l.Allow("a", now)
	if ok || wait <= 0 || wait > time.Second/2 {
		t.Errorf("4th request at once = %v, wait %s; want refused, wait ≤ 1/rate (500ms)", ok, wait)
	}
	if ok, _ := l.Allow("b", now); !ok {
		t.Error("another client refused: buckets must be per client")
	}
	// Refused requests take nothing: after 1/rate one more is allowed.
	if ok, _ := l.Allow("a", now.Add(wait)); !ok {
		t.Errorf("a refused after waiting the %s it was told", wait)
	}
}

func TestRateLimiterForgetsLeastRecentClients(t *testing.T) {
	l := NewRateLimiter(RateConfig{Rate: 1, Burst: 1, MaxClients: 2})
	now := time.Unix(1_000_000, 0)
	l.Allow("a", now)
	l.Allow("b", now)
	l.Allow("c", now) // a is forgotten
	if n := l.shards[0].clients.Len(); len(l.shards) != 1 || n != 2 {
		t.Errorf("%d shards, clients remembered = %d, want 1 shard, 2", len(l.shards), n)
	}
	if ok, _ := l.Allow("a", now); !ok {
		t.Error("a forgotten client should start again with a full bucket")
	}
	if ok, _ := l.Allow("c", now); ok {
		t.Error("c is remembered: its bucket is empty")
	}
}

func TestRateLimitOff(t *testing.T) {
	if l := NewRateLimiter(RateConfig{Rate: 0, Burst: 5}); l != nil {
		t.Fatal("Rate 0: want no limiter")
	}
	var l *RateLimiter
	if ok, _ := l.Allow("a", time.Now()); !ok {
		t.Error("a nil limiter refused")
	}
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	if h := RateLimit(nil, next); h == nil {
		t.Error("RateLimit(nil) = nil")
	}
}

func TestClientKey(t *testing.T) {
	req := func(remote string, a *kg.Actor) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r.RemoteAddr = remote
		if a != nil {
			r = r.WithContext(kg.WithActor(r.Context(), *a))
		}
		return r
	}
	key := &kg.Actor{Name: "Li Wei", Role: kg.RoleCurator, Via: "key:k7hq2mzr4xwa"}
	for _, tc := range []struct {
		name   string
		r      *http.Request
		want   string
		sameAs *http.Request
	}{
		{"anonymous by address", req("192.0.2.7:5000", &kg.Actor{Role: kg.RoleReader}), "addr 192.0.2.7", req("192.0.2.7:6000", nil)},
		{"API key by key, whatever the address", req("192.0.2.7:5000", key), "principal key:k7hq2mzr4xwa Li Wei", req("198.51.100.1:1", key)},
		{
			"JWT by issuer and subject", req("192.0.2.7:5000", &kg.Actor{Name: "sub-1", Role: kg.RoleReader, Via: "jwt:https://idp.example"}),
			"principal jwt:https://idp.example sub-1", nil,
		},
		{"IPv6 by its /64", req("[2001:db8:1:2:aaaa::1]:443", nil), "addr 2001:db8:1:2::/64", req("[2001:db8:1:2:bbbb::9]:80", nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ClientKey(tc.r, nil); got != tc.want {
				t.Errorf("ClientKey = %q, want %q", got, tc.want)
			}
			if tc.sameAs != nil && ClientKey(tc.sameAs, nil) != tc.want {
				t.Errorf("ClientKey(%s) = %q, want the same client %q", tc.sameAs.RemoteAddr, ClientKey(tc.sameAs, nil), tc.want)
			}
		})
	}
	if ClientKey(req("192.0.2.7:1", key), nil) == ClientKey(req("192.0.2.7:1", nil), nil) {
		t.Error("a principal and the anonymous reader at its address share a bucket")
	}
}

// After its burst a client gets 429 with Retry-After and RATE_LIMITED;
// another client is unaffected.
func TestRateLimitAnswers429(t *testing.T) {
	calls := 0
	h := RateLimit(NewRateLimiter(RateConfig{Rate: 0.5, Burst: 2}), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusOK)
	}))
	send := func(remote string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	for i := 0; i < 2; i++ {
		if rec := send("192.0.2.1:1"); rec.Code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i+1, rec.Code)
		}
	}
	rec := send("192.0.2.1:2")
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after the burst: %d, want 429", rec.Code)
	}
	// 0.5 per second: the next token comes in about 2 s.
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 2 {
		t.Errorf("Retry-After = %q, want 1–2 seconds", rec.Header().Get("Retry-After"))
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var body struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 || body.Errors[0].Extensions.Code != CodeRateLimited {
		t.Errorf("body = %s, want one error with code %s", rec.Body, CodeRateLimited)
	}
	if calls != 2 {
		t.Errorf("handler ran %d times, want 2 (not for the refused request)", calls)
	}
	if rec := send("192.0.2.2:1"); rec.Code != http.StatusOK {
		t.Errorf("another client: %d, want 200", rec.Code)
	}
	// Preflights are not counted.
	r := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
	r.RemoteAddr = "192.0.2.1:3"
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		t.Errorf("OPTIONS after the burst: %d, want passed through", rec.Code)
	}
}

func TestRateLimiterShards(t *testing.T) {
	l := NewRateLimiter(RateConfig{Rate: 1, Burst: 1})
	if len(l.shards) != rateShards {
		t.Fatalf("%d shards for %d clients, want %d", len(l.shards), DefaultMaxClients, rateShards)
	}
	now := time.Unix(1_000_000, 0)
	for i := range 1000 {
		if ok, _ := l.Allow(strconv.Itoa(i), now); !ok {
			t.Fatalf("client %d refused its first request", i)
		}
	}
	for i := range 1000 {
		if ok, _ := l.Allow(strconv.Itoa(i), now); ok {
			t.Fatalf("client %d allowed a second request at once (burst 1)", i)
		}
	}
	used := 0
	for i := range l.shards {
		if l.shards[i].clients.Len() > 0 {
			used++
		}
	}
	if used < rateShards/2 {
		t.Errorf("1,000 clients fell into %d of %d shards", used, rateShards)
	}
}

// Behind a trusted proxy each client X-Forwarded-For names has its own
// bucket; from any other address the header is ignored, so a client cannot
// escape its bucket by writing it.
func TestRateLimitBehindTrustedProxy(t *testing.T) {
	proxies, err := clientip.Parse([]string{"10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	h := RateLimit(NewRateLimiter(RateConfig{Rate: 0.001, Burst: 1, TrustedProxies: proxies}),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	send := func(remote, xff string) int {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	for _, tc := range []struct {
		remote, xff string
		want        int
	}{
		{"10.0.0.5:1", "203.0.113.1", http.StatusOK},
		{"10.0.0.5:2", "203.0.113.2", http.StatusOK},              // another client through the proxy
		{"10.0.0.6:3", "203.0.113.1", http.StatusTooManyRequests}, // the first again, through another proxy
		{"198.51.100.9:1", "203.0.113.3", http.StatusOK},          // not a proxy: counted by its own address
		{"198.51.100.9:2", "203.0.113.4", http.StatusTooManyRequests},
	} {
		if got := send(tc.remote, tc.xff); got != tc.want {
			t.Errorf("from %s for %s: %d, want %d", tc.remote, tc.xff, got, tc.want)
		}
	}
}
