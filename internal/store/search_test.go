package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/neo4jtest"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Load gives every Name node its search forms.
func TestLoadWritesSearchForms(t *testing.T) {
	neo4jtest.Store(t)
	res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), `
MATCH (k:Name)-[:NAME_OF]->(n:Entity)
WHERE k.key IN ['重庆工程职业技术学院', 'cqvie', '坦桑尼亚鲁班工坊']
RETURN k.key AS key, n.id AS id, k.field AS field, k.words AS words, k.pinyinWords AS pinyinWords,
       k.pinyin AS pinyin, k.pinyinJoined AS joined, k.initials AS initials, k.tokens AS tokens
ORDER BY key`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]any{}
	for _, r := range res.Records {
		got[r.Values[0].(string)] = r.AsMap()
	}
	want := map[string]map[string]any{
		"cqvie": {
			"key": "cqvie", "id": "cqvie", "field": "alias", "words": "cqvie", "pinyinWords": nil,
			"pinyin": nil, "joined": nil, "initials": nil, "tokens": "cqvie",
		},
		"重庆工程职业技术学院": {
			"key": "重庆工程职业技术学院", "id": "cqvie", "field": "nameZh",
			"words": "重庆 工程 职业 技术 学院", "pinyinWords": "chongqing gongcheng zhiye jishu xueyuan",
			"pinyin": "chongqing gongcheng zhiye jishu xueyuan", "joined": "chongqinggongchengzhiyejishuxueyuan",
			"initials": "cqgczyjsxy",
			"tokens":   "重庆 工程 职业 技术 学院 chongqing gongcheng zhiye jishu xueyuan chongqinggongchengzhiyejishuxueyuan cqgczyjsxy",
		},
		"坦桑尼亚鲁班工坊": {
			"key": "坦桑尼亚鲁班工坊", "id": "tanzania-luban-workshop", "field": "nameZh",
			"words": "坦桑 尼亚 坦桑尼亚 鲁班 工坊", "pinyinWords": "tansang niya tansangniya luban gongfang",
			"pinyin": "tansangniya luban gongfang", "joined": "tansangniyalubangongfang", "initials": "tsnylbgf",
			"tokens": "坦桑 尼亚 坦桑尼亚 鲁班 工坊 tansang niya tansangniya luban gongfang tansangniyalubangongfang tsnylbgf",
		},
	}
	for key, w := range want {
		g, ok := got[key]
		if !ok {
			t.Errorf("no Name %q", key)
			continue
		}
		for prop, v := range w {
			if g[prop] != v {
				t.Errorf("Name %q: %s = %#v, want %#v", key, prop, g[prop], v)
			}
		}
	}
}

// The full-text index keeps the loader's tokens whole.
func TestSearchIndexes(t *testing.T) {
	neo4jtest.Store(t)
	res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), `
SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties, options
WHERE name IN ['name_tokens', 'name_key_text', 'name_pinyin_text', 'name_initials_text']
RETURN name, type, state, options.indexConfig['fulltext.analyzer'] AS analyzer
ORDER BY name`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Records {
		v := r.Values
		s := v[0].(string) + " " + v[1].(string) + " " + v[2].(string)
		if a, ok := v[3].(string); ok {
			s += " " + a
		}
		got = append(got, s)
	}
	want := []string{"name_initials_text TEXT ONLINE", "name_key_text TEXT ONLINE", "name_pinyin_text TEXT ONLINE", "name_tokens FULLTEXT ONLINE whitespace"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("indexes = %q, want %q", got, want)
	}
}

// Warm runs on the test graph without error; a cancelled context comes
// back as unavailable, not as a panic or a hang.
func TestWarm(t *testing.T) {
	s := neo4jtest.Store(t)
	if err := s.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Warm(ctx); !errors.Is(err, kg.ErrUnavailable) {
		t.Errorf("cancelled: err = %v, want ErrUnavailable", err)
	}
}

func TestSearchArguments(t *testing.T) {
	s := neo4jtest.Store(t)
	ctx := context.Background()
	for _, q := range []store.SearchQuery{
		{Text: strings.Repeat("鲁", store.MaxSearchText+1), First: 10},
		{Text: "鲁班", First: 0},
		{Text: "鲁班", First: 10, Kinds: []kg.Kind{"School) DETACH DELETE (n"}},
	} {
		if _, err := s.Search(ctx, q); !errors.Is(err, kg.ErrInvalidInput) {
			t.Errorf("Search(%.30q, first %d, kinds %q) error = %v, want ErrInvalidInput", q.Text, q.First, q.Kinds, err)
		}
	}
	for _, text := range []string{"", "  ", "\x00\u200b"} {
		hs, err := s.Search(ctx, store.SearchQuery{Text: text, First: 10})
		if err != nil || hs == nil || len(hs) != 0 {
			t.Errorf("Search(%q) = %v, %v; want an empty list", text, hs, err)
		}
	}
	hs, err := s.Search(ctx, store.SearchQuery{Text: "CQVIE", First: 1, Kinds: []kg.Kind{kg.School}})
	if err != nil || len(hs) != 1 {
		t.Fatalf("Search(CQVIE) = %v, %v", hs, err)
	}
	if h := hs[0]; h.Entity.ID != "cqvie" || h.Entity.NameZh != "重庆工程职业技术学院" || h.Field != store.FieldAlias ||
		h.Match != store.MatchExact || h.Matched != "CQVIE" || h.Score != 4.9 {
		t.Errorf("Search(CQVIE) = %+v", h)
	}
}

// BenchmarkSearch measures one search statement on the seed graph, cycling
// through Chinese, English, pinyin and abbreviation texts.
func BenchmarkSearch(b *testing.B) {
	s := neo4jtest.Store(b)
	ctx := context.Background()
	texts := []string{"鲁班", "工程职院", "chongqing vocational institute", "luban", "cqgc", "CQVIE", "重庆工业", "联盟"}
	if _, err := s.Search(ctx, store.SearchQuery{Text: "鲁班", First: 10}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Search(ctx, store.SearchQuery{Text: texts[i%len(texts)], First: 10}); err != nil {
			b.Fatal(err)
		}
	}
}
