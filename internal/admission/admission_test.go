package admission

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func mustAdmit(t *testing.T, c *Controller, cost int64) *Ticket {
	t.Helper()
	tk, err := c.Admit(context.Background(), cost)
	if err != nil {
		t.Fatalf("Admit(%d) = %v, want admitted (stats %+v)", cost, err, c.Stats())
	}
	return tk
}

func mustRefuse(t *testing.T, c *Controller, cost int64) *OverloadError {
	t.Helper()
	tk, err := c.Admit(context.Background(), cost)
	var oe *OverloadError
	if err == nil || !errors.As(err, &oe) || !errors.Is(err, ErrOverloaded) {
		tk.Release()
		t.Fatalf("Admit(%d) = %v, want an OverloadError (stats %+v)", cost, err, c.Stats())
	}
	if oe.RetryAfter <= 0 {
		t.Errorf("RetryAfter = %s, want > 0", oe.RetryAfter)
	}
	return oe
}

// waitFor polls cond (a few ms apart) until it holds: goroutines blocked
// in Admit show in Stats.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i > 5000 {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestRequestsAtOnceAreBounded(t *testing.T) {
	c := New(Config{MaxRequests: 2, MaxWork: 100, LightCost: 10, MaxQueue: 0, QueueTimeout: time.Minute})
	a, b := mustAdmit(t, c, 1), mustAdmit(t, c, 1)
	_ = mustRefuse(t, c, 1) // no queue: refused at once, not after a minute
	if s := c.Stats(); s.Executing != 2 || s.Refused != 1 {
		t.Errorf("stats = %+v, want 2 executing, 1 refused", s)
	}
	a.Release()
	a.Release() // twice: harmless
	mustAdmit(t, c, 1).Release()
	b.Release()
	if s := c.Stats(); s.Executing != 0 {
		t.Errorf("stats = %+v after every release, want 0 executing", s)
	}
}

func TestQueueWaitsThenAdmits(t *testing.T) {
	c := New(Config{MaxRequests: 1, MaxWork: 100, LightCost: 10, MaxQueue: 1, QueueTimeout: time.Minute})
	first := mustAdmit(t, c, 1)
	admitted := make(chan error, 1)
	go func() {
		tk, err := c.Admit(context.Background(), 1)
		tk.Release()
		admitted <- err
	}()
	waitFor(t, "the second request waits", func() bool { return c.Stats().WaitingForSlot == 1 })
	if oe := mustRefuse(t, c, 1); oe.Reason == "" { // the queue (1) is full
		t.Error("refusal without a reason")
	}
	first.Release()
	if err := <-admitted; err != nil {
		t.Errorf("queued request: %v, want admitted once the first is released", err)
	}
}

func TestQueueTimeoutRefuses(t *testing.T) {
	c := New(Config{MaxRequests: 1, MaxWork: 100, LightCost: 10, MaxQueue: 5, QueueTimeout: 20 * time.Millisecond})
	defer mustAdmit(t, c, 1).Release()
	oe := mustRefuse(t, c, 1)
	if c.Stats().WaitingForSlot != 0 {
		t.Errorf("a refused request still counts as waiting: %+v", c.Stats())
	}
	t.Logf("refusal: %v", oe)
}

func TestCancelledWaitIsAbandoned(t *testing.T) {
	c := New(Config{MaxRequests: 1, MaxWork: 100, LightCost: 10, MaxQueue: 5, QueueTimeout: time.Hour})
	defer mustAdmit(t, c, 1).Release()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.Admit(ctx, 1); done <- err }()
	waitFor(t, "the request waits", func() bool { return c.Stats().WaitingForSlot == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || errors.Is(err, ErrOverloaded) {
		t.Errorf("Admit after the client left = %v, want context.Canceled (abandoned, not refused)", err)
	}
	if st := c.Stats(); st.Abandoned != 1 || st.Refused != 0 || st.WaitingForSlot != 0 {
		t.Errorf("stats after the client left = %+v, want 1 abandoned, none refused or waiting", st)
	}
}

// Heavy requests share MaxWork; a light one goes past heavy ones waiting
// for work.
func TestHeavyRequestsShareWorkLightOnesGoPast(t *testing.T) {
	c := New(Config{MaxRequests: 10, MaxWork: 100, LightCost: 10, MaxQueue: 1, QueueTimeout: time.Hour})
	h1 := mustAdmit(t, c, 60)
	if !h1.Heavy() {
		t.Error("cost 60 over LightCost 10: want heavy")
	}
	h2done := make(chan error, 1)
	go func() {
		tk, err := c.Admit(context.Background(), 60) // 60 + 60 > 100: waits
		tk.Release()
		h2done <- err
	}()
	waitFor(t, "the second heavy request waits for work", func() bool { return c.Stats().WaitingForWork == 1 })
	_ = mustRefuse(t, c, 50) // the heavy queue (1) is full
	light := mustAdmit(t, c, 10)
	if light.Heavy() {
		t.Error("cost 10 = LightCost: want light")
	}
	light.Release()
	h1.Release()
	if err := <-h2done; err != nil {
		t.Errorf("second heavy request: %v, want admitted after the first", err)
	}
}

// A request costing more than MaxWork is admitted alone.
func TestCostOverMaxWorkRunsAlone(t *testing.T) {
	c := New(Config{MaxRequests: 10, MaxWork: 100, LightCost: 10, MaxQueue: 0, QueueTimeout: time.Hour})
	big := mustAdmit(t, c, 1_000_000)
	_ = mustRefuse(t, c, 11)
	mustAdmit(t, c, 5).Release() // light requests still run
	big.Release()
	mustAdmit(t, c, 100).Release()
}

func TestConfigValidate(t *testing.T) {
	for _, bad := range []Config{
		{MaxRequests: 0, MaxWork: 1},
		{MaxRequests: 1, MaxWork: 0},
		{MaxRequests: 1, MaxWork: 1, MaxQueue: -1},
		{MaxRequests: 1, MaxWork: 1, QueueTimeout: -1},
	} {
		if bad.Validate() == nil {
			t.Errorf("%+v.Validate() = nil, want an error", bad)
		}
	}
}

// A request is refused at once, not after QueueTimeout, when the queue
// ahead of it would take longer than that to clear.
func TestLongQueueRefusesAtOnce(t *testing.T) {
	c := New(Config{MaxRequests: 10, MaxWork: 100, LightCost: 10, MaxQueue: 10, QueueTimeout: time.Hour})
	h := mustAdmit(t, c, 100)
	defer h.Release()
	// Lately heavy requests held their units for 2 hours: another one
	// would wait about that long, longer than the hour it may wait.
	c.work.held(2 * time.Hour)
	oe := mustRefuse(t, c, 100)
	if !strings.Contains(oe.Reason, "would take about 2h") || oe.RetryAfter != maxRetryAfter {
		t.Errorf("refusal = %q, Retry-After %s; want the expected wait named, Retry-After %s", oe.Reason, oe.RetryAfter, maxRetryAfter)
	}
	if c.Stats().WaitingForWork != 0 {
		t.Errorf("a refused request still counts as waiting: %+v", c.Stats())
	}
	// Light requests do not wait for work.
	mustAdmit(t, c, 1).Release()
}

func TestSerialRequestsHoldOneConnection(t *testing.T) {
	// 2 queries of 3 statements each, or 6 mutations (one statement at a
	// time), or a mix.
	c := New(Config{MaxRequests: 2, Statements: 3, MaxWork: 100, LightCost: 10, MaxQueue: 0, QueueTimeout: time.Minute})
	q := mustAdmit(t, c, 1)
	if q.Connections() != 3 || q.Heavy() {
		t.Fatalf("light query: %d connections (heavy %v), want 3, light", q.Connections(), q.Heavy())
	}
	var serial []*Ticket
	for range 3 {
		tk, err := c.AdmitSerial(context.Background(), 1)
		if err != nil {
			t.Fatalf("AdmitSerial with %d connections in use: %v", 3+len(serial), err)
		}
		if tk.Connections() != 1 {
			t.Fatalf("mutation: %d connections, want 1", tk.Connections())
		}
		serial = append(serial, tk)
	}
	_ = mustRefuse(t, c, 1) // a query needs 3; 0 are free
	if _, err := c.AdmitSerial(context.Background(), 1); err == nil {
		t.Fatal("a seventh connection was admitted")
	}
	// A heavy query keeps a query's share (so few run at once), though
	// the caller runs its statements one at a time.
	serial[0].Release()
	_ = mustRefuse(t, c, 50) // 1 free, a heavy query needs 3
	q.Release()
	heavy := mustAdmit(t, c, 50)
	if heavy.Connections() != 3 || !heavy.Heavy() {
		t.Errorf("heavy query: %d connections (heavy %v), want 3, heavy", heavy.Connections(), heavy.Heavy())
	}
	heavy.Release()
	mustAdmit(t, c, 1).Release() // 3 free again
	for _, tk := range serial {
		tk.Release()
	}
	if s := c.Stats(); s.Executing != 0 {
		t.Errorf("stats = %+v after every release, want 0 executing", s)
	}
	if err := (Config{MaxRequests: 1, MaxWork: 1, Statements: -1}).Validate(); err == nil {
		t.Error("Statements -1 validated")
	}
}
