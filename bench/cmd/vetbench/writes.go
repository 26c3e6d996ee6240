package main

// The write benchmark (issue 10), run after the reads at each scale (or alone
// with -writes only):
//
//  1. addRelation, one new statement per request, with evidence from a
//     document added first: vetgraph's mutation over HTTP with an API key;
//     the floor (bench/floor/writes.go: vetgraph's own write statements in
//     one write transaction through the Go driver); the peer's nearest
//     equivalent (@neo4j/graphql's updateSchools … connect … edge, which
//     connects an existing enterprise with edge properties). Checked first:
//     one write of each target makes exactly one relationship (and one
//     change entry for vetgraph and the floor), and the floor sends the
//     statements of vetgraph's write transaction, in order (Bolt proxy).
//     Then loaded at fixed concurrency, targets shuffled per repetition;
//     afterwards every acknowledged write is counted in Neo4j.
//  2. 20 concurrent identical upsertEntity and addRelation mutations, with
//     no idempotency key and with one shared key: counted in Neo4j.
//  3. Writes at a steady rate with idempotency keys while the harness stops
//     and restarts its Neo4j; clients retry with the same key; every write
//     is then counted.
//  4. Import rows/s: store.Import (`vetgraph import`) against a raw UNWIND
//     floor of the same batch size (writes_import.go).
//
// Everything the write benchmark writes is removed afterwards (and before,
// after an interrupted run), so the kept per-scale databases stay the
// generated graph the reads are measured on; a check compares the counts.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/vetgraph/vetgraph/bench/boltcap"
	"github.com/vetgraph/vetgraph/bench/floor"
	"github.com/vetgraph/vetgraph/internal/auth"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/searchkey"
	"github.com/vetgraph/vetgraph/internal/store"
)

const (
	// writeActor is the API key's name, so vetgraph's actor (createdBy, the
	// change log's actor), and the floor's actor.
	writeActor = "vetbench"
	writeDocID = "vetbench_writes"
	writeType  = "PARTNERS_WITH"
	writeQuote = "the school works with the enterprise on joint training programmes"
	writeText  = "Write benchmark document (vetbench; made up, not a real source). In this report " + writeQuote +
		", and the enterprise takes the school's students as trainees."
	// writeBlock is how many writes each writer may make: write n of
	// block b states its relation at 1800-01-01 + b*writeBlock + n days, so
	// every write is a new statement and the writers' statements never
	// meet (four blocks end in 2194; kg allows 1800–2200).
	writeBlock = 36000
	// The blocks.
	blockVetgraph, blockFloor, blockPeer, blockOther = 0, 1, 2, 3
	// concurrentN is the number of identical concurrent mutations.
	concurrentN = 20
)

// writeQuoteTokens are writeQuote's search words, computed once before any
// clock starts and sent to the floor (floor.RelationWrite.Tokens).
var writeQuoteTokens = searchkey.TextTokens(writeQuote)

// vetgraphAddRelation is vetgraph's mutation; the selection is what a
// client needs to know the write happened.
const vetgraphAddRelation = `mutation AddRelation($from: ID!, $to: ID!, $at: String!, $doc: ID!, $quote: String!, $key: String) { addRelation(input: {type: PARTNERS_WITH, from: $from, to: $to, at: $at, evidence: {document: $doc, quote: $quote}}, idempotencyKey: $key) { created replayed relation { id } } }`

// peerAddRelation is the peer's nearest equivalent: the relationship with
// its edge properties connected between existing nodes.
const peerAddRelation = `mutation AddRelation($from: ID!, $to: ID!, $id: String!, $at: String!, $doc: String!, $quote: String!) { updateSchools(where: {id: {eq: $from}}, update: {partnersWithEnterprises: [{connect: [{where: {node: {id: {eq: $to}}}, edge: {id: $id, quote: $quote, sourceId: $doc, at: $at}}]}]}) { info { relationshipsCreated } } }`

const vetgraphAddDocument = `mutation AddDocument($id: ID!, $text: String!) { addDocument(input: {id: $id, title: "vetbench write benchmark", language: "en", text: $text}, reason: "write benchmark") { created document { id } } }`

const vetgraphUpsert = `mutation Upsert($id: ID!, $zh: String, $en: String, $key: String) { upsertEntity(input: {id: $id, kind: ORGANIZATION, nameZh: $zh, nameEn: $en}, idempotencyKey: $key) { created replayed version } }`

// WriteResult is the write benchmark at one scale.
type WriteResult struct {
	Started     string            `json:"started"`
	Finished    string            `json:"finished"`
	Commit      string            `json:"vetgraphCommit,omitempty"`
	LoadAvg     string            `json:"loadavgAtStart,omitempty"`
	Concurrency int               `json:"concurrency"`
	Reps        int               `json:"repetitions"`
	Duration    string            `json:"runDuration"`
	Warmup      string            `json:"warmup,omitempty"` // -write-warmup; "" in reports before it existed
	Requests    map[string]string `json:"requests"`         // target → what it is sent
	Cells       []Cell            `json:"cells"`            // Query "addRelation"
	Counts      []WriteCount      `json:"counts,omitempty"`
	Checks      []WriteCheck      `json:"checks"`
	Concurrent  []ConcurrencyRow  `json:"concurrent"`
	Restart     *RestartResult    `json:"restart,omitempty"`
	Import      ImportRow         `json:"import"`
	Notes       []string          `json:"notes,omitempty"`
}

// WriteCount compares the writes a target acknowledged during the load with
// what Neo4j holds afterwards.
type WriteCount struct {
	Target  string `json:"target"`
	Sent    int64  `json:"sent"`
	Acked   int64  `json:"acked"`
	Found   int64  `json:"relationships"`
	Changes int64  `json:"changes"` // -1: the target keeps no change log
	OK      bool   `json:"ok"`
}

// WriteCheck is one correctness check of the write path.
type WriteCheck struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// ConcurrencyRow is n identical mutations sent at once.
type ConcurrencyRow struct {
	Mutation string   `json:"mutation"`
	Key      string   `json:"idempotencyKey"` // none, or shared
	Requests int      `json:"requests"`
	OK       int      `json:"ok"`
	Created  int      `json:"created"`
	Replayed int      `json:"replayed"`
	What     string   `json:"what"` // what was counted
	Count    int64    `json:"count"`
	Changes  int64    `json:"changes"`
	Errors   []string `json:"errors,omitempty"`
	Met      bool     `json:"met"`
}

// RestartResult is the writes-across-a-restart run.
type RestartResult struct {
	Rate          float64        `json:"ratePerSecond"`
	Seconds       float64        `json:"seconds"`
	Writes        int            `json:"writes"`
	Acked         int            `json:"acked"`
	GaveUp        int            `json:"gaveUp"`
	Attempts      int            `json:"attempts"`
	Retried       int            `json:"retriedWrites"`
	Replayed      int            `json:"replayed"`
	RetryReasons  map[string]int `json:"retryReasons,omitempty"`
	StopAtS       float64        `json:"stopAtSeconds"`
	StopS         float64        `json:"stopSeconds"`
	StartS        float64        `json:"startSeconds"`
	StartAttempts int            `json:"startAttempts"`
	RestartError  string         `json:"restartError,omitempty"`
	CountError    string         `json:"countError,omitempty"`
	MaxLatencyMs  float64        `json:"maxLatencyMs"`
	P50LatencyMs  float64        `json:"p50LatencyMs"`
	Present       int            `json:"presentOnce"`
	Lost          int            `json:"lost"`
	Duplicated    int            `json:"duplicated"`
	Changes       int            `json:"changes"`
	NotAckedFound int            `json:"notAckedButPresent"`
	FirstFailure  string         `json:"firstFailure,omitempty"`
	Met           bool           `json:"met"`
}

// ImportRow is the import measurement, or why it is not there.
type ImportRow struct {
	Measured bool        `json:"measured"`
	Note     string      `json:"note"`
	Batch    int         `json:"batch,omitempty"`
	Rows     int         `json:"rows,omitempty"`
	RowsPerS float64     `json:"rowsPerSecond,omitempty"`
	FloorRPS float64     `json:"floorRowsPerSecond,omitempty"`
	Runs     []ImportRun `json:"runs,omitempty"`
}

// writeEnv is what the write benchmark at one scale works with.
type writeEnv struct {
	root, boltURI, neo4jDir, logDir string
	o                               options
	scale                           int
	owned                           bool
	driver                          neo4j.DriverWithContext

	key                  string
	schools, enterprises []string
	next                 [4]atomic.Int64 // writes made of each block
	targets              map[string]*target
	client               *http.Client
	res                  *WriteResult
}

// dayOf is the date i days after 1800-01-01.
func dayOf(i int) string {
	return time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02")
}

// write is write n of block b: a PARTNERS_WITH statement from a school to an
// enterprise at a date no other write uses.
func (w *writeEnv) write(b, n int) floor.RelationWrite {
	ns, ne := len(w.schools), len(w.enterprises)
	return floor.RelationWrite{
		Type: writeType, From: w.schools[n%ns], To: w.enterprises[(n*7+n/ns)%ne],
		At: dayOf(b*writeBlock + n), Doc: writeDocID, Quote: writeQuote, Key: fmt.Sprintf("vetbench-w%d-%d", b, n), Actor: writeActor,
		Tokens: writeQuoteTokens,
	}
}

func peerRelID(rw floor.RelationWrite) string {
	return fmt.Sprintf("vetbench:peer:%s:%s@%s", rw.From, rw.To, rw.At)
}

// request is what target t is sent for rw.
func (w *writeEnv) request(t *target, rw floor.RelationWrite) (string, []byte, http.Header) {
	h := http.Header{"Content-Type": []string{"application/json"}}
	switch t.Name {
	case "floor":
		b, _ := json.Marshal(rw)
		return t.URL + "/w/addRelation", b, h
	case "peer":
		b, _ := json.Marshal(map[string]any{"query": peerAddRelation, "variables": map[string]any{
			"from": rw.From, "to": rw.To, "id": peerRelID(rw), "at": rw.At, "doc": rw.Doc, "quote": rw.Quote,
		}})
		return t.URL + "/graphql", b, h
	default:
		h.Set("Authorization", "Bearer "+w.key)
		vars := map[string]any{"from": rw.From, "to": rw.To, "at": rw.At, "doc": rw.Doc, "quote": rw.Quote}
		if rw.Key != "" {
			vars["key"] = rw.Key
		}
		b, _ := json.Marshal(map[string]any{"query": vetgraphAddRelation, "variables": vars})
		return t.URL + "/graphql", b, h
	}
}

// writeOK reports whether target's answer says a new statement was made.
func writeOK(target string, code int, body []byte) bool {
	if code != 200 || bytes.Contains(body, []byte(`"errors"`)) {
		return false
	}
	if target == "peer" {
		return bytes.Contains(body, []byte(`"relationshipsCreated":1`))
	}
	return bytes.Contains(body, []byte(`"created":true`))
}

// runWrites runs the write benchmark at one scale.
func runWrites(ctx context.Context, w *writeEnv) (*WriteResult, error) {
	o := w.o
	w.res = &WriteResult{
		Started: time.Now().UTC().Format(time.RFC3339), Concurrency: o.writeConc, Reps: o.reps,
		Duration: o.duration.String(), Warmup: o.writeWarmup.String(), Requests: map[string]string{
			"vetgraph": vetgraphAddRelation + "  (Authorization: Bearer <curator key>; variables from, to, at, doc, quote, key)",
			"peer":     peerAddRelation,
			"floor":    "POST /w/addRelation {type, from, to, at, doc, quote, key}: " + strings.Join(floorWriteOrder, ", ") + " in one write transaction (bench/floor/writes.go)",
		},
	}
	if out, err := execCommand(w.root, "git", "describe", "--always", "--dirty", "--exclude", "*").Output(); err == nil {
		w.res.Commit = strings.TrimSpace(string(out))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		w.res.LoadAvg = strings.TrimSpace(string(b))
	}
	res := w.res
	w.client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 0}}
	defer w.client.CloseIdleConnections()

	if err := w.cleanup(ctx); err != nil {
		return res, fmt.Errorf("remove an earlier run's writes: %w", err)
	}
	before, err := w.counts(ctx)
	if err != nil {
		return res, err
	}
	// Everything below writes; whatever happens, remove it again.
	defer func() {
		if err := w.cleanup(context.Background()); err != nil {
			res.Checks = append(res.Checks, WriteCheck{Name: "graph restored after the write benchmark", Detail: err.Error()})
			return
		}
		after, err := w.counts(context.Background())
		ok := err == nil && fmt.Sprint(after) == fmt.Sprint(before)
		res.Checks = append(res.Checks, WriteCheck{
			Name: "graph restored after the write benchmark", OK: ok,
			Detail: fmt.Sprintf("before %v, after %v %v", before, after, errText(err)),
		})
		res.Finished = time.Now().UTC().Format(time.RFC3339)
	}()

	logf("writes: scale %d: a curator key, the timed targets, the document", w.scale)
	if w.key, err = createKey(ctx, w.driver, o.smoke); err != nil {
		return res, err
	}
	if w.schools, err = entityIDs(ctx, w.driver, "School"); err != nil {
		return res, err
	}
	if w.enterprises, err = entityIDs(ctx, w.driver, "Enterprise"); err != nil {
		return res, err
	}
	if len(w.schools) == 0 || len(w.enterprises) == 0 {
		return res, errors.New("the graph has no schools or no enterprises to relate")
	}

	// The timed instances.
	w.targets = map[string]*target{}
	defer func() {
		for _, t := range w.targets {
			t.stop()
		}
	}()
	for i, tn := range targetNames {
		t, err := startTarget(w.root, tn, o.basePort+i, w.boltURI, o.pool, w.logDir)
		if err != nil {
			return res, err
		}
		w.targets[tn] = t
	}
	if err := w.addDocument(w.targets["vetgraph"]); err != nil {
		return res, err
	}

	// 1. Correctness: the floor's statements, one write of each target.
	logf("writes: capturing each target's statements for one write")
	if err := w.captureWrites(ctx); err != nil {
		return res, err
	}
	w.oneWriteEach(ctx)

	// 2. Identical concurrent writes.
	w.concurrent(ctx)

	// 3. Load; import.
	if !o.smoke {
		w.load(ctx)
		res.Import = w.importRun(ctx)
	} else {
		res.Import.Note = "not measured in the smoke run"
	}

	// 4. Writes across a Neo4j restart (last: it restarts the database).
	switch {
	case o.smoke || !o.restart:
	case !w.owned:
		res.Notes = append(res.Notes, "writes across a restart: not run, NEO4J_URI names a Neo4j the harness does not run")
	default:
		res.Restart = w.restartRun(ctx)
	}

	return res, nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// floorWriteOrder names the floor's statements in the order it sends them.
var floorWriteOrder = []string{"findIdempotent", "endsForWrite", "sameSymmetricStatementTmpl (PARTNERS_WITH is symmetric)", "relationIDTaken", "createRelationTmpl", "mentionsOf", "appendChange"}

// cleanupStatements remove what the write benchmark wrote: its
// relationships (vetgraph's and the floor's carry createdBy, the peer's an
// id prefix), the mentions of its document, its change entries, entities,
// document and API keys. They run as auto-commit statements (IN
// TRANSACTIONS) against the benchmark's own database only.
var cleanupStatements = []string{
	`MATCH ()-[r:PARTNERS_WITH]->() WHERE r.createdBy = 'vetbench' OR r.id STARTS WITH 'vetbench:'
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS`,
	`MATCH (:Document {id: 'vetbench_writes'})<-[m:MENTIONED_IN]-()
CALL (m) { DELETE m } IN TRANSACTIONS OF 10000 ROWS`,
	`MATCH (c:Change) WHERE c.actor = 'vetbench'
CALL (c) { DETACH DELETE c } IN TRANSACTIONS OF 10000 ROWS`,
	`MATCH (n:Entity) WHERE n.id STARTS WITH 'vetbench-'
OPTIONAL MATCH (k:Name)-[:NAME_OF]->(n)
DETACH DELETE k, n`,
	`MATCH (d:Document {id: 'vetbench_writes'}) DETACH DELETE d`,
	`MATCH (k:ApiKey) WHERE k.name STARTS WITH 'vetbench' DELETE k`,
}

func (w *writeEnv) cleanup(ctx context.Context) error {
	var parts []string
	for _, c := range cleanupStatements {
		sum, err := autoCommit(ctx, w.driver, c, nil)
		if err != nil {
			return err
		}
		n := sum.Counters()
		if d := n.NodesDeleted() + n.RelationshipsDeleted(); d > 0 {
			parts = append(parts, fmt.Sprintf("%d nodes and %d relationships", n.NodesDeleted(), n.RelationshipsDeleted()))
		}
	}
	if len(parts) > 0 {
		logf("writes: removed the write benchmark's data: %s", strings.Join(parts, ", "))
	}
	return nil
}

func autoCommit(ctx context.Context, driver neo4j.DriverWithContext, cypher string, params map[string]any) (neo4j.ResultSummary, error) {
	sess := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j", AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ { // the database may have just restarted
		res, err := sess.Run(ctx, cypher, params)
		if err == nil {
			var sum neo4j.ResultSummary
			if sum, err = res.Consume(ctx); err == nil {
				return sum, nil
			}
		}
		lastErr = err
		time.Sleep(time.Second)
	}
	return nil, lastErr
}

// counts are the graph's sizes that the write benchmark must leave as it
// found them.
func (w *writeEnv) counts(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	for name, cypher := range map[string]string{
		"entities":  `MATCH (n:Entity) RETURN count(n)`,
		"relations": `MATCH (:Entity)-[r]->(:Entity) RETURN count(r)`,
		"mentions":  `MATCH (:Entity)-[r:MENTIONED_IN]->(:Document) RETURN count(r)`,
		"documents": `MATCH (d:Document) RETURN count(d)`,
		"names":     `MATCH (k:Name) RETURN count(k)`,
		"changes":   `MATCH (c:Change) RETURN count(c)`,
	} {
		n, err := count(ctx, w.driver, cypher, nil)
		if err != nil {
			return nil, err
		}
		out[name] = n
	}
	return out, nil
}

func count(ctx context.Context, driver neo4j.DriverWithContext, cypher string, params map[string]any) (int64, error) {
	res, err := neo4j.ExecuteQuery(ctx, driver, cypher, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		return 0, err
	}
	if len(res.Records) != 1 {
		return 0, fmt.Errorf("%d rows from %q", len(res.Records), cypher)
	}
	n, _ := res.Records[0].Values[0].(int64)
	return n, nil
}

// entityIDs lists the generated entities of a kind, in id order.
func entityIDs(ctx context.Context, driver neo4j.DriverWithContext, label string) ([]string, error) {
	res, err := neo4j.ExecuteQuery(ctx, driver, fmt.Sprintf(`MATCH (n:%s) WHERE n.origin = 'data' RETURN n.id ORDER BY n.id LIMIT 50000`, label),
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res.Records))
	for i, r := range res.Records {
		out[i], _ = r.Values[0].(string)
	}
	return out, nil
}

// createKey makes a curator key as `vetgraph keys create` does (auth.NewKey,
// store.CreateAPIKey), after making sure the store's constraints and indexes
// exist: all of them in a measured run (a kept database may predate some),
// in the smoke run only when the write path's constraints are missing
// (EnsureSchema takes 15–20 s on a busy machine).
func createKey(ctx context.Context, driver neo4j.DriverWithContext, smoke bool) (string, error) {
	s := store.New(driver, "neo4j")
	n, err := count(ctx, driver, `SHOW CONSTRAINTS YIELD name WHERE name IN ['change_id', 'change_idempotency_key', 'api_key_id'] RETURN count(*)`, nil)
	if err != nil {
		return "", err
	}
	if !smoke || n < 3 {
		if err := s.EnsureSchema(ctx); err != nil {
			return "", fmt.Errorf("schema: %w", err)
		}
	}
	plain, k, err := auth.NewKey(writeActor, kg.RoleCurator)
	if err != nil {
		return "", err
	}
	if _, err := s.CreateAPIKey(ctx, k); err != nil {
		return "", err
	}
	return plain, nil
}

// gqlAnswer is a decoded GraphQL answer.
type gqlAnswer struct {
	Status int
	Data   map[string]any
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
}

func (a gqlAnswer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

func (a gqlAnswer) err() error {
	if a.Status == 200 && len(a.Errors) == 0 {
		return nil
	}
	if len(a.Errors) > 0 {
		return fmt.Errorf("HTTP %d %s: %s", a.Status, a.code(), a.Errors[0].Message)
	}
	return fmt.Errorf("HTTP %d", a.Status)
}

// post sends a GraphQL request (or the floor's JSON) and decodes the answer.
func (w *writeEnv) post(url string, body []byte, h http.Header) (gqlAnswer, []byte, error) {
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		return gqlAnswer{}, nil, err
	}
	req.Header = h
	resp, err := w.client.Do(req)
	if err != nil {
		return gqlAnswer{}, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return gqlAnswer{Status: resp.StatusCode}, nil, err
	}
	a := gqlAnswer{Status: resp.StatusCode}
	_ = json.Unmarshal(b, &a)
	return a, b, nil
}

func (w *writeEnv) vetgraphHeader() http.Header {
	return http.Header{"Content-Type": []string{"application/json"}, "Authorization": []string{"Bearer " + w.key}}
}

func (w *writeEnv) gql(t *target, query string, vars map[string]any) (gqlAnswer, error) {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	a, _, err := w.post(t.URL+"/graphql", b, w.vetgraphHeader())
	if err != nil {
		return a, err
	}
	return a, a.err()
}

func (w *writeEnv) addDocument(t *target) error {
	_, err := w.gql(t, vetgraphAddDocument, map[string]any{"id": writeDocID, "text": writeText})
	if err != nil {
		return fmt.Errorf("addDocument: %w", err)
	}
	return nil
}

// captureWrites starts an instance of each target behind the Bolt proxy,
// sends it two writes and keeps the statements of the second (the first
// warms the key cache and the peer's version check), PROFILEs them in a
// transaction that is rolled back, and checks that the floor sends the
// statements of vetgraph's write transaction in vetgraph's order.
func (w *writeEnv) captureWrites(ctx context.Context) error {
	host := strings.TrimPrefix(strings.TrimPrefix(w.boltURI, "bolt://"), "neo4j://")
	proxy, err := boltcap.Listen(host)
	if err != nil {
		return err
	}
	defer proxy.Close()
	names := targetNames
	if w.o.smoke {
		names = []string{"vetgraph", "floor"}
	}
	captured := map[string][]boltcap.Statement{}
	for i, tn := range names {
		t, err := startTarget(w.root, tn, w.o.basePort+3+i, "bolt://"+proxy.Addr(), w.o.pool, w.logDir)
		if err != nil {
			return fmt.Errorf("capture instance: %w", err)
		}
		var stmts []boltcap.Statement
		for k := 0; k < 2; k++ {
			proxy.Take()
			url, body, h := w.request(t, w.write(blockOther, int(w.next[blockOther].Add(1))))
			_, b, err := w.post(url, body, h)
			if err == nil && !writeOK(tn, 200, b) {
				err = fmt.Errorf("answer %s", tail(string(b), 300))
			}
			if err != nil {
				logf("capture write %s: %v", tn, err)
			}
			time.Sleep(50 * time.Millisecond)
			stmts, _ = proxy.Take()
		}
		t.stop()
		kept := stmts[:0]
		for _, st := range stmts {
			if !strings.Contains(st.Query, "dbms.components()") {
				kept = append(kept, st)
			}
		}
		captured[tn] = kept
	}
	for _, tn := range names {
		c := Cell{Query: "addRelation", Target: tn, Statements: len(captured[tn]), DBHits: -1}
		for _, st := range captured[tn] {
			c.Cypher = append(c.Cypher, strings.TrimSpace(st.Query))
		}
		if hits, per, err := profileWrite(ctx, w.driver, captured[tn]); err != nil {
			logf("profile write %s: %v", tn, err)
		} else {
			c.DBHits, c.StmtHits = hits, per
		}
		w.res.Cells = append(w.res.Cells, c)
	}
	v, f := w.res.cell("vetgraph"), w.res.cell("floor")
	at := indexOf(v.Cypher, f.Cypher)
	ck := WriteCheck{Name: "the floor sends the statements of vetgraph's addRelation transaction, in order (Bolt proxy)", OK: at >= 0 && len(f.Cypher) > 0}
	if ck.OK {
		var extra []string
		for i, q := range v.Cypher {
			if i < at || i >= at+len(f.Cypher) {
				extra = append(extra, firstLine(q))
			}
		}
		ck.Detail = fmt.Sprintf("vetgraph %d statements, floor %d; vetgraph's others, outside the write transaction: %s",
			len(v.Cypher), len(f.Cypher), strings.Join(extra, " | "))
	} else {
		ck.Detail = fmt.Sprintf("vetgraph sent %d statements (%s), the floor %d (%s): update bench/floor/writes.go",
			len(v.Cypher), firstLines(v.Cypher), len(f.Cypher), firstLines(f.Cypher))
	}
	w.res.Checks = append(w.res.Checks, ck)
	if ck.OK {
		w.res.Checks = append(w.res.Checks, sameParams(captured["vetgraph"][at:at+len(f.Cypher)], captured["floor"]))
	}
	return nil
}

// sameParams checks that the floor sends each statement the parameters
// vetgraph sends it, by name, and for a map parameter (the new relation's
// $props) the same keys: a property vetgraph writes and the floor does not
// (the quote's search words, which the full-text index must take) would
// make the floor do less work than vetgraph.
func sameParams(v, f []boltcap.Statement) WriteCheck {
	ck := WriteCheck{Name: "the floor sends each statement vetgraph's parameters and the same properties (Bolt proxy)", OK: true}
	var diffs []string
	for i := range f {
		if i >= len(v) {
			break
		}
		if a, b := paramShape(v[i].Params), paramShape(f[i].Params); a != b {
			ck.OK = false
			diffs = append(diffs, fmt.Sprintf("%s: vetgraph %s, floor %s", firstLine(f[i].Query), a, b))
		}
	}
	if ck.OK {
		ck.Detail = fmt.Sprintf("%d statements compared", len(f))
	} else {
		ck.Detail = strings.Join(diffs, "; ") + ": update bench/floor/writes.go"
	}
	return ck
}

// paramShape lists a statement's parameter names, sorted, with a map's keys
// in braces: "at actor from props{at fromDate id} to".
func paramShape(params map[string]any) string {
	names := make([]string, 0, len(params))
	for k, v := range params {
		if m, ok := v.(map[string]any); ok {
			k += "{" + paramShape(m) + "}"
		}
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

func (r *WriteResult) cell(tn string) *Cell {
	for i := range r.Cells {
		if r.Cells[i].Target == tn {
			return &r.Cells[i]
		}
	}
	r.Cells = append(r.Cells, Cell{Query: "addRelation", Target: tn, DBHits: -1})
	return &r.Cells[len(r.Cells)-1]
}

// indexOf returns where needle occurs in hay as a contiguous run, or -1.
func indexOf(hay, needle []string) int {
	for i := 0; i+len(needle) <= len(hay); i++ {
		match := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// firstLine is the start of a statement on one line (comments dropped).
func firstLine(q string) string {
	var words []string
	for _, l := range strings.Split(q, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "//") {
			words = append(words, strings.Fields(t)...)
		}
	}
	q = strings.Join(words, " ")
	if r := []rune(q); len(r) > 110 {
		q = string(r[:110]) + "…"
	}
	return q
}

func firstLines(qs []string) string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = firstLine(q)
	}
	return strings.Join(out, " | ")
}

// profileWrite PROFILEs a write's statements in one transaction that is
// rolled back, and returns their db hits. The change entry's unique id and
// idempotency key are replaced (the captured write holds them already).
func profileWrite(ctx context.Context, driver neo4j.DriverWithContext, stmts []boltcap.Statement) (int64, []int64, error) {
	sess := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j", AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	tx, err := sess.BeginTransaction(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = tx.Rollback(ctx) }() // read only: nothing to keep
	var total int64
	var per []int64
	for _, s := range stmts {
		if s.Unsupported {
			return 0, nil, errors.New("a parameter could not be decoded")
		}
		params := map[string]any{}
		for k, v := range s.Params {
			params[k] = v
		}
		if strings.Contains(s.Query, "CREATE (c:Change") {
			params["id"] = "profile-" + randHex()
			if params["key"] != nil {
				params["key"] = "profile-" + randHex()
			}
		}
		res, err := tx.Run(ctx, "PROFILE "+strings.TrimSpace(s.Query), params)
		if err != nil {
			return 0, nil, err
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return 0, nil, err
		}
		p := sum.Profile()
		if p == nil {
			return 0, nil, errors.New("no profile")
		}
		h := sumHits(p)
		total += h
		per = append(per, h)
	}
	return total, per, nil
}

func randHex() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// oneWriteEach sends one write to each timed target and counts it in Neo4j:
// exactly one relationship, and for vetgraph and the floor one change entry.
func (w *writeEnv) oneWriteEach(ctx context.Context) {
	for _, tn := range targetNames {
		t := w.targets[tn]
		rw := w.write(blockOther, int(w.next[blockOther].Add(1)))
		url, body, h := w.request(t, rw)
		_, b, err := w.post(url, body, h)
		ck := WriteCheck{Name: "one addRelation of " + tn + ": one relationship" + map[bool]string{true: "", false: ", one change entry"}[tn == "peer"]}
		if err != nil || !writeOK(tn, 200, b) {
			ck.Detail = fmt.Sprintf("answer: %v %s", err, tail(string(b), 300))
			w.res.Checks = append(w.res.Checks, ck)
			continue
		}
		rels, err1 := count(ctx, w.driver, `MATCH (:Entity {id: $from})-[r:PARTNERS_WITH]->(:Entity {id: $to}) WHERE r.at = $at RETURN count(r)`,
			map[string]any{"from": rw.From, "to": rw.To, "at": rw.At})
		changes, err2 := count(ctx, w.driver, `MATCH (c:Change) WHERE c.idempotencyKey ENDS WITH $key RETURN count(c)`, map[string]any{"key": " " + rw.Key})
		want := int64(1)
		if tn == "peer" {
			want = 0
		}
		ck.OK = err1 == nil && err2 == nil && rels == 1 && changes == want
		ck.Detail = fmt.Sprintf("relationships %d, change entries %d %s%s", rels, changes, errText(err1), errText(err2))
		w.res.Checks = append(w.res.Checks, ck)
	}
}

// concurrent sends concurrentN identical mutations at once, without an
// idempotency key and with one shared key, and counts the result.
func (w *writeEnv) concurrent(ctx context.Context) {
	t := w.targets["vetgraph"]
	school := w.schools[0]
	for _, variant := range []struct{ id, zh, en, key string }{
		{"vetbench-concurrency-a", "基准并发测试甲", "Vetbench Concurrency Test A", ""},
		{"vetbench-concurrency-b", "基准并发测试乙", "Vetbench Concurrency Test B", "vetbench-c-b"},
	} {
		keyDesc := "none"
		if variant.key != "" {
			keyDesc = "one shared"
		}
		// upsertEntity
		vars := map[string]any{"id": variant.id, "zh": variant.zh, "en": variant.en}
		if variant.key != "" {
			vars["key"] = variant.key + "-upsert"
		}
		row := w.fire(t, "upsertEntity", vetgraphUpsert, vars)
		row.Key, row.What = keyDesc, "entity nodes"
		row.Count, _ = count(ctx, w.driver, `MATCH (n:Entity {id: $id}) RETURN count(n)`, map[string]any{"id": variant.id})
		row.Changes, _ = count(ctx, w.driver, `MATCH (c:Change) WHERE c.op = 'upsertEntity' AND $id IN c.subjects RETURN count(c)`, map[string]any{"id": variant.id})
		row.Met = row.OK == row.Requests && row.Count == 1 && row.Changes == 1
		w.res.Concurrent = append(w.res.Concurrent, row)

		// addRelation from it to a school
		vars = map[string]any{"from": variant.id, "to": school, "at": dayOf(4*writeBlock - 1), "doc": writeDocID, "quote": writeQuote}
		if variant.key != "" {
			vars["key"] = variant.key + "-relation"
		}
		row = w.fire(t, "addRelation", vetgraphAddRelation, vars)
		row.Key, row.What = keyDesc, "relationships"
		row.Count, _ = count(ctx, w.driver, `MATCH (:Entity {id: $from})-[r:PARTNERS_WITH]->(:Entity {id: $to}) RETURN count(r)`,
			map[string]any{"from": variant.id, "to": school})
		row.Changes, _ = count(ctx, w.driver, `MATCH (c:Change) WHERE c.op = 'addRelation' AND $from IN c.subjects AND $to IN c.subjects RETURN count(c)`,
			map[string]any{"from": variant.id, "to": school})
		row.Met = row.OK == row.Requests && row.Count == 1 && row.Changes == 1
		w.res.Concurrent = append(w.res.Concurrent, row)
		logf("writes: concurrent %s/%s: %+v", variant.id, keyDesc, w.res.Concurrent[len(w.res.Concurrent)-2:])
	}
}

// fire sends concurrentN copies of one mutation at the same moment.
func (w *writeEnv) fire(t *target, field, query string, vars map[string]any) ConcurrencyRow {
	row := ConcurrencyRow{Mutation: field, Requests: concurrentN}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	var mu sync.Mutex
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := 0; i < concurrentN; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			a, _, err := w.post(t.URL+"/graphql", body, w.vetgraphHeader())
			if err == nil {
				err = a.err()
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if len(row.Errors) < 3 {
					row.Errors = append(row.Errors, err.Error())
				}
				return
			}
			row.OK++
			p, _ := a.Data[field].(map[string]any)
			if c, _ := p["created"].(bool); c {
				row.Created++
			}
			if r, _ := p["replayed"].(bool); r {
				row.Replayed++
			}
		}()
	}
	close(gate)
	wg.Wait()
	return row
}

// load runs the addRelation load: a warm-up (-write-warmup, the targets
// taking turns in slices of -warmup, so that Neo4j's write path is warm for
// all of them: on a freshly started Neo4j every target's write rate rose
// 3-4× over the first three minutes), then per repetition every target in
// shuffled order; afterwards each target's acknowledged writes are counted
// in Neo4j.
func (w *writeEnv) load(ctx context.Context) {
	o := w.o
	rng := mrand.New(mrand.NewSource(o.seed + int64(w.scale) + 1))
	blocks := map[string]int{"vetgraph": blockVetgraph, "floor": blockFloor, "peer": blockPeer}
	acked := map[string]int64{}
	if slice := max(o.warmup, time.Second); o.writeWarmup > 0 {
		began := time.Now()
		for time.Since(began) < o.writeWarmup {
			for _, tn := range targetNames {
				r := w.attack(w.targets[tn], blocks[tn], o.writeConc, slice)
				acked[tn] += int64(r.Requests - r.Errors)
				logf("scale %d writes warm-up %-8s %7.1f req/s p50 %7.2f ms errors %d", w.scale, tn, r.RPS, r.P50ms, r.Errors)
			}
		}
	}
	for rep := 0; rep < o.reps; rep++ {
		order := append([]string(nil), targetNames...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, tn := range order {
			t := w.targets[tn]
			r := w.attack(t, blocks[tn], o.writeConc, o.duration)
			r.Rep = rep
			acked[tn] += int64(r.Requests - r.Errors)
			c := w.res.cell(tn)
			c.Runs = append(c.Runs, r)
			logf("scale %d writes rep %d addRelation %-8s %7.1f req/s p50 %7.2f ms p95 %7.2f ms p99 %7.2f ms cpu %.2f ms/req rss %.0f MiB errors %d %s",
				w.scale, rep, tn, r.RPS, r.P50ms, r.P95ms, r.P99ms, r.CPUmsPerReq, r.PeakRSSMiB, r.Errors, tail(r.FirstError, 200))
		}
	}
	for _, tn := range targetNames {
		c := w.res.cell(tn)
		c.summarise()
		b := blocks[tn]
		wc := WriteCount{Target: tn, Sent: w.next[b].Load(), Acked: acked[tn], Changes: -1}
		lo, hi := dayOf(b*writeBlock), dayOf((b+1)*writeBlock)
		var err error
		mine := "r.createdBy = 'vetbench'"
		if tn == "peer" {
			mine = "r.id STARTS WITH 'vetbench:peer:'"
		}
		wc.Found, err = count(ctx, w.driver, `MATCH ()-[r:PARTNERS_WITH]->() WHERE r.at >= $lo AND r.at < $hi AND `+mine+` RETURN count(r)`,
			map[string]any{"lo": lo, "hi": hi})
		if err != nil {
			w.res.Notes = append(w.res.Notes, "count "+tn+": "+err.Error())
		}
		wc.OK = err == nil && wc.Found == wc.Acked
		if tn != "peer" {
			wc.Changes, err = count(ctx, w.driver, `MATCH (c:Change) WHERE c.actor = 'vetbench' AND c.idempotencyKey CONTAINS $marker RETURN count(c)`,
				map[string]any{"marker": fmt.Sprintf(" vetbench-w%d-", b)})
			wc.OK = wc.OK && err == nil && wc.Changes == wc.Acked
		}
		w.res.Counts = append(w.res.Counts, wc)
		logf("writes: %s sent %d, acknowledged %d, relationships %d, change entries %d", tn, wc.Sent, wc.Acked, wc.Found, wc.Changes)
	}
}

// attack loads t with new addRelation statements of block b.
func (w *writeEnv) attack(t *target, b, conc int, d time.Duration) Run {
	tr := func(tg *vegeta.Target) error {
		n := int(w.next[b].Add(1)) - 1
		if n >= writeBlock {
			return vegeta.ErrNoTargets
		}
		url, body, h := w.request(t, w.write(b, n))
		tg.Method, tg.URL, tg.Body, tg.Header = "POST", url, body, h
		return nil
	}
	return load(t, tr, conc, d, func(code int, body []byte) bool { return writeOK(t.Name, code, body) })
}

// restartWrite is one client write across the restart.
type restartWrite struct {
	acked, replayed bool
	attempts        int
	latency         time.Duration
	reasons         []string
	failure         string
}

// restartRun writes at a steady rate through vetgraph, each write retried
// with its idempotency key on connection errors, 5xx and UNAVAILABLE (or an
// internal error), while the harness stops and starts its Neo4j; then it
// counts every write's relationship and change entry.
func (w *writeEnv) restartRun(ctx context.Context) *RestartResult {
	o := w.o
	t := w.targets["vetgraph"]
	n := int(o.restartRate * o.restartFor.Seconds())
	rr := &RestartResult{Rate: o.restartRate, Seconds: o.restartFor.Seconds(), Writes: n, RetryReasons: map[string]int{}}
	first := int(w.next[blockOther].Add(int64(n))) - n + 1
	writes := make([]floor.RelationWrite, n)
	for i := range writes {
		writes[i] = w.write(blockOther, first+i)
	}
	results := make([]restartWrite, n)
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	logf("writes: restart run: %d writes at %.0f/s through vetgraph; Neo4j stopped after %.0f s and started again", n, o.restartRate, o.restartFor.Seconds()/3)

	began := time.Now()
	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		time.Sleep(o.restartFor / 3)
		rr.StopAtS = time.Since(began).Seconds()
		t0 := time.Now()
		err := neo4jScript(context.Background(), w.root, "stop", w.neo4jDir, o.neo4jPort, o.javaOpts(w.scale))
		rr.StopS = time.Since(t0).Seconds()
		if err != nil {
			rr.RestartError = fmt.Sprintf("stop: %v", err)
		}
		// A start can fail on a busy machine (the launcher's readiness
		// statement runs out of its transaction time while the clients'
		// reconnections arrive): try again, and say so.
		t1 := time.Now()
		for rr.StartAttempts < 3 {
			rr.StartAttempts++
			err := neo4jScript(context.Background(), w.root, "start", w.neo4jDir, o.neo4jPort, o.javaOpts(w.scale))
			if err == nil {
				break
			}
			rr.RestartError = strings.TrimPrefix(rr.RestartError+fmt.Sprintf("; start %d: %v", rr.StartAttempts, err), "; ")
			waitPortFree(o.neo4jPort, time.Minute) // the killed server's port
		}
		rr.StartS = time.Since(t1).Seconds()
	}()
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Duration(float64(time.Second) / o.restartRate))
	for i := 0; i < n; i++ {
		<-tick.C
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = w.retryingWrite(client, t, writes[i])
		}(i)
	}
	tick.Stop()
	wg.Wait()
	<-restarted

	var lats []time.Duration
	for _, r := range results {
		rr.Attempts += r.attempts
		if r.attempts > 1 {
			rr.Retried++
		}
		for _, why := range r.reasons {
			rr.RetryReasons[why]++
		}
		if r.acked {
			rr.Acked++
			lats = append(lats, r.latency)
		} else {
			rr.GaveUp++
			if rr.FirstFailure == "" {
				rr.FirstFailure = r.failure
			}
		}
		if r.replayed {
			rr.Replayed++
		}
	}
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	if len(lats) > 0 {
		rr.MaxLatencyMs = float64(lats[len(lats)-1]) / float64(time.Millisecond)
		rr.P50LatencyMs = quantile(lats, 0.5)
	}

	// Count: every write's relationship (by its date) and change entry (by
	// its key). Neo4j must be up (a start that failed three times).
	if err := neo4jScript(ctx, w.root, "start", w.neo4jDir, o.neo4jPort, o.javaOpts(w.scale)); err != nil {
		rr.CountError = "Neo4j did not start again: " + err.Error()
		return rr
	}
	lo, hi := dayOf(blockOther*writeBlock), dayOf((blockOther+1)*writeBlock)
	rels := map[string]int{}
	res, err := neo4j.ExecuteQuery(ctx, w.driver, `MATCH ()-[r:PARTNERS_WITH]->() WHERE r.createdBy = 'vetbench' AND r.at >= $lo AND r.at < $hi
RETURN r.at AS at, count(*) AS n`, map[string]any{"lo": lo, "hi": hi}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		rr.CountError = err.Error()
		return rr
	}
	for _, r := range res.Records {
		at, _ := r.Values[0].(string)
		c, _ := r.Values[1].(int64)
		rels[at] = int(c)
	}
	changes := map[string]int{}
	res, err = neo4j.ExecuteQuery(ctx, w.driver, `MATCH (c:Change) WHERE c.actor = 'vetbench' AND c.idempotencyKey CONTAINS ' vetbench-w3-'
RETURN c.idempotencyKey AS key`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		rr.CountError = err.Error()
		return rr
	}
	for _, r := range res.Records {
		k, _ := r.Values[0].(string)
		changes[k[strings.LastIndexByte(k, ' ')+1:]]++
	}
	for i, rw := range writes {
		nr, nc := rels[rw.At], changes[rw.Key]
		rr.Changes += nc
		switch {
		case nr == 1 && nc == 1:
			rr.Present++
			if !results[i].acked {
				rr.NotAckedFound++
			}
		case nr == 0:
			rr.Lost++
		default:
			rr.Duplicated++
		}
	}
	rr.Met = rr.Present == n && rr.Lost == 0 && rr.Duplicated == 0 && rr.Changes == n
	logf("writes: restart run: %+v", *rr)
	return rr
}

// waitPortFree waits until nothing listens on the loopback port, at most d.
func waitPortFree(port int, d time.Duration) {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err != nil {
			return
		}
		c.Close()
	}
}

// retryingWrite sends rw until vetgraph answers it, retrying with the same
// idempotency key on what a client should retry: a connection error, HTTP
// 5xx, UNAVAILABLE or INTERNAL_SERVER_ERROR; up to 10 minutes.
func (w *writeEnv) retryingWrite(client *http.Client, t *target, rw floor.RelationWrite) restartWrite {
	var r restartWrite
	url, body, h := w.request(t, rw)
	start := time.Now()
	backoff := 100 * time.Millisecond
	for {
		r.attempts++
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header = h
		resp, err := client.Do(req)
		why := ""
		if err != nil {
			why = "connection error"
		} else {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			var a gqlAnswer
			a.Status = resp.StatusCode
			_ = json.Unmarshal(b, &a)
			p, _ := a.Data["addRelation"].(map[string]any)
			switch {
			case rerr != nil:
				why = "connection error"
			case resp.StatusCode >= 500:
				why = fmt.Sprintf("HTTP %d %s", resp.StatusCode, a.code())
			case a.code() == "UNAVAILABLE" || a.code() == "INTERNAL_SERVER_ERROR":
				why = a.code()
			case resp.StatusCode == 200 && len(a.Errors) == 0 && p != nil:
				r.acked = true
				r.replayed, _ = p["replayed"].(bool)
				r.latency = time.Since(start)
				return r
			default:
				r.failure = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, tail(string(b), 300))
				return r
			}
		}
		r.reasons = append(r.reasons, why)
		if time.Since(start) > 10*time.Minute {
			r.failure = "gave up after 10 minutes: " + why
			return r
		}
		time.Sleep(backoff + time.Duration(mrand.Int63n(int64(backoff/2))))
		backoff = min(2*backoff, 2*time.Second)
	}
}
