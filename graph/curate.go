package graph

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/curation"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Curator is what the mutations need: package curation's commands, which
// check the caller's role, apply kg's rules and record each write.
type Curator interface {
	AddDocument(ctx context.Context, d kg.Document, o curation.Options) (store.DocumentResult, store.Outcome, error)
	UpsertEntity(ctx context.Context, p store.EntityPatch, expectedVersion *int64, o curation.Options) (store.EntityResult, store.Outcome, error)
	AddRelation(ctx context.Context, r kg.Relation, sameAs string, o curation.Options) (store.RelationResult, store.Outcome, error)
	AddFact(ctx context.Context, f kg.Fact, sameAs string, o curation.Options) (store.FactResult, store.Outcome, error)
	SetRank(ctx context.Context, id string, rank kg.Rank, o curation.Options) (store.RankResult, store.Outcome, error)
	Retract(ctx context.Context, id string, o curation.Options) (store.Retraction, store.Outcome, error)
	Merge(ctx context.Context, keep, drop string, o curation.Options) (store.MergeResult, store.Outcome, error)
	Delete(ctx context.Context, id string, o curation.Options) (store.DeleteResult, store.Outcome, error)
	AddRelationType(ctx context.Context, info kg.RelTypeInfo, o curation.Options) (store.RelationTypeResult, store.Outcome, error)
}

// The mutations map GraphQL input to domain values and results back; the
// rules live in package curation and kg.

func options(reason, key *string) curation.Options {
	return curation.Options{Reason: deref(reason), IdempotencyKey: deref(key), KeyGiven: key != nil}
}

// noteOutcome passes the write's bookmarks to the HTTP layer (see
// bookmarkHeader) so that the client can read its own write on any replica.
func noteOutcome(ctx context.Context, o store.Outcome) {
	if sink, ok := ctx.Value(bookmarkSinkKey{}).(*bookmarkSink); ok {
		sink.add(o.Bookmarks)
	}
}

func (r *Resolver) addDocument(ctx context.Context, in model.DocumentInput, reason, key *string) (*model.DocumentPayload, error) {
	d := kg.Document{
		ID: deref(in.ID), Title: in.Title, Publisher: deref(in.Publisher), Date: deref(in.Date),
		Language: in.Language, URL: deref(in.URL), Text: in.Text,
	}
	res, o, err := r.Curator.AddDocument(ctx, d, options(reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	return &model.DocumentPayload{Document: &model.Document{D: res.Document}, Created: res.Created, Change: changeToGQL(o.Change), Replayed: o.Replayed}, nil
}

func omitted[T any](o graphql.Omittable[*T]) *T {
	if v, set := o.ValueOK(); set {
		if v == nil {
			var zero T
			return &zero // explicit null clears
		}
		return v
	}
	return nil
}

func (r *Resolver) upsertEntity(ctx context.Context, in model.EntityInput, expectedVersion *int64, reason, key *string) (*model.EntityPayload, error) {
	p := store.EntityPatch{
		ID: in.ID, NameZh: omitted(in.NameZh), NameEn: omitted(in.NameEn), NameEnOfficial: omitted(in.NameEnOfficial),
		City: omitted(in.City), SchoolType: omitted(in.SchoolType), ISO2: omitted(in.Iso2), ISO3: omitted(in.Iso3),
		Category: omitted(in.Category), Start: omitted(in.Start), RegionType: omitted(in.RegionType),
	}
	if k, set := in.Kind.ValueOK(); set {
		if k == nil {
			return nil, fmt.Errorf("%w: kind cannot be null", kg.ErrInvalidInput)
		}
		kind := model.KindFromGQL(*k)
		p.Kind = &kind
	}
	if a, set := in.Aliases.ValueOK(); set {
		if a == nil {
			a = []string{}
		}
		p.Aliases = &a
	}
	if d, set := in.Description.ValueOK(); set {
		zh, en := "", ""
		if d != nil {
			zh, en = deref(d.Zh), deref(d.En)
		}
		p.DescriptionZh, p.DescriptionEn = &zh, &en
	}
	res, o, err := r.Curator.UpsertEntity(ctx, p, expectedVersion, options(reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	res.Entity.Version = res.Version
	e, err := model.EntityToGQL(res.Entity)
	if err != nil {
		return nil, atPath(err, "entity")
	}
	return &model.EntityPayload{
		Entity: e, Version: res.Version, Created: res.Created,
		Change: changeToGQL(o.Change), Replayed: o.Replayed,
	}, nil
}

func namesOf(n *model.NamesInput) kg.Names {
	if n == nil {
		return kg.Names{}
	}
	return kg.Names{Zh: deref(n.Zh), En: deref(n.En)}
}

// partialDate parses an optional partial date argument.
func partialDate(field string, s *string) (*kg.PartialDate, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	d, err := kg.ParsePartialDate(*s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", kg.ErrInvalidInput, field, err)
	}
	return &d, nil
}

func (r *Resolver) addRelation(ctx context.Context, in model.RelationInput, reason, key *string) (*model.RelationPayload, error) {
	rel := kg.Relation{
		Type: kg.RelType(in.Type), From: in.From, To: in.To, Detail: namesOf(in.Detail),
		Evidence: kg.Evidence{DocumentID: in.Evidence.Document, Quote: in.Evidence.Quote},
	}
	var err error
	if rel.At, err = partialDate("at", in.At); err != nil {
		return nil, err
	}
	if rel.Since, err = partialDate("since", in.Since); err != nil {
		return nil, err
	}
	if rel.Until, err = partialDate("until", in.Until); err != nil {
		return nil, err
	}
	res, o, err := r.Curator.AddRelation(ctx, rel, deref(in.SameAs), options(reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	return &model.RelationPayload{
		Relation: r.relationFromStart(ctx, res.Relation, res.From, res.To), Created: res.Created,
		EvidenceAdded: res.EvidenceAdded, Change: changeToGQL(o.Change), Replayed: o.Replayed,
	}, nil
}

// relationFromStart is a written relation seen from its start entity, with
// the entity at its end read (nil when it no longer exists).
func (r *Resolver) relationFromStart(ctx context.Context, rel kg.Relation, from, to string) *model.Relation {
	rel.From, rel.To = from, to
	out := &model.Relation{R: rel, Dir: model.DirectionOut, OtherID: to}
	if !selectsOther(ctx) {
		return out // no statement for a field nobody asked for
	}
	if e, _, err := r.Store.EntityByID(ctx, to, store.EntityRead{}); err == nil {
		out.OtherEntity = &e
	}
	return out
}

// selectsOther reports whether the payload's selection reads a relation's
// `other` end (under relation, or retraction.relation).
func selectsOther(ctx context.Context) bool {
	if !graphql.HasOperationContext(ctx) {
		return true
	}
	oc := graphql.GetOperationContext(ctx)
	var walk func(fields []graphql.CollectedField, depth int) bool
	walk = func(fields []graphql.CollectedField, depth int) bool {
		for _, f := range fields {
			if f.Name == "other" {
				return true
			}
			if depth < 3 && walk(graphql.CollectFields(oc, f.Selections, nil), depth+1) {
				return true
			}
		}
		return false
	}
	return walk(graphql.CollectFieldsCtx(ctx, nil), 0)
}

func (r *Resolver) addFact(ctx context.Context, in model.FactInput, reason, key *string) (*model.FactPayload, error) {
	f := kg.Fact{
		ID: deref(in.ID), Subject: in.Subject, Label: namesOf(in.Label), Value: in.Value, Unit: in.Unit,
		Qualifier: kg.Qualifier(in.Qualifier), Period: namesOf(in.Period),
		Evidence: kg.Evidence{DocumentID: in.Evidence.Document, Quote: in.Evidence.Quote},
	}
	var err error
	if f.At, err = partialDate("at", in.At); err != nil {
		return nil, err
	}
	res, o, err := r.Curator.AddFact(ctx, f, deref(in.SameAs), options(reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	return &model.FactPayload{
		Fact: &model.Fact{F: res.Fact}, Created: res.Created, EvidenceAdded: res.EvidenceAdded,
		Change: changeToGQL(o.Change), Replayed: o.Replayed,
	}, nil
}

func (r *Resolver) setRank(ctx context.Context, id string, rank model.Rank, reason string, key *string) (*model.RankPayload, error) {
	res, o, err := r.Curator.SetRank(ctx, id, kg.Rank(rank), options(&reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	out := &model.RankPayload{Change: changeToGQL(o.Change), Replayed: o.Replayed}
	if res.Relation != nil {
		out.Relation = r.relationFromStart(ctx, *res.Relation, res.Relation.From, res.Relation.To)
	}
	if res.Fact != nil {
		out.Fact = &model.Fact{F: *res.Fact}
	}
	return out, nil
}

func (r *Resolver) retract(ctx context.Context, id, reason string, key *string) (*model.RetractPayload, error) {
	res, o, err := r.Curator.Retract(ctx, id, options(&reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	return &model.RetractPayload{Retraction: r.retractionToGQL(ctx, res), Change: changeToGQL(o.Change), Replayed: o.Replayed}, nil
}

func (r *Resolver) mergeEntities(ctx context.Context, keep, drop, reason string, key *string) (*model.EntityPayload, error) {
	res, o, err := r.Curator.Merge(ctx, keep, drop, options(&reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	e, err := model.EntityToGQL(res.Entity)
	if err != nil {
		return nil, atPath(err, "entity")
	}
	return &model.EntityPayload{
		Entity: e, Version: res.Entity.Version,
		Change: changeToGQL(o.Change), Replayed: o.Replayed,
	}, nil
}

func (r *Resolver) deleteEntity(ctx context.Context, id, reason string, key *string) (*model.DeletePayload, error) {
	res, o, err := r.Curator.Delete(ctx, id, options(&reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	return &model.DeletePayload{ID: res.Entity.ID, Change: changeToGQL(o.Change), Replayed: o.Replayed}, nil
}

func (r *Resolver) addRelationType(ctx context.Context, in model.RelationTypeInput, reason string, key *string) (*model.RelationTypePayload, error) {
	info := kg.RelTypeInfo{Type: kg.RelType(in.Type), Zh: in.Zh, En: in.En, From: kindsFromGQL(in.FromKinds), To: kindsFromGQL(in.ToKinds)}
	if in.Example != nil {
		info.Example = *in.Example
	}
	switch {
	case in.InverseZh == nil && in.InverseEn == nil: // symmetric: it reads the same both ways
		info.InverseZh, info.InverseEn = in.Zh, in.En
	case in.InverseZh == nil || in.InverseEn == nil:
		return nil, fmt.Errorf("%w: give both inverseZh and inverseEn, or neither for a symmetric type", kg.ErrInvalidInput)
	default:
		info.InverseZh, info.InverseEn = *in.InverseZh, *in.InverseEn
	}
	res, o, err := r.Curator.AddRelationType(ctx, info, options(&reason, key))
	if err != nil {
		return nil, err
	}
	noteOutcome(ctx, o)
	return &model.RelationTypePayload{
		RelationType: &model.RelationTypeInfo{I: res.Type}, Created: res.Created,
		Change: changeToGQL(o.Change), Replayed: o.Replayed,
	}, nil
}

func kindsFromGQL(ks []model.Kind) []kg.Kind {
	out := make([]kg.Kind, len(ks))
	for i, k := range ks {
		out[i] = model.KindFromGQL(k)
	}
	return out
}

func (r *Resolver) retractionToGQL(ctx context.Context, x store.Retraction) *model.Retraction {
	out := &model.Retraction{At: x.At.UTC().Format(time.RFC3339), By: x.By, Reason: x.Reason}
	if x.Relation != nil && x.End != nil { // the end was read with the retraction
		rel := *x.Relation
		out.Relation = &model.Relation{R: rel, Dir: model.DirectionOut, OtherID: rel.To, OtherEntity: x.End}
	} else if x.Relation != nil {
		out.Relation = r.relationFromStart(ctx, *x.Relation, x.Relation.From, x.Relation.To)
	}
	if x.Fact != nil {
		out.Fact = &model.Fact{F: *x.Fact}
	}
	return out
}

func changeToGQL(c *kg.Change) *model.Change {
	if c == nil {
		return nil
	}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	subjects := c.Subjects
	if subjects == nil {
		subjects = []string{}
	}
	return &model.Change{
		ID: c.ID, At: c.At.UTC().Format(time.RFC3339Nano), Actor: c.Actor.Name, Role: string(c.Actor.Role),
		RequestID: opt(c.RequestID), Reason: opt(c.Reason), Operation: c.Op, Subjects: subjects, Summary: c.Summary,
		Before: opt(c.Before), After: opt(c.After),
	}
}

// changes reads a page of the change log (the root field and Entity.history).
// changesSince reads changes' since: an ISO-8601 date-time with its offset
// (2026-12-05T10:00:00Z, 2026-12-05T18:00:00+08:00), or a date of day,
// month or year precision (2026-12-05, 2026-12, 2026), which means its
// first instant in UTC. Anything else is kg.ErrInvalidInput.
func changesSince(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if !strings.Contains(s, "~") {
		if d, err := kg.ParsePartialDate(s); err == nil {
			first, _ := d.Range()
			return first, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: since %q: want an ISO-8601 date-time such as 2026-12-05T10:00:00Z, or a date 2026-12-05, 2026-12 or 2026 (its start, UTC)", kg.ErrInvalidInput, kg.Short(s))
}

func (r *Resolver) changes(ctx context.Context, since *string, subject string, first *int, after *string) (*model.ChangeConnection, error) {
	n, err := r.pageSize(first, 20)
	if err != nil {
		return nil, err
	}
	q := store.ChangeQuery{Subject: subject, First: n, After: deref(after)}
	if since != nil && *since != "" {
		if q.Since, err = changesSince(*since); err != nil {
			return nil, err
		}
	}
	if q.After != "" && !store.IsChangeID(q.After) {
		return nil, fmt.Errorf("%w: after %q is not a cursor of the change log (use an endCursor it gave)", kg.ErrInvalidInput, kg.Short(q.After))
	}
	page, err := r.Store.Changes(ctx, q)
	if err != nil {
		return nil, err
	}
	conn := &model.ChangeConnection{Edges: []*model.ChangeEdge{}, PageInfo: &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: q.After != ""}}
	for i := range page.Changes {
		c := page.Changes[i]
		if ps := c.Problems.All(); len(ps) > 0 {
			return nil, atPath(&ps[0], "edges", i, "node")
		}
		conn.Edges = append(conn.Edges, &model.ChangeEdge{Cursor: c.ID, Node: changeToGQL(&c)})
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn, nil
}

func (r *Resolver) retracted(ctx context.Context, id string) ([]*model.Retraction, error) {
	xs, err := r.Store.Retracted(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Retraction, len(xs))
	for i, x := range xs {
		if ps := x.Problems.All(); len(ps) > 0 {
			return nil, atPath(&ps[0], i)
		}
		out[i] = r.retractionToGQL(ctx, x)
	}
	return out, nil
}

// disagreements are the other facts of the same subject and quantity group
// (SameAs) whose number differs.
func (r *Resolver) disagreements(ctx context.Context, f *model.Fact) ([]*model.Fact, error) {
	out := []*model.Fact{}
	if f.F.Subject == "" {
		return out, nil
	}
	group := func(x kg.Fact) string {
		if x.SameAs != "" {
			return x.SameAs
		}
		return x.ID
	}
	all, err := r.facts(ctx, f.F.Subject)
	if err != nil {
		return nil, err
	}
	for _, o := range all {
		if o.F.ID != f.F.ID && group(o.F) == group(f.F) &&
			(o.F.Value != f.F.Value || o.F.Qualifier != f.F.Qualifier || o.F.Unit != f.F.Unit || !sameDate(o.F.At, f.F.At)) {
			out = append(out, o)
		}
	}
	return out, nil
}

func sameDate(a, b *kg.PartialDate) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// readOnly refuses every mutation: the Curator of a handler built without
// one.
type readOnly struct{}

var errReadOnly = fmt.Errorf("%w: this server takes no writes", kg.ErrForbidden)

func (readOnly) AddDocument(context.Context, kg.Document, curation.Options) (store.DocumentResult, store.Outcome, error) {
	return store.DocumentResult{}, store.Outcome{}, errReadOnly
}

func (readOnly) UpsertEntity(context.Context, store.EntityPatch, *int64, curation.Options) (store.EntityResult, store.Outcome, error) {
	return store.EntityResult{}, store.Outcome{}, errReadOnly
}

func (readOnly) AddRelation(context.Context, kg.Relation, string, curation.Options) (store.RelationResult, store.Outcome, error) {
	return store.RelationResult{}, store.Outcome{}, errReadOnly
}

func (readOnly) AddFact(context.Context, kg.Fact, string, curation.Options) (store.FactResult, store.Outcome, error) {
	return store.FactResult{}, store.Outcome{}, errReadOnly
}

func (readOnly) SetRank(context.Context, string, kg.Rank, curation.Options) (store.RankResult, store.Outcome, error) {
	return store.RankResult{}, store.Outcome{}, errReadOnly
}

func (readOnly) Retract(context.Context, string, curation.Options) (store.Retraction, store.Outcome, error) {
	return store.Retraction{}, store.Outcome{}, errReadOnly
}

func (readOnly) Delete(context.Context, string, curation.Options) (store.DeleteResult, store.Outcome, error) {
	return store.DeleteResult{}, store.Outcome{}, errReadOnly
}

func (readOnly) Merge(context.Context, string, string, curation.Options) (store.MergeResult, store.Outcome, error) {
	return store.MergeResult{}, store.Outcome{}, errReadOnly
}

// relationDisagreements are the other statements of rel's link (type and
// ends) in its sameAs group whose time differs, seen as rel is.
func (r *Resolver) relationDisagreements(ctx context.Context, rel *model.Relation) ([]*model.Relation, error) {
	out := []*model.Relation{}
	if rel.R.From == "" || rel.R.To == "" {
		return out, nil
	}
	group := func(x kg.Relation) string {
		if x.SameAs != "" {
			return x.SameAs
		}
		return x.ID
	}
	q := store.RelationQuery{EntityID: rel.R.From, Types: string(rel.R.Type), Dir: store.Out, First: r.MaxPage}
	page, err := loadersFor(ctx, r.Store).relations.Load(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, e := range page.Relations {
		o := e.Relation
		if o.ID == rel.R.ID || o.To != rel.R.To || group(o) != group(rel.R) {
			continue
		}
		if sameDate(o.At, rel.R.At) && sameDate(o.Since, rel.R.Since) && sameDate(o.Until, rel.R.Until) {
			continue
		}
		m := relationToGQL(e)
		if rel.Dir == model.DirectionIn { // seen from the same end as rel
			m.Dir, m.OtherID, m.OtherEntity = model.DirectionIn, rel.OtherID, rel.OtherEntity
		}
		out = append(out, m)
	}
	return out, nil
}

func (readOnly) AddRelationType(context.Context, kg.RelTypeInfo, curation.Options) (store.RelationTypeResult, store.Outcome, error) {
	return store.RelationTypeResult{}, store.Outcome{}, errReadOnly
}
