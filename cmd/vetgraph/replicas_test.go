package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/graph"
	"github.com/vetgraph/vetgraph/internal/auth"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// replicaEnv, set in a child process of this test binary, makes it run
// `vetgraph serve` instead of the tests (see TestMain).
const replicaEnv = "VETGRAPH_TEST_REPLICA"

func TestMain(m *testing.M) {
	if os.Getenv(replicaEnv) != "" {
		os.Exit(runReplica())
	}
	os.Exit(m.Run())
}

// runReplica runs the serve command as `vetgraph serve` does, configured by
// the environment, until its standard input closes (the test closes it, or
// ended), then shuts down gracefully.
func runReplica() int {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	if err := newApp().Run(ctx, []string{"vetgraph", "serve"}); err != nil {
		fmt.Fprintln(os.Stderr, "vetgraph:", err)
		return 1
	}
	return 0
}

// Two replicas behind a round-robin reverse proxy against one Neo4j, as a
// load balancer would run them. Each replica is a process of its own (this
// test binary running `vetgraph serve`), so that each has its own
// relationship vocabulary, statement cache and key cache, as on two
// machines; two servers in one process would share them.
//
// Read-your-writes across replicas: a write through one replica answers
// with X-Neo4j-Bookmarks, and a read through the other replica that sends
// the header back sees the write. Against one Neo4j server any read sees a
// committed write, so what this shows is the path: the header crosses the
// proxy and the other replica hands the bookmark to Neo4j (a bookmark Neo4j
// never gave is refused there); in a cluster that is what makes a follower
// wait until it has the write. Run through neo4j:// (scripts/test.sh's
// second pass), the replicas route their reads and writes as in a cluster.
//
// A relationship type an admin adds through one replica is usable through
// the other within VETGRAPH_VOCABULARY_REFRESH (1 s here).
func TestReplicasBehindProxy(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	keys := map[kg.Role]string{}
	for _, role := range []kg.Role{kg.RoleCurator, kg.RoleAdmin} {
		plain, k, err := auth.NewKey("replica test "+string(role), role)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateAPIKey(context.Background(), k); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { deleteAPIKey(t, k.ID) })
		keys[role] = plain
	}

	const refresh = time.Second
	// Both start at once (each takes a few seconds to open Neo4j and plan
	// its first statements).
	replicas := make([]*url.URL, 2)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() {
			replicas[i] = startReplica(t, strconv.Itoa(i), "VETGRAPH_VOCABULARY_REFRESH="+refresh.String())
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	lb := newRoundRobin(replicas)
	front := httptest.NewServer(lb)
	defer front.Close()
	c := &replicaClient{t: t, url: front.URL, lb: lb}

	// Write through replica 0, read through replica 1 with the bookmark.
	const w, r = 0, 1
	upsert := `mutation { upsertEntity(input: {id: "replica-test-school", kind: SCHOOL, nameZh: "副本测试学院"}, reason: "replica test") { created version } }`
	res := c.do(w, keys[kg.RoleCurator], "", upsert, nil)
	bookmarks := res.header.Get(graph.BookmarksHeader)
	if res.errorCode() != "" || bookmarks == "" {
		t.Fatalf("write through replica %d: %s (bookmarks %q)", w, res.body, bookmarks)
	}
	read := `{ entity(id: "replica-test-school") { nameZh version } }`
	if res := c.do(r, "", bookmarks, read, nil); res.errorCode() != "" || !strings.Contains(res.body, `"nameZh":"副本测试学院"`) {
		t.Errorf("read through replica %d with the write's bookmarks: %s", r, res.body)
	}
	if res := c.do(r, "", "FB:notabookmark", read, nil); res.errorCode() != "BAD_USER_INPUT" {
		t.Errorf("replica %d with a bookmark Neo4j never gave: %s; want BAD_USER_INPUT from Neo4j", r, res.body)
	}

	// A type added through replica 0 reaches replica 1 by its refresh.
	addType := `mutation($in: RelationTypeInput!) { addRelationType(input: $in, reason: "replica test") { created } }`
	typeIn := map[string]any{
		"type": "REPLICA_TEST_TEACHES_AT", "zh": "派教师到…授课（副本测试）", "en": "teaches at (replica test)",
		"inverseZh": "的授课教师来自（副本测试）", "inverseEn": "is taught by (replica test)", "fromKinds": []any{"SCHOOL"}, "toKinds": []any{"PROGRAM", "SCHOOL"},
	}
	if res := c.do(w, keys[kg.RoleAdmin], "", addType, map[string]any{"in": typeIn}); res.errorCode() != "" || !strings.Contains(res.body, `"created":true`) {
		t.Fatalf("addRelationType through replica %d: %s", w, res.body)
	}
	added := time.Now()
	useType := `{ entity(id: "cqvie") { relations(types: [REPLICA_TEST_TEACHES_AT]) { totalCount } } }`
	if res := c.do(w, "", "", useType, nil); res.errorCode() != "" {
		t.Errorf("the added type through the replica that added it: %s", res.body)
	}
	// The machine running the tests may be busy: the bound is generous,
	// and the time it took is logged.
	deadline := added.Add(20 * refresh)
	for {
		res := c.do(r, "", "", useType, nil)
		if res.errorCode() == "" {
			t.Logf("replica %d accepted the type %v after it was added through replica %d (refresh %v)",
				r, time.Since(added).Round(10*time.Millisecond), w, refresh)
			break
		}
		if res.errorCode() != "GRAPHQL_VALIDATION_FAILED" || time.Now().After(deadline) {
			t.Fatalf("replica %d, %v after the type was added through replica %d: %s", r, time.Since(added), w, res.body)
		}
		time.Sleep(refresh / 10)
	}

	// Usable for writes there too; and the write read back through
	// replica 0 with its bookmarks.
	const text = "副本测试快讯：重庆工程职业技术学院每年派出教师到坦桑尼亚鲁班工坊授课。"
	addDoc := `mutation($text: String!) { addDocument(input: {id: "replica_test_doc", title: "副本测试", language: "zh", text: $text}, reason: "replica test") { created } }`
	if res := c.do(r, keys[kg.RoleCurator], "", addDoc, map[string]any{"text": text}); res.errorCode() != "" {
		t.Fatalf("addDocument through replica %d: %s", r, res.body)
	}
	addRel := `mutation { addRelation(input: {type: REPLICA_TEST_TEACHES_AT, from: "cqvie", to: "tanzania-luban-workshop",
	  evidence: {document: "replica_test_doc", quote: "重庆工程职业技术学院每年派出教师到坦桑尼亚鲁班工坊授课"}}, reason: "replica test") { created } }`
	res = c.do(r, keys[kg.RoleCurator], "", addRel, nil)
	if res.errorCode() != "" || !strings.Contains(res.body, `"created":true`) || res.header.Get(graph.BookmarksHeader) == "" {
		t.Fatalf("addRelation of the added type through replica %d: %s", r, res.body)
	}
	if back := c.do(w, "", res.header.Get(graph.BookmarksHeader), useType, nil); !strings.Contains(back.body, `"totalCount":1`) {
		t.Errorf("the relation read back through replica %d with the bookmarks: %s", w, back.body)
	}
}

// deleteAPIKey removes a test's key (the store never deletes keys).
func deleteAPIKey(t *testing.T, id string) {
	t.Helper()
	if _, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), `MATCH (k:ApiKey {id: $id}) DELETE k`,
		map[string]any{"id": id}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database())); err != nil {
		t.Errorf("cleanup of key %s: %v", id, err)
	}
}

// upLine is what serve prints once it listens.
var upLine = regexp.MustCompile(`^vetgraph is up: playground (http://[^ ]+)/ `)

// startReplica starts a replica (this test binary in replica mode, on a free
// port, against NEO4J_URI, with env added) and returns its URL once it
// listens (nil after it failed t: it may run in a goroutine of the test,
// so it never stops the test itself). It stops when the test ends: its standard input closes, it shuts
// down gracefully and must exit 0.
func startReplica(t *testing.T, name string, env ...string) *url.URL {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), replicaEnv+"=1", "VETGRAPH_ADDR=127.0.0.1:0", "VETGRAPH_LOG_LEVEL=warn",
		"VETGRAPH_SHUTDOWN_DELAY=0s"), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Error(err)
		return nil
	}
	up := make(chan string, 1)
	cmd.Stdout = &lineWriter{line: func(l string) {
		if m := upLine.FindStringSubmatch(l); m != nil {
			select {
			case up <- m[1]:
			default:
			}
		}
	}}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Error(err)
		return nil
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = stdin.Close()
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("replica %s: %v\n%s", name, err, stderr.String())
			}
		case <-time.After(time.Minute):
			_ = cmd.Process.Kill()
			err := <-exited // killed
			t.Errorf("replica %s did not stop within a minute of its input closing (%v)\n%s", name, err, stderr.String())
		}
	})
	select {
	case u := <-up:
		parsed, err := url.Parse(u)
		if err != nil {
			t.Errorf("replica %s: %v", name, err)
		}
		return parsed
	case err := <-exited:
		exited <- err // for the cleanup
		t.Errorf("replica %s exited before it listened: %v\n%s", name, err, stderr.String())
	case <-time.After(2 * time.Minute):
		t.Errorf("replica %s did not listen within 2 minutes\n%s", name, stderr.String())
	}
	return nil
}

// roundRobin is a reverse proxy that sends each request to the next
// replica in turn, and names the replica that answered in replicaHeader
// (for the test to check).
type roundRobin struct {
	proxy *httputil.ReverseProxy
	next  atomic.Uint64
	n     int
}

const replicaHeader = "X-Test-Replica"

func newRoundRobin(replicas []*url.URL) *roundRobin {
	lb := &roundRobin{n: len(replicas)}
	lb.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			i := int((lb.next.Add(1) - 1) % uint64(lb.n))
			r.SetURL(replicas[i])
			r.SetXForwarded()
			r.Out.Header.Set(replicaHeader, strconv.Itoa(i))
		},
		ModifyResponse: func(res *http.Response) error {
			res.Header.Set(replicaHeader, res.Request.Header.Get(replicaHeader))
			return nil
		},
	}
	return lb
}

func (lb *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) { lb.proxy.ServeHTTP(w, r) }

// upcoming is the replica the next request goes to.
func (lb *roundRobin) upcoming() int { return int(lb.next.Load() % uint64(lb.n)) }

// replicaClient posts GraphQL to the proxy.
type replicaClient struct {
	t   *testing.T
	url string
	lb  *roundRobin
}

type gqlResult struct {
	header http.Header
	body   string
}

// errorCode is the first error's extensions.code ("" for no errors).
func (r gqlResult) errorCode() string {
	var out struct {
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		return "not JSON"
	}
	if len(out.Errors) == 0 {
		return ""
	}
	code, _ := out.Errors[0].Extensions["code"].(string)
	return code
}

// do posts query through the proxy so that replica answers it: the proxy
// decides, so health checks through it first move its turn to replica.
// key ("" for none) is sent as a bearer token, bookmarks ("" for none) in
// X-Neo4j-Bookmarks.
func (c *replicaClient) do(replica int, key, bookmarks, query string, vars map[string]any) gqlResult {
	c.t.Helper()
	for c.lb.upcoming() != replica {
		res, err := http.Get(c.url + "/healthz")
		if err != nil {
			c.t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if bookmarks != "" {
		req.Header.Set(graph.BookmarksHeader, bookmarks)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if got := res.Header.Get(replicaHeader); got != strconv.Itoa(replica) {
		c.t.Fatalf("answered by replica %q, want %d", got, replica)
	}
	return gqlResult{header: res.Header, body: string(b)}
}

// lineWriter calls line with each complete line written to it.
type lineWriter struct {
	line func(string)
	buf  []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.line(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
	}
}

// lockedBuffer is a bytes.Buffer safe for a process writing while a test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
