package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// readyChecker runs a trivial read query (store.Store.Ready).
type readyChecker interface {
	Ready(ctx context.Context) error
}

const (
	// readyProbeTimeout bounds one readiness query, connection included.
	readyProbeTimeout = 3 * time.Second
	// readyReuse is how long a readiness result answers later probes, so
	// that probes cost Neo4j at most one trivial query per readyReuse
	// however often they come.
	readyReuse = time.Second
)

// readiness answers /readyz: 503 "shutting down" once drain is called, else
// 200 "ready" only when a read query runs in Neo4j (503 "neo4j unavailable"
// otherwise). At most one query runs at a time; its result, good or bad,
// answers the probes of the next readyReuse.
type readiness struct {
	s        readyChecker
	log      *slog.Logger
	draining atomic.Bool
	// turn holds the right to read and write the fields below.
	turn   chan struct{}
	at     time.Time // when err was found; zero before the first query
	err    error
	failed bool // the last query failed (logged once per failure spell)
}

func newReadiness(s readyChecker, log *slog.Logger) *readiness {
	return &readiness{s: s, log: log, turn: make(chan struct{}, 1)}
}

// drain makes /readyz answer 503 from now on: the server is shutting down.
func (rd *readiness) drain() { rd.draining.Store(true) }

// check returns the result of a readiness query at most readyReuse old,
// running one when there is none.
func (rd *readiness) check(ctx context.Context) error {
	select {
	case rd.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-rd.turn }()
	if !rd.at.IsZero() && time.Since(rd.at) < readyReuse {
		return rd.err
	}
	qctx, cancel := context.WithTimeout(ctx, readyProbeTimeout)
	defer cancel()
	err := rd.s.Ready(qctx)
	if ctx.Err() != nil {
		return ctx.Err() // the prober went away: no result to keep
	}
	switch {
	case err != nil && !rd.failed:
		rd.log.Warn("not ready: a read query in Neo4j fails; /readyz answers 503", "err", err)
	case err == nil && rd.failed:
		rd.log.Info("ready again: a read query in Neo4j answers")
	}
	rd.at, rd.err, rd.failed = time.Now(), err, err != nil
	return err
}

func (rd *readiness) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if rd.draining.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "shutting down")
		return
	}
	if err := rd.check(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "neo4j unavailable")
		return
	}
	if rd.draining.Load() { // the drain began during the query
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "shutting down")
		return
	}
	fmt.Fprintln(w, "ready")
}
