package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// The write path (package curation's commands). Each command is one write
// transaction that validates against the graph as it is (with kg's rules),
// changes it, and appends one :Change node to the change log, or, on any
// error, leaves nothing behind. A command with an idempotency key that was
// already used by the same principal returns the stored result of the first
// write and writes nothing.
//
// The change log: (:Change {id, at, actor, actorRole, via, requestId,
// reason, op, subjects, summary, before, after, idempotencyKey, inputHash,
// result}). Nothing updates or deletes a :Change node.

// Change-log statements.
const (
	// findIdempotent finds the change a principal's idempotency key
	// recorded.
	findIdempotent = `
MATCH (c:Change {idempotencyKey: $key})
RETURN c.inputHash AS inputHash, c.result AS result, properties(c) AS c`

	// appendChange appends one entry to the change log.
	appendChange = `
CREATE (c:Change {id: $id, at: $at, actor: $actor, actorRole: $role, via: $via, requestId: $requestId,
  reason: $reason, op: $op, subjects: $subjects, summary: $summary, before: $before, after: $after,
  idempotencyKey: $key, inputHash: $inputHash, result: $result})`
)

// WriteStatements returns the statements of addRelation's transaction by
// their constant's name (a %s in a *Tmpl name is the relationship type), for
// the benchmark's raw-driver floor, which must send exactly what the store
// sends.
func WriteStatements() map[string]string {
	return map[string]string{
		"findIdempotent": findIdempotent, "appendChange": appendChange, "endsForWrite": endsForWrite,
		"sameStatementTmpl": sameStatementTmpl, "sameSymmetricStatementTmpl": sameSymmetricStatementTmpl,
		"relationIDTaken": relationIDTaken, "createRelationTmpl": createRelationTmpl, "mentionsOf": mentionsOf,
	}
}

// writeTimeout bounds one command's transaction.
const writeTimeout = 15 * time.Second

// Outcome is what a command reports besides its result.
type Outcome struct {
	// Change is the change-log entry the write appended (for a replay, the
	// first write's); nil when the command changed nothing (the same
	// statement and evidence were already there, or the entity already had
	// those values).
	Change *kg.Change
	// Replayed is true when the idempotency key had been used for the same
	// input: the result is the first write's, and nothing was written now.
	Replayed bool
	// Bookmarks name the database state after the write (Neo4j causal
	// consistency): a read that sends them back sees at least this write.
	Bookmarks []string
}

// txResult is what one command's transaction function returns.
type txResult struct {
	result   any    // JSON-encodable; stored for idempotent replays
	changed  bool   // false: nothing written, no change entry
	summary  string // for the change entry
	subjects []string
	before   any // snapshot or nil
	after    any
}

// command runs fn in one write transaction with the change-log and
// idempotency rules above, decoding a replayed result into out (a pointer
// to the type fn's result has).
func (s *Store) command(ctx context.Context, st kg.Stamp, out any, fn func(tx neo4j.ManagedTransaction) (txResult, error)) (Outcome, error) {
	key := ""
	if st.IdempotencyKey != "" {
		// Keys are per principal: two curators' keys never collide.
		key = st.Actor.Via + " " + st.IdempotencyKey
	}
	for attempt := 0; ; attempt++ {
		o, err := s.commandOnce(ctx, st, key, out, fn)
		// Two identical writes at once: the later one waits for the
		// first's unique key (an idempotency key, an id) and fails on it
		// when the first commits. Run it once more: it then sees the first
		// write (and replays it, adds to it, or changes nothing).
		if err != nil && attempt < 2 && isConstraintViolation(err) {
			continue
		}
		if err != nil {
			return Outcome{}, translateWrite(err)
		}
		return o, nil
	}
}

func (s *Store) commandOnce(ctx context.Context, st kg.Stamp, key string, out any, fn func(tx neo4j.ManagedTransaction) (txResult, error)) (Outcome, error) {
	ctx, release, err := hold(ctx)
	if err != nil {
		return Outcome{}, err
	}
	defer release()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite,
		Bookmarks: neo4j.BookmarksFromRawValues(BookmarksFrom(ctx)...),
	})
	defer sess.Close(ctx)
	var o Outcome
	_, err = sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		o = Outcome{}
		// replay answers the first write's result when the key was used.
		replay := func() (bool, error) {
			if key == "" {
				return false, nil
			}
			recs, err := collect(ctx, tx, findIdempotent, map[string]any{"key": key})
			if err != nil || len(recs) == 0 {
				return false, err
			}
			if h, _ := recs[0].Values[0].(string); h != st.InputHash {
				return false, fmt.Errorf("%w: idempotency key %q was already used for a different request; use a new key for a new write", kg.ErrConflict, st.IdempotencyKey)
			}
			res, _ := recs[0].Values[1].(string)
			c := changeFromProps(recs[0].Values[2].(map[string]any))
			if err := json.Unmarshal([]byte(res), out); err != nil {
				return false, fmt.Errorf("stored result of change %s: %w", c.ID, err)
			}
			o.Replayed, o.Change = true, &c
			return true, nil
		}
		if done, err := replay(); done || err != nil {
			return nil, err
		}
		r, err := fn(tx)
		if err != nil {
			return nil, err
		}
		// A first write with the same key may have committed while this one
		// ran and found its result already in place: that is a replay too
		// (reads in a transaction see what others committed meanwhile).
		if !r.changed {
			if done, err := replay(); done || err != nil {
				return nil, err
			}
		}
		b, err := json.Marshal(r.result)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, out); err != nil {
			return nil, err
		}
		if !r.changed {
			return nil, nil
		}
		c := kg.Change{
			ID: newChangeID(st.At), At: st.At, Actor: st.Actor, RequestID: st.RequestID, Reason: st.Reason,
			Op: st.Op, Subjects: r.subjects, Summary: r.summary, Before: snapshot(r.before), After: snapshot(r.after),
		}
		params := map[string]any{
			"id": c.ID, "at": st.At.UTC(), "actor": st.Actor.Name, "role": string(st.Actor.Role),
			"via": st.Actor.Via, "requestId": st.RequestID, "reason": st.Reason, "op": st.Op, "subjects": r.subjects,
			"summary": r.summary, "before": nilIfEmpty(c.Before), "after": nilIfEmpty(c.After),
			"key": nilIfEmpty(key), "inputHash": st.InputHash, "result": string(b),
		}
		if _, err := collect(ctx, tx, appendChange, params); err != nil {
			return nil, err
		}
		o.Change = &c
		return nil, nil
	}, neo4j.WithTxTimeout(writeTimeout))
	if err != nil {
		return Outcome{}, err
	}
	o.Bookmarks = sess.LastBookmarks()
	wrote(ctx, o.Bookmarks)
	return o, nil
}

// translateWrite keeps the domain errors a command returned and translates
// the driver's.
func translateWrite(err error) error {
	for _, cat := range []error{kg.ErrInvalidInput, kg.ErrNotFound, kg.ErrConflict, kg.ErrForbidden} {
		if errors.Is(err, cat) {
			return err
		}
	}
	if isConstraintViolation(err) {
		return fmt.Errorf("%w: a concurrent write created the same thing; read it and try again", kg.ErrConflict)
	}
	return translate(err)
}

func isConstraintViolation(err error) bool {
	var ne *neo4j.Neo4jError
	return errors.As(err, &ne) && ne.Code == "Neo.ClientError.Schema.ConstraintValidationFailed"
}

var changeIDPattern = regexp.MustCompile(`^c[0-9]{13}-[0-9a-f]{10}$`)

// IsChangeID reports whether s has the form of a change id (newChangeID).
func IsChangeID(s string) bool { return changeIDPattern.MatchString(s) }

// newChangeID returns an id that sorts by time: the UTC milliseconds, zero
// padded, then random hex.
func newChangeID(at time.Time) string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("c%013d-%s", at.UnixMilli(), hex.EncodeToString(b[:]))
}

func snapshot(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

type bookmarksKey struct{}

// causalChain is one request's Neo4j bookmarks: those its client sent back,
// then those of each write it made.
type causalChain struct {
	mu        sync.Mutex
	bookmarks []string
}

// WithBookmarks returns ctx carrying a request's causal chain, started with
// the Neo4j bookmarks its client sent back (see Outcome.Bookmarks; none:
// nil). Each write run in ctx replaces them with its own (a write's
// bookmarks imply those it started from), so reads and writes in ctx see at
// least what the client saw and what the request itself wrote: a mutation's
// answer reads its own write on any member of a cluster.
func WithBookmarks(ctx context.Context, bookmarks []string) context.Context {
	return context.WithValue(ctx, bookmarksKey{}, &causalChain{bookmarks: slices.Clone(bookmarks)})
}

// BookmarksFrom returns the bookmarks ctx carries now (nil for none).
func BookmarksFrom(ctx context.Context) []string {
	c, ok := ctx.Value(bookmarksKey{}).(*causalChain)
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.bookmarks)
}

// wrote records a write's bookmarks in ctx's causal chain, if it has one.
func wrote(ctx context.Context, bookmarks []string) {
	if c, ok := ctx.Value(bookmarksKey{}).(*causalChain); ok && len(bookmarks) > 0 {
		c.mu.Lock()
		c.bookmarks = slices.Clone(bookmarks)
		c.mu.Unlock()
	}
}

// one runs a statement in tx and returns its first record, or nil.
func one(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (*neo4j.Record, error) {
	recs, err := collect(ctx, tx, cypher, params)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return recs[0], nil
}

// asInt64 reads an integer property that may be absent.
func asInt64(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	}
	return 0
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
