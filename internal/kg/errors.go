package kg

import (
	"errors"
	"strconv"
)

var strconvQuote = strconv.Quote

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

// NameHeldError refuses a name or alias that another entity already holds:
// names identify one entity. It names that entity, so that a curator reuses
// it instead of making a duplicate. It wraps ErrConflict.
type NameHeldError struct {
	Name       string // the name as the holder has it
	EntityID   string // the entity that holds it
	EntityName string // its Chinese name
}

func (e *NameHeldError) Error() string {
	return "conflict: the name " + strconvQuote(e.Name) + " is already held by entity " + e.EntityID + " (" + e.EntityName +
		"); reuse that entity, or merge the two"
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *NameHeldError) Unwrap() error { return ErrConflict }

// Details are extra fields for the error's extensions: the holding entity.
func (e *NameHeldError) Details() map[string]any {
	return map[string]any{"entity": map[string]any{"id": e.EntityID, "nameZh": e.EntityName}, "name": e.Name}
}

// ErrAmbiguous: a name given where one entity is meant names several. The
// message lists them; the caller picks one by id.
var ErrAmbiguous = errors.New("ambiguous")

// AmbiguousNameError refuses a name that several entities hold, listing
// them (at most a few), so that the caller can pass one's id instead. It
// wraps ErrAmbiguous.
type AmbiguousNameError struct {
	Argument   string   // the argument that held the name, e.g. fromName
	Name       string   // the name as given
	Candidates []Entity // the entities holding it (id, kind and names read)
}

func (e *AmbiguousNameError) Error() string {
	s := "ambiguous: the name " + strconvQuote(e.Name) + " (" + e.Argument + ") names " + strconv.Itoa(len(e.Candidates)) + " entities:"
	for i, c := range e.Candidates {
		if i > 0 {
			s += ","
		}
		s += " " + c.ID + " (" + c.NameZh + ")"
	}
	return s + "; pass one of their ids instead"
}

// Unwrap makes errors.Is(err, ErrAmbiguous) true.
func (e *AmbiguousNameError) Unwrap() error { return ErrAmbiguous }
