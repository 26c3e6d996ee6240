package graph

import (
	"math"

	"github.com/vetgraph/vetgraph/graph/model"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// The cost model prices what a field can make Neo4j do, so that the
// complexity limit (Limits.MaxComplexity) refuses what would be too much and
// admission control (package admission) weighs what it admits. The unit is
// about one field of output: a field the model does not price costs 1 plus
// its selections (gqlgen's default), a scalar 1. On top of that:
//
//   - a field that sends a statement costs that statement: a lookup by key
//     costStatement, a sorted and filtered page costList, the full-text
//     search costSearch, a count over the whole graph costAggregate, a write
//     costWrite; a field answered by a per-request batch (facts, relations
//     below an entity …) costBatched, since one statement serves a level;
//   - a list multiplies its selections by how many items it may return: its
//     `first`/`last`/`limit` (clamped to the allowed range: a value out of
//     range is refused by its own code), or assumedLength for a list with no
//     bound (facts, members, evidences …);
//   - an exploration grows with its hops as the number of paths Neo4j may
//     walk does: costExplore per hop for the first, then ×2 per further hop
//     for shortestPath, explain and commonNeighbors (a bidirectional
//     breadth-first search), ×3 for paths (every simple path is enumerated)
//     and ×4 for neighborhood depth (every node within the depth is read);
//   - aliases multiply: two aliased selections of a field cost twice one.
//
// So `{ entity(id: "x") { id nameZh } }` costs 12, a page of 20 entities
// with five fields 160, `paths` at 4 hops with its default 5 paths about
// 700 (at its maximum of 6 hops about 6,000), and 30 aliased `paths`
// thirty times that. TestCostModel pins such costs.
const (
	costStatement = 10
	costList      = 20
	costSearch    = 30
	costAggregate = 50
	costWrite     = 50
	costBatched   = 2
	costExplore   = 25
	costParts     = 50
	assumedLength = 10
	// defaultEntityPage is an entity list's page when neither first nor
	// last is given; defaultRelationPage, defaultHistoryPage,
	// defaultChangePage and defaultSearchHits the schema's defaults.
	defaultEntityPage   = 20
	defaultRelationPage = 50
	defaultHistoryPage  = 20
	defaultChangePage   = 20
	defaultSearchHits   = 10
)

// costs returns the cost functions of the schema; maxPage bounds `first`
// and `last` as the resolvers do.
func costs(maxPage int) ComplexityRoot {
	var c ComplexityRoot
	page := func(n *int, def int) int64 { return clamp(n, def, 1, maxPage) }
	list := func(child int) int { return sat(1 + assumedLength*int64(child)) }
	batched := func(child int) int { return sat(costBatched + assumedLength*int64(child)) }
	entities := func(child int, _ *model.EntityFilter, _ *model.EntityOrder, first *int, _ *string, last *int, _ *string) int {
		n := int64(defaultEntityPage)
		switch {
		case first != nil:
			n = page(first, defaultEntityPage)
		case last != nil:
			n = page(last, defaultEntityPage)
		}
		return sat(costList + n*int64(child))
	}
	// The child of a connection is its edges, pageInfo and totalCount
	// together: multiplying it by the page overprices pageInfo and
	// totalCount a little and keeps the model simple.
	// A roll-up (includeParts) also walks up to 3 PART_OF steps and reads
	// every part's relations before the page is cut: costParts more.
	parts := func(includeParts *bool) int64 {
		if includeParts != nil && *includeParts {
			return costParts
		}
		return 0
	}
	relations := func(child int, _ []model.RelationType, _ *model.Direction, _ []model.Kind, _, _, _ *string, first *int, _ *string, includeParts *bool) int {
		return sat(costBatched + parts(includeParts) + page(first, defaultRelationPage)*int64(child))
	}
	history := func(child int, first *int, _ *string) int {
		return sat(costStatement + page(first, defaultHistoryPage)*int64(child))
	}
	retracted := func(child int) int { return sat(costStatement + assumedLength*int64(child)) }
	totalCount := func(int) int { return costList }

	// Every kind of entity: the Entity interface's fields.
	facts := func(child int, _ *model.FactFilter) int { return batched(child) }
	for _, e := range []struct {
		facts              *func(int, *model.FactFilter) int
		sources, retracted *func(int) int
		relations          *func(int, []model.RelationType, *model.Direction, []model.Kind, *string, *string, *string, *int, *string, *bool) int
		history            *func(int, *int, *string) int
	}{
		{&c.School.Facts, &c.School.Sources, &c.School.Retracted, &c.School.Relations, &c.School.History},
		{&c.Country.Facts, &c.Country.Sources, &c.Country.Retracted, &c.Country.Relations, &c.Country.History},
		{&c.Enterprise.Facts, &c.Enterprise.Sources, &c.Enterprise.Retracted, &c.Enterprise.Relations, &c.Enterprise.History},
		{&c.Alliance.Facts, &c.Alliance.Sources, &c.Alliance.Retracted, &c.Alliance.Relations, &c.Alliance.History},
		{&c.Program.Facts, &c.Program.Sources, &c.Program.Retracted, &c.Program.Relations, &c.Program.History},
		{&c.Organization.Facts, &c.Organization.Sources, &c.Organization.Retracted, &c.Organization.Relations, &c.Organization.History},
		{&c.Region.Facts, &c.Region.Sources, &c.Region.Retracted, &c.Region.Relations, &c.Region.History},
		{&c.Event.Facts, &c.Event.Sources, &c.Event.Retracted, &c.Event.Relations, &c.Event.History},
		{&c.Award.Facts, &c.Award.Sources, &c.Award.Retracted, &c.Award.Relations, &c.Award.History},
		{&c.Person.Facts, &c.Person.Sources, &c.Person.Retracted, &c.Person.Relations, &c.Person.History},
	} {
		*e.facts, *e.sources, *e.retracted, *e.relations, *e.history = facts, batched, retracted, relations, history
	}
	// Typed shortcuts: relations read through the batch.
	shortcut := func(child int, includeParts *bool) int { return sat(int64(batched(child)) + parts(includeParts)) }
	c.School.Alliances, c.School.Programs, c.School.Partners = shortcut, shortcut, shortcut
	c.Alliance.Members, c.Alliance.Founders = shortcut, shortcut
	c.Program.Countries, c.Person.Positions = shortcut, batched
	// A relation's ends: the other end is read with it, the entity asked
	// about through the batch of entities.
	c.Relation.From = func(child int) int { return sat(costBatched + int64(child)) }
	c.Relation.To = c.Relation.From
	c.Evidence.Document = func(child int) int { return sat(costBatched + int64(child)) }
	c.Relation.Evidences, c.Relation.Disagreements = list, list
	c.Fact.Evidences, c.Fact.Disagreements = list, list
	// A statement's change log: one statement per relation or fact, as an
	// entity's.
	c.Relation.History, c.Fact.History = history, history

	c.EntityConnection.TotalCount = totalCount
	c.SchoolConnection.TotalCount = totalCount
	c.CountryConnection.TotalCount = totalCount
	c.EnterpriseConnection.TotalCount = totalCount
	c.AllianceConnection.TotalCount = totalCount
	c.ProgramConnection.TotalCount = totalCount
	c.RelationConnection.TotalCount = func(int) int { return costBatched }

	// Root lookups and lists.
	lookup := func(child int) int { return sat(costStatement + int64(child)) }
	c.Query.Entity = func(child int, _ string) int { return lookup(child) }
	c.Query.EntityByName = func(child int, _ string) int { return lookup(child) }
	c.Query.Document = func(child int, _ string) int { return lookup(child) }
	c.Query.Node = func(child int, _ string) int { return lookup(child) }
	c.Query.Entities = entities
	// The relations list: a page read from ids or a document's entities is
	// a list statement; one that scans every relationship of its types (in
	// time order, or counted for totalCount) a statement over the whole
	// graph. Names in the filter cost a lookup.
	c.Query.Relations = func(child int, filter *model.RelationFilter, _ *model.RelationOrder, first *int, _ *string, last *int, _ *string) int {
		n := int64(defaultEntityPage)
		switch {
		case first != nil:
			n = page(first, defaultEntityPage)
		case last != nil:
			n = page(last, defaultEntityPage)
		}
		base, names := int64(costAggregate), int64(0)
		if filter != nil {
			for _, e := range []*model.RelationEndFilter{filter.From, filter.To, filter.Either} {
				if e != nil && (len(e.Ids) > 0 || len(e.Names) > 0) {
					base = costList
				}
				if e != nil && len(e.Names) > 0 {
					names = costStatement
				}
			}
			if filter.Document != nil {
				base = costList
			}
		}
		return sat(base + names + n*int64(child))
	}
	c.Query.Schools, c.Query.Countries, c.Query.Enterprises = entities, entities, entities
	c.Query.Alliances, c.Query.Programs = entities, entities
	c.Query.Changes = func(child int, _, _ *string, first *int, _ *string) int {
		return sat(costList + page(first, defaultChangePage)*int64(child))
	}
	c.Query.Search = func(child int, _ string, _ []model.Kind, first *int) int {
		return sat(costSearch + page(first, defaultSearchHits)*int64(child))
	}
	c.Query.EntityCounts = func(child int, _ model.EntityGrouping, _ *model.EntityFilter) int {
		return sat(costAggregate + 2*assumedLength*int64(child))
	}
	c.Query.RelationCounts = func(child int, _ model.RelationGrouping, _ []model.RelationType) int {
		return sat(costAggregate + 2*assumedLength*int64(child))
	}
	c.Query.Stats = func(child int) int { return sat(costAggregate + int64(child)) }
	c.Query.RelationTypes = func(child int) int { return sat(1 + int64(len(kg.Vocabulary()))*int64(child)) }

	// Exploration. An end given by name costs a lookup (one statement
	// resolves every name of the field).
	names := func(ns ...*string) int64 {
		for _, n := range ns {
			if n != nil {
				return costStatement
			}
		}
		return 0
	}
	c.Query.Neighborhood = func(child int, _, name *string, depth *int, _ []model.RelationType, _ []model.Kind, limit *int, _ *string) int {
		d := clamp(depth, defaultDepth, 1, store.MaxDepth)
		n := clamp(limit, defaultNeighborhood, 1, store.MaxNeighborhood)
		return sat(names(name) + explore(d, 4) + n*int64(child))
	}
	c.Query.ShortestPath = func(child int, _, _, fromName, toName *string, _ []model.RelationType, maxHops *int, _ *bool, _ *string) int {
		h := clamp(maxHops, defaultMaxHops, 1, store.MaxHops)
		return sat(names(fromName, toName) + explore(h, 2) + h*int64(child))
	}
	c.Query.Paths = func(child int, _, _, fromName, toName *string, _ []model.RelationType, maxHops, first *int, _ *bool, _ *string) int {
		h := clamp(maxHops, defaultMaxHops, 1, store.MaxHops)
		k := clamp(first, defaultPaths, 1, store.MaxPaths)
		return sat(names(fromName, toName) + explore(h, 3) + k*int64(child))
	}
	c.Query.Explain = func(child int, _, _, fromName, toName *string, _ *model.Lang, maxHops *int, _ []model.RelationType) int {
		h := clamp(maxHops, defaultMaxHops, 1, store.MaxHops)
		return sat(names(fromName, toName) + explore(h, 2) + h*int64(child))
	}
	c.Query.CommonNeighbors = func(child int, _, _, aName, bName *string, _ []model.RelationType) int {
		return sat(names(aName, bName) + explore(2, 2) + assumedLength*int64(child))
	}
	// A path's nodes and edges are as many as its hops: the exploration
	// field multiplies the Path's selections, so these count once.

	evidenceCosts(&c, page) // evidence search, facts, names (evidence.go)

	// Writes.
	write := func(child int) int { return sat(costWrite + int64(child)) }
	c.Mutation.AddDocument = func(child int, _ model.DocumentInput, _, _ *string) int { return write(child) }
	c.Mutation.UpsertEntity = func(child int, _ model.EntityInput, _ *int64, _, _ *string) int { return write(child) }
	c.Mutation.AddRelation = func(child int, _ model.RelationInput, _, _ *string) int { return write(child) }
	c.Mutation.AddFact = func(child int, _ model.FactInput, _, _ *string) int { return write(child) }
	c.Mutation.SetRank = func(child int, _ string, _ model.Rank, _ string, _ *string) int { return write(child) }
	c.Mutation.Retract = func(child int, _, _ string, _ *string) int { return write(child) }
	c.Mutation.MergeEntities = func(child int, _, _, _ string, _ *string) int { return write(child) }
	c.Mutation.DeleteEntity = func(child int, _, _ string, _ *string) int { return write(child) }
	c.Mutation.AddRelationType = func(child int, _ model.RelationTypeInput, _ string, _ *string) int { return write(child) }
	return c
}

// explore is the cost of an exploration statement of h hops whose work
// grows by branching per further hop.
func explore(h, branching int64) int64 {
	c := int64(costExplore)
	for i := int64(1); i < h; i++ {
		c *= branching
	}
	return c
}

// clamp is *v (def when nil) within [lo, hi].
func clamp(v *int, def, lo, hi int) int64 {
	n := def
	if v != nil {
		n = *v
	}
	return int64(min(max(n, lo), hi))
}

// sat converts a cost to int, saturating well below overflow (gqlgen adds
// costs with a saturating add; a product can still be too large).
func sat(c int64) int {
	if c > math.MaxInt32 || c < 0 {
		return math.MaxInt32
	}
	return int(c)
}
