// Package config provides vetgraph's one configuration struct, read from the
// environment with defaults and checked by Validate. The README's table lists
// every variable; keep the two in step (a test compares them).
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is the whole configuration of the server and the loader.
type Config struct {
	// Addr is the HTTP listen address.
	Addr string `env:"VETGRAPH_ADDR" envDefault:"127.0.0.1:8080"`
	// DataDir holds the data files (see docs/data-format.md).
	DataDir string `env:"VETGRAPH_DATA_DIR" envDefault:"data"`
	// CORSOrigins are the origins allowed cross-origin access; empty means none.
	CORSOrigins []string `env:"VETGRAPH_CORS_ORIGINS" envSeparator:","`
	// LogLevel is debug, info, warn or error; LogFormat text or json.
	LogLevel  string `env:"VETGRAPH_LOG_LEVEL" envDefault:"info"`
	LogFormat string `env:"VETGRAPH_LOG_FORMAT" envDefault:"text"`
	// AccessLog writes one line per HTTP request (level info: id, method,
	// path, status, duration; for GraphQL the operation, error codes and
	// Cypher statements); false writes none.
	AccessLog bool `env:"VETGRAPH_ACCESS_LOG" envDefault:"true"`
	// TracesEndpoint is the URL of an OTLP/HTTP traces receiver (e.g.
	// http://127.0.0.1:4318/v1/traces): a span per request and per Cypher
	// statement (package tracing); empty: no tracing. TracesSampleRatio
	// is the share of new traces kept (0–1).
	TracesEndpoint    string  `env:"VETGRAPH_TRACES_ENDPOINT"`
	TracesSampleRatio float64 `env:"VETGRAPH_TRACES_SAMPLE_RATIO" envDefault:"1"`

	// Neo4jURI is the Bolt or neo4j:// address. The default is the embedded
	// Neo4j that scripts/neo4j starts.
	Neo4jURI      string `env:"NEO4J_URI" envDefault:"bolt://127.0.0.1:7687"`
	Neo4jUser     string `env:"NEO4J_USER"`
	Neo4jPassword string `env:"NEO4J_PASSWORD"`
	// Neo4jDatabase is the database name; empty means the server's default.
	Neo4jDatabase    string `env:"NEO4J_DATABASE" envDefault:"neo4j"`
	Neo4jMaxPoolSize int    `env:"NEO4J_MAX_POOL_SIZE" envDefault:"50"`

	// Request limits.
	MaxBodyBytes  int64         `env:"VETGRAPH_MAX_BODY_BYTES" envDefault:"1048576"`
	MaxTokens     int           `env:"VETGRAPH_MAX_TOKENS" envDefault:"5000"`
	MaxDepth      int           `env:"VETGRAPH_MAX_DEPTH" envDefault:"12"`
	MaxAliases    int           `env:"VETGRAPH_MAX_ALIASES" envDefault:"30"`
	MaxComplexity int           `env:"VETGRAPH_MAX_COMPLEXITY" envDefault:"50000"`
	MaxFields     int           `env:"VETGRAPH_MAX_FIELDS" envDefault:"2000"`
	MaxPage       int           `env:"VETGRAPH_MAX_PAGE_SIZE" envDefault:"100"`
	Timeout       time.Duration `env:"VETGRAPH_REQUEST_TIMEOUT" envDefault:"15s"`
	Introspection bool          `env:"VETGRAPH_INTROSPECTION" envDefault:"true"`
	// ExploreTimeout bounds each exploration statement (neighborhood,
	// paths, commonNeighbors, explain) in Neo4j: at most Timeout.
	ExploreTimeout time.Duration `env:"VETGRAPH_EXPLORE_TIMEOUT" envDefault:"5s"`
	// VocabularyRefresh is how often a server reads the relationship types
	// admins added (so that one added through another replica becomes
	// usable here); one added through this server is usable at once.
	VocabularyRefresh time.Duration `env:"VETGRAPH_VOCABULARY_REFRESH" envDefault:"15s"`
	// ShutdownDelay is how long, after SIGTERM or SIGINT, the server keeps
	// listening with /readyz answering 503 (so that a load balancer polling
	// it stops sending traffic) before it stops accepting connections and
	// drains the requests in flight. 0 stops listening at once.
	ShutdownDelay time.Duration `env:"VETGRAPH_SHUTDOWN_DELAY" envDefault:"0s"`

	// Admission control (package admission). MaxRequests GraphQL queries
	// (or, one connection each, MaxRequests × StatementsPerRequest
	// mutations) execute at once, each running at most
	// StatementsPerRequest Neo4j
	// statements at once, so that they never need more than the pool less
	// PoolReserve. Requests costing more than LightCost (by the cost model)
	// are heavy and share MaxWork cost units. A request waits at most
	// QueueTimeout, behind at most MaxQueue others, else it is refused
	// with 503 OVERLOADED.
	MaxRequests  int           `env:"VETGRAPH_MAX_REQUESTS" envDefault:"15"`
	MaxWork      int64         `env:"VETGRAPH_MAX_WORK" envDefault:"25000"`
	LightCost    int64         `env:"VETGRAPH_LIGHT_COST" envDefault:"2500"`
	MaxQueue     int           `env:"VETGRAPH_MAX_QUEUE" envDefault:"64"`
	QueueTimeout time.Duration `env:"VETGRAPH_QUEUE_TIMEOUT" envDefault:"2s"`
	// RateLimit is GraphQL requests per second per client (API key, token
	// subject, else address), RateBurst how many at once after a pause;
	// over it 429 RATE_LIMITED. 0 turns the limit off.
	RateLimit float64 `env:"VETGRAPH_RATE_LIMIT" envDefault:"50"`
	RateBurst int     `env:"VETGRAPH_RATE_BURST" envDefault:"100"`
	// TrustedProxies are the reverse proxies (CIDR prefixes or addresses)
	// whose X-Forwarded-For names the client, for the rate limit and the
	// access log; empty: the header is never read (any client can write
	// it).
	TrustedProxies []string `env:"VETGRAPH_TRUSTED_PROXIES" envSeparator:","`

	// Access (package auth). AnonymousReads lets requests without
	// credentials read, as the reader role; off, every request needs an API
	// key or a bearer token.
	AnonymousReads bool `env:"VETGRAPH_ANONYMOUS_READS" envDefault:"true"`
	// JWT bearer tokens, accepted when any of these is set (JWTEnabled;
	// Validate then wants issuer, audience and exactly one key source): the
	// token's iss and one of its aud values must match; its signature is
	// checked with a JWKS URL, a PEM public-key file or an HMAC secret
	// (HS256). The role is read from the claim JWTRoleClaim.
	JWTIssuer        string `env:"VETGRAPH_JWT_ISSUER"`
	JWTAudience      string `env:"VETGRAPH_JWT_AUDIENCE"`
	JWTJWKSURL       string `env:"VETGRAPH_JWT_JWKS_URL"`
	JWTPublicKeyFile string `env:"VETGRAPH_JWT_PUBLIC_KEY_FILE"`
	JWTHMACSecret    string `env:"VETGRAPH_JWT_HMAC_SECRET"`
	JWTRoleClaim     string `env:"VETGRAPH_JWT_ROLE_CLAIM" envDefault:"role"`
}

// JWTEnabled reports whether any JWT setting is made; Validate then
// requires a complete set.
func (c Config) JWTEnabled() bool {
	return c.JWTIssuer != "" || c.JWTAudience != "" || c.JWTJWKSURL != "" || c.JWTPublicKeyFile != "" || c.JWTHMACSecret != ""
}

// Load reads the environment and validates the result.
func Load() (Config, error) {
	c, err := env.ParseAs[Config]()
	if err != nil {
		return Config{}, fmt.Errorf("config: %s", nameVariables(err))
	}
	return c, c.Validate()
}

// Validate reports every setting that is out of range, saying what to fix.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("VETGRAPH_ADDR %q: want host:port, e.g. 127.0.0.1:8080 (:8080 for every interface)", c.Addr)
	}
	if u, err := url.Parse(c.Neo4jURI); err != nil || !validScheme(u.Scheme) || u.Host == "" {
		bad("NEO4J_URI %q: want bolt://, bolt+s://, neo4j:// or neo4j+s:// with a host", c.Neo4jURI)
	}
	if (c.Neo4jUser == "") != (c.Neo4jPassword == "") {
		bad("NEO4J_USER and NEO4J_PASSWORD: set both or neither (neither means no authentication)")
	}
	for _, o := range c.CORSOrigins {
		if o == "*" {
			bad("VETGRAPH_CORS_ORIGINS: list origins explicitly; \"*\" is not accepted")
		} else if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" {
			bad("VETGRAPH_CORS_ORIGINS: %q is not an origin like https://example.org", o)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("VETGRAPH_LOG_LEVEL %q: want debug, info, warn or error", c.LogLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("VETGRAPH_LOG_FORMAT %q: want text or json", c.LogFormat)
	}
	positive := map[string]int64{
		"NEO4J_MAX_POOL_SIZE": int64(c.Neo4jMaxPoolSize), "VETGRAPH_MAX_BODY_BYTES": c.MaxBodyBytes,
		"VETGRAPH_MAX_TOKENS": int64(c.MaxTokens), "VETGRAPH_MAX_DEPTH": int64(c.MaxDepth), "VETGRAPH_MAX_ALIASES": int64(c.MaxAliases),
		"VETGRAPH_MAX_COMPLEXITY": int64(c.MaxComplexity), "VETGRAPH_MAX_PAGE_SIZE": int64(c.MaxPage),
		"VETGRAPH_MAX_FIELDS": int64(c.MaxFields), "VETGRAPH_MAX_REQUESTS": int64(c.MaxRequests), "VETGRAPH_MAX_WORK": c.MaxWork,
	}
	for name, v := range positive {
		if v < 1 {
			bad("%s must be at least 1, got %d", name, v)
		}
	}
	if c.Timeout <= 0 {
		bad("VETGRAPH_REQUEST_TIMEOUT must be positive, e.g. 15s")
	}
	if c.ExploreTimeout <= 0 || c.ExploreTimeout > c.Timeout {
		bad("VETGRAPH_EXPLORE_TIMEOUT must be positive and at most VETGRAPH_REQUEST_TIMEOUT (%s), got %s (its default is 5s: with a request timeout under 5s, set it too)", c.Timeout, c.ExploreTimeout)
	}
	if c.MaxRequests > c.Neo4jMaxPoolSize-c.PoolReserve() && c.Neo4jMaxPoolSize >= 1 {
		bad("VETGRAPH_MAX_REQUESTS (%d) must be at most %d: each request needs a Neo4j connection, and %d of the NEO4J_MAX_POOL_SIZE (%d) stay for authentication and /readyz",
			c.MaxRequests, max(1, c.Neo4jMaxPoolSize-c.PoolReserve()), c.PoolReserve(), c.Neo4jMaxPoolSize)
	}
	if c.LightCost < 0 {
		bad("VETGRAPH_LIGHT_COST must not be negative, got %d", c.LightCost)
	}
	if c.MaxQueue < 0 {
		bad("VETGRAPH_MAX_QUEUE must not be negative (0: no request waits), got %d", c.MaxQueue)
	}
	if c.QueueTimeout <= 0 || c.QueueTimeout > c.Timeout {
		bad("VETGRAPH_QUEUE_TIMEOUT must be positive and at most VETGRAPH_REQUEST_TIMEOUT (%s), got %s", c.Timeout, c.QueueTimeout)
	}
	if c.RateLimit < 0 {
		bad("VETGRAPH_RATE_LIMIT must not be negative (0 turns the limit off), got %g", c.RateLimit)
	}
	if c.RateLimit > 0 && c.RateBurst < 1 {
		bad("VETGRAPH_RATE_BURST must be at least 1 when VETGRAPH_RATE_LIMIT is set, got %d", c.RateBurst)
	}
	if c.TracesEndpoint != "" {
		if u, err := url.Parse(c.TracesEndpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("VETGRAPH_TRACES_ENDPOINT %q: want the URL of an OTLP/HTTP traces receiver, e.g. http://127.0.0.1:4318/v1/traces", c.TracesEndpoint)
		}
	}
	if c.TracesSampleRatio < 0 || c.TracesSampleRatio > 1 {
		bad("VETGRAPH_TRACES_SAMPLE_RATIO must be between 0 and 1, got %g", c.TracesSampleRatio)
	}
	for _, p := range c.TrustedProxies {
		if !validProxy(p) {
			bad("VETGRAPH_TRUSTED_PROXIES: %q is neither a CIDR prefix (10.0.0.0/8, fd00::/8) nor an IP address", p)
		}
	}
	if c.VocabularyRefresh < time.Second {
		bad("VETGRAPH_VOCABULARY_REFRESH must be at least 1s, e.g. 15s, got %s", c.VocabularyRefresh)
	}
	if c.ShutdownDelay < 0 || c.ShutdownDelay > maxShutdownDelay {
		bad("VETGRAPH_SHUTDOWN_DELAY must be between 0s and %s, got %s (about your load balancer's readiness-probe period, e.g. 5s)", maxShutdownDelay, c.ShutdownDelay)
	}
	if c.JWTEnabled() {
		errs = append(errs, c.validateJWT()...)
	}
	return errors.Join(errs...)
}

// maxShutdownDelay bounds ShutdownDelay: longer than this, an orchestrator
// (Kubernetes gives 30 s by default) kills the process before it drains.
const maxShutdownDelay = time.Minute

// PoolReserve is how many Neo4j connections GraphQL requests leave for the
// rest (authentication, /readyz, the vocabulary refresh): a tenth of the
// pool, at least 2 (1 of a pool of 2 or 3, none of a pool of 1).
func (c Config) PoolReserve() int {
	if c.Neo4jMaxPoolSize < 4 {
		return min(1, max(c.Neo4jMaxPoolSize-1, 0))
	}
	return max(2, c.Neo4jMaxPoolSize/10)
}

// StatementsPerRequest is how many Neo4j statements one GraphQL request
// runs at once: the pool less PoolReserve, shared among MaxRequests.
func (c Config) StatementsPerRequest() int {
	return max(1, (c.Neo4jMaxPoolSize-c.PoolReserve())/max(1, c.MaxRequests))
}

// minHMACSecretBytes is auth.MinHMACSecretBytes (config depends on the
// standard library only).
const minHMACSecretBytes = 32

// validateJWT checks the JWT settings as a whole: issuer, audience, and
// exactly one key source. The key file's content is checked when the server
// starts (auth.JWTConfig.Check).
func (c Config) validateJWT() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.JWTIssuer == "" {
		bad("VETGRAPH_JWT_ISSUER: set it to the iss value of your identity provider's tokens (JWT settings are set, so JWT is on)")
	}
	if c.JWTAudience == "" {
		bad("VETGRAPH_JWT_AUDIENCE: set it to the aud value your identity provider gives this API (JWT settings are set, so JWT is on)")
	}
	var sources []string
	for name, v := range map[string]string{
		"VETGRAPH_JWT_JWKS_URL":        c.JWTJWKSURL,
		"VETGRAPH_JWT_PUBLIC_KEY_FILE": c.JWTPublicKeyFile, "VETGRAPH_JWT_HMAC_SECRET": c.JWTHMACSecret,
	} {
		if v != "" {
			sources = append(sources, name)
		}
	}
	slices.Sort(sources)
	if len(sources) != 1 {
		got := "none is"
		if len(sources) > 1 {
			got = strings.Join(sources, " and ") + " are"
		}
		bad("JWT keys: set exactly one of VETGRAPH_JWT_JWKS_URL, VETGRAPH_JWT_PUBLIC_KEY_FILE or VETGRAPH_JWT_HMAC_SECRET; %s set", got)
	}
	if c.JWTJWKSURL != "" {
		u, err := url.Parse(c.JWTJWKSURL)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
			bad("VETGRAPH_JWT_JWKS_URL %q: want a URL like https://idp.example/.well-known/jwks.json", c.JWTJWKSURL)
		case u.Scheme == "http" && !loopback(u.Hostname()):
			bad("VETGRAPH_JWT_JWKS_URL %q: use https (http only for localhost)", c.JWTJWKSURL)
		}
	}
	if c.JWTPublicKeyFile != "" {
		if _, err := os.Stat(c.JWTPublicKeyFile); err != nil {
			bad("VETGRAPH_JWT_PUBLIC_KEY_FILE: %v (want a PEM file with the identity provider's public key)", err)
		}
	}
	if c.JWTHMACSecret != "" && len(c.JWTHMACSecret) < minHMACSecretBytes {
		bad("VETGRAPH_JWT_HMAC_SECRET is %d bytes: use at least %d random bytes (e.g. openssl rand -base64 48)", len(c.JWTHMACSecret), minHMACSecretBytes)
	}
	if c.JWTRoleClaim == "" {
		bad("VETGRAPH_JWT_ROLE_CLAIM: name the claim that holds the role (default role)")
	}
	return errs
}

// validProxy reports whether s is a CIDR prefix or an IP address, as
// clientip.Parse reads them.
func validProxy(s string) bool {
	s = strings.TrimSpace(s)
	if _, err := netip.ParsePrefix(s); err == nil {
		return true
	}
	_, err := netip.ParseAddr(s)
	return err == nil || s == ""
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// Masked returns the config with the secrets (Neo4j password, JWT HMAC
// secret) hidden, for logging.
func (c Config) Masked() Config {
	if c.Neo4jPassword != "" {
		c.Neo4jPassword = "****"
	}
	if c.JWTHMACSecret != "" {
		c.JWTHMACSecret = "****"
	}
	return c
}

// nameVariables rewrites the env library's field names (field "Timeout")
// into the variable names a user sets (VETGRAPH_REQUEST_TIMEOUT).
func nameVariables(err error) string {
	msg := err.Error()
	t := reflect.TypeFor[Config]()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if v := f.Tag.Get("env"); v != "" {
			msg = strings.ReplaceAll(msg, `field "`+f.Name+`"`, v)
		}
	}
	return msg
}

func validScheme(s string) bool {
	switch strings.ToLower(s) {
	case "bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc":
		return true
	}
	return false
}
