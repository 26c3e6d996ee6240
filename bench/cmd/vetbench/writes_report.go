package main

import (
	"fmt"
	"sort"
	"strings"
)

// The write benchmark's part of the report (writes.go).

// computeWrites checks the write targets at every scale with
// write results.
func (r *Report) computeWrites() {
	r.WriteTargets = nil
	for _, s := range r.Scales {
		wr := s.Writes
		if wr == nil {
			continue
		}
		add := func(name string, value, limit float64, lowerIsBetter bool, void, note string) {
			tc := TargetCheck{Target: name, Query: "addRelation", Nodes: s.Nodes, Value: round3(value), Limit: limit, Note: note}
			switch {
			case void != "":
				tc.Met, tc.Note = "void", void
			case value == 0:
				tc.Met = "void"
				if tc.Note == "" {
					tc.Note = "not measured"
				}
			case lowerIsBetter && value <= limit, !lowerIsBetter && value >= limit:
				tc.Met = "yes"
			default:
				tc.Met = "no"
			}
			r.WriteTargets = append(r.WriteTargets, tc)
		}
		if !r.Smoke {
			v, p, f := wr.find("vetgraph"), wr.find("peer"), wr.find("floor")
			if v != nil && p != nil && f != nil && len(v.Runs) > 0 {
				p50 := func(r Run) float64 { return r.P50ms }
				rps := func(r Run) float64 { return r.RPS }
				add("p50 vetgraph/floor ≤", pairedMedian(v, f, p50), 1.3, true, firstNonEmpty(v.Void, f.Void),
					paired(v, f, p50)+fmt.Sprintf("; ratio of the medians %.2f", div(v.P50ms, f.P50ms)))
				floorOverPeer := pairedMedian(f, p, rps)
				if floorOverPeer >= 3 || floorOverPeer == 0 {
					add("throughput vetgraph/peer ≥", pairedMedian(v, p, rps), 3, false, firstNonEmpty(v.Void, p.Void),
						paired(v, p, rps)+fmt.Sprintf("; ratio of the medians %.2f", div(v.RPS, p.RPS)))
				} else {
					add("throughput vetgraph/floor ≥ (the floor is under 3× the peer)", pairedMedian(v, f, rps), 0.9, false,
						firstNonEmpty(v.Void, f.Void, p.Void), fmt.Sprintf("floor/peer %.2f; vetgraph/peer %.2f; %s; ratio of the medians %.2f",
							floorOverPeer, pairedMedian(v, p, rps), paired(v, f, rps), div(v.RPS, f.RPS)))
				}
			}
		}
		for _, c := range wr.Concurrent {
			tc := TargetCheck{
				Target: fmt.Sprintf("%d concurrent identical %s (idempotency key: %s): one %s, one change entry",
					c.Requests, c.Mutation, c.Key, strings.TrimSuffix(strings.TrimSuffix(c.What, "s"), " node")),
				Query: c.Mutation, Nodes: s.Nodes, Value: float64(c.Count), Limit: 1, Met: "no",
				Note: fmt.Sprintf("%d answered without error, %d change entries", c.OK, c.Changes),
			}
			if c.Met {
				tc.Met = "yes"
			}
			r.WriteTargets = append(r.WriteTargets, tc)
		}
		if rr := wr.Restart; rr != nil {
			tc := TargetCheck{
				Target: "writes across a Neo4j restart: every write present exactly once", Query: "addRelation", Nodes: s.Nodes,
				Value: round3(float64(rr.Present) / float64(max(rr.Writes, 1))), Limit: 1, Met: "no",
				Note: fmt.Sprintf("%d writes: %d once, %d lost, %d duplicated", rr.Writes, rr.Present, rr.Lost, rr.Duplicated),
			}
			if rr.CountError != "" {
				tc.Note = "not counted: " + rr.CountError
			}
			if rr.Met {
				tc.Met = "yes"
			}
			r.WriteTargets = append(r.WriteTargets, tc)
		}
		if !r.Smoke {
			im := wr.Import
			name := fmt.Sprintf("import rows/s: store.Import / raw UNWIND floor, batch %d, ≥", im.Batch)
			if im.Measured {
				add(name, median(importRatios(im)), 0.8, false, "", fmt.Sprintf("medians %.0f against %.0f rows/s (ratio %.2f); %s",
					im.RowsPerS, im.FloorRPS, div(im.RowsPerS, im.FloorRPS), pairedText(importRatios(im))))
				r.WriteTargets[len(r.WriteTargets)-1].Query = "import"
			} else {
				r.WriteTargets = append(r.WriteTargets, TargetCheck{
					Target: name, Query: "import", Nodes: s.Nodes, Limit: 0.8, Met: "void",
					Note: firstNonEmpty(im.Note, "not measured"),
				})
			}
		}
	}
}

// The write targets are judged by the median of per-repetition ratios: in
// a repetition the targets run back to back, in shuffled order, so each
// ratio compares runs minutes apart at most. Neo4j's write rate drifts
// within a run (on a freshly started Neo4j every target wrote 2× faster at
// the end of a 7-repetition run than at its start, after a 90 s warm-up),
// and a ratio of the targets' medians then compares runs from different
// times; it is given beside, in the note.

// pairedRatios are the ratios of a's runs over b's in the same repetition.
func pairedRatios(a, b *Cell, of func(Run) float64) []float64 {
	var rs []float64
	for _, ra := range a.Runs {
		for _, rb := range b.Runs {
			if ra.Rep == rb.Rep && of(rb) > 0 {
				rs = append(rs, of(ra)/of(rb))
			}
		}
	}
	return rs
}

// pairedMedian is the median of pairedRatios; 0 when there are none.
func pairedMedian(a, b *Cell, of func(Run) float64) float64 {
	rs := pairedRatios(a, b, of)
	if len(rs) == 0 {
		return 0
	}
	return median(rs)
}

// paired describes pairedRatios.
func paired(a, b *Cell, of func(Run) float64) string { return pairedText(pairedRatios(a, b, of)) }

func pairedText(rs []float64) string {
	if len(rs) == 0 {
		return ""
	}
	s := append([]float64(nil), rs...)
	sort.Float64s(s)
	return fmt.Sprintf("per repetition %.2f–%.2f, median %.2f", s[0], s[len(s)-1], median(s))
}

// importRatios are the per-repetition ratios of Import's rows/s over the
// floor's.
func importRatios(im ImportRow) []float64 {
	var rs []float64
	for _, a := range im.Runs {
		for _, b := range im.Runs {
			if a.Target == "import" && b.Target == "floor" && a.Rep == b.Rep && a.Seconds > 0 {
				rs = append(rs, b.Seconds/a.Seconds)
			}
		}
	}
	return rs
}

func (wr *WriteResult) find(target string) *Cell {
	for i := range wr.Cells {
		if wr.Cells[i].Target == target {
			return &wr.Cells[i]
		}
	}
	return nil
}

func esc(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// writesMarkdown writes the "Writes" section.
func (r *Report) writesMarkdown(b *strings.Builder) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	has := false
	for _, s := range r.Scales {
		has = has || s.Writes != nil
	}
	if !has {
		return
	}
	w("## Writes (issue 10)\n\n")
	if !r.Smoke {
		w("One `addRelation` per request, each a new statement (a PARTNERS_WITH relation from a school to an enterprise at a date no other request uses) citing one document added first through `addDocument`. ")
		w("**vetgraph**: the mutation over HTTP with a curator API key and an idempotency key per request. ")
		w("**floor**: the statements of vetgraph's write transaction (the idempotency lookup, the ends and the document with their write locks, the same-statement lookup, the id check, the create, the mentions, the change entry) in one `ExecuteWrite` through the Go driver, no GraphQL and no authentication (`bench/floor/writes.go`; the texts are the store's, checked by a test, and the order is checked through the Bolt proxy below). ")
		w("**peer**: @neo4j/graphql's nearest equivalent, `updateSchools(… connect … edge)` (a relationship with edge properties between existing nodes: no evidence check, no change log, no idempotency, no locks of its own). ")
		w("Every write is counted in Neo4j afterwards, and everything written is removed again (the per-scale databases stay the generated graphs).\n\n")
	}
	for _, s := range r.Scales {
		wr := s.Writes
		if wr == nil {
			continue
		}
		w("### %s nodes\n\n", human(s.Nodes))
		w("Measured in the run started %s (vetgraph commit %s, load average at start %s)", wr.Started, wr.Commit, wr.LoadAvg)
		if !r.Smoke {
			warm := "a warm-up"
			if wr.Warmup != "" {
				warm = "a warm-up of " + wr.Warmup + " (the targets taking turns)"
			}
			w("; %d concurrent clients (vegeta, keep-alive), %d repetition(s) of %s per target after %s, targets shuffled per repetition; Bolt pool %d for every target. Cells: median over repetitions (peak RSS: maximum)", wr.Concurrency, wr.Reps, wr.Duration, warm, r.Pool)
		}
		w(".\n\n")
		for _, n := range wr.Notes {
			w("- note: %s\n", n)
		}
		if len(wr.Notes) > 0 {
			w("\n")
		}
		v, p, f := wr.find("vetgraph"), wr.find("peer"), wr.find("floor")
		if !r.Smoke && v != nil && len(v.Runs) > 0 {
			w("| target | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | peak RSS MiB | statements | db hits | acknowledged | relationships in Neo4j | change entries | void |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
			for _, tn := range targetNames {
				c := wr.find(tn)
				if c == nil {
					continue
				}
				var wc WriteCount
				for _, x := range wr.Counts {
					if x.Target == tn {
						wc = x
					}
				}
				changes := fmt.Sprint(wc.Changes)
				if wc.Changes < 0 {
					changes = "none kept"
				}
				w("| %s | %s | %s | %s | %s | %s | %s | %d | %s | %d | %d | %s | %s |\n", tn, f2(c.RPS), f2(c.P50ms), f2(c.P95ms), f2(c.P99ms), f2(c.CPUmsPerReq), f2(c.PeakRSSMiB),
					c.Statements, hits(c.DBHits), wc.Acked, wc.Found, changes, esc(tail(c.Void, 160)))
			}
			w("\n")
			if p != nil && f != nil {
				w("Ratios: the median of the per-repetition ratios (the targets of a repetition run back to back; see below).\n\n")
				w("| p50 v/floor | p95 v/floor | rps v/floor | rps v/peer | rps floor/peer | p50 v/peer | p95 v/peer | CPU/req v/floor | CPU/req v/peer |\n|---|---|---|---|---|---|---|---|---|\n")
				p50, p95, rps, cpu := func(r Run) float64 { return r.P50ms }, func(r Run) float64 { return r.P95ms },
					func(r Run) float64 { return r.RPS }, func(r Run) float64 { return r.CPUmsPerReq }
				r3 := func(a, b *Cell, of func(Run) float64) string { return f2(round3(pairedMedian(a, b, of))) } // as the targets below
				w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n\n", r3(v, f, p50), r3(v, f, p95), r3(v, f, rps), r3(v, p, rps),
					r3(f, p, rps), r3(v, p, p50), r3(v, p, p95), r3(v, f, cpu), r3(v, p, cpu))
			}
		}
		var targets []TargetCheck
		for _, t := range r.WriteTargets {
			if t.Nodes == s.Nodes {
				targets = append(targets, t)
			}
		}
		if len(targets) > 0 {
			w("The issue's write targets:\n\n| target | value | limit | met | note |\n|---|---|---|---|---|\n")
			for _, t := range targets {
				w("| %s | %s | %g | %s | %s |\n", t.Target, f2(t.Value), t.Limit, t.Met, esc(t.Note))
			}
			w("\n")
		}
		w("Correctness of the write path:\n\n| check | ok | detail |\n|---|---|---|\n")
		for _, c := range wr.Checks {
			w("| %s | %s | %s |\n", esc(c.Name), yesNo(c.OK), esc(tail(c.Detail, 600)))
		}
		w("\n")
		if len(wr.Concurrent) > 0 {
			w("Identical mutations sent at once over HTTP, then counted in Neo4j:\n\n| mutation | idempotency key | requests | answered without error | created: true | replayed: true | counted | change entries | met | errors |\n|---|---|---|---|---|---|---|---|---|---|\n")
			for _, c := range wr.Concurrent {
				w("| %s | %s | %d | %d | %d | %d | %d %s | %d | %s | %s |\n", c.Mutation, c.Key, c.Requests, c.OK, c.Created, c.Replayed, c.Count, c.What, c.Changes, yesNo(c.Met), esc(strings.Join(c.Errors, "; ")))
			}
			w("\n")
		}
		if rr := wr.Restart; rr != nil {
			w("Writes across a restart of Neo4j: clients send `addRelation` at a steady %.0f/s for %.0f s through vetgraph, each with its own idempotency key, and retry it with the same key on a connection error, HTTP 5xx, `UNAVAILABLE` or `INTERNAL_SERVER_ERROR` (backoff 0.1–2 s, up to 10 minutes); after %.1f s the harness stops its Neo4j (`scripts/neo4j stop`: %.1f s) and starts it again (`scripts/neo4j start`: %.1f s, %d attempt(s)). Then every write's relationship (by its date) and change entry (by its key) is counted.\n\n",
				rr.Rate, rr.Seconds, rr.StopAtS, rr.StopS, rr.StartS, rr.StartAttempts)
			if rr.RestartError != "" || rr.CountError != "" {
				w("- %s\n\n", esc(strings.TrimPrefix(rr.RestartError+"; "+rr.CountError, "; ")))
			}
			w("| writes | acknowledged | gave up | writes retried | attempts | replayed: true | present exactly once | lost | duplicated | change entries | present, not acknowledged | p50 / max time to acknowledgement ms | met |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
			w("| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s / %s | %s |\n\n", rr.Writes, rr.Acked, rr.GaveUp, rr.Retried, rr.Attempts, rr.Replayed,
				rr.Present, rr.Lost, rr.Duplicated, rr.Changes, rr.NotAckedFound, f2(rr.P50LatencyMs), f2(rr.MaxLatencyMs), yesNo(rr.Met))
			if len(rr.RetryReasons) > 0 {
				var reasons []string
				for k, n := range rr.RetryReasons {
					reasons = append(reasons, fmt.Sprintf("%s ×%d", k, n))
				}
				sort.Strings(reasons)
				w("Retries by reason: %s.", strings.Join(reasons, ", "))
				if rr.FirstFailure != "" {
					w(" First failure: %s.", esc(tail(rr.FirstFailure, 300)))
				}
				w("\n\n")
			}
		}
		if !r.Smoke {
			im := wr.Import
			if im.Measured {
				w("Import: `store.Import` (what `vetgraph import` runs), every check on, of %d new schools (a row each: the entity with a Chinese and an English name and an alias; three search-name nodes) in write transactions of %d rows, against the floor: the same rows, their properties and search forms computed before the clock starts, sent raw as\n```cypher%s\n```\nin transactions of the same size, nothing read or validated first. %s.\n\n| | rows/s | runs (s) |\n|---|---|---|\n",
					im.Rows, im.Batch, importFloor, im.Note)
				for _, tn := range []string{"import", "floor"} {
					var secs []string
					for _, r := range im.Runs {
						if r.Target == tn {
							secs = append(secs, fmt.Sprintf("%.2f", r.Seconds))
						}
					}
					rate := im.RowsPerS
					if tn == "floor" {
						rate = im.FloorRPS
					}
					w("| %s | %.0f | %s |\n", tn, rate, strings.Join(secs, ", "))
				}
				w("\nimport/floor: %.2f, the median of the per-repetition ratios (the two runs of a repetition are back to back; %s); the ratio of the medians %.2f.\n\n",
					median(importRatios(im)), pairedText(importRatios(im)), div(im.RowsPerS, im.FloorRPS))
			} else {
				w("Import rows/s: not measured: %s\n\n", im.Note)
			}
		}
		if len(wr.Cells) > 0 {
			w("The Cypher each target sent for one write (Bolt proxy; db hits of each statement PROFILEd in a transaction that is rolled back):\n\n")
			for _, c := range wr.Cells {
				if len(c.Cypher) == 0 {
					continue
				}
				w("- %s (%d statements, %s db hits):\n", c.Target, c.Statements, hits(c.DBHits))
				for i, q := range c.Cypher {
					h := "?"
					if i < len(c.StmtHits) {
						h = fmt.Sprint(c.StmtHits[i])
					}
					w("  %d. `%s` (%s db hits)\n", i+1, strings.ReplaceAll(firstLine(q), "`", "'"), h)
				}
			}
			w("\n")
		}
		if len(wr.Requests) > 0 && !r.Smoke {
			w("Requests:\n\n")
			for _, tn := range targetNames {
				if q, ok := wr.Requests[tn]; ok {
					w("%s:\n```\n%s\n```\n", tn, q)
				}
			}
			w("\n")
		}
	}
}
