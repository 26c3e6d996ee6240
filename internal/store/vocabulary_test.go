package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

var fundedByType = kg.RelTypeInfo{
	Type: "FUNDED_BY", Zh: "由…资助", En: "is funded by", InverseZh: "资助", InverseEn: "funds",
	From: []kg.Kind{kg.Program, kg.School}, To: []kg.Kind{kg.Organization, kg.Enterprise}, Example: "(项目)-[:FUNDED_BY]->(基金会)",
}

// 20 identical addRelationType at once: one :RelationType node, one change
// entry, every caller answered; the type is in the vocabulary with its id
// index; a relation of it is written and read like a built-in one.
func TestAddRelationTypeConcurrent(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make([]error, 20)
	created := make([]bool, 20)
	for i := range 20 {
		wg.Go(func() {
			res, _, err := s.AddRelationType(ctx, stamp("addRelationType", ""), fundedByType)
			errs[i], created[i] = err, res.Created
		})
	}
	wg.Wait()
	n := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
		if created[i] {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d writers report a created type, want 1", n)
	}
	count := func(cypher string) int64 {
		t.Helper()
		res, err := neo4j.ExecuteQuery(ctx, neo4jtest.Driver(t), cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
		if err != nil {
			t.Fatal(err)
		}
		return res.Records[0].Values[0].(int64)
	}
	if got := count(`MATCH (t:RelationType {type: 'FUNDED_BY'}) RETURN count(t)`); got != 1 {
		t.Errorf("%d :RelationType nodes", got)
	}
	if got := count(`MATCH (c:Change {op: 'addRelationType'}) RETURN count(c)`); got != 1 {
		t.Errorf("%d change entries", got)
	}
	if got := count(`SHOW INDEXES YIELD name WHERE name = 'rel_funded_by_id' RETURN count(*)`); got != 1 {
		t.Errorf("rel_funded_by_id index: %d", got)
	}
	if info, ok := kg.LookupRelType("FUNDED_BY"); !ok || info.En != "is funded by" {
		t.Fatalf("FUNDED_BY not in the vocabulary: %+v", info)
	}

	// Another definition under the stored name: CONFLICT, nothing written.
	other := fundedByType
	other.En = "receives money from"
	if _, _, err := s.AddRelationType(ctx, stamp("addRelationType", ""), other); !errors.Is(err, kg.ErrConflict) {
		t.Errorf("another definition: %v", err)
	}
	// Kinds in another order are the same definition.
	same := fundedByType
	same.To = []kg.Kind{kg.Enterprise, kg.Organization}
	if res, o, err := s.AddRelationType(ctx, stamp("addRelationType", ""), same); err != nil || res.Created || o.Change != nil {
		t.Errorf("the same definition, kinds reordered: %+v %+v %v", res, o, err)
	}

	// A relation of the added type, with evidence, read back by type.
	doc := addTestDoc(t, s)
	r := kg.Relation{Type: "FUNDED_BY", From: "tanzania-luban-workshop", To: "cqvie", Evidence: kg.Evidence{DocumentID: doc.ID, Quote: "坦桑尼亚鲁班工坊于2023年正式揭牌"}}
	if _, _, err := s.AddRelation(ctx, stamp("addRelation", ""), r, ""); !errors.Is(err, kg.ErrInvalidInput) {
		t.Errorf("FUNDED_BY to a school (not allowed): %v", err)
	}
	if _, _, err := s.UpsertEntity(ctx, stamp("upsertEntity", ""), store.EntityPatch{ID: "test-fund", Kind: ptr(kg.Organization), NameZh: ptr("测试教育基金会")}, nil); err != nil {
		t.Fatal(err)
	}
	r.To = "test-fund"
	res, _, err := s.AddRelation(ctx, stamp("addRelation", ""), r, "")
	if err != nil || !res.Created {
		t.Fatalf("AddRelation FUNDED_BY: %+v %v", res, err)
	}
	if got := count(`MATCH (:Entity {id: 'tanzania-luban-workshop'})-[r:FUNDED_BY]->(:Entity {id: 'test-fund'}) RETURN count(r)`); got != 1 {
		t.Errorf("FUNDED_BY relationships: %d", got)
	}
	if _, _, err := s.Retract(ctx, stamp("retract", ""), res.Relation.ID); err != nil {
		t.Errorf("retract a relation of an added type: %v", err)
	}
}

// A document's text changes (it is not cited yet, so it may) while a write
// that quotes the old text runs: the write is refused, never left citing a
// quote that is no longer in the document.
func TestQuoteCheckedAgainstConcurrentTextChange(t *testing.T) {
	s := neo4jtest.Store(t)
	neo4jtest.ResetCuration(t)
	t.Cleanup(func() { neo4jtest.ResetCuration(t) })
	ctx := context.Background()
	d := kg.Document{ID: "test_doc_race", Title: "测试", Language: "zh", Text: "测试：重庆工程职业技术学院与阿尔迪大学合作。"}
	if _, _, err := s.AddDocument(ctx, stamp("addDocument", ""), d); err != nil {
		t.Fatal(err)
	}
	// Another writer changes the text and holds its transaction open.
	sess := neo4jtest.Driver(t).NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database()})
	defer sess.Close(ctx)
	tx, err := sess.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Run(ctx, `MATCH (d:Document {id: 'test_doc_race'}) SET d.text = '测试：另一篇文字。'`, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := s.AddRelation(ctx, stamp("addRelation", ""), kg.Relation{
			Type: kg.PartnersWith, From: "cqvie", To: "ardhi-university",
			At: &kg.PartialDate{Year: 2031}, Evidence: kg.Evidence{DocumentID: d.ID, Quote: "重庆工程职业技术学院与阿尔迪大学合作"},
		}, "")
		done <- err
	}()
	// Without a lock, the write would read the old committed text and
	// commit before the change; it must wait for the document instead.
	time.Sleep(2 * time.Second)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	err = <-done
	if !errors.Is(err, kg.ErrInvalidInput) {
		t.Fatalf("a write quoting text that changed meanwhile: %v; want the quote refused (it is checked against the committed text)", err)
	}
	res, err := neo4j.ExecuteQuery(ctx, neo4jtest.Driver(t), `MATCH (:Entity {id: 'cqvie'})-[r:PARTNERS_WITH]-(:Entity {id: 'ardhi-university'}) WHERE r.at = '2031' RETURN count(r)`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Records[0].Values[0].(int64); n != 0 {
		t.Errorf("%d relations written citing text that is gone", n)
	}
}
