package kg

import "time"

// Who owns a node or relationship: a load of the data files touches only
// what they own.
const (
	OriginData = "data" // written by loading the data files
	OriginAPI  = "api"  // written by a curator through the API
)

// Rank says which of the statements sources give for one link or quantity
// is preferred, as Wikidata ranks statements. Every statement starts NORMAL;
// a curator marks the one to prefer, or deprecates one known to be wrong
// (it stays, with its source, and is shown with its rank).
type Rank string

// The ranks.
const (
	RankPreferred  Rank = "PREFERRED"
	RankNormal     Rank = "NORMAL"
	RankDeprecated Rank = "DEPRECATED"
)

// Ranks lists every Rank.
var Ranks = []Rank{RankPreferred, RankNormal, RankDeprecated}

// Stamp is what a write records about itself in the change log: who, when,
// which request and why, and the client's idempotency key if it sent one.
type Stamp struct {
	Actor     Actor
	At        time.Time
	RequestID string
	Reason    string
	// Op names the command: "addDocument", "upsertEntity", "addRelation", …
	Op string
	// IdempotencyKey, when set, makes a retried write with the same key (by
	// the same principal) return the first write's result and write nothing.
	IdempotencyKey string
	// InputHash identifies the request's input, so that a key reused for a
	// different input is refused instead of answered with another result.
	InputHash string
}

// Change is one entry of the append-only change log: one accepted write.
type Change struct {
	// ID orders the log: later changes have greater ids.
	ID        string
	At        time.Time
	Actor     Actor
	RequestID string
	Reason    string
	Op        string
	// Subjects are the ids the write touched: entities, relations, facts,
	// documents.
	Subjects []string
	// Summary says what changed, in English ("added evidence from doc_x to
	// relation …").
	Summary string
	// Before and After are JSON snapshots of what changed (empty where
	// there was nothing before, or nothing after: a retraction's After is
	// the retracted statement).
	Before, After string
	// Problems as on Entity.
	Problems DataProblems
}
