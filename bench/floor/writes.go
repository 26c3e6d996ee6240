package floor

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// The write floor: vetgraph's addRelation transaction for a new statement,
// statement for statement, through the driver with no GraphQL, no
// authentication and no domain layer. The statement texts are copies of
// internal/store's (write.go, curate_statements.go), which are unexported;
// TestWriteStatementsAreTheStores checks that every copy stays equal to the
// store's constant of the same name, and the benchmark harness checks,
// through the Bolt proxy, that the floor sends the statements vetgraph's
// write transaction sends, in the same order.
//
// POST /w/addRelation with a JSON RelationWrite answers
// {"rows": [{"id": …, "created": …, "replayed": …}]}.
const (
	// findIdempotent: internal/store/write.go.
	findIdempotent = `
MATCH (c:Change {idempotencyKey: $key})
RETURN c.inputHash AS inputHash, c.result AS result, properties(c) AS c`

	// appendChange: internal/store/write.go.
	appendChange = `
CREATE (c:Change {id: $id, at: $at, actor: $actor, actorRole: $role, via: $via, requestId: $requestId,
  reason: $reason, op: $op, subjects: $subjects, summary: $summary, before: $before, after: $after,
  idempotencyKey: $key, inputHash: $inputHash, result: $result})`

	// endsForWrite: internal/store/curate_statements.go.
	endsForWrite = `
OPTIONAL MATCH (a0:Entity {id: $from})
OPTIONAL MATCH (:Redirect {id: $from})-[:REDIRECTS_TO]->(a1:Entity)
OPTIONAL MATCH (b0:Entity {id: $to})
OPTIONAL MATCH (:Redirect {id: $to})-[:REDIRECTS_TO]->(b1:Entity)
OPTIONAL MATCH (d:Document {id: $doc})
WITH coalesce(a0, a1) AS a, coalesce(b0, b1) AS b, d
CALL (a, b) {
  WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL
  SET a.lock = true, b.lock = true
  REMOVE a.lock, b.lock
}
RETURN a.id AS from, a.kind AS fromKind, b.id AS to, b.kind AS toKind, d.text AS text`

	// sameStatementTmpl: internal/store/curate_statements.go.
	sameStatementTmpl = `
MATCH (:Entity {id: $from})-[r:%s]->(:Entity {id: $to})
WHERE coalesce(r.at, '') = $at AND coalesce(r.since, '') = $since AND coalesce(r.until, '') = $until
RETURN properties(r) AS r
ORDER BY r.id
LIMIT 1`

	// sameSymmetricStatementTmpl: internal/store/curate_statements.go (for
	// a type that reads the same both ways, PARTNERS_WITH among them).
	sameSymmetricStatementTmpl = `
MATCH (a:Entity {id: $from})-[r:%s]-(b:Entity {id: $to})
WHERE coalesce(r.at, '') = $at AND coalesce(r.since, '') = $since AND coalesce(r.until, '') = $until
RETURN properties(r) AS r, startNode(r).id AS from, endNode(r).id AS to
ORDER BY r.id
LIMIT 1`

	// relationIDTaken: internal/store/curate_statements.go.
	relationIDTaken = `
RETURN EXISTS { MATCH (:Entity {id: $from})-[r]->(:Entity {id: $to}) WHERE r.id = $id } AS taken`

	// createRelationTmpl: internal/store/curate_statements.go.
	createRelationTmpl = `
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
CREATE (a)-[r:%s]->(b)
SET r = $props, r.origin = 'api', r.createdAt = $at, r.createdBy = $actor`

	// mentionsOf: internal/store/curate_statements.go.
	mentionsOf = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.entity}), (d:Document {id: row.doc})
MERGE (n)-[m:MENTIONED_IN]->(d)
ON CREATE SET m.origin = 'api'`
)

// WriteStatements are the copied statement texts by the name of the store
// constant they copy (for the test that keeps them equal).
var WriteStatements = map[string]string{
	"findIdempotent":             findIdempotent,
	"appendChange":               appendChange,
	"endsForWrite":               endsForWrite,
	"sameStatementTmpl":          sameStatementTmpl,
	"sameSymmetricStatementTmpl": sameSymmetricStatementTmpl,
	"relationIDTaken":            relationIDTaken,
	"createRelationTmpl":         createRelationTmpl,
	"mentionsOf":                 mentionsOf,
}

// RelationWrite is one addRelation request: the variables the harness sends
// vetgraph's mutation, with the actor the floor records in the change log.
type RelationWrite struct {
	Type  string `json:"type"`
	From  string `json:"from"`
	To    string `json:"to"`
	At    string `json:"at"` // YYYY-MM-DD
	Doc   string `json:"doc"`
	Quote string `json:"quote"`
	Key   string `json:"key"` // idempotency key; "" for none
	Actor string `json:"actor"`
}

// WriteResult is what AddRelation answers.
type WriteResult struct {
	ID       string `json:"id"`
	Created  bool   `json:"created"`
	Replayed bool   `json:"replayed"`
}

// errWriteInput is a write the floor refuses (missing end or document, quote
// not in the document); the handler answers 400.
var errWriteInput = errors.New("bad write")

// writeTimeout is vetgraph's (internal/store writeTimeout).
const writeTimeout = 15 * time.Second

// AddRelation runs the statements of vetgraph's addRelation transaction for
// a statement with a point in time (at) and no sameAs, in one write
// transaction (ExecuteWrite, which retries transient errors as vetgraph's
// does): the idempotency lookup when a key is given, the ends and the
// document (write-locking the ends), the same-statement lookup (either
// direction for a symmetric type), the id check, the create, the mentions,
// and the change-log entry. A statement
// that exists with the same time is answered as not created, as vetgraph
// does when the evidence is already there.
func AddRelation(ctx context.Context, driver neo4j.DriverWithContext, database string, w RelationWrite) (WriteResult, error) {
	info, ok := kg.LookupRelType(w.Type)
	if !ok {
		return WriteResult{}, fmt.Errorf("%w: type %q is not in the vocabulary", errWriteInput, w.Type)
	}
	if w.Actor == "" {
		w.Actor = "floor"
	}
	at, err := kg.ParsePartialDate(w.At)
	if err != nil {
		return WriteResult{}, fmt.Errorf("%w: %v", errWriteInput, err)
	}
	input, _ := json.Marshal(w)
	h := sha256.Sum256(input)
	inputHash := hex.EncodeToString(h[:])
	via := "floor:" + w.Actor
	key := ""
	if w.Key != "" {
		key = via + " " + w.Key
	}
	now := time.Now()
	sess := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	out, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if key != "" {
			recs, err := collect(ctx, tx, findIdempotent, map[string]any{"key": key})
			if err != nil {
				return nil, err
			}
			if len(recs) > 0 {
				var res WriteResult
				s, _ := recs[0].Values[1].(string)
				if err := json.Unmarshal([]byte(s), &res); err != nil {
					return nil, err
				}
				res.Replayed = true
				return res, nil
			}
		}
		recs, err := collect(ctx, tx, endsForWrite, map[string]any{"from": w.From, "to": w.To, "doc": w.Doc})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 || recs[0].Values[0] == nil || recs[0].Values[2] == nil || recs[0].Values[4] == nil {
			return nil, fmt.Errorf("%w: an end or the document does not exist", errWriteInput)
		}
		from, to := recs[0].Values[0].(string), recs[0].Values[2].(string)
		if text, _ := recs[0].Values[4].(string); !strings.Contains(text, w.Quote) {
			return nil, fmt.Errorf("%w: the quote is not in the document", errWriteInput)
		}
		same := sameStatementTmpl
		if info.Symmetric() {
			same = sameSymmetricStatementTmpl
		}
		recs, err = collect(ctx, tx, fmt.Sprintf(same, w.Type),
			map[string]any{"from": from, "to": to, "at": w.At, "since": "", "until": ""})
		if err != nil {
			return nil, err
		}
		if len(recs) > 0 {
			p, _ := recs[0].Values[0].(map[string]any)
			id, _ := p["id"].(string)
			return WriteResult{ID: id}, nil
		}
		base := fmt.Sprintf("api:%s:%s:%s@%s", from, w.Type, to, w.At)
		id := base
		for n := 2; ; n++ {
			recs, err := collect(ctx, tx, relationIDTaken, map[string]any{"from": from, "to": to, "id": id})
			if err != nil {
				return nil, err
			}
			if taken, _ := recs[0].Values[0].(bool); !taken {
				break
			}
			id = fmt.Sprintf("%s#%d", base, n)
		}
		lo, hi := at.Range()
		props := map[string]any{"id": id, "origin": "api", "sourceId": w.Doc, "quote": w.Quote, "at": w.At,
			"fromDate": neo4j.DateOf(lo), "toDate": neo4j.DateOf(hi)}
		if _, err := collect(ctx, tx, fmt.Sprintf(createRelationTmpl, w.Type), map[string]any{"from": from, "to": to,
			"props": props, "at": now.UTC(), "actor": w.Actor}); err != nil {
			return nil, err
		}
		mentions := []any{map[string]any{"entity": from, "doc": w.Doc}, map[string]any{"entity": to, "doc": w.Doc}}
		if _, err := collect(ctx, tx, mentionsOf, map[string]any{"rows": mentions}); err != nil {
			return nil, err
		}
		res := WriteResult{ID: id, Created: true}
		result, _ := json.Marshal(res)
		after, _ := json.Marshal(map[string]any{"id": id, "type": w.Type, "from": from, "to": to, "at": w.At,
			"evidence": []map[string]string{{"document": w.Doc, "quote": w.Quote}}})
		var kv any
		if key != "" {
			kv = key
		}
		if _, err := collect(ctx, tx, appendChange, map[string]any{"id": changeID(now), "at": now.UTC(), "actor": w.Actor,
			"role": "curator", "via": via, "requestId": changeID(now), "reason": "", "op": "addRelation",
			"subjects": []string{id, from, to, w.Doc}, "summary": fmt.Sprintf("added relation %s (%s %s %s) from %s", id, from, w.Type, to, w.Doc),
			"before": nil, "after": string(after), "key": kv, "inputHash": inputHash, "result": string(result)}); err != nil {
			return nil, err
		}
		return res, nil
	}, neo4j.WithTxTimeout(writeTimeout))
	if err != nil {
		return WriteResult{}, err
	}
	return out.(WriteResult), nil
}

func collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// changeID is an id that sorts by time, as the store's change ids do.
func changeID(at time.Time) string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("c%013d-%s", at.UnixMilli(), hex.EncodeToString(b[:]))
}

// handleAddRelation serves POST /w/addRelation.
func handleAddRelation(driver neo4j.DriverWithContext, database string, timeout time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in RelationWrite
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
			http.Error(w, `{"error":"bad variables"}`, http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		res, err := AddRelation(ctx, driver, database, in)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			code := http.StatusInternalServerError
			if errors.Is(err, errWriteInput) {
				code = http.StatusBadRequest
			}
			w.WriteHeader(code)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"rows": []WriteResult{res}})
	}
}
