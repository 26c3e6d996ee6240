package kg

import "time"

// APIKey is a stored API key: who it stands for, what it may do, and a hash
// of its secret. The plaintext key (vg_<id>_<secret>) is shown once, when
// the key is made, and never stored; package auth makes and verifies keys,
// package store keeps them as (:ApiKey) nodes.
type APIKey struct {
	// ID is the key's public identifier: 12 lowercase base32 characters
	// (a–z, 2–7), e.g. "k7hq2mzr4xwa". It is part of the plaintext key and
	// names the key in `vetgraph keys list|revoke` and in Actor.Via
	// ("key:k7hq2mzr4xwa"). It is not a secret.
	ID string
	// Name says whom the key was made for ("ingest bot", "Li Wei"): 1–100
	// printable characters. It is the Actor.Name of requests made with the
	// key, so it is what history records as "who".
	Name string
	// Role is what requests made with the key may do.
	Role Role
	// Hash is "sha256:" followed by the lowercase hex SHA-256 of the
	// secret's 32 bytes. The secret itself is never stored.
	Hash string
	// CreatedAt is when the key was made (UTC, to the millisecond).
	CreatedAt time.Time
	// RevokedAt is when the key was revoked; nil while it is valid. A
	// revoked key is kept (so that history can still name it) but refused.
	RevokedAt *time.Time
}

// Revoked reports whether k has been revoked.
func (k APIKey) Revoked() bool { return k.RevokedAt != nil }
