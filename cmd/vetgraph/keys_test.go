package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// memKeyStore keeps keys in memory for the key commands' tests (the store
// itself is tested against Neo4j in package store).
type memKeyStore struct{ keys []kg.APIKey }

func (m *memKeyStore) CreateAPIKey(_ context.Context, k kg.APIKey) (kg.APIKey, error) {
	m.keys = append(m.keys, k)
	return k, nil
}

func (m *memKeyStore) ListAPIKeys(context.Context) ([]kg.APIKey, error) { return m.keys, nil }

func (m *memKeyStore) RevokeAPIKey(_ context.Context, id string) (kg.APIKey, error) {
	for i, k := range m.keys {
		if k.ID == id {
			if k.RevokedAt == nil {
				now := time.Now()
				m.keys[i].RevokedAt = &now
			}
			return m.keys[i], nil
		}
	}
	return kg.APIKey{}, fmt.Errorf("api key %s: %w", id, kg.ErrNotFound)
}

func TestKeyCommands(t *testing.T) {
	ctx := context.Background()
	s := &memKeyStore{}
	var out, note bytes.Buffer
	if err := createKey(ctx, s, "Li Wei", "curator", &out, &note); err != nil {
		t.Fatal(err)
	}
	plain := strings.TrimSpace(out.String())
	if len(s.keys) != 1 || !strings.HasPrefix(plain, "vg_"+s.keys[0].ID+"_") || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("create printed %q (want the key alone on one line), stored %+v", out.String(), s.keys)
	}
	if !strings.Contains(note.String(), "will not be shown again") || strings.Contains(note.String(), plain) {
		t.Errorf("create's note = %q", note.String())
	}
	for _, tc := range [][2]string{{"Li Wei", "owner"}, {"", "reader"}, {"a\x00b", "reader"}} {
		if err := createKey(ctx, s, tc[0], tc[1], &out, &note); err == nil {
			t.Errorf("create --name %q --role %q: accepted", tc[0], tc[1])
		}
	}

	var list bytes.Buffer
	if err := listKeys(ctx, s, &list); err != nil {
		t.Fatal(err)
	}
	k := s.keys[0]
	if !strings.Contains(list.String(), k.ID) || !strings.Contains(list.String(), "Li Wei") || !strings.Contains(list.String(), "curator") {
		t.Errorf("list = %q", list.String())
	}
	secret := plain[len("vg_"+k.ID+"_"):]
	if strings.Contains(list.String(), secret) || strings.Contains(list.String(), strings.TrimPrefix(k.Hash, "sha256:")) {
		t.Errorf("list shows the key or its hash: %q", list.String())
	}

	var rev bytes.Buffer
	if err := revokeKey(ctx, s, k.ID, &rev); err != nil || !strings.Contains(rev.String(), "revoked key "+k.ID) {
		t.Errorf("revoke = %v, %q", err, rev.String())
	}
	s.keys[0].RevokedAt = new(time.Now().Add(-time.Hour))
	rev.Reset()
	if err := revokeKey(ctx, s, k.ID, &rev); err != nil || !strings.Contains(rev.String(), "already revoked") {
		t.Errorf("revoke twice = %v, %q; want harmless, saying already revoked", err, rev.String())
	}
	if err := revokeKey(ctx, s, "zzzzzzzzzzzz", &rev); err == nil || !strings.Contains(err.Error(), "no key with id") {
		t.Errorf("revoke unknown = %v", err)
	}
	if err := revokeKey(ctx, s, plain, &rev); err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("revoke with a whole key = %v; want refused without echoing it", err)
	}
}
