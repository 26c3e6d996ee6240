package store_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/auth"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// newTestKey makes a key with auth.NewKey, stores it, and deletes it when
// the test ends.
func newTestKey(t *testing.T, s *store.Store, name string, role kg.Role) (string, kg.APIKey) {
	t.Helper()
	plain, k, err := auth.NewKey(name, role)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteKey(t, k.ID) })
	got, err := s.CreateAPIKey(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	return plain, got
}

// deleteKey removes the test's key (the store never deletes keys).
func deleteKey(t *testing.T, id string) {
	t.Helper()
	if _, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), `MATCH (k:ApiKey {id: $id}) DELETE k`,
		map[string]any{"id": id}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database())); err != nil {
		t.Errorf("cleanup of key %s: %v", id, err)
	}
}

func TestAPIKeyLifecycle(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	before := neo4jtest.TakeSnapshot(t)

	_, k := newTestKey(t, s, "store test 李伟", kg.RoleCurator)
	got, err := s.APIKeyByID(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != k.ID || got.Name != "store test 李伟" || got.Role != kg.RoleCurator || got.Hash != k.Hash || got.Revoked() {
		t.Errorf("APIKeyByID = %+v, want %+v", got, k)
	}
	if !got.CreatedAt.Equal(k.CreatedAt) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v in UTC", got.CreatedAt, k.CreatedAt)
	}

	// A second key with the same id is a conflict and changes nothing.
	dup := k
	dup.Name = "impostor"
	if _, err := s.CreateAPIKey(ctx, dup); !errors.Is(err, kg.ErrConflict) {
		t.Errorf("CreateAPIKey(same id) = %v, want ErrConflict", err)
	}
	if again, _ := s.APIKeyByID(ctx, k.ID); again.Name != k.Name {
		t.Errorf("the duplicate changed the key: %+v", again)
	}
	for _, bad := range []kg.APIKey{{Name: "x", Role: kg.RoleReader, Hash: "h"}, {ID: "aaaaaaaaaaaa", Name: "x", Role: "owner", Hash: "h"}} {
		if _, err := s.CreateAPIKey(ctx, bad); !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("CreateAPIKey(%+v) = %v, want ErrInvalidInput", bad, err)
		}
	}

	_, k2 := newTestKey(t, s, "store test bot", kg.RoleAdmin)
	list, err := s.ListAPIKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, x := range list {
		pos[x.ID] = i + 1
	}
	if pos[k.ID] == 0 || pos[k2.ID] == 0 || pos[k.ID] > pos[k2.ID] {
		t.Errorf("ListAPIKeys: positions %d, %d of the two keys; want both, oldest first", pos[k.ID], pos[k2.ID])
	}

	// Revoking stamps once; revoking again keeps the first time.
	r1, err := s.RevokeAPIKey(ctx, k.ID)
	if err != nil || r1.RevokedAt == nil {
		t.Fatalf("RevokeAPIKey = %+v, %v", r1, err)
	}
	time.Sleep(5 * time.Millisecond)
	r2, err := s.RevokeAPIKey(ctx, k.ID)
	if err != nil || r2.RevokedAt == nil || !r2.RevokedAt.Equal(*r1.RevokedAt) {
		t.Errorf("second revoke = %+v, %v; want the first revocation time %v", r2, err, r1.RevokedAt)
	}
	if got, _ := s.APIKeyByID(ctx, k.ID); !got.Revoked() {
		t.Error("the revoked key reads as valid")
	}
	if got, _ := s.APIKeyByID(ctx, k2.ID); got.Revoked() {
		t.Error("revoking one key revoked another")
	}

	// Unknown ids.
	if _, err := s.APIKeyByID(ctx, "zzzzzzzzzzzz"); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("APIKeyByID(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.RevokeAPIKey(ctx, "zzzzzzzzzzzz"); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("RevokeAPIKey(unknown) = %v, want ErrNotFound", err)
	}

	// Keys live apart from the graph: the graph's snapshot counts them as
	// nodes only, and they are gone after cleanup (checked by the next
	// test's snapshot through the cleanup functions).
	if after := neo4jtest.TakeSnapshot(t); after.Relationships != before.Relationships || after.Nodes != before.Nodes+2 {
		t.Errorf("snapshot %+v → %+v; want two more nodes and no relationship", before, after)
	}
}

// The authenticator over the real store: a key proves its actor, and a
// revoked key is refused once the cache entry expires.
func TestAPIKeyAuthenticatesAgainstNeo4j(t *testing.T) {
	s := neo4jtest.Store(t)
	plain, k := newTestKey(t, s, "store test auth", kg.RoleCurator)
	a, err := auth.New(t.Context(), auth.Config{Keys: s, KeyCacheTTL: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/graphql", nil)
	req.Header.Set("Authorization", "Bearer "+plain)
	act, err := a.Authenticate(req)
	if want := (kg.Actor{Name: "store test auth", Role: kg.RoleCurator, Via: "key:" + k.ID}); err != nil || act != want {
		t.Fatalf("Authenticate = %+v, %v; want %+v", act, err, want)
	}
	if _, err := s.RevokeAPIKey(context.Background(), k.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(250 * time.Millisecond)
	if _, err := a.Authenticate(req); !errors.Is(err, kg.ErrUnauthenticated) {
		t.Errorf("revoked key after the cache TTL: %v, want ErrUnauthenticated", err)
	}
}
