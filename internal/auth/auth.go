// Package auth provides who a request is: it turns the request's bearer
// credential, an API key (vg_…) or a JWT, into a kg.Actor (name, role, and
// how it was proved), and its Middleware puts that actor in the request's
// context for the layers below.
//
// It proves who, never what: role checks belong to the commands that need a
// role (they read kg.ActorFrom(ctx).Role). A credential never appears in a
// log line or an error message; only a key's public id does.
//
// API keys are looked up through a KeyStore (package store implements it)
// and cached for a short time (DefaultKeyCacheTTL), so most requests cost no
// Neo4j read; a key revoked with `vetgraph keys revoke` is refused by every
// running server within that time. JWTs are verified with
// github.com/golang-jwt/jwt/v5 against a JWKS URL (keys fetched and
// refreshed by github.com/MicahParks/keyfunc/v3), a PEM public key, or an
// HMAC shared secret.
package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// DefaultKeyCacheTTL is how long a verified API key is remembered: the
// longest a revoked key keeps working on a server that saw it just before.
const DefaultKeyCacheTTL = 30 * time.Second

// maxCachedKeys bounds the key cache; when it is full, expired entries are
// dropped, and if none are, the whole cache.
const maxCachedKeys = 10_000

// maxCredentialBytes bounds the credential read from the header (JWTs from
// common identity providers are 1–4 KB).
const maxCredentialBytes = 16 << 10

// keyLookupTimeout bounds the store read of one API key.
const keyLookupTimeout = 5 * time.Second

// KeyStore is where API keys are kept (package store implements it).
type KeyStore interface {
	// APIKeyByID returns the key with id, revoked or not, an error
	// wrapping kg.ErrNotFound when there is none, or kg.ErrUnavailable
	// when the store cannot answer.
	APIKeyByID(ctx context.Context, id string) (kg.APIKey, error)
}

// Config says which credentials an Authenticator accepts.
type Config struct {
	// Keys is where API keys are looked up; nil refuses every API key.
	Keys KeyStore
	// KeyCacheTTL is how long a verified key is remembered (0 means
	// DefaultKeyCacheTTL; negative means not at all, a store read per
	// request).
	KeyCacheTTL time.Duration
	// JWT, when not nil, accepts JWT bearer tokens as it says; nil refuses
	// every credential that is not an API key.
	JWT *JWTConfig
	// Log receives one line per refused credential (why, never the
	// credential) and key-store errors; nil discards them.
	Log *slog.Logger
}

// Authenticator turns a request's credential into a kg.Actor. It is safe
// for concurrent use.
type Authenticator struct {
	keys  KeyStore
	jwt   *jwtVerifier
	log   *slog.Logger
	cache keyCache
	now   func() time.Time
}

// New returns an Authenticator for c. With c.JWT set, it checks c.JWT
// (JWTConfig.Check) and, for a JWKS URL, fetches the key set once (waiting
// at most 10 s; a failure is logged, not returned, and the set is fetched
// again when a token names a key it does not hold) and refreshes it hourly
// until ctx ends.
func New(ctx context.Context, c Config) (*Authenticator, error) {
	log := c.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ttl := c.KeyCacheTTL
	if ttl == 0 {
		ttl = DefaultKeyCacheTTL
	}
	a := &Authenticator{keys: c.Keys, log: log, now: time.Now, cache: keyCache{ttl: ttl, m: map[string]cachedKey{}}}
	if c.JWT != nil {
		v, err := newJWTVerifier(ctx, *c.JWT, log)
		if err != nil {
			return nil, err
		}
		a.jwt = v
	}
	return a, nil
}

// ErrNoCredentials: the request carries no Authorization header. It wraps
// kg.ErrUnauthenticated; Middleware treats it as the anonymous reader when
// anonymous reads are on.
var ErrNoCredentials = fmt.Errorf("%w: no credentials", kg.ErrUnauthenticated)

// refusal is a credential that proves nobody. Its message is for the
// client (what to do; never the credential); reason is for the log.
type refusal struct {
	msg    string
	reason string
	// via names the credential without revealing it ("key:<id>", "jwt"),
	// for the log.
	via string
}

func (e *refusal) Error() string { return e.msg }
func (e *refusal) Unwrap() error { return kg.ErrUnauthenticated }

// Messages of refusals, each saying what to do.
const (
	msgScheme = "send credentials as `Authorization: Bearer <API key or token>`"
	msgBadKey = "the API key is malformed: send the whole key (vg_<id>_<secret>) as `vetgraph keys create` printed it"
	msgKey    = "the API key is unknown or revoked: ask an admin for a new one (`vetgraph keys create`)"
	msgNoKeys = "this server accepts no API keys"
	msgNoJWT  = "the credential is not an API key (vg_…), and this server accepts no JWT bearer tokens: send an API key"
)

// Authenticate returns the Actor that r's `Authorization: Bearer …` header
// proves. Errors: ErrNoCredentials when r has no Authorization header; an
// error wrapping kg.ErrUnauthenticated, whose message a client may see
// and which says what to do, for a credential that proves nobody
// (malformed, unknown, revoked, expired, badly signed, for another issuer
// or audience); an error wrapping kg.ErrUnavailable when the key store
// cannot answer.
func (a *Authenticator) Authenticate(r *http.Request) (kg.Actor, error) {
	headers := r.Header.Values("Authorization")
	switch {
	case len(headers) == 0:
		return kg.Actor{}, ErrNoCredentials
	case len(headers) > 1:
		return kg.Actor{}, &refusal{msg: "send one Authorization header, not several", reason: "several Authorization headers"}
	}
	scheme, cred, _ := strings.Cut(strings.TrimSpace(headers[0]), " ")
	cred = strings.TrimSpace(cred)
	switch {
	case !strings.EqualFold(scheme, "Bearer"):
		return kg.Actor{}, &refusal{msg: msgScheme, reason: "not the Bearer scheme"}
	case cred == "":
		return kg.Actor{}, &refusal{msg: msgScheme, reason: "empty bearer credential"}
	case len(cred) > maxCredentialBytes:
		return kg.Actor{}, &refusal{msg: fmt.Sprintf("the bearer credential is over %d bytes", maxCredentialBytes), reason: "credential too long"}
	case strings.HasPrefix(cred, KeyPrefix):
		return a.key(r.Context(), cred)
	case a.jwt == nil:
		return kg.Actor{}, &refusal{msg: msgNoJWT, reason: "not an API key and JWT is not configured", via: "jwt"}
	default:
		return a.jwt.verify(r.Context(), cred)
	}
}

// key proves an API key: parsed, found (in the cache or the store), its
// secret's hash matching, not revoked, with a known role.
func (a *Authenticator) key(ctx context.Context, cred string) (kg.Actor, error) {
	id, secret, err := parseKey(cred)
	if err != nil {
		return kg.Actor{}, &refusal{msg: msgBadKey, reason: "malformed API key", via: "key"}
	}
	via := "key:" + id
	if a.keys == nil {
		return kg.Actor{}, &refusal{msg: msgNoKeys, reason: "no key store", via: via}
	}
	k, cached := a.cache.get(id, a.now())
	if !cached {
		lctx, cancel := context.WithTimeout(ctx, keyLookupTimeout)
		k, err = a.keys.APIKeyByID(lctx, id)
		cancel()
		switch {
		case errors.Is(err, kg.ErrNotFound):
			return kg.Actor{}, &refusal{msg: msgKey, reason: "unknown API key", via: via}
		case err != nil:
			return kg.Actor{}, fmt.Errorf("key store: %w", err)
		}
	}
	if !secretMatches(k.Hash, secret) {
		return kg.Actor{}, &refusal{msg: msgKey, reason: "API key secret does not match", via: via}
	}
	// Only keys whose secret matched are cached, so guessed ids cannot
	// fill the cache; revoked keys are cached too (a client that keeps
	// sending one costs no reads).
	if !cached {
		a.cache.put(k, a.now())
	}
	if k.Revoked() {
		return kg.Actor{}, &refusal{msg: msgKey, reason: "revoked API key", via: via}
	}
	role, ok := kg.ParseRole(string(k.Role))
	if !ok {
		return kg.Actor{}, &refusal{msg: msgKey, reason: fmt.Sprintf("API key has unknown role %q", k.Role), via: via}
	}
	return kg.Actor{Name: k.Name, Role: role, Via: via}, nil
}

// keyCache remembers verified keys by id for ttl.
type keyCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cachedKey
}

type cachedKey struct {
	key     kg.APIKey
	expires time.Time
}

func (c *keyCache) get(id string, now time.Time) (kg.APIKey, bool) {
	if c.ttl < 0 {
		return kg.APIKey{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok {
		return kg.APIKey{}, false
	}
	if !now.Before(e.expires) {
		delete(c.m, id)
		return kg.APIKey{}, false
	}
	return e.key, true
}

func (c *keyCache) put(k kg.APIKey, now time.Time) {
	if c.ttl < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedKeys {
		for id, e := range c.m {
			if !now.Before(e.expires) {
				delete(c.m, id)
			}
		}
		if len(c.m) >= maxCachedKeys {
			clear(c.m)
		}
	}
	c.m[k.ID] = cachedKey{key: k, expires: now.Add(c.ttl)}
}
