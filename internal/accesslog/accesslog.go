// Package accesslog provides vetgraph's per-request record and the HTTP
// middleware that keeps it: every request gets an id (the client's
// X-Request-Id when it is well formed, else a new one), echoed as
// X-Request-Id and carried in the request's context (kg.RequestIDFrom); the
// layers below note in the request's Entry what they learn (the GraphQL
// operation, the extensions.code of each error answered); when the answer
// is written the middleware writes one access-log line (log/slog, level
// info) and hands the Record to an observer (the Prometheus metrics).
//
// A request the client cancelled (it closed the connection before the
// answer) is logged as such: cancelled=true, whatever status was written
// to the closed connection.
package accesslog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vetgraph/vetgraph/internal/clientip"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// MaxCodes bounds the distinct extensions.code values an Entry keeps; the
// errors of further codes are counted under OtherCode. (vetgraph has about
// 30 codes; a response lists at most graph.MaxErrors errors.)
const MaxCodes = 16

// OtherCode stands for the codes past MaxCodes, and NoCode for an error
// without an extensions.code (none of vetgraph's own; a library's).
const (
	OtherCode = "OTHER"
	NoCode    = "NONE"
)

// Entry is what one request did, noted by the layers that serve it. Its
// methods are safe for concurrent use (resolvers run in parallel) and on a
// nil *Entry (a request served without the middleware, in tests), where
// they do nothing.
type Entry struct {
	id         string
	start      time.Time
	statements *atomic.Int64

	mu        sync.Mutex
	operation Operation
	hasOp     bool
	codes     map[string]int
}

// Operation names the GraphQL operation a request ran or was refused for.
type Operation struct {
	// Name is the operation's name; "" for an anonymous operation.
	Name string
	// Type is query, mutation or subscription.
	Type string
}

type entryKey struct{}

// From returns the Entry of the request ctx serves, or nil.
func From(ctx context.Context) *Entry {
	e, _ := ctx.Value(entryKey{}).(*Entry)
	return e
}

// SetOperation notes the GraphQL operation the request selected (once it
// is parsed: a request refused before that has none).
func (e *Entry) SetOperation(op Operation) {
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.operation, e.hasOp = op, true
}

// AddError notes one error of the answer, by its extensions.code ("" for
// none).
func (e *Entry) AddError(code string) {
	if e == nil {
		return
	}
	if code == "" {
		code = NoCode
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.codes == nil {
		e.codes = map[string]int{}
	}
	if _, ok := e.codes[code]; !ok && len(e.codes) >= MaxCodes {
		code = OtherCode
	}
	e.codes[code]++
}

// Operation returns the GraphQL operation noted, and whether there is one.
func (e *Entry) Operation() (Operation, bool) {
	if e == nil {
		return Operation{}, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.operation, e.hasOp
}

// ID is the request's id ("" on a nil Entry).
func (e *Entry) ID() string {
	if e == nil {
		return ""
	}
	return e.id
}

// Record is what a request did, once it is answered.
type Record struct {
	ID       string
	Method   string
	Path     string // the URL's path, without the query string
	Route    string // the pattern of the route that served it ("" when none matched)
	Client   string // the client's address (clientip.Proxies.Addr), without the port
	Status   int    // the HTTP status written (200 when the handler wrote none)
	Bytes    int64  // body bytes written
	Duration time.Duration
	// Cancelled: the client closed the connection (or the server was
	// closed) before the answer was complete.
	Cancelled bool
	// HasOperation: a GraphQL operation was parsed and selected; Operation
	// names it.
	HasOperation bool
	Operation    Operation
	// Errors counts the errors of the answer by extensions.code (nil: none).
	Errors map[string]int
	// Statements is how many Cypher statements the request sent.
	Statements int64
}

// Codes lists the codes of r.Errors, sorted.
func (r Record) Codes() []string {
	codes := make([]string, 0, len(r.Errors))
	for c := range r.Errors {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// Options configure Handler.
type Options struct {
	// Log receives the access-log lines; nil writes none (the record is
	// still kept and observed).
	Log *slog.Logger
	// Observe, when set, is called with every request's Record once the
	// request is answered (the metrics).
	Observe func(Record)
	// Proxies are the trusted reverse proxies: a request through one is
	// logged with the client X-Forwarded-For names (clientip).
	Proxies clientip.Proxies
}

// Handler serves next, keeping each request's Entry: it gives the request
// its id (X-Request-Id, in the context as kg.RequestIDFrom reads it), counts
// its Cypher statements (store.WithStatementCounter), and when next returns
// writes one access-log line and calls o.Observe. That line is the only one
// this middleware writes for a request.
func Handler(next http.Handler, o Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := &Entry{id: RequestID(r), start: time.Now()}
		w.Header().Set("X-Request-Id", e.id)
		ctx, n := store.WithStatementCounter(kg.WithRequestID(r.Context(), e.id))
		e.statements = n
		ctx = context.WithValue(ctx, entryKey{}, e)
		rw := &responseWriter{ResponseWriter: w, status: http.StatusOK}
		r2 := r.WithContext(ctx)
		next.ServeHTTP(rw, r2)
		rec := e.record(r2, rw, o.Proxies)
		if o.Log != nil {
			o.Log.LogAttrs(r.Context(), slog.LevelInfo, "request", rec.attrs()...)
		}
		if o.Observe != nil {
			o.Observe(rec)
		}
	})
}

// record is e's Record for the request r answered through rw.
func (e *Entry) record(r *http.Request, rw *responseWriter, proxies clientip.Proxies) Record {
	client := r.RemoteAddr
	if a := proxies.Addr(r); a.IsValid() {
		client = a.String()
	}
	rec := Record{
		ID: e.id, Method: r.Method, Path: r.URL.Path, Route: r.Pattern, Client: client,
		Status: rw.status, Bytes: rw.bytes, Duration: time.Since(e.start),
		Cancelled: r.Context().Err() != nil, Statements: e.statements.Load(),
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rec.HasOperation, rec.Operation = e.hasOp, e.operation
	if len(e.codes) > 0 {
		rec.Errors = make(map[string]int, len(e.codes))
		for c, k := range e.codes {
			rec.Errors[c] = k
		}
	}
	return rec
}

// attrs are the access-log line's attributes: id, method, path, status,
// duration, bytes, client; operation (its name, "(anonymous)" for an
// operation without one) and operationType once a GraphQL operation was
// selected; errors (code=count, comma-separated, sorted) when the answer
// has any; statements (Cypher statements sent); cancelled=true when the
// client went away.
func (rec Record) attrs() []slog.Attr {
	a := make([]slog.Attr, 0, 14)
	a = append(a, slog.String("id", rec.ID), slog.String("method", rec.Method), slog.String("path", rec.Path),
		slog.Int("status", rec.Status), slog.Duration("duration", rec.Duration), slog.Int64("bytes", rec.Bytes),
		slog.String("client", rec.Client))
	if rec.HasOperation {
		name := rec.Operation.Name
		if name == "" {
			name = AnonymousOperation
		}
		a = append(a, slog.String("operation", name), slog.String("operationType", rec.Operation.Type))
	}
	if len(rec.Errors) > 0 {
		var b strings.Builder
		for i, c := range rec.Codes() {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(c)
			b.WriteByte('=')
			b.WriteString(strconv.Itoa(rec.Errors[c]))
		}
		a = append(a, slog.String("errors", b.String()))
	}
	a = append(a, slog.Int64("statements", rec.Statements))
	if rec.Cancelled {
		a = append(a, slog.Bool("cancelled", true))
	}
	return a
}

// AnonymousOperation names an operation without a name, in the log and
// the metrics (no GraphQL name holds parentheses).
const AnonymousOperation = "(anonymous)"

// RequestID is the client's X-Request-Id when it is 1–100 characters of
// [A-Za-z0-9._:-], else a new random one (24 hexadecimal digits).
func RequestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= 100 && strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") == "" {
		return id
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// responseWriter records the status and the body bytes written.
type responseWriter struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (w *responseWriter) WriteHeader(code int) {
	if !w.wroteHeader && code >= 200 {
		w.wroteHeader = true
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WithRequestID wraps a slog.Handler so that every line logged with the
// context of a request (the error presenter's, authentication's) carries
// that request's id as id=…, to be found beside its access-log line.
func WithRequestID(h slog.Handler) slog.Handler { return idHandler{h} }

type idHandler struct{ slog.Handler }

func (h idHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := kg.RequestIDFrom(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h idHandler) WithAttrs(as []slog.Attr) slog.Handler { return idHandler{h.Handler.WithAttrs(as)} }

func (h idHandler) WithGroup(name string) slog.Handler { return idHandler{h.Handler.WithGroup(name)} }
