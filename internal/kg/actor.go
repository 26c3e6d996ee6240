package kg

import "context"

// Role is what a principal may do. Roles are ordered: each includes the
// rights of the ones before it.
type Role string

// The roles.
const (
	// RoleReader may read (anonymous requests read as readers unless the
	// server is configured otherwise).
	RoleReader Role = "reader"
	// RoleCurator may also add documents, entities, relations, facts and
	// evidence, set ranks and retract statements.
	RoleCurator Role = "curator"
	// RoleAdmin may also merge and delete entities, grow the vocabulary and
	// import whole graphs.
	RoleAdmin Role = "admin"
)

// Roles lists every role, weakest first.
var Roles = []Role{RoleReader, RoleCurator, RoleAdmin}

// ParseRole returns the role named s ("reader", "curator", "admin") and
// whether it is one.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// rank orders the roles; an unknown role ranks below reader.
func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Includes reports whether r has at least the rights of other.
func (r Role) Includes(other Role) bool { return r.rank() >= other.rank() && other.rank() > 0 }

// Actor is who makes a request: the principal an API key or a bearer token
// proved, or the anonymous reader. Every write records its Actor.
type Actor struct {
	// Name identifies the principal in history: the API key's name, or the
	// token's subject. Empty for anonymous.
	Name string
	// Role is what the principal may do.
	Role Role
	// Via says how the principal was proved: "key:<key id>", "jwt:<issuer>",
	// or "" for anonymous. It never holds a secret.
	Via string
}

// Anonymous reports whether a is the unauthenticated reader.
func (a Actor) Anonymous() bool { return a.Via == "" }

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the Actor ctx carries, and false when it carries none
// (a request that did not pass the authentication middleware).
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the id of the HTTP request it serves
// (the X-Request-Id a client sent, or one the server made).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request id ctx carries, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
