package store

import (
	"context"
	"errors"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// Warm-up. Neo4j plans a statement the first time it sees its text with a
// given shape of parameters (a list of two words is planned apart from a
// list of four), and on a cold Neo4j a plan takes from 0.4 to more than a
// second on a 2-core machine. Warm runs the statements a user meets first
// so that they are planned before the first request.

// warmTexts are searched by Warm: Chinese texts of one to six words,
// pinyin of one and of two syllable groups, an English phrase.
var warmTexts = []string{
	"重庆", "重庆工程", "重庆工程职业", "重庆 工程 职业 学院", "重庆 工程 职业 技术 学院",
	"中国 泰国 职业 教育 联盟 成立", "luban", "chongqing gongcheng", "vocational college",
}

// warmID is an id no entity has: statements anchored on it are planned and
// then read one index entry.
const warmID = "\u0000warm-up"

// Warm runs the search statement for the usual parameter shapes, the
// neighbourhood statements at every depth with no and with every part, and
// an entity read with a page of its relations, discarding the answers. It
// returns the first error other than not-found.
func (s *Store) Warm(ctx context.Context) error {
	for _, t := range warmTexts {
		if _, err := s.Search(ctx, SearchQuery{Text: t, First: 10}); err != nil {
			return err
		}
	}
	var errs []error
	for depth := 1; depth <= MaxDepth; depth++ {
		for _, parts := range []Parts{{}, AllParts} {
			_, err := s.Neighborhood(ctx, NeighborhoodQuery{ID: warmID, Depth: depth, Limit: 50, Parts: parts})
			errs = append(errs, err)
		}
	}
	_, _, err := s.EntityByID(ctx, warmID, EntityRead{Relations: &RelationQuery{Dir: Both, First: 50, WithTotal: true}})
	errs = append(errs, err)
	for _, err := range errs {
		if err != nil && !errors.Is(err, kg.ErrNotFound) {
			return err
		}
	}
	return nil
}
