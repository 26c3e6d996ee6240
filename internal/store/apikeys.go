package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// API keys are (:ApiKey {id, name, role, hash, createdAt, revokedAt}) nodes,
// apart from the graph (no relationships). id is unique (constraint
// api_key_id); hash is "sha256:<hex>" of the secret, never the secret;
// createdAt and revokedAt are DateTime, revokedAt absent while the key is
// valid. Keys are never deleted, so history can still name a revoked key.
const (
	// createAPIKey adds one key. A second key with the same id violates
	// api_key_id (kg.ErrConflict).
	createAPIKey = `
CREATE (k:ApiKey {id: $id, name: $name, role: $role, hash: $hash, createdAt: $createdAt})
RETURN k.id AS id, k.name AS name, k.role AS role, k.hash AS hash, k.createdAt AS createdAt, k.revokedAt AS revokedAt`

	// apiKeyByID reads one key; no row when there is none.
	apiKeyByID = `
MATCH (k:ApiKey {id: $id})
RETURN k.id AS id, k.name AS name, k.role AS role, k.hash AS hash, k.createdAt AS createdAt, k.revokedAt AS revokedAt`

	// listAPIKeys reads every key, oldest first.
	listAPIKeys = `
MATCH (k:ApiKey)
RETURN k.id AS id, k.name AS name, k.role AS role, k.hash AS hash, k.createdAt AS createdAt, k.revokedAt AS revokedAt
ORDER BY k.createdAt, k.id`

	// revokeAPIKey stamps revokedAt once: revoking a revoked key keeps the
	// first time. No row when there is no such key.
	revokeAPIKey = `
MATCH (k:ApiKey {id: $id})
SET k.revokedAt = coalesce(k.revokedAt, $now)
RETURN k.id AS id, k.name AS name, k.role AS role, k.hash AS hash, k.createdAt AS createdAt, k.revokedAt AS revokedAt`
)

// CreateAPIKey stores k (made by auth.NewKey) and returns it as stored. It
// does not check the hash; it refuses an empty id or name, or an unknown
// role, with kg.ErrInvalidInput, and an id already taken with
// kg.ErrConflict. k.RevokedAt is ignored: a new key is valid.
func (s *Store) CreateAPIKey(ctx context.Context, k kg.APIKey) (kg.APIKey, error) {
	if k.ID == "" || k.Name == "" || k.Hash == "" {
		return kg.APIKey{}, fmt.Errorf("create api key: %w: id, name and hash are required", kg.ErrInvalidInput)
	}
	if _, ok := kg.ParseRole(string(k.Role)); !ok {
		return kg.APIKey{}, fmt.Errorf("create api key: %w: role %q is not reader, curator or admin", kg.ErrInvalidInput, k.Role)
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = time.Now()
	}
	recs, err := s.writeKeys(ctx, createAPIKey, map[string]any{
		"id": k.ID, "name": k.Name, "role": string(k.Role), "hash": k.Hash, "createdAt": k.CreatedAt.UTC(),
	})
	if err != nil {
		var ne *neo4j.Neo4jError
		if errors.As(err, &ne) && ne.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" {
			return kg.APIKey{}, fmt.Errorf("create api key: %w: a key with id %s exists", kg.ErrConflict, k.ID)
		}
		return kg.APIKey{}, fmt.Errorf("create api key: %w", translate(err))
	}
	if len(recs) == 0 {
		return kg.APIKey{}, fmt.Errorf("create api key: no row returned")
	}
	return toAPIKey(recs[0]), nil
}

// APIKeyByID returns the key with id, revoked or not (the caller refuses a
// revoked one). It returns an error wrapping kg.ErrNotFound when there is no
// such key. It reads in a read transaction, which a cluster may route to a
// secondary that sees a key made or revoked a moment ago a moment later.
func (s *Store) APIKeyByID(ctx context.Context, id string) (kg.APIKey, error) {
	recs, err := s.read(ctx, apiKeyByID, map[string]any{"id": id})
	if err != nil {
		return kg.APIKey{}, fmt.Errorf("api key %s: %w", id, err)
	}
	if len(recs) == 0 {
		return kg.APIKey{}, fmt.Errorf("api key %s: %w", id, kg.ErrNotFound)
	}
	return toAPIKey(recs[0]), nil
}

// ListAPIKeys returns every key, revoked ones included, oldest first. The
// hashes are included; callers showing keys to people leave them out.
func (s *Store) ListAPIKeys(ctx context.Context) ([]kg.APIKey, error) {
	recs, err := s.read(ctx, listAPIKeys, nil)
	if err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	out := make([]kg.APIKey, len(recs))
	for i, r := range recs {
		out[i] = toAPIKey(r)
	}
	return out, nil
}

// RevokeAPIKey marks the key with id revoked now and returns it.
// Revoking a revoked key changes nothing (its first revocation time stays).
// It returns an error wrapping kg.ErrNotFound when there is no such key.
// A running server that has the key cached refuses it once its cache entry
// expires (see package auth).
func (s *Store) RevokeAPIKey(ctx context.Context, id string) (kg.APIKey, error) {
	recs, err := s.writeKeys(ctx, revokeAPIKey, map[string]any{"id": id, "now": time.Now().UTC()})
	if err != nil {
		return kg.APIKey{}, fmt.Errorf("revoke api key %s: %w", id, translate(err))
	}
	if len(recs) == 0 {
		return kg.APIKey{}, fmt.Errorf("revoke api key %s: %w", id, kg.ErrNotFound)
	}
	return toAPIKey(recs[0]), nil
}

// writeKeys runs one key statement in a write transaction (retried on
// transient errors) and returns its records with the driver's error
// untranslated.
func (s *Store) writeKeys(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	countStatement(ctx)
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

// toAPIKey maps a key row (id, name, role, hash, createdAt, revokedAt) to
// the domain type.
func toAPIKey(r *neo4j.Record) kg.APIKey {
	m := r.AsMap()
	k := kg.APIKey{ID: str(m, "id"), Name: str(m, "name"), Role: kg.Role(str(m, "role")), Hash: str(m, "hash")}
	if t, ok := m["createdAt"].(time.Time); ok {
		k.CreatedAt = t.UTC()
	}
	if t, ok := m["revokedAt"].(time.Time); ok {
		t = t.UTC()
		k.RevokedAt = &t
	}
	return k
}
