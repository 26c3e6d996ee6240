package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/rs/cors"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/admission"
	"github.com/vetgraph/vetgraph/internal/auth"
	"github.com/vetgraph/vetgraph/internal/clientip"
	vgconfig "github.com/vetgraph/vetgraph/internal/config"
	"github.com/vetgraph/vetgraph/internal/curation"
	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/metrics"
	"github.com/vetgraph/vetgraph/internal/searchkey"
	"github.com/vetgraph/vetgraph/internal/store"
	"github.com/vetgraph/vetgraph/internal/tracing"
	"github.com/vetgraph/vetgraph/web"
)

var stderr = os.Stderr

// telemetry is what a server reports through: metrics (nil: none) and
// traces (nil: none).
type telemetry struct {
	met    *metrics.Metrics
	tracer *tracing.Tracer
}

// openStore connects to Neo4j and checks that it answers. With tel's
// metrics the driver's connection use is measured, with its tracer every
// Cypher statement is a span.
func openStore(ctx context.Context, cfg vgconfig.Config, tel telemetry) (*store.Store, func(), error) {
	auth := neo4j.NoAuth()
	if cfg.Neo4jUser != "" {
		auth = neo4j.BasicAuth(cfg.Neo4jUser, cfg.Neo4jPassword, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.Neo4jURI, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = cfg.Neo4jMaxPoolSize
		c.ConnectionAcquisitionTimeout = 10 * time.Second
		c.SocketConnectTimeout = 5 * time.Second
		// Reads retry transient errors for at most this long, so a lost
		// Neo4j answers "unavailable" well before the request timeout.
		c.MaxTransactionRetryTime = 5 * time.Second
	})
	if err != nil {
		return nil, nil, fmt.Errorf("neo4j driver for %s: %w", cfg.Neo4jURI, err)
	}
	closeFn := func() { _ = driver.Close(context.Background()) }
	driver = tel.tracer.InstrumentDriver(driver, cfg.Neo4jDatabase)
	if tel.met != nil {
		driver = tel.met.InstrumentDriver(driver, cfg.Neo4jMaxPoolSize)
	}
	s := store.New(driver, cfg.Neo4jDatabase)
	s.SetExploreTimeout(cfg.ExploreTimeout)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := s.Ping(pctx); err != nil {
		closeFn()
		return nil, nil, fmt.Errorf("cannot reach Neo4j at %s (start the embedded one with `scripts/neo4j start`, or set NEO4J_URI): %w", cfg.Neo4jURI, err)
	}
	return s, closeFn, nil
}

// load validates the data files, then writes them in one transaction.
func load(ctx context.Context, cfg vgconfig.Config, log *slog.Logger) error {
	g, err := dataset.Read(cfg.DataDir)
	if err != nil {
		return err
	}
	s, closeFn, err := openStore(ctx, cfg, telemetry{})
	if err != nil {
		return err
	}
	defer closeFn()
	return loadInto(ctx, s, g, log)
}

func loadInto(ctx context.Context, s *store.Store, g *dataset.Graph, log *slog.Logger) error {
	if err := s.EnsureSchema(ctx); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	st, err := s.Load(ctx, g)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	log.Info("data loaded", "documents", len(g.Documents), "entities", len(g.Entities), "relations", len(g.Relations),
		"facts", len(g.Facts), "nodesCreated", st.NodesCreated, "nodesDeleted", st.NodesDeleted,
		"relationshipsCreated", st.RelationshipsCreated, "relationshipsDeleted", st.RelationshipsDeleted, "changed", st.Changed())
	if n := len(st.HeldByCurators); n > 0 {
		held := st.HeldByCurators[:min(n, 20)]
		log.Info("entities of the data files that curators have written were left as the curators left them; edit them through the API",
			"count", n, "ids", strings.Join(held, ","))
	}
	return nil
}

// serveOptions are what serve takes beyond the configuration; the zero
// value serves as `vetgraph serve` does without --load.
type serveOptions struct {
	// loadFirst validates and loads the data files before serving.
	loadFirst bool
	// listening, when set, is called with the listen address once the
	// server accepts connections (tests listen on port 0).
	listening func(net.Addr)
	// wrap, when set, wraps the whole handler (tests hold a request in
	// flight with it).
	wrap func(http.Handler) http.Handler
}

// shutdownMargin is the time beyond the request timeout that a shutdown
// waits for requests in flight: a request that times out still writes its
// answer.
const shutdownMargin = 5 * time.Second

// shutdownGrace is how long, once the listener is closed, a shutdown waits
// for the requests in flight: every one of them ends within the request
// timeout (cfg.Timeout), and then has shutdownMargin to write its answer.
func shutdownGrace(cfg vgconfig.Config) time.Duration { return cfg.Timeout + shutdownMargin }

// serve serves HTTP on cfg.Addr until ctx is done (SIGTERM or SIGINT), then
// shuts down gracefully (see shutdown). It returns nil when every request
// was answered.
func serve(ctx context.Context, cfg vgconfig.Config, log *slog.Logger, opts serveOptions) error {
	if err := checkAccess(cfg); err != nil {
		return err
	}
	var g *dataset.Graph
	if opts.loadFirst {
		var err error
		if g, err = dataset.Read(cfg.DataDir); err != nil {
			return err
		}
	}
	// Build the Chinese word segmenter (about 50 ms) while the store opens
	// rather than on the first search.
	searchkey.Warm()
	tracer, err := tracing.Setup(tracing.Config{Endpoint: cfg.TracesEndpoint, SampleRatio: cfg.TracesSampleRatio, Version: versionString()})
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tracer.Shutdown(sctx); err != nil {
			log.Warn("tracing: the last spans were not sent", "err", err)
		}
	}()
	tel := telemetry{met: metrics.New(), tracer: tracer}
	s, closeFn, err := openStore(ctx, cfg, tel)
	if err != nil {
		return err
	}
	defer closeFn()
	if g != nil {
		if err := loadInto(ctx, s, g, log); err != nil {
			return err
		}
	}

	// Plan the statements a user meets first: on a cold Neo4j the first
	// searches and neighbourhoods take a second each. Not being able to is
	// not fatal.
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	if err := s.Warm(wctx); err != nil {
		log.Warn("warm-up failed; the first requests may be slow", "err", err)
	}
	cancel()

	// The relationship types admins added, now and (added through another
	// replica) within one refresh period.
	if _, err := s.RefreshVocabulary(ctx); err != nil {
		log.Warn("reading the relationship types admins added failed; retrying at the next refresh", "err", err)
	}
	go refreshVocabulary(ctx, s, cfg.VocabularyRefresh, log)

	ready := newReadiness(s, log)
	handler := newMux(s, cfg, log, ready, tel)
	if opts.wrap != nil {
		handler = opts.wrap(handler)
	}

	// Requests get context.Background as their base (http.Server's
	// default), not ctx: a signal does not cancel the requests in flight.
	srv := &http.Server{
		Addr: cfg.Addr, Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: cfg.Timeout + 15*time.Second, IdleTimeout: 2 * time.Minute,
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (set VETGRAPH_ADDR to another host:port): %w", cfg.Addr, err)
	}
	log.Info("vetgraph serving", "playground", "http://"+ln.Addr().String()+"/", "graphql", "http://"+ln.Addr().String()+"/graphql",
		"neo4j", cfg.Neo4jURI, "version", versionString())
	fmt.Fprintf(os.Stdout, "vetgraph is up: playground http://%s/  GraphQL http://%s/graphql\n", ln.Addr(), ln.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if opts.listening != nil {
		opts.listening(ln.Addr())
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	return shutdown(srv, served, ready, cfg.ShutdownDelay, shutdownGrace(cfg), log, context.Cause(ctx))
}

// shutdown stops srv, which served until a signal (cause): at once /readyz
// answers 503 and every response closes its connection; after delay the
// listener closes, so new connections are refused; then the requests in
// flight have up to grace to finish. It returns nil when every one was
// answered, and an error when some were still running after grace and were
// cut. served delivers srv.Serve's result.
func shutdown(srv *http.Server, served <-chan error, ready *readiness, delay, grace time.Duration, log *slog.Logger, cause error) error {
	ready.drain()
	srv.SetKeepAlivesEnabled(false)
	log.Info("shutting down: /readyz answers 503", "cause", cause, "stopListeningIn", delay, "drainFor", grace)
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case err := <-served:
			t.Stop()
			return err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	log.Info("shutting down: no longer listening; waiting for the requests in flight", "drainFor", grace)
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		_ = srv.Close()
		return fmt.Errorf("shutdown: requests still running %s after the listener closed were cut (VETGRAPH_REQUEST_TIMEOUT bounds requests; this is a defect)", grace)
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("shut down: every request was answered")
	return nil
}

// refreshVocabulary reads the stored relationship types every period until
// ctx ends.
func refreshVocabulary(ctx context.Context, s *store.Store, period time.Duration, log *slog.Logger) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rctx, cancel := context.WithTimeout(ctx, period)
			changed, err := s.RefreshVocabulary(rctx)
			cancel()
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("reading the relationship types failed; retrying at the next refresh", "err", err)
			case changed:
				log.Info("relationship types changed", "types", len(kg.Vocabulary()))
			}
		}
	}
}

// backend is what newMux needs: the GraphQL store, API keys for
// authentication, and a readiness query for /readyz.
type backend interface {
	graph.Store
	curation.Writer
	auth.KeyStore
	readyChecker
}

// jwtConfig is the JWT part of cfg for package auth; nil when JWT is off.
func jwtConfig(cfg vgconfig.Config) *auth.JWTConfig {
	if !cfg.JWTEnabled() {
		return nil
	}
	return &auth.JWTConfig{
		Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience, JWKSURL: cfg.JWTJWKSURL,
		PublicKeyFile: cfg.JWTPublicKeyFile, HMACSecret: cfg.JWTHMACSecret, RoleClaim: cfg.JWTRoleClaim,
	}
}

// checkAccess checks what config.Validate cannot: that the JWT public-key
// file holds a usable key. serve calls it before anything starts.
func checkAccess(cfg vgconfig.Config) error {
	if jc := jwtConfig(cfg); jc != nil {
		if err := jc.Check(); err != nil {
			return fmt.Errorf("JWT settings (VETGRAPH_JWT_*): %w", err)
		}
	}
	return nil
}

// graphqlAuth wraps the GraphQL handler in the authentication middleware:
// API keys from s, JWTs when configured, anonymous reads as cfg says. A JWKS
// is fetched here and refreshed for the life of the process.
func graphqlAuth(s auth.KeyStore, cfg vgconfig.Config, log *slog.Logger, next http.Handler) http.Handler {
	a, err := auth.New(context.Background(), auth.Config{Keys: s, JWT: jwtConfig(cfg), Log: log})
	if err != nil {
		// Only when the key file changed after checkAccess: refuse rather
		// than serve without the configured authentication.
		log.Error("authentication is misconfigured; /graphql refuses every request", "err", err)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			accesslog.From(r.Context()).AddError("UNAVAILABLE")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"errors":[{"message":"authentication is misconfigured; see the server log","extensions":{"code":"UNAVAILABLE"}}]}`)
		})
	}
	return auth.Middleware(a, cfg.AnonymousReads, next)
}

// newMux routes /graphql (behind authentication), the playground (/), the
// graph page (/explore) and their assets (/assets/), /healthz, /readyz
// (answered by ready) and /metrics (tel's; none: new metrics), behind CORS,
// and within the access log: every request gets an id and, when
// cfg.AccessLog is on, one access-log line, is counted in the metrics and,
// with tel's tracer, is a span.
func newMux(s backend, cfg vgconfig.Config, log *slog.Logger, ready *readiness, tel telemetry) http.Handler {
	met := tel.met
	if met == nil {
		met = metrics.New()
	}
	ctl := admission.New(admission.Config{
		MaxRequests: cfg.MaxRequests, Statements: cfg.StatementsPerRequest(), MaxWork: cfg.MaxWork, LightCost: cfg.LightCost,
		MaxQueue: cfg.MaxQueue, QueueTimeout: cfg.QueueTimeout,
	})
	met.Admission(ctl)
	gql := graph.NewHandler(s, curation.New(s), graph.Limits{
		MaxBodyBytes: cfg.MaxBodyBytes, MaxTokens: cfg.MaxTokens, MaxDepth: cfg.MaxDepth, MaxAliases: cfg.MaxAliases,
		MaxComplexity: cfg.MaxComplexity, MaxPage: cfg.MaxPage, Timeout: cfg.Timeout, Introspection: cfg.Introspection,
		MaxFields: cfg.MaxFields, Statements: cfg.StatementsPerRequest(),
		Admission: ctl,
	}, log)
	// Counted per principal, so after authentication; before GraphQL, so
	// that a refused request costs no parsing.
	// Validated with the configuration (config.Validate).
	proxies, _ := clientip.Parse(cfg.TrustedProxies)
	gql = admission.RateLimit(admission.NewRateLimiter(admission.RateConfig{
		Rate: cfg.RateLimit, Burst: cfg.RateBurst,
		TrustedProxies: proxies,
	}), gql)
	mux := http.NewServeMux()
	mux.Handle(metrics.GraphQLRoute, graphqlAuth(s, cfg, log, gql))
	mux.Handle("GET /metrics", met.Handler())
	web.Register(mux) // GET /, /explore, /assets/: pages embedded in the binary
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /readyz", ready)
	var access *slog.Logger
	if cfg.AccessLog {
		access = log
	}
	return tel.tracer.Handler(accesslog.Handler(tel.tracer.Annotate(cors.New(cors.Options{
		// An empty list would mean "allow all" to rs/cors; with no origins
		// configured, allow none.
		AllowOriginFunc: func(origin string) bool { return slices.Contains(cfg.CORSOrigins, origin) },
		AllowedMethods:  []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:  []string{"Content-Type", "Authorization"},
		MaxAge:          600,
	}).Handler(mux)), accesslog.Options{Log: access, Observe: met.Observe, Proxies: proxies}))
}
