package kg

import "errors"

// Error categories. Every layer wraps one of these (with fmt.Errorf("…: %w"))
// so that the GraphQL error presenter can map it to a stable
// extensions.code without reading messages.
var (
	// ErrNotFound: the thing asked for does not exist. Lookups return it
	// instead of (nil, nil).
	ErrNotFound = errors.New("not found")
	// ErrInvalidInput: an argument is malformed or out of range; the message
	// says which and what is allowed.
	ErrInvalidInput = errors.New("invalid input")
	// ErrUnavailable: Neo4j cannot be reached or timed out; retrying later may work.
	ErrUnavailable = errors.New("unavailable")
	// ErrLimit: the request exceeds a documented limit.
	ErrLimit = errors.New("limit exceeded")
	// ErrUnauthenticated: the request needs a principal and proved none (no
	// credentials, or an unknown, revoked, expired or malformed one).
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the principal is known but its role does not allow this.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the write contradicts the current state: the version the
	// client read has moved, a name is held by another entity, an
	// idempotency key was used for a different request, or a document's text
	// is cited and cannot change. The message says what to do.
	ErrConflict = errors.New("conflict")
)
