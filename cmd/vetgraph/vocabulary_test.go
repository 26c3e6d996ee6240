package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
)

// A server knows the relationship types stored before it started, and
// learns one stored by another replica within VETGRAPH_VOCABULARY_REFRESH.
func TestServeReadsAddedRelationTypes(t *testing.T) {
	neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	// This process has not seen them: as another replica stored them.
	if _, err := kg.SetAddedTypes(nil); err != nil {
		t.Fatal(err)
	}
	store := func(typ string) {
		t.Helper()
		_, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), `CREATE (:RelationType {type: $type, zh: '测试', en: 'tests',
		  inverseZh: '被测试', inverseEn: 'is tested by', fromKinds: ['School'], toKinds: ['Program'], example: '', addedAt: datetime()})`,
			map[string]any{"type": typ}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		if err != nil {
			t.Fatal(err)
		}
	}
	store("TESTS_BEFORE")

	cfg := testConfig(t)
	cfg.Addr = "127.0.0.1:0"
	cfg.VocabularyRefresh = time.Second
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() {
		served <- serve(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), serveOptions{listening: func(a net.Addr) { addrs <- a }})
	}()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var base string
	select {
	case a := <-addrs:
		base = "http://" + a.String()
	case err := <-served:
		t.Fatalf("serve: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("serve did not listen within 2 minutes")
	}
	query := func(typ string) string {
		body := `{"query":"{ entity(id: \"cqvie\") { relations(types: [` + typ + `]) { totalCount } } }"}`
		res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if got := query("TESTS_BEFORE"); !strings.Contains(got, `"totalCount":0`) {
		t.Errorf("a type stored before the server started: %s", got)
	}
	store("TESTS_LATER")
	deadline := time.Now().Add(time.Minute)
	for {
		got := query("TESTS_LATER")
		if strings.Contains(got, `"totalCount":0`) {
			break
		}
		if !bytes.Contains([]byte(got), []byte("GRAPHQL_VALIDATION_FAILED")) || time.Now().After(deadline) {
			t.Fatalf("a type stored by another replica, after the refresh period: %s", got)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
