package admission

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"

	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/clientip"
	"github.com/vetgraph/vetgraph/internal/kg"
)

// RateConfig is the per-client rate limit: a token bucket per client
// (golang.org/x/time/rate) refilled at Rate requests per second, holding at
// most Burst.
type RateConfig struct {
	// Rate is requests per second per client; 0 turns the limit off.
	Rate float64
	// Burst is how many requests a client may send at once after a pause
	// (at least 1 when Rate is set).
	Burst int
	// MaxClients bounds the clients remembered; the least recently seen is
	// forgotten first (it starts again with a full bucket). 0: 10,000.
	MaxClients int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// an anonymous client (see ClientKey); none by default.
	TrustedProxies clientip.Proxies
}

// DefaultMaxClients is RateConfig.MaxClients when it is 0.
const DefaultMaxClients = 10000

// RateLimiter limits the requests of each client. Its zero value is not
// usable; see NewRateLimiter. It is safe for concurrent use.
//
// Every request passes through it, so its clients are split into shards,
// each with its own lock: under a flood one lock would be a queue in which
// every request, the cheapest lookup too, waits its turn.
type RateLimiter struct {
	cfg    RateConfig
	seed   maphash.Seed
	shards []rateShard
}

type rateShard struct {
	mu      sync.Mutex
	clients *simplelru.LRU[string, *rate.Limiter]
}

// rateShards is the number of shards of a RateLimiter remembering at least
// minPerShard × rateShards clients (one shard below that).
const (
	rateShards  = 64
	minPerShard = 64
)

// NewRateLimiter returns a limiter for cfg, or nil when cfg.Rate is 0 (a
// nil *RateLimiter allows everything).
func NewRateLimiter(cfg RateConfig) *RateLimiter {
	if cfg.Rate <= 0 {
		return nil
	}
	if cfg.Burst < 1 {
		cfg.Burst = 1
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = DefaultMaxClients
	}
	n := 1
	if cfg.MaxClients >= rateShards*minPerShard {
		n = rateShards
	}
	l := &RateLimiter{cfg: cfg, seed: maphash.MakeSeed(), shards: make([]rateShard, n)}
	for i := range l.shards {
		clients, err := simplelru.NewLRU[string, *rate.Limiter](cfg.MaxClients/n, nil)
		if err != nil {
			panic(err) // only for a size < 1, excluded above
		}
		l.shards[i].clients = clients
	}
	return l
}

// Allow takes one request of client from its bucket at now. When the bucket
// is empty it takes nothing and returns false and how long until it holds
// one request again.
func (l *RateLimiter) Allow(client string, now time.Time) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	sh := &l.shards[maphash.String(l.seed, client)%uint64(len(l.shards))]
	sh.mu.Lock()
	lim, ok := sh.clients.Get(client)
	if !ok {
		lim = rate.NewLimiter(rate.Limit(l.cfg.Rate), l.cfg.Burst)
		sh.clients.Add(client, lim)
	}
	sh.mu.Unlock()
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// ClientKey names the client a request is counted against: the principal
// an API key or a token proved (kg.ActorFrom: the key id, or the token's
// issuer and subject), else the address the request comes from (an IPv6
// address by its /64 network, which one client usually holds whole): the
// connection's, or, when the connection comes from one of trusted, the
// client X-Forwarded-For names (clientip.Proxies.Addr). Behind a proxy that
// is not trusted every anonymous client has the proxy's address.
func ClientKey(r *http.Request, trusted clientip.Proxies) string {
	if a, ok := kg.ActorFrom(r.Context()); ok && !a.Anonymous() {
		return "principal " + a.Via + " " + a.Name
	}
	ip := trusted.Addr(r)
	switch {
	case !ip.IsValid():
		return "addr " + r.RemoteAddr
	case ip.Is6():
		p, _ := ip.Prefix(64)
		return "addr " + p.String()
	}
	return "addr " + ip.String()
}

// RateLimit runs next for the requests l allows (by ClientKey) and answers
// the others with HTTP 429, Retry-After (whole seconds) and a GraphQL error
// with code RATE_LIMITED. It must run after authentication, which puts the
// principal in the request's context. A nil l allows everything. CORS
// preflights (OPTIONS) are not counted.
func RateLimit(l *RateLimiter, next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodOptions {
			if ok, wait := l.Allow(ClientKey(r, l.cfg.TrustedProxies), time.Now()); !ok {
				accesslog.From(r.Context()).AddError(CodeRateLimited)
				WriteRefusal(w, http.StatusTooManyRequests, CodeRateLimited, wait,
					fmt.Sprintf("too many requests from this client (at most %s per second, %d at once); retry after %s",
						strconv.FormatFloat(l.cfg.Rate, 'f', -1, 64), l.cfg.Burst, retrySeconds(wait)+" s"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// WriteRefusal answers a refused request: status, Retry-After (wait in
// whole seconds, at least 1), and a GraphQL response with one error of the
// given code.
func WriteRefusal(w http.ResponseWriter, status int, code string, wait time.Duration, msg string) {
	h := w.Header()
	h.Set("Retry-After", retrySeconds(wait))
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": msg, "extensions": map[string]any{"code": code},
	}}})
}

// RetrySeconds is wait in whole seconds, rounded up, at least 1, as
// Retry-After wants it.
func RetrySeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}

func retrySeconds(wait time.Duration) string { return strconv.Itoa(RetrySeconds(wait)) }
