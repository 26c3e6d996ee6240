package gen

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

func TestGenerateIsValidAndDeterministic(t *testing.T) {
	cfg := Config{Seed: 7, Nodes: 3000}
	g := Generate(cfg)
	if len(g.Entities) != 3000 {
		t.Fatalf("entities = %d, want 3000", len(g.Entities))
	}
	byID := map[string]kg.Entity{}
	keys := map[string]string{}
	for _, e := range g.Entities {
		if _, dup := byID[e.ID]; dup {
			t.Fatalf("duplicate id %s", e.ID)
		}
		byID[e.ID] = e
		names := append([]string{e.NameZh, e.NameEn}, e.Aliases...)
		for _, n := range names {
			k := textkey.Key(n)
			if prev, ok := keys[k]; ok && prev != e.ID {
				t.Fatalf("name %q of %s also names %s", n, e.ID, prev)
			}
			keys[k] = e.ID
		}
	}
	docs := map[string]kg.Document{}
	for _, d := range g.Documents {
		docs[d.ID] = d
	}
	ids := map[string]bool{}
	for _, r := range g.Relations {
		info, ok := kg.LookupRelType(string(r.Type))
		if !ok || !info.Allows(byID[r.From].Kind, byID[r.To].Kind) {
			t.Fatalf("relation %s: kinds %s -> %s not allowed", r.ID, byID[r.From].Kind, byID[r.To].Kind)
		}
		if !strings.Contains(docs[r.Evidence.DocumentID].Text, r.Evidence.Quote) {
			t.Fatalf("relation %s: quote not in its document", r.ID)
		}
		if ids[r.ID] {
			t.Fatalf("duplicate relation id %s", r.ID)
		}
		ids[r.ID] = true
	}
	for _, f := range g.Facts {
		if !strings.Contains(docs[f.Evidence.DocumentID].Text, f.Evidence.Quote) {
			t.Fatalf("fact %s: quote not in its document", f.ID)
		}
	}
	st := g.Stats()
	if st.MaxDegree < 20*st.MedianDegree {
		t.Errorf("degrees not skewed: max %d (%s), median %d", st.MaxDegree, st.MaxDegreeID, st.MedianDegree)
	}
	t.Logf("stats: %+v", st)
	if h := Generate(cfg); !reflect.DeepEqual(h.Relations, g.Relations) || !reflect.DeepEqual(h.Entities, g.Entities) {
		t.Fatal("same seed, different graph")
	}
	if h := Generate(Config{Seed: 8, Nodes: 3000}); reflect.DeepEqual(h.Relations, g.Relations) {
		t.Fatal("different seed, same graph")
	}
	n := 0
	for _, c := range g.Chunks(2000) {
		n += len(c.Entities)
		for _, r := range c.Relations {
			found := false
			for _, d := range c.Documents {
				found = found || d.ID == r.Evidence.DocumentID
			}
			if !found {
				t.Fatalf("chunk lacks the document of %s", r.ID)
			}
		}
	}
	if n != len(g.Entities) {
		t.Fatalf("chunks hold %d entities", n)
	}
}
