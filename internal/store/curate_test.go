package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// testDocText is a document written for these tests (not a real article):
// it restates two of the seed's statements, one with another year, and a
// number.
const testDocText = `测试通讯：重庆工程职业技术学院参与共建的坦桑尼亚鲁班工坊于2023年正式揭牌。
该工坊位于阿尔迪大学。重庆工程职业技术学院与测试科技有限公司签署合作协议。
坦桑尼亚鲁班工坊已培养本土技术人才800余名。`

func stamp(op, key string) kg.Stamp {
	return kg.Stamp{
		Actor: kg.Actor{Name: "tester", Role: kg.RoleCurator, Via: "key:test"}, At: time.Now(),
		RequestID: "req-" + op, Reason: "test " + op, Op: op, IdempotencyKey: key, InputHash: op + key,
	}
}

func ptr[T any](v T) *T { return &v }

func addTestDoc(t *testing.T, s *store.Store) kg.Document {
	t.Helper()
	d := kg.Document{ID: "test_doc_1", Title: "测试通讯", Language: "zh", Date: "2023", Text: testDocText}
	if _, _, err := s.AddDocument(context.Background(), stamp("addDocument", ""), d); err != nil {
		t.Fatalf("AddDocument: %v", err)
	}
	return d
}

func countAll(t *testing.T) (int64, int64) {
	t.Helper()
	snap := neo4jtest.TakeSnapshot(t)
	return snap.Nodes, snap.Relationships
}

func TestCurationSurvivesLoad(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	doc := addTestDoc(t, s)

	// A new entity, an alias on a file entity, a relation to it, evidence on
	// a file relation, a fact, a retraction of a file relation.
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{
		ID: "test-tech", Kind: ptr(kg.Enterprise),
		NameZh: ptr("测试科技有限公司"), NameEn: ptr("Test Technology Co."), NameEnOfficial: ptr(false),
	}, nil); err != nil {
		t.Fatalf("create entity: %v", err)
	}
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{
		ID:      "cqvie",
		Aliases: ptr([]string{"重庆工程职院", "渝工程", "CQVIE", "重庆工程"}),
	}, nil); err != nil {
		t.Fatalf("alias on a file entity: %v", err)
	}
	rel, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.SignedAgreementWith, From: "cqvie", To: "test-tech",
		Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "重庆工程职业技术学院与测试科技有限公司签署合作协议"},
	}, "")
	if err != nil || !rel.Created {
		t.Fatalf("AddRelation = %+v, %v; want created", rel, err)
	}
	located, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.LocatedIn, From: "tanzania-luban-workshop", To: "ardhi-university",
		Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "该工坊位于阿尔迪大学"},
	}, "")
	if err != nil || located.Created || !located.EvidenceAdded || len(located.Relation.MoreEvidence) != 1 {
		t.Fatalf("AddRelation of a file statement = %+v, %v; want evidence added to it", located, err)
	}
	fact, _, err := s.AddFact(ctx, stamp("addFact", ""), kg.Fact{
		Subject: "tanzania-luban-workshop",
		Label:   kg.Names{Zh: "培养本土技术人才", En: "local technical talents trained"}, Value: 800, Unit: "person", Qualifier: kg.MoreThan,
		Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "坦桑尼亚鲁班工坊已培养本土技术人才800余名"},
	}, "tanzania-luban-workshop-talents-trained")
	if err != nil || !fact.Created || fact.Fact.SameAs != "tanzania-luban-workshop-talents-trained" {
		t.Fatalf("AddFact (a disagreeing number) = %+v, %v; want a new fact grouped with the file's", fact, err)
	}
	retracted := "000_c17574c6fccee1e4:cqipc:MEMBER_OF:chengdu-chongqing-vocational-education-alliance"
	if _, _, err := s.Retract(ctx, stamp("retract", ""), retracted); err != nil {
		t.Fatalf("Retract: %v", err)
	}

	before := neo4jtest.TakeSnapshot(t)
	g, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(ctx, g)
	if err != nil {
		t.Fatalf("Load after curation: %v", err)
	}
	if after := neo4jtest.TakeSnapshot(t); after != before || st.Changed() {
		t.Errorf("a load after curation changed the graph: %+v → %+v (%+v)", before, after, st)
	}

	e, _, err := s.EntityByID(ctx, "cqvie", store.EntityRead{})
	if err != nil || len(e.Aliases) != 4 || e.Version != 1 {
		t.Errorf("cqvie after load = %+v, %v; want the curated alias kept, version 1", e, err)
	}
	if got, err := s.EntityByName(ctx, "重庆工程"); err != nil || got.ID != "cqvie" {
		t.Errorf("EntityByName(curated alias) = %v, %v", got.ID, err)
	}
	facts, err := s.FactsOf(ctx, []string{"tanzania-luban-workshop"})
	if err != nil {
		t.Fatal(err)
	}
	var values []float64
	for _, f := range facts["tanzania-luban-workshop"] {
		if f.Unit == "person" {
			values = append(values, f.Value)
		}
	}
	if len(values) != 2 {
		t.Errorf("person facts of the workshop = %v; want the file's 700 and the curated 800 both", values)
	}
	page, err := s.Relations(ctx, []store.RelationQuery{{EntityID: "tanzania-luban-workshop", Types: "LOCATED_IN", Dir: "OUT", First: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page[0].Relations) != 1 || len(page[0].Relations[0].Relation.MoreEvidence) != 1 {
		t.Errorf("LOCATED_IN of the workshop = %+v; want one relation with two pieces of evidence", page[0].Relations)
	}
	rs, err := s.Retracted(ctx, "cqipc")
	if err != nil || len(rs) != 1 || rs[0].Relation == nil || rs[0].Relation.ID != retracted || rs[0].Reason != "test retract" {
		t.Errorf("Retracted(cqipc) = %+v, %v", rs, err)
	}
	ch, err := s.Changes(ctx, store.ChangeQuery{Subject: "cqvie", First: 10})
	if err != nil || len(ch.Changes) != 2 {
		t.Errorf("Changes(cqvie) = %d changes, %v; want the alias and the relation", len(ch.Changes), err)
	}
}

func TestRefusedWritesLeaveNothing(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	doc := addTestDoc(t, s)
	nodes, rels := countAll(t)

	for name, write := range map[string]func() error{
		"quote not in the document": func() error {
			_, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
				Type: kg.LocatedIn, From: "tanzania-luban-workshop", To: "ardhi-university",
				Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "该工坊位于达累斯萨拉姆"},
			}, "")
			return err
		},
		"kinds not allowed": func() error {
			_, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
				Type: kg.MemberOf, From: "tanzania", To: "cqvie",
				Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "该工坊位于阿尔迪大学"},
			}, "")
			return err
		},
		"unknown end": func() error {
			_, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
				Type: kg.LocatedIn, From: "no-such-entity", To: "ardhi-university",
				Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "该工坊位于阿尔迪大学"},
			}, "")
			return err
		},
		"name held by another entity": func() error {
			_, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{
				ID: "test-dup", Kind: ptr(kg.School),
				NameZh: ptr("测试学院"), Aliases: ptr([]string{"cqvie"}),
			}, nil)
			var held *kg.NameHeldError
			if !errors.As(err, &held) || held.EntityID != "cqvie" {
				return fmt.Errorf("want a NameHeldError naming cqvie, got %v", err)
			}
			return err
		},
		"version moved": func() error {
			_, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "cqvie", NameEn: ptr("X")}, ptr(int64(7)))
			if !errors.Is(err, kg.ErrConflict) {
				return fmt.Errorf("want a conflict, got %v", err)
			}
			return err
		},
		"NUL in a name": func() error {
			_, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-nul", Kind: ptr(kg.School), NameZh: ptr("测试\x00学院")}, nil)
			return err
		},
		"cited document's text changes": func() error {
			if _, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
				Type: kg.LocatedIn, From: "tanzania-luban-workshop", To: "ardhi-university",
				Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "该工坊位于阿尔迪大学"},
			}, ""); err != nil {
				return fmt.Errorf("setup: %v", err)
			}
			nodes, rels = countAll(t) // the evidence above is a change; count from here
			d := doc
			d.Text += "补充。"
			_, _, err := s.AddDocument(ctx, stamp("addDocument", ""), d)
			if !errors.Is(err, kg.ErrConflict) {
				return fmt.Errorf("want a conflict, got %v", err)
			}
			return err
		},
	} {
		if err := write(); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !errors.Is(err, kg.ErrInvalidInput) && !errors.Is(err, kg.ErrNotFound) && !errors.Is(err, kg.ErrConflict) {
			t.Errorf("%s: %v; want a client error category", name, err)
		}
		if n, r := countAll(t); n != nodes || r != rels {
			t.Errorf("%s: counts moved %d/%d → %d/%d", name, nodes, rels, n, r)
		}
	}
}

func TestConcurrentIdenticalWrites(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	doc := addTestDoc(t, s)
	run := func(f func() error) []error {
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = f() }()
		}
		wg.Wait()
		return errs
	}
	for i, err := range run(func() error {
		_, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-tech", Kind: ptr(kg.Enterprise), NameZh: ptr("测试科技有限公司")}, nil)
		return err
	}) {
		if err != nil {
			t.Errorf("upsert %d: %v", i, err)
		}
	}
	for i, err := range run(func() error {
		_, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
			Type: kg.SignedAgreementWith, From: "cqvie", To: "test-tech",
			Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "重庆工程职业技术学院与测试科技有限公司签署合作协议"},
		}, "")
		return err
	}) {
		if err != nil {
			t.Errorf("relation %d: %v", i, err)
		}
	}
	for i, err := range run(func() error {
		_, _, err := s.AddFact(ctx, stamp("addFact", ""), kg.Fact{
			Subject: "test-tech", Label: kg.Names{Zh: "人才", En: "talents"}, Value: 800,
			Unit: "person", Qualifier: kg.MoreThan, Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "坦桑尼亚鲁班工坊已培养本土技术人才800余名"},
		}, "")
		return err
	}) {
		if err != nil {
			t.Errorf("fact %d: %v", i, err)
		}
	}
	for i, err := range run(func() error {
		_, _, err := s.AddDocument(ctx, stamp("addDocument", ""), kg.Document{ID: "test_doc_same", Title: "t", Language: "zh", Text: testDocText})
		return err
	}) {
		if err != nil {
			t.Errorf("document %d: %v", i, err)
		}
	}
	res, err := neo4j.ExecuteQuery(ctx, neo4jtest.Driver(t), `
RETURN COUNT { MATCH (f:Fact)-[:FACT_OF]->(:Entity {id: 'test-tech'}) } AS facts,
  COUNT { MATCH (d:Document {id: 'test_doc_same'}) } AS docs,
  COUNT { MATCH (n:Entity {id: 'test-tech'}) } AS nodes,
  COUNT { MATCH (:Entity {id: 'cqvie'})-[r:SIGNED_AGREEMENT_WITH]->(:Entity {id: 'test-tech'}) } AS rels,
  COUNT { MATCH (c:Change) WHERE c.op = 'addRelation' } AS changes`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	v := res.Records[0].Values
	if v[0] != int64(1) || v[1] != int64(1) {
		t.Errorf("after 20 identical fact writes and 20 identical documents: %v facts, %v documents; want 1, 1", v[0], v[1])
	}
	v = v[2:]
	if v[0] != int64(1) || v[1] != int64(1) || v[2] != int64(1) {
		t.Errorf("after 20 identical upserts and 20 identical relation writes: %v nodes, %v relationships, %v relation changes; want 1, 1, 1", v[0], v[1], v[2])
	}
}

func TestIdempotencyKey(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	p := store.EntityPatch{ID: "test-tech", Kind: ptr(kg.Enterprise), NameZh: ptr("测试科技有限公司")}
	first, o1, err := s.UpsertEntity(ctx, stamp("upsertEntity", "k1"), p, nil)
	if err != nil || o1.Replayed || o1.Change == nil {
		t.Fatalf("first = %+v %+v %v", first, o1, err)
	}
	// Someone else changes it; the retry must still answer the first result.
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-tech", NameEn: ptr("Test Tech")}, nil); err != nil {
		t.Fatal(err)
	}
	again, o2, err := s.UpsertEntity(ctx, stamp("upsertEntity", "k1"), p, nil)
	if err != nil || !o2.Replayed || again.Version != first.Version || again.Entity.NameEn != "" || o2.Change == nil || o2.Change.ID != o1.Change.ID {
		t.Errorf("retry = %+v %+v %v; want the first result replayed", again, o2, err)
	}
	// The same key sent by ten clients at once: one write, nine replays.
	var wg sync.WaitGroup
	replays := make([]bool, 10)
	errs := make([]error, 10)
	for i := range replays {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, o, err := s.AddDocument(ctx, stamp("addDocument", "k-doc"), kg.Document{ID: "test_doc_k", Title: "t", Language: "zh", Text: testDocText})
			replays[i], errs[i] = o.Replayed, err
		}()
	}
	wg.Wait()
	n := 0
	for i := range replays {
		if errs[i] != nil {
			t.Errorf("concurrent retry %d: %v", i, errs[i])
		}
		if !replays[i] {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d of 10 concurrent requests with one key wrote; want 1", n)
	}
	other := stamp("upsertEntity", "k1")
	other.InputHash = "something else"
	if _, _, err := s.UpsertEntity(ctx, other, store.EntityPatch{ID: "test-tech-2", Kind: ptr(kg.Enterprise), NameZh: ptr("测试二")}, nil); !errors.Is(err, kg.ErrConflict) {
		t.Errorf("key reused for another input: %v; want a conflict", err)
	}
}

func TestMerge(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	doc := addTestDoc(t, s)
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-tech", Kind: ptr(kg.Enterprise), NameZh: ptr("测试科技有限公司")}, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.SignedAgreementWith, From: "cqvie", To: "test-tech",
		Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "重庆工程职业技术学院与测试科技有限公司签署合作协议"},
	}, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-tech-dup", Kind: ptr(kg.Enterprise), NameZh: ptr("测试科技")}, nil); err != nil {
		t.Fatal(err)
	}
	res, _, err := s.Merge(ctx, stamp("merge", ""), "test-tech-dup", "test-tech")
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if len(res.Entity.Aliases) != 1 || res.Entity.Aliases[0] != "测试科技有限公司" {
		t.Errorf("kept aliases = %v", res.Entity.Aliases)
	}
	if to, ok, err := s.ResolveRedirect(ctx, "test-tech"); err != nil || !ok || to != "test-tech-dup" {
		t.Errorf("ResolveRedirect = %q %v %v", to, ok, err)
	}
	if e, err := s.EntityByName(ctx, "测试科技有限公司"); err != nil || e.ID != "test-tech-dup" {
		t.Errorf("by the merged name: %v %v", e.ID, err)
	}
	page, err := s.Relations(ctx, []store.RelationQuery{{EntityID: "test-tech-dup", Types: "SIGNED_AGREEMENT_WITH", Dir: "IN", First: 10}})
	if err != nil || len(page[0].Relations) != 1 {
		t.Errorf("relations moved to the kept entity: %+v %v", page, err)
	}
	// A write naming the merged-away id lands on the kept entity.
	if r, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.SignedAgreementWith, From: "cqvie", To: "test-tech",
		Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "重庆工程职业技术学院与测试科技有限公司签署合作协议"},
	}, ""); err != nil || r.Created || r.To != "test-tech-dup" {
		t.Errorf("write to the merged id = %+v %v; want the existing statement on the kept entity", r, err)
	}
}

// A symmetric type stated the other way round is the same statement.
func TestSymmetricRestatement(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	doc := addTestDoc(t, s)
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-tech", Kind: ptr(kg.Enterprise), NameZh: ptr("测试科技有限公司")}, nil); err != nil {
		t.Fatal(err)
	}
	q := "重庆工程职业技术学院与测试科技有限公司签署合作协议"
	first, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.PartnersWith, From: "cqvie", To: "test-tech",
		Evidence: kg.Evidence{DocumentID: doc.ID, Quote: q},
	}, "")
	if err != nil || !first.Created {
		t.Fatalf("first = %+v %v", first, err)
	}
	again, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
		Type: kg.PartnersWith, From: "test-tech", To: "cqvie",
		Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "测试科技有限公司"},
	}, "")
	if err != nil || again.Created || !again.EvidenceAdded || again.Relation.ID != first.Relation.ID || again.From != "cqvie" {
		t.Errorf("reversed = %+v %v; want evidence added to %s", again, err, first.Relation.ID)
	}
}

// A load of data files that would take a name a curated entity holds is
// refused as a whole, and writes nothing.
func TestLoadRefusesCuratedName(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-tech", Kind: ptr(kg.Enterprise), NameZh: ptr("测试科技有限公司")}, nil); err != nil {
		t.Fatal(err)
	}
	g, err := dataset.Read(neo4jtest.DataDir())
	if err != nil {
		t.Fatal(err)
	}
	for i := range g.Entities {
		if g.Entities[i].ID == "cqvie" {
			g.Entities[i].Aliases = append(g.Entities[i].Aliases, "测试科技有限公司")
		}
	}
	before := neo4jtest.TakeSnapshot(t)
	if _, err := s.Load(ctx, g); !errors.Is(err, kg.ErrConflict) {
		t.Errorf("Load taking a curated name: %v; want a conflict", err)
	}
	if after := neo4jtest.TakeSnapshot(t); after != before {
		t.Errorf("a refused load changed the graph: %+v → %+v", before, after)
	}
}

// A request's writes extend its causal chain: after a write in ctx, the
// reads and writes that follow in ctx start from that write's bookmarks
// (on a cluster: a member that has it), replacing those the client sent.
func TestWritesExtendTheRequestsBookmarks(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	if got := store.BookmarksFrom(context.Background()); got != nil {
		t.Fatalf("bookmarks without a chain = %q, want none", got)
	}
	ctx := store.WithBookmarks(context.Background(), nil)
	_, first, err := s.AddDocument(ctx, stamp("addDocument", ""), kg.Document{ID: "test_doc_chain", Title: "t", Language: "zh", Text: testDocText})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Bookmarks) == 0 || !slices.Equal(store.BookmarksFrom(ctx), first.Bookmarks) {
		t.Fatalf("after a write the request's bookmarks are %q, want the write's %q", store.BookmarksFrom(ctx), first.Bookmarks)
	}
	// A chain started from a client's bookmark moves on past it.
	ctx = store.WithBookmarks(context.Background(), first.Bookmarks)
	_, second, err := s.AddDocument(ctx, stamp("addDocument", ""), kg.Document{ID: "test_doc_chain", Title: "t2", Language: "zh", Text: testDocText})
	if err != nil {
		t.Fatal(err)
	}
	if got := store.BookmarksFrom(ctx); !slices.Equal(got, second.Bookmarks) || slices.Equal(got, first.Bookmarks) {
		t.Errorf("after a second write the bookmarks are %q, want the second write's %q (not the first's %q)", got, second.Bookmarks, first.Bookmarks)
	}
}

// Changing an entity's kind: a field the new kind does not allow, kept from
// the old kind, is refused with what to do (clear it in the same upsert);
// cleared, the kind changes.
func TestKindChangeNamesTheFieldsToClear(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{
		ID: "test-kind", Kind: ptr(kg.School), NameZh: ptr("测试改类学院"), SchoolType: ptr("higher vocational college"),
	}, nil); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-kind", Kind: ptr(kg.Enterprise)}, nil)
	want := `changing its kind to Enterprise keeps its schoolType: clear it in the same upsert by sending schoolType: ""`
	if !errors.Is(err, kg.ErrInvalidInput) || !strings.Contains(err.Error(), "it is a School, and "+want) {
		t.Fatalf("kind change keeping schoolType: %v; want ErrInvalidInput with %q", err, want)
	}
	res, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-kind", Kind: ptr(kg.Enterprise), SchoolType: ptr("")}, nil)
	if err != nil || res.Entity.Kind != kg.Enterprise || res.Entity.SchoolType != "" {
		t.Fatalf("kind change with schoolType cleared: %+v %v", res.Entity, err)
	}
}
