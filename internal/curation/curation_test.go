package curation

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// recorder is a Writer that records the stamps it is given; the store's own
// behaviour is tested against Neo4j in internal/store.
type recorder struct{ stamps []kg.Stamp }

func (r *recorder) AddDocument(_ context.Context, st kg.Stamp, d kg.Document) (store.DocumentResult, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.DocumentResult{Document: d, Created: true}, store.Outcome{}, nil
}

func (r *recorder) UpsertEntity(_ context.Context, st kg.Stamp, p store.EntityPatch, _ *int64) (store.EntityResult, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.EntityResult{}, store.Outcome{}, nil
}

func (r *recorder) AddRelation(_ context.Context, st kg.Stamp, _ kg.Relation, _ string) (store.RelationResult, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.RelationResult{}, store.Outcome{}, nil
}

func (r *recorder) AddFact(_ context.Context, st kg.Stamp, _ kg.Fact, _ string) (store.FactResult, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.FactResult{}, store.Outcome{}, nil
}

func (r *recorder) SetRank(_ context.Context, st kg.Stamp, _ string, _ kg.Rank) (store.RankResult, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.RankResult{}, store.Outcome{}, nil
}

func (r *recorder) Retract(_ context.Context, st kg.Stamp, _ string) (store.Retraction, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.Retraction{}, store.Outcome{}, nil
}

func (r *recorder) Merge(_ context.Context, st kg.Stamp, _, _ string) (store.MergeResult, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.MergeResult{}, store.Outcome{}, nil
}

func (r *recorder) Delete(_ context.Context, st kg.Stamp, _ string) (store.DeleteResult, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.DeleteResult{}, store.Outcome{}, nil
}

func (r *recorder) AddRelationType(_ context.Context, st kg.Stamp, info kg.RelTypeInfo) (store.RelationTypeResult, store.Outcome, error) {
	r.stamps = append(r.stamps, st)
	return store.RelationTypeResult{Type: info, Created: true}, store.Outcome{}, nil
}

// fundedBy is a well-formed relationship type to add.
var fundedBy = kg.RelTypeInfo{
	Type: "FUNDED_BY", Zh: "由…资助", En: "is funded by", InverseZh: "资助", InverseEn: "funds",
	From: []kg.Kind{kg.Program}, To: []kg.Kind{kg.Organization, kg.Enterprise},
}

func as(role kg.Role) context.Context {
	ctx := kg.WithRequestID(context.Background(), "req-1")
	if role == "" {
		return kg.WithActor(ctx, kg.Actor{Role: kg.RoleReader})
	}
	return kg.WithActor(ctx, kg.Actor{Name: "someone", Role: role, Via: "key:abc"})
}

func TestWhoMayWrite(t *testing.T) {
	retract := func(s *Service, ctx context.Context) error {
		_, _, err := s.Retract(ctx, "x", Options{Reason: "why"})
		return err
	}
	merge := func(s *Service, ctx context.Context) error {
		_, _, err := s.Merge(ctx, "a", "b", Options{Reason: "why"})
		return err
	}
	for _, tc := range []struct {
		name string
		run  func(*Service, context.Context) error
		role kg.Role
		want error
	}{
		{"anonymous retract", retract, "", kg.ErrUnauthenticated},
		{"no actor at all", func(s *Service, _ context.Context) error { return retract(s, context.Background()) }, kg.RoleAdmin, kg.ErrUnauthenticated},
		{"reader retract", retract, kg.RoleReader, kg.ErrForbidden},
		{"curator retract", retract, kg.RoleCurator, nil},
		{"admin retract", retract, kg.RoleAdmin, nil},
		{"curator merge", merge, kg.RoleCurator, kg.ErrForbidden},
		{"admin merge", merge, kg.RoleAdmin, nil},
		{"curator delete", func(s *Service, ctx context.Context) error {
			_, _, err := s.Delete(ctx, "a", Options{Reason: "r"})
			return err
		}, kg.RoleCurator, kg.ErrForbidden},
		{"admin delete", func(s *Service, ctx context.Context) error {
			_, _, err := s.Delete(ctx, "a", Options{Reason: "r"})
			return err
		}, kg.RoleAdmin, nil},
		{"curator adds a relationship type", func(s *Service, ctx context.Context) error {
			_, _, err := s.AddRelationType(ctx, fundedBy, Options{Reason: "r"})
			return err
		}, kg.RoleCurator, kg.ErrForbidden},
		{"admin adds a relationship type", func(s *Service, ctx context.Context) error {
			_, _, err := s.AddRelationType(ctx, fundedBy, Options{Reason: "r"})
			return err
		}, kg.RoleAdmin, nil},
		{"admin adds a relationship type without a reason", func(s *Service, ctx context.Context) error {
			_, _, err := s.AddRelationType(ctx, fundedBy, Options{})
			return err
		}, kg.RoleAdmin, kg.ErrInvalidInput},
		{"admin adds a malformed relationship type", func(s *Service, ctx context.Context) error {
			bad := fundedBy
			bad.Type = "funded by"
			_, _, err := s.AddRelationType(ctx, bad, Options{Reason: "r"})
			return err
		}, kg.RoleAdmin, kg.ErrInvalidInput},
	} {
		rec := &recorder{}
		err := tc.run(New(rec), as(tc.role))
		if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if (tc.want == nil) != (len(rec.stamps) == 1) {
			t.Errorf("%s: the writer was called %d times", tc.name, len(rec.stamps))
		}
	}
}

func TestOptionsAreChecked(t *testing.T) {
	s := New(&recorder{})
	ctx := as(kg.RoleAdmin)
	for name, o := range map[string]Options{
		"no reason":       {},
		"blank reason":    {Reason: "  "},
		"NUL in a reason": {Reason: "a\x00b"},
		"long reason":     {Reason: strings.Repeat("r", kg.MaxReason+1)},
		"long key":        {Reason: "r", IdempotencyKey: strings.Repeat("k", MaxIdempotencyKey+1)},
		"spaced key":      {Reason: "r", IdempotencyKey: " k"},
	} {
		if _, _, err := s.Retract(ctx, "x", o); !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("%s: %v, want invalid input", name, err)
		}
	}
}

func TestStamp(t *testing.T) {
	rec := &recorder{}
	s := New(rec)
	ctx := as(kg.RoleCurator)
	d := kg.Document{Title: "t", Language: "zh", Text: "正文"}
	res, _, err := s.AddDocument(ctx, d, Options{IdempotencyKey: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Document.ID, "doc_") || len(res.Document.ID) != 20 {
		t.Errorf("derived id %q: want doc_ + 16 hex digits", res.Document.ID)
	}
	if _, _, err := s.AddDocument(ctx, d, Options{IdempotencyKey: "k1", Reason: "another reason"}); err != nil {
		t.Fatal(err)
	}
	d.Title = "another title"
	if _, _, err := s.AddDocument(ctx, d, Options{IdempotencyKey: "k1"}); err != nil {
		t.Fatal(err)
	}
	st := rec.stamps
	if st[0].InputHash != st[1].InputHash || st[0].InputHash == st[2].InputHash {
		t.Errorf("input hashes %q %q %q: the same input (whatever the reason) must hash alike, another input not", st[0].InputHash, st[1].InputHash, st[2].InputHash)
	}
	if st[0].Actor.Name != "someone" || st[0].RequestID != "req-1" || st[0].Op != "addDocument" || st[0].At.IsZero() {
		t.Errorf("stamp = %+v", st[0])
	}
	if _, _, err := s.AddDocument(ctx, kg.Document{Title: "t", Language: "zh"}, Options{}); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("a document without text: %v", err)
	}
}
