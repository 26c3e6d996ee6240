package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// memKeys is a KeyStore in memory that counts its reads.
type memKeys struct {
	mu    sync.Mutex
	keys  map[string]kg.APIKey
	reads int
	err   error // returned by every read when set
}

func newMemKeys() *memKeys { return &memKeys{keys: map[string]kg.APIKey{}} }

func (m *memKeys) APIKeyByID(_ context.Context, id string) (kg.APIKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	if m.err != nil {
		return kg.APIKey{}, m.err
	}
	k, ok := m.keys[id]
	if !ok {
		return kg.APIKey{}, fmt.Errorf("api key %s: %w", id, kg.ErrNotFound)
	}
	return k, nil
}

func (m *memKeys) add(t *testing.T, name string, role kg.Role) (string, kg.APIKey) {
	t.Helper()
	plain, k, err := NewKey(name, role)
	if err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	m.keys[k.ID] = k
	m.mu.Unlock()
	return plain, k
}

func (m *memKeys) revoke(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.keys[id]
	now := time.Now()
	k.RevokedAt = &now
	m.keys[id] = k
}

func (m *memKeys) readCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reads
}

func newAuth(t *testing.T, c Config) *Authenticator {
	t.Helper()
	a, err := New(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func bearer(cred string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	if cred != "" {
		r.Header.Set("Authorization", "Bearer "+cred)
	}
	return r
}

func TestAPIKeyProvesItsActor(t *testing.T) {
	keys := newMemKeys()
	a := newAuth(t, Config{Keys: keys})
	plain, k := keys.add(t, "李伟", kg.RoleCurator)
	got, err := a.Authenticate(bearer(plain))
	want := kg.Actor{Name: "李伟", Role: kg.RoleCurator, Via: "key:" + k.ID}
	if err != nil || got != want {
		t.Errorf("Authenticate(key) = %+v, %v; want %+v", got, err, want)
	}
	// The scheme is case-insensitive (RFC 7235).
	r := bearer("")
	r.Header.Set("Authorization", "bearer  "+plain)
	if got, err := a.Authenticate(r); err != nil || got != want {
		t.Errorf("Authenticate(bearer, two spaces) = %+v, %v", got, err)
	}
}

func TestAPIKeyRefusals(t *testing.T) {
	keys := newMemKeys()
	a := newAuth(t, Config{Keys: keys})
	plain, k := keys.add(t, "bot", kg.RoleAdmin)
	revokedPlain, revoked := keys.add(t, "old bot", kg.RoleAdmin)
	keys.revoke(revoked.ID)
	unknown, _, _ := NewKey("never stored", kg.RoleAdmin)
	wrongSecret, _, _ := NewKey("other", kg.RoleAdmin)
	wrongSecret = "vg_" + k.ID + wrongSecret[len("vg_")+KeyIDLength:] // the stored id, another secret
	badRole, br := keys.add(t, "odd", kg.RoleReader)
	br.Role = "owner"
	keys.keys[br.ID] = br

	for _, tc := range []struct{ name, header, want string }{
		{"revoked", "Bearer " + revokedPlain, "unknown or revoked"},
		{"unknown", "Bearer " + unknown, "unknown or revoked"},
		{"wrong secret", "Bearer " + wrongSecret, "unknown or revoked"},
		{"unknown role", "Bearer " + badRole, "unknown or revoked"},
		{"malformed", "Bearer vg_short", "malformed"},
		{"truncated", "Bearer " + plain[:len(plain)-1], "malformed"},
		{"basic scheme", "Basic " + plain, "Authorization: Bearer"},
		{"no scheme", plain, "Authorization: Bearer"},
		{"empty bearer", "Bearer ", "Authorization: Bearer"},
		{"not a key, no JWT", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "accepts no JWT"},
		{"huge", "Bearer " + strings.Repeat("a", maxCredentialBytes+1), "over"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := bearer("")
			r.Header.Set("Authorization", tc.header)
			got, err := a.Authenticate(r)
			if !errors.Is(err, kg.ErrUnauthenticated) || errors.Is(err, ErrNoCredentials) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Authenticate = %+v, %v; want ErrUnauthenticated saying %q", got, err, tc.want)
			}
			if strings.Contains(err.Error(), plain) || strings.Contains(err.Error(), revokedPlain) {
				t.Error("the error echoes the credential")
			}
		})
	}
	r := bearer(plain)
	r.Header.Add("Authorization", "Bearer "+plain)
	if _, err := a.Authenticate(r); !errors.Is(err, kg.ErrUnauthenticated) {
		t.Errorf("two Authorization headers: %v, want refused", err)
	}
	if _, err := a.Authenticate(bearer("")); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("no header: %v, want ErrNoCredentials", err)
	}
	// Without a key store, keys are refused.
	if _, err := newAuth(t, Config{}).Authenticate(bearer(plain)); !errors.Is(err, kg.ErrUnauthenticated) {
		t.Errorf("no key store: %v, want refused", err)
	}
}

func TestKeyCacheServesWithinTTLAndSeesRevocationAfter(t *testing.T) {
	keys := newMemKeys()
	a := newAuth(t, Config{Keys: keys, KeyCacheTTL: 30 * time.Second})
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a.now = func() time.Time { return clock }
	plain, k := keys.add(t, "bot", kg.RoleCurator)

	for i := range 5 {
		if _, err := a.Authenticate(bearer(plain)); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if n := keys.readCount(); n != 1 {
		t.Errorf("5 requests within the TTL read the store %d times, want 1", n)
	}
	// A wrong secret for a cached id is still refused (the hash is checked
	// on every request, not only on a cache miss).
	other, _, _ := NewKey("x", kg.RoleReader)
	if _, err := a.Authenticate(bearer("vg_" + k.ID + other[len("vg_")+KeyIDLength:])); !errors.Is(err, kg.ErrUnauthenticated) {
		t.Errorf("wrong secret for a cached key: %v, want refused", err)
	}

	keys.revoke(k.ID)
	clock = clock.Add(29 * time.Second)
	if _, err := a.Authenticate(bearer(plain)); err != nil {
		t.Errorf("revoked key within the TTL: %v (cached, still accepted)", err)
	}
	clock = clock.Add(2 * time.Second) // 31 s after the first read
	if _, err := a.Authenticate(bearer(plain)); !errors.Is(err, kg.ErrUnauthenticated) {
		t.Errorf("revoked key after the TTL: %v, want refused", err)
	}
	if n := keys.readCount(); n != 2 {
		t.Errorf("store reads = %d, want 2 (one per TTL)", n)
	}
	// The revoked key is cached as revoked: refused without another read.
	if _, err := a.Authenticate(bearer(plain)); !errors.Is(err, kg.ErrUnauthenticated) || keys.readCount() != 2 {
		t.Errorf("revoked key again: %v, reads %d; want refused from the cache", err, keys.readCount())
	}

	// A negative TTL turns the cache off.
	keys2 := newMemKeys()
	nc := newAuth(t, Config{Keys: keys2, KeyCacheTTL: -1})
	p2, _ := keys2.add(t, "bot", kg.RoleReader)
	for range 3 {
		if _, err := nc.Authenticate(bearer(p2)); err != nil {
			t.Fatal(err)
		}
	}
	if n := keys2.readCount(); n != 3 {
		t.Errorf("no cache: %d reads for 3 requests", n)
	}
}

func TestKeyCacheIsBounded(t *testing.T) {
	c := keyCache{ttl: time.Minute, m: map[string]cachedKey{}}
	now := time.Now()
	for i := range maxCachedKeys + 10 {
		c.put(kg.APIKey{ID: fmt.Sprint(i)}, now)
	}
	if len(c.m) > maxCachedKeys {
		t.Errorf("cache holds %d keys, bound %d", len(c.m), maxCachedKeys)
	}
}

// serve runs the middleware over one request and returns the response and
// the actor next saw (nil when next did not run).
func serve(t *testing.T, a *Authenticator, anonymous bool, r *http.Request) (*httptest.ResponseRecorder, *kg.Actor) {
	t.Helper()
	var seen *kg.Actor
	h := Middleware(a, anonymous, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		act, ok := kg.ActorFrom(r.Context())
		if !ok {
			t.Error("next ran without an actor in the context")
		}
		seen = &act
		w.WriteHeader(http.StatusOK)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec, seen
}

type gqlErrors struct {
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

func decodeErrors(t *testing.T, rec *httptest.ResponseRecorder) gqlErrors {
	t.Helper()
	var body gqlErrors
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
		t.Fatalf("body %q is not one GraphQL error: %v", rec.Body, err)
	}
	return body
}

func TestMiddleware(t *testing.T) {
	keys := newMemKeys()
	a := newAuth(t, Config{Keys: keys})
	plain, k := keys.add(t, "bot", kg.RoleCurator)
	revoked, rk := keys.add(t, "old", kg.RoleCurator)
	keys.revoke(rk.ID)

	t.Run("anonymous reads on", func(t *testing.T) {
		rec, act := serve(t, a, true, bearer(""))
		if rec.Code != 200 || act == nil || *act != (kg.Actor{Role: kg.RoleReader}) || !act.Anonymous() {
			t.Errorf("no credentials, anonymous on: %d, actor %+v; want 200 and the anonymous reader", rec.Code, act)
		}
	})
	t.Run("anonymous reads off", func(t *testing.T) {
		rec, act := serve(t, a, false, bearer(""))
		if rec.Code != http.StatusUnauthorized || act != nil {
			t.Fatalf("no credentials, anonymous off: %d, next ran: %v", rec.Code, act != nil)
		}
		body := decodeErrors(t, rec)
		if body.Errors[0].Extensions.Code != "UNAUTHENTICATED" || !strings.Contains(body.Errors[0].Message, "Authorization: Bearer") {
			t.Errorf("body = %+v", body)
		}
		if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
		}
	})
	t.Run("key", func(t *testing.T) {
		for _, anon := range []bool{true, false} {
			rec, act := serve(t, a, anon, bearer(plain))
			if rec.Code != 200 || act == nil || *act != (kg.Actor{Name: "bot", Role: kg.RoleCurator, Via: "key:" + k.ID}) {
				t.Errorf("valid key (anonymous %v): %d, actor %+v", anon, rec.Code, act)
			}
		}
	})
	t.Run("invalid credential is refused even with anonymous reads", func(t *testing.T) {
		for _, cred := range []string{revoked, "vg_nonsense", "not-a-jwt"} {
			rec, act := serve(t, a, true, bearer(cred))
			if rec.Code != http.StatusUnauthorized || act != nil {
				t.Fatalf("%q: %d, next ran: %v; want 401", cred, rec.Code, act != nil)
			}
			body := decodeErrors(t, rec)
			if body.Errors[0].Extensions.Code != "UNAUTHENTICATED" || body.Errors[0].Message == "" {
				t.Errorf("%q: body = %+v", cred, body)
			}
			if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") || !strings.Contains(got, "invalid_token") {
				t.Errorf("WWW-Authenticate = %q", got)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if strings.Contains(rec.Body.String(), cred) {
				t.Errorf("the response echoes the credential: %s", rec.Body)
			}
		}
	})
	t.Run("key store down", func(t *testing.T) {
		down := newMemKeys()
		p, _ := down.add(t, "bot", kg.RoleReader)
		down.err = fmt.Errorf("api key x: %w: neo4j: connection refused", kg.ErrUnavailable)
		rec, act := serve(t, newAuth(t, Config{Keys: down}), true, bearer(p))
		if rec.Code != http.StatusServiceUnavailable || act != nil || decodeErrors(t, rec).Errors[0].Extensions.Code != "UNAVAILABLE" {
			t.Errorf("store down: %d %s", rec.Code, rec.Body)
		}
		if strings.Contains(rec.Body.String(), "neo4j") {
			t.Errorf("the response shows the store's error: %s", rec.Body)
		}
	})
}

// No credential, nor its secret part, reaches the log, whatever happens to
// it.
func TestCredentialsNeverLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	keys := newMemKeys()
	jw := newJWKS(t)
	a := newAuth(t, Config{Keys: keys, Log: log, JWT: &JWTConfig{Issuer: testIssuer, Audience: testAudience, JWKSURL: jw.url}})
	good, _ := keys.add(t, "bot", kg.RoleCurator)
	revoked, rk := keys.add(t, "old", kg.RoleCurator)
	keys.revoke(rk.ID)
	unknown, _, _ := NewKey("nobody", kg.RoleAdmin)
	expired := jw.sign(t, claims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }))
	wrongAud := jw.sign(t, claims(func(c map[string]any) { c["aud"] = "someone-else" }))
	okToken := jw.sign(t, claims(nil))

	creds := []string{good, revoked, unknown, good[:len(good)-2], expired, wrongAud, okToken, "garbage-token"}
	for _, c := range creds {
		serve(t, a, true, bearer(c))
		serve(t, a, false, bearer(c))
	}
	keys.err = kg.ErrUnavailable
	a.cache = keyCache{ttl: time.Second, m: map[string]cachedKey{}}
	serve(t, a, true, bearer(good))

	out := buf.String()
	if !strings.Contains(out, "authentication refused") {
		t.Fatalf("nothing logged; the test would prove nothing:\n%s", out)
	}
	for _, c := range creds {
		secret := c
		if strings.HasPrefix(c, KeyPrefix) && len(c) > len(KeyPrefix)+KeyIDLength+1 {
			secret = c[len(KeyPrefix)+KeyIDLength+1:] // the part after the public id
		}
		if parts := strings.Split(c, "."); len(parts) == 3 {
			secret = parts[2] // a JWT's signature
		}
		if strings.Contains(out, secret) {
			t.Errorf("the log holds a credential (%.12s…):\n%s", c, out)
		}
	}
}
