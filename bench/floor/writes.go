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
	"github.com/vetgraph/vetgraph/internal/searchkey"
	"github.com/vetgraph/vetgraph/internal/store"
)

// The write floor: vetgraph's addRelation transaction for a new statement,
// statement for statement, through the driver with no GraphQL, no
// authentication and no domain layer. The statements are the store's own
// (store.WriteStatements), so the floor cannot drift from what vetgraph
// sends; the benchmark harness checks through the Bolt proxy that the floor
// sends them in the same order as vetgraph's write transaction.
//
// POST /w/addRelation with a JSON RelationWrite answers
// {"rows": [{"id": …, "created": …, "replayed": …}]}.
var (
	writeStatements            = store.WriteStatements()
	findIdempotent             = writeStatements["findIdempotent"]
	appendChange               = writeStatements["appendChange"]
	endsForWrite               = writeStatements["endsForWrite"]
	sameStatementTmpl          = writeStatements["sameStatementTmpl"]
	sameSymmetricStatementTmpl = writeStatements["sameSymmetricStatementTmpl"]
	relationIDTaken            = writeStatements["relationIDTaken"]
	createRelationTmpl         = writeStatements["createRelationTmpl"]
	mentionsOf                 = writeStatements["mentionsOf"]
)

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
	// Tokens are the quote's words as the evidence search indexes them
	// (searchkey.TextTokens(Quote)), which vetgraph computes in its domain
	// layer; the harness computes them before the clock starts, so the
	// floor pays only for storing and indexing them. "" computes them here.
	Tokens string `json:"tokens,omitempty"`
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
		return WriteResult{}, fmt.Errorf("%w: %w", errWriteInput, err)
	}
	if w.Tokens == "" {
		w.Tokens = searchkey.TextTokens(w.Quote)
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
		props := map[string]any{
			"id": id, "origin": "api", "sourceId": w.Doc, "quote": w.Quote, "at": w.At,
			"fromDate": neo4j.DateOf(lo), "toDate": neo4j.DateOf(hi), "searchTokens": w.Tokens,
		}
		if _, err := collect(ctx, tx, fmt.Sprintf(createRelationTmpl, w.Type), map[string]any{
			"from": from, "to": to,
			"props": props, "at": now.UTC(), "actor": w.Actor,
		}); err != nil {
			return nil, err
		}
		if _, err := collect(ctx, tx, mentionsOf, map[string]any{"doc": w.Doc, "entities": []string{from, to}}); err != nil {
			return nil, err
		}
		res := WriteResult{ID: id, Created: true}
		result, _ := json.Marshal(res)
		after, _ := json.Marshal(map[string]any{
			"id": id, "type": w.Type, "from": from, "to": to, "at": w.At,
			"evidence": []map[string]string{{"document": w.Doc, "quote": w.Quote}},
		})
		var kv any
		if key != "" {
			kv = key
		}
		if _, err := collect(ctx, tx, appendChange, map[string]any{
			"id": changeID(now), "at": now.UTC(), "actor": w.Actor,
			"role": "curator", "via": via, "requestId": changeID(now), "reason": "", "op": "addRelation",
			"subjects": []string{id, from, to, w.Doc}, "summary": fmt.Sprintf("added relation %s (%s %s %s) from %s", id, from, w.Type, to, w.Doc),
			"before": nil, "after": string(after), "key": kv, "inputHash": inputHash, "result": string(result),
		}); err != nil {
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
