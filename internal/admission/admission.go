// Package admission provides vetgraph's admission control: a bound on the
// GraphQL requests executing at once and on the work they put on Neo4j, with
// a short queue in front of it, and a per-client rate limit (ratelimit.go).
//
// Every executing request holds a share of the Neo4j connection pool: a
// query the Statements it may run at once, a mutation (whose statements run
// one after another) one connection. A heavy query keeps a query's share
// though it runs one statement at a time: fewer of them run at once, which
// keeps Neo4j's processors for the light requests beside them.
// The shares sum to at most MaxRequests × Statements, so admitted requests
// can never exhaust the pool, and a write, which holds one connection, does
// not take the place of three. A
// request whose cost (the GraphQL layer's cost model) is over LightCost is
// heavy: it must first take its cost from the MaxWork units that all heavy
// requests share, so a few expensive explorations run at a time while cheap
// lookups go past them. Heavy and light requests wait in separate queues,
// so a lookup never waits behind an exploration.
//
// A request that finds its queue full (MaxQueue waiting), or a queue ahead
// of it that would take longer than QueueTimeout to clear (judged by how
// long admitted requests have held their place lately), is refused at once
// with ErrOverloaded, and one that waits QueueTimeout after all is refused
// then: the HTTP layer answers 503 with Retry-After and the code
// OVERLOADED, never after a Neo4j pool timeout.
package admission

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// Codes of the refusals of this package; they are extensions.code values of
// the GraphQL layer too (see graph.CodeOverloaded, graph.CodeRateLimited).
const (
	CodeOverloaded  = "OVERLOADED"
	CodeRateLimited = "RATE_LIMITED"
)

// RetryAfter is the least an overloaded server asks a client to wait; when
// the queue would take longer to clear, it asks for that (at most
// maxRetryAfter).
const (
	RetryAfter    = time.Second
	maxRetryAfter = time.Minute
)

// ErrOverloaded is the category of every refusal of Admit.
var ErrOverloaded = errors.New("overloaded")

// Config bounds the GraphQL requests executing at once.
type Config struct {
	// MaxRequests is how many queries execute at once (at least 1).
	MaxRequests int
	// Statements is how many Neo4j statements an admitted query may run at
	// once, each on its own connection (0: 1). A request that runs one
	// statement at a time needs one connection, so up to MaxRequests ×
	// Statements of those execute at once.
	Statements int
	// MaxWork is how many cost units the heavy requests executing at once
	// may sum to (at least 1). A heavy request costing more is admitted
	// alone, as if it cost MaxWork.
	MaxWork int64
	// LightCost is the cost up to which a request is light: it needs a slot
	// only, never work units.
	LightCost int64
	// MaxQueue is how many requests may wait in each queue (light, heavy);
	// one more is refused at once. 0: none waits.
	MaxQueue int
	// QueueTimeout is the longest a request waits before it is refused.
	QueueTimeout time.Duration
}

// Validate reports a setting out of range.
func (c Config) Validate() error {
	switch {
	case c.MaxRequests < 1:
		return fmt.Errorf("admission: MaxRequests must be at least 1, got %d", c.MaxRequests)
	case c.Statements < 0:
		return fmt.Errorf("admission: Statements must not be negative, got %d", c.Statements)
	case c.MaxWork < 1:
		return fmt.Errorf("admission: MaxWork must be at least 1, got %d", c.MaxWork)
	case c.LightCost < 0:
		return fmt.Errorf("admission: LightCost must not be negative, got %d", c.LightCost)
	case c.MaxQueue < 0:
		return fmt.Errorf("admission: MaxQueue must not be negative, got %d", c.MaxQueue)
	case c.QueueTimeout < 0:
		return fmt.Errorf("admission: QueueTimeout must not be negative, got %s", c.QueueTimeout)
	}
	return nil
}

// Controller admits requests within a Config. It is safe for concurrent use.
type Controller struct {
	cfg   Config
	slots queue
	work  queue
	// counters for Stats
	executing atomic.Int64
	refused   atomic.Int64
	abandoned atomic.Int64
}

// queue is a weighted semaphore with a bound on its waiters, which knows
// about how long its holders hold their units.
type queue struct {
	sem     *semaphore.Weighted
	size    int64
	waiting atomic.Int64 // requests waiting
	ahead   atomic.Int64 // units they wait for
	mu      sync.Mutex
	hold    time.Duration // moving average of how long a request holds its units
}

// held records that a request held its units for d.
func (q *queue) held(d time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.hold == 0 {
		q.hold = d
	} else {
		q.hold += (d - q.hold) / 8
	}
}

// expectedWait is about how long n more units would wait behind those
// already waiting: the units ahead, cleared at size units per average hold.
func (q *queue) expectedWait(n int64) time.Duration {
	q.mu.Lock()
	hold := q.hold
	q.mu.Unlock()
	return time.Duration(float64(hold) * float64(q.ahead.Load()+n) / float64(q.size))
}

// New returns a Controller for cfg; it panics when cfg is invalid (the
// configuration is validated when the server starts).
func New(cfg Config) *Controller {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	cfg.Statements = max(cfg.Statements, 1)
	conns := int64(cfg.MaxRequests) * int64(cfg.Statements)
	return &Controller{
		cfg:   cfg,
		slots: queue{sem: semaphore.NewWeighted(conns), size: conns},
		work:  queue{sem: semaphore.NewWeighted(cfg.MaxWork), size: cfg.MaxWork},
	}
}

// Config returns the bounds c admits within.
func (c *Controller) Config() Config { return c.cfg }

// OverloadError is a refusal: why, and how long the client should wait
// before it tries again.
type OverloadError struct {
	Reason     string
	RetryAfter time.Duration
}

func (e *OverloadError) Error() string { return "overloaded: " + e.Reason }
func (e *OverloadError) Unwrap() error { return ErrOverloaded }

// A Ticket is an admitted request's hold on the controller. Release it once
// the request is answered; releasing twice is harmless.
type Ticket struct {
	c        *Controller
	work     int64
	conns    int64
	start    time.Time
	released atomic.Bool
}

// Heavy reports whether the request took work units (its cost is over
// LightCost).
func (t *Ticket) Heavy() bool { return t.work > 0 }

// Connections is the share of the pool the request holds: Statements for
// a query, 1 for one admitted with AdmitSerial. The caller keeps the
// request to it (and a heavy query to one statement at a time).
func (t *Ticket) Connections() int { return int(t.conns) }

// Release gives the slot and the work units back.
func (t *Ticket) Release() {
	if t == nil || !t.released.CompareAndSwap(false, true) {
		return
	}
	d := time.Since(t.start)
	t.c.slots.held(d)
	t.c.slots.sem.Release(t.conns)
	if t.work > 0 {
		t.c.work.held(d)
		t.c.work.sem.Release(t.work)
	}
	t.c.executing.Add(-1)
}

// Admit waits until a query of the given cost may execute, within the
// queue bounds. It returns a Ticket to release when the request is done; an
// *OverloadError (ErrOverloaded) when the queue was full or would take
// longer than QueueTimeout to clear, or the request waited QueueTimeout;
// or, when ctx ended while it waited (its client went away), an error
// wrapping ctx.Err(), counted as abandoned rather than refused. A query
// holds Statements connections.
func (c *Controller) Admit(ctx context.Context, cost int64) (*Ticket, error) {
	return c.admit(ctx, cost, false)
}

// AdmitSerial is Admit for a request that runs its statements one after
// another, whatever its cost (a mutation: gqlgen runs its fields in order,
// each in one transaction): it holds one connection.
func (c *Controller) AdmitSerial(ctx context.Context, cost int64) (*Ticket, error) {
	return c.admit(ctx, cost, true)
}

func (c *Controller) admit(ctx context.Context, cost int64, serial bool) (*Ticket, error) {
	deadline := time.Now().Add(c.cfg.QueueTimeout)
	t := &Ticket{c: c, conns: int64(c.cfg.Statements)}
	if cost > c.cfg.LightCost {
		t.work = min(cost, c.cfg.MaxWork)
		if err := c.work.acquire(ctx, t.work, c.cfg.MaxQueue, deadline); err != nil {
			c.count(err)
			return nil, err
		}
	}
	if serial {
		t.conns = 1
	}
	if err := c.slots.acquire(ctx, t.conns, c.cfg.MaxQueue, deadline); err != nil {
		if t.work > 0 {
			c.work.sem.Release(t.work)
		}
		c.count(err)
		return nil, err
	}
	c.executing.Add(1)
	t.start = time.Now()
	return t, nil
}

// count counts a request that was not admitted: refused, or abandoned
// (its context ended while it waited).
func (c *Controller) count(err error) {
	if errors.Is(err, ErrOverloaded) {
		c.refused.Add(1)
	} else {
		c.abandoned.Add(1)
	}
}

// acquire takes n units of q: at once when free (and nobody waits before
// us), else after waiting in q until deadline, when fewer than maxQueue
// wait and the queue ahead looks like clearing before deadline.
func (q *queue) acquire(ctx context.Context, n int64, maxQueue int, deadline time.Time) error {
	if q.sem.TryAcquire(n) {
		return nil
	}
	retry := func() time.Duration { return min(max(RetryAfter, q.expectedWait(n)), maxRetryAfter) }
	if q.waiting.Add(1) > int64(maxQueue) {
		q.waiting.Add(-1)
		return &OverloadError{Reason: "the server is busy and its queue is full", RetryAfter: retry()}
	}
	defer q.waiting.Add(-1)
	if w := q.expectedWait(n); w > time.Until(deadline) {
		return &OverloadError{
			Reason:     fmt.Sprintf("the server is busy: the requests ahead would take about %s, longer than a request may wait", w.Round(100*time.Millisecond)),
			RetryAfter: retry(),
		}
	}
	q.ahead.Add(n)
	defer q.ahead.Add(-n)
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if err := q.sem.Acquire(wctx, n); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("admission: the request ended while it waited: %w", ctx.Err())
		}
		return &OverloadError{Reason: "the server is busy: the request waited its longest in the queue", RetryAfter: retry()}
	}
	return nil
}

// Stats is a snapshot of a Controller.
type Stats struct {
	Executing      int64 // requests admitted and not yet released
	WaitingForSlot int64 // requests waiting for a slot
	WaitingForWork int64 // heavy requests waiting for work units
	Refused        int64 // refusals since the start
	Abandoned      int64 // requests whose context ended while they waited, since the start
}

// Stats returns the controller's current counts.
func (c *Controller) Stats() Stats {
	return Stats{
		Executing: c.executing.Load(), WaitingForSlot: c.slots.waiting.Load(),
		WaitingForWork: c.work.waiting.Load(), Refused: c.refused.Load(), Abandoned: c.abandoned.Load(),
	}
}
