// Package curation provides the commands that change the graph: add a
// source document, upsert an entity, add a relation or a fact with evidence,
// rank, retract, merge. Every way data comes in through the API goes through
// these commands; they check who may run them (kg.Actor's role), stamp each
// write with who, when, which request and why (kg.Stamp), and call a Writer
// that runs each command as one transaction with kg's rules and appends it to
// the change log.
package curation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Writer is what the commands need from the graph database; *store.Store
// implements it against Neo4j.
type Writer interface {
	AddDocument(ctx context.Context, st kg.Stamp, d kg.Document) (store.DocumentResult, store.Outcome, error)
	UpsertEntity(ctx context.Context, st kg.Stamp, p store.EntityPatch, expectedVersion *int64) (store.EntityResult, store.Outcome, error)
	AddRelation(ctx context.Context, st kg.Stamp, r kg.Relation, sameAs string) (store.RelationResult, store.Outcome, error)
	AddFact(ctx context.Context, st kg.Stamp, f kg.Fact, sameAs string) (store.FactResult, store.Outcome, error)
	SetRank(ctx context.Context, st kg.Stamp, id string, rank kg.Rank) (store.RankResult, store.Outcome, error)
	Retract(ctx context.Context, st kg.Stamp, id string) (store.Retraction, store.Outcome, error)
	Merge(ctx context.Context, st kg.Stamp, keep, drop string) (store.MergeResult, store.Outcome, error)
	Delete(ctx context.Context, st kg.Stamp, id string) (store.DeleteResult, store.Outcome, error)
	AddRelationType(ctx context.Context, st kg.Stamp, info kg.RelTypeInfo) (store.RelationTypeResult, store.Outcome, error)
}

// Service runs the commands.
type Service struct {
	w   Writer
	now func() time.Time
}

// New returns a Service writing through w.
func New(w Writer) *Service { return &Service{w: w, now: time.Now} }

// Options are what every command takes besides its input.
type Options struct {
	// Reason says why, for the change log: required for ranks,
	// retractions and merges, optional otherwise (at most kg.MaxReason).
	Reason string
	// IdempotencyKey, when set (1–200 printable characters), makes a
	// retried command return the first result and write nothing.
	IdempotencyKey string
	// KeyGiven is true when the client sent a key (an empty one is refused).
	KeyGiven bool
}

// MaxIdempotencyKey bounds an idempotency key's length in bytes.
const MaxIdempotencyKey = 200

// stamp checks the caller's role and the options, and stamps the command.
// It returns kg.ErrUnauthenticated for an anonymous caller, kg.ErrForbidden
// for a role below need, kg.ErrInvalidInput for bad options.
func (s *Service) stamp(ctx context.Context, op string, need kg.Role, o Options, input any) (kg.Stamp, error) {
	a, ok := kg.ActorFrom(ctx)
	if !ok || a.Anonymous() {
		return kg.Stamp{}, fmt.Errorf("%w: %s changes the graph: send an API key or a bearer token (Authorization: Bearer …) of a %s", kg.ErrUnauthenticated, op, need)
	}
	if !a.Role.Includes(need) {
		return kg.Stamp{}, fmt.Errorf("%w: %s needs the role %s; %s has the role %s", kg.ErrForbidden, op, need, a.Name, a.Role)
	}
	var problems []string
	if p := kg.CheckText("reason", o.Reason, kg.MaxReason); p != "" {
		problems = append(problems, p)
	}
	if o.KeyGiven && o.IdempotencyKey == "" {
		problems = append(problems, "idempotencyKey is empty: send 1–200 characters, or leave it out")
	}
	if o.IdempotencyKey != "" {
		if p := kg.CheckText("idempotencyKey", o.IdempotencyKey, MaxIdempotencyKey); p != "" {
			problems = append(problems, p)
		} else if strings.TrimSpace(o.IdempotencyKey) != o.IdempotencyKey {
			problems = append(problems, "idempotencyKey must not start or end with spaces")
		}
	}
	if len(problems) > 0 {
		return kg.Stamp{}, fmt.Errorf("%w: %s", kg.ErrInvalidInput, strings.Join(problems, "; "))
	}
	b, err := json.Marshal(struct {
		Op    string
		Input any
	}{op, input})
	if err != nil {
		return kg.Stamp{}, err
	}
	h := sha256.Sum256(b)
	return kg.Stamp{
		Actor: a, At: s.now(), RequestID: kg.RequestIDFrom(ctx), Reason: o.Reason, Op: op,
		IdempotencyKey: o.IdempotencyKey, InputHash: hex.EncodeToString(h[:]),
	}, nil
}

// requireReason refuses an empty reason where one is required.
func requireReason(op string, o Options) error {
	if strings.TrimSpace(o.Reason) == "" {
		return fmt.Errorf("%w: %s needs a reason (it is kept in the history)", kg.ErrInvalidInput, op)
	}
	return nil
}

// AddDocument adds a source document (curator). Without an id, the id is
// "doc_" and the first 16 hex digits of the SHA-256 of the text, so adding
// the same text twice gives one document.
func (s *Service) AddDocument(ctx context.Context, d kg.Document, o Options) (store.DocumentResult, store.Outcome, error) {
	st, err := s.stamp(ctx, "addDocument", kg.RoleCurator, o, d)
	if err != nil {
		return store.DocumentResult{}, store.Outcome{}, err
	}
	if strings.TrimSpace(d.Text) == "" {
		return store.DocumentResult{}, store.Outcome{}, fmt.Errorf("%w: document: text is required: the document's full text, which every quote must occur in", kg.ErrInvalidInput)
	}
	if d.ID == "" {
		h := sha256.Sum256([]byte(d.Text))
		d.ID = "doc_" + hex.EncodeToString(h[:8])
	}
	if problems := kg.CheckDocument(d); len(problems) > 0 {
		return store.DocumentResult{}, store.Outcome{}, fmt.Errorf("%w: document: %s", kg.ErrInvalidInput, strings.Join(problems, "; "))
	}
	return s.w.AddDocument(ctx, st, d)
}

// UpsertEntity creates or updates an entity (curator); see
// store.Store.UpsertEntity for the rules.
func (s *Service) UpsertEntity(ctx context.Context, p store.EntityPatch, expectedVersion *int64, o Options) (store.EntityResult, store.Outcome, error) {
	st, err := s.stamp(ctx, "upsertEntity", kg.RoleCurator, o, struct {
		P store.EntityPatch
		V *int64
	}{p, expectedVersion})
	if err != nil {
		return store.EntityResult{}, store.Outcome{}, err
	}
	if !kg.EntityIDPattern.MatchString(p.ID) || len(p.ID) > kg.MaxIDLength {
		return store.EntityResult{}, store.Outcome{}, fmt.Errorf("%w: id %q must be lower-kebab-case ASCII (a-z, 0-9, -), at most %d characters", kg.ErrInvalidInput, p.ID, kg.MaxIDLength)
	}
	if expectedVersion != nil && *expectedVersion < 0 {
		return store.EntityResult{}, store.Outcome{}, fmt.Errorf("%w: expectedVersion must be 0 (create) or the version you read", kg.ErrInvalidInput)
	}
	return s.w.UpsertEntity(ctx, st, p, expectedVersion)
}

// AddRelation records a relation with its evidence (curator); see
// store.Store.AddRelation.
func (s *Service) AddRelation(ctx context.Context, r kg.Relation, sameAs string, o Options) (store.RelationResult, store.Outcome, error) {
	st, err := s.stamp(ctx, "addRelation", kg.RoleCurator, o, struct {
		R      kg.Relation
		SameAs string
	}{r, sameAs})
	if err != nil {
		return store.RelationResult{}, store.Outcome{}, err
	}
	return s.w.AddRelation(ctx, st, r, sameAs)
}

// AddFact records a number with its evidence (curator); see
// store.Store.AddFact.
func (s *Service) AddFact(ctx context.Context, f kg.Fact, sameAs string, o Options) (store.FactResult, store.Outcome, error) {
	st, err := s.stamp(ctx, "addFact", kg.RoleCurator, o, struct {
		F      kg.Fact
		SameAs string
	}{f, sameAs})
	if err != nil {
		return store.FactResult{}, store.Outcome{}, err
	}
	if f.ID != "" && (!kg.EntityIDPattern.MatchString(f.ID) || len(f.ID) > kg.MaxIDLength) {
		return store.FactResult{}, store.Outcome{}, fmt.Errorf("%w: fact id %q must be lower-kebab-case ASCII", kg.ErrInvalidInput, f.ID)
	}
	return s.w.AddFact(ctx, st, f, sameAs)
}

// SetRank ranks a relation or fact (curator); a reason is required.
func (s *Service) SetRank(ctx context.Context, id string, rank kg.Rank, o Options) (store.RankResult, store.Outcome, error) {
	st, err := s.stamp(ctx, "setRank", kg.RoleCurator, o, struct {
		ID   string
		Rank kg.Rank
	}{id, rank})
	if err != nil {
		return store.RankResult{}, store.Outcome{}, err
	}
	if err := requireReason("setRank", o); err != nil {
		return store.RankResult{}, store.Outcome{}, err
	}
	return s.w.SetRank(ctx, st, id, rank)
}

// Retract hides a relation or fact, keeping it in history (curator); a
// reason is required.
func (s *Service) Retract(ctx context.Context, id string, o Options) (store.Retraction, store.Outcome, error) {
	st, err := s.stamp(ctx, "retract", kg.RoleCurator, o, id)
	if err != nil {
		return store.Retraction{}, store.Outcome{}, err
	}
	if err := requireReason("retract", o); err != nil {
		return store.Retraction{}, store.Outcome{}, err
	}
	return s.w.Retract(ctx, st, id)
}

// Merge merges entity drop into keep (admin); a reason is required.
func (s *Service) Merge(ctx context.Context, keep, drop string, o Options) (store.MergeResult, store.Outcome, error) {
	st, err := s.stamp(ctx, "mergeEntities", kg.RoleAdmin, o, [2]string{keep, drop})
	if err != nil {
		return store.MergeResult{}, store.Outcome{}, err
	}
	if err := requireReason("mergeEntities", o); err != nil {
		return store.MergeResult{}, store.Outcome{}, err
	}
	return s.w.Merge(ctx, st, keep, drop)
}

// Delete removes an entity that nothing uses any more (admin); a reason is
// required. See store.Store.Delete.
func (s *Service) Delete(ctx context.Context, id string, o Options) (store.DeleteResult, store.Outcome, error) {
	st, err := s.stamp(ctx, "deleteEntity", kg.RoleAdmin, o, id)
	if err != nil {
		return store.DeleteResult{}, store.Outcome{}, err
	}
	if err := requireReason("deleteEntity", o); err != nil {
		return store.DeleteResult{}, store.Outcome{}, err
	}
	return s.w.Delete(ctx, st, id)
}

// AddRelationType adds a relationship type to the vocabulary (admin); a
// reason is required. The definition is checked by kg.CheckRelTypeInfo
// before anything is written. See store.Store.AddRelationType.
func (s *Service) AddRelationType(ctx context.Context, info kg.RelTypeInfo, o Options) (store.RelationTypeResult, store.Outcome, error) {
	st, err := s.stamp(ctx, "addRelationType", kg.RoleAdmin, o, info)
	if err != nil {
		return store.RelationTypeResult{}, store.Outcome{}, err
	}
	if err := requireReason("addRelationType", o); err != nil {
		return store.RelationTypeResult{}, store.Outcome{}, err
	}
	if p := kg.CheckRelTypeInfo(info); len(p) > 0 {
		return store.RelationTypeResult{}, store.Outcome{}, fmt.Errorf("%w: relation type: %s", kg.ErrInvalidInput, strings.Join(p, "; "))
	}
	return s.w.AddRelationType(ctx, st, info)
}
