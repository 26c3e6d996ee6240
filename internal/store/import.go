package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/textkey"
)

// Import writes an ExportGraph (a whole graph, or one source's part) into
// the database: it validates all of it first, with the rules every way in
// shares (kg.CheckDocument, kg.CheckEntity, kg.CheckRelation, kg.CheckFact,
// names held by two entities in the input or in the database, ends,
// subjects and documents that exist in the input or the database), then
// writes what differs from the database in batches, each its own write
// transaction (UNWIND over the batch's rows, MERGE on ids), and appends one
// :Change entry (op "import") for the whole import. Items equal to what the
// database holds are not written: importing the same input twice changes
// nothing the second time (and appends no change entry).
//
// What the database has and the input lacks is left alone: an import adds
// and updates, it never deletes (except a relation the input retracts, which
// becomes :RETRACTED as Retract makes it).

// ImportOptions tune Import.
type ImportOptions struct {
	// Batch is the number of rows per write transaction; 0 means
	// DefaultImportBatch.
	Batch int
	// DryRun validates and computes the diff, and writes nothing.
	DryRun bool
	// KeepOrigin writes every item with the origin the input states
	// (kg.OriginData or kg.OriginAPI), and entities with the version it
	// states: for restoring an export into an empty database beside the same
	// data files, so that a later load of the files owns their part again
	// and exporting gives the same files. Without it everything Import
	// writes is curated data (kg.OriginAPI): no load of the data files
	// changes or removes it.
	KeepOrigin bool
}

// DefaultImportBatch is the default number of rows per write transaction.
const DefaultImportBatch = 1000

// ImportCounts is the diff of one kind of item: the ids created and
// changed, in id order, and how many were already as the input has them.
type ImportCounts struct {
	Created, Changed []string
	Unchanged        int
}

// ImportDiff is what an import changes (or, in a dry run, would change).
// RelationTypes are the relationship types the input brings (by name):
// created, or unchanged when stored with the same definition; never
// changed (another definition is refused).
type ImportDiff struct {
	RelationTypes                                               ImportCounts
	Documents, Entities, Relations, Facts, Retracted, Redirects ImportCounts
}

// Kinds returns the diff's parts with their names, in a fixed order; the
// relation types come first, and only when the input brings any (so that
// the diff of an input without them reads as it always did).
func (d ImportDiff) Kinds() []struct {
	Name   string
	Counts ImportCounts
} {
	type kind = struct {
		Name   string
		Counts ImportCounts
	}
	var out []kind
	if t := d.RelationTypes; len(t.Created)+len(t.Changed)+t.Unchanged > 0 {
		out = append(out, kind{"relation types", t})
	}
	return append(out, kind{"documents", d.Documents}, kind{"entities", d.Entities}, kind{"relations", d.Relations},
		kind{"facts", d.Facts}, kind{"retracted", d.Retracted}, kind{"redirects", d.Redirects})
}

// Writes is the number of items to create or change.
func (d ImportDiff) Writes() int {
	n := 0
	for _, k := range d.Kinds() {
		n += len(k.Counts.Created) + len(k.Counts.Changed)
	}
	return n
}

// Summary says in one line what the diff creates and changes.
func (d ImportDiff) Summary() string {
	var parts []string
	for _, k := range d.Kinds() {
		parts = append(parts, fmt.Sprintf("%s %d created, %d changed, %d unchanged", k.Name, len(k.Counts.Created), len(k.Counts.Changed), k.Counts.Unchanged))
	}
	return strings.Join(parts, "; ")
}

// ImportResult is what Import did (or, in a dry run, would do).
type ImportResult struct {
	Diff  ImportDiff
	Stats LoadStats
	// Change is the change-log entry the import appended; nil for a dry run
	// and when nothing differed.
	Change *kg.Change
}

// ImportError lists every problem the input has; nothing was written. It
// wraps kg.ErrInvalidInput, and also kg.ErrConflict when Conflict is set.
type ImportError struct {
	Problems []string
	// Conflict: a problem is a relationship type the database stores with
	// another definition.
	Conflict bool
}

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "import refused, nothing written: %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, kg.ErrInvalidInput) true, and
// errors.Is(err, kg.ErrConflict) when a type conflicts.
func (e *ImportError) Unwrap() []error {
	if e.Conflict {
		return []error{kg.ErrInvalidInput, kg.ErrConflict}
	}
	return []error{kg.ErrInvalidInput}
}

// maxImportProblems bounds the problems reported (the first ones, in input
// order).
const maxImportProblems = 200

// RelationID is the id of a relation of the data files:
// "<documentID>:<from>:<TYPE>:<to>", plus "#<key>" when key is set.
func RelationID(doc, from string, typ kg.RelType, to, key string) string {
	id := fmt.Sprintf("%s:%s:%s:%s", doc, from, typ, to)
	if key != "" {
		id += "#" + key
	}
	return id
}

// Validation reads: what the database holds of the ids and names the input
// uses, in two read transactions run at once (the names; the rest: see
// readImportState).
const (
	importReadDocuments = `
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN properties(d) AS d,
  EXISTS { (:Fact)-[:STATED_IN]->(d) } OR EXISTS { (:Entity)-[:MENTIONED_IN]->(d) } AS cited`

	importReadEntities = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN properties(n) AS n`

	importReadRelationCounts = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, COUNT { (n)-[r]-(:Entity) WHERE type(r) IN $types } AS relations`

	importReadRedirects = `
UNWIND $ids AS id
MATCH (r:Redirect {id: id})-[:REDIRECTS_TO]->(t:Entity)
RETURN properties(r) AS r, t.id AS to`

	importReadNames = `
UNWIND $keys AS key
MATCH (k:Name {key: key})-[:NAME_OF]->(o:Entity)
RETURN key, k.text AS text, o.id AS id, o.nameZh AS nameZh`

	// importReadRelationsTmpl reads relations of type %s by id.
	importReadRelationsTmpl = `
UNWIND $ids AS id
MATCH (a:Entity)-[r:%s {id: id}]->(b:Entity)
RETURN properties(r) AS r, a.id AS from, b.id AS to`

	importReadRetracted = `
UNWIND $ids AS id
MATCH (a:Entity)-[x:RETRACTED {id: id}]->(b:Entity)
RETURN properties(x) AS x, a.id AS from, b.id AS to`

	importReadFacts = `
UNWIND $ids AS id
MATCH (f:Fact {id: id})-[:FACT_OF]->(n:Entity)
RETURN properties(f) AS f, n.id AS subject`

	importReadRetractedFacts = `
UNWIND $ids AS id
MATCH (f:RetractedFact {id: id})-[:FACT_OF]->(n:Entity)
RETURN properties(f) AS f, n.id AS subject`
)

// Writes, each over one batch of rows.
const (
	importDocuments = `
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d += row.props`

	// importReleaseNames removes the names that changed entities no longer
	// have, before any entity takes them.
	importReleaseNames = `
UNWIND $rows AS row
MATCH (old:Name)-[:NAME_OF]->(:Entity {id: row.id})
WHERE NOT old.key IN row.keys
DETACH DELETE old`

	// importEntitiesTmpl writes entities of kind %[1]s (removing the other
	// kind labels, %[2]s) and points their names at them; it returns the
	// names another entity holds too (a concurrent write took one since
	// validation), which fail the batch.
	importEntitiesTmpl = `
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n += row.props, n:%[1]s
REMOVE n%[2]s
WITH n, row
UNWIND row.names AS nm
MERGE (k:Name {key: nm.key})
SET k += nm.props
MERGE (k)-[:NAME_OF]->(n)
WITH k, n
MATCH (k)-[:NAME_OF]->(o:Entity) WHERE o <> n
RETURN k.text AS name, o.id AS id, o.nameZh AS nameZh`

	// importRelationsTmpl writes relations of type %[1]s by id (one whose
	// ends changed is made anew between the new ends) and the mentions of
	// their ends in the documents they cite.
	importRelationsTmpl = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
OPTIONAL MATCH (x:Entity)-[old:%[1]s {id: row.id}]->(y:Entity) WHERE x <> a OR y <> b
DELETE old
WITH DISTINCT row, a, b
MERGE (a)-[r:%[1]s {id: row.id}]->(b)
SET r += row.props
WITH row, a, b
UNWIND row.docs AS doc
MATCH (d:Document {id: doc})
MERGE (a)-[m1:MENTIONED_IN]->(d) ON CREATE SET m1.origin = row.props.origin
MERGE (b)-[m2:MENTIONED_IN]->(d) ON CREATE SET m2.origin = row.props.origin`

	importFacts = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.subject}), (d:Document {id: row.doc})
MERGE (f:Fact {id: row.id})
SET f += row.props
WITH f, n, d, row
OPTIONAL MATCH (f)-[old:FACT_OF|STATED_IN]->(o) WHERE o <> n AND o <> d
DELETE old
WITH DISTINCT f, n, d, row
MERGE (f)-[:FACT_OF]->(n)
MERGE (f)-[:STATED_IN]->(d)
WITH n, row
UNWIND row.docs AS doc
MATCH (dd:Document {id: doc})
MERGE (n)-[m:MENTIONED_IN]->(dd) ON CREATE SET m.origin = row.props.origin`

	// importRetractedRelationsTmpl writes retracted relations that were
	// of type %[1]s: a live one with the id is retracted (replaced by its
	// :RETRACTED form).
	importRetractedRelationsTmpl = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
OPTIONAL MATCH (:Entity)-[live:%[1]s {id: row.id}]->(:Entity)
DELETE live
WITH DISTINCT row, a, b
MERGE (a)-[x:RETRACTED {id: row.id}]->(b)
SET x += row.props`

	importRetractedFacts = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.subject}), (d:Document {id: row.doc})
OPTIONAL MATCH (live:Fact {id: row.id})
REMOVE live:Fact
SET live:RetractedFact
WITH DISTINCT row, n, d
MERGE (f:RetractedFact {id: row.id})
SET f += row.props
WITH f, n, d
OPTIONAL MATCH (f)-[old:FACT_OF|STATED_IN]->(o) WHERE o <> n AND o <> d
DELETE old
WITH DISTINCT f, n, d
MERGE (f)-[:FACT_OF]->(n)
MERGE (f)-[:STATED_IN]->(d)`

	importRedirects = `
UNWIND $rows AS row
MATCH (t:Entity {id: row.to})
MERGE (r:Redirect {id: row.id})
SET r += row.props
WITH r, t
OPTIONAL MATCH (r)-[old:REDIRECTS_TO]->(o) WHERE o <> t
DELETE old
WITH DISTINCT r, t
MERGE (r)-[:REDIRECTS_TO]->(t)`
)

// importWriteTimeout bounds one batch's transaction.
const importWriteTimeout = 2 * time.Minute

// Import validates g as a whole against the database and, unless
// opt.DryRun, writes what differs (see the comment above ImportOptions).
// The relationship types g brings are added first (see import_types.go).
// A relation without an ID gets the data files' id
// (<documentID>:<from>:<TYPE>:<to>), set in g. Problems with the input
// come back as an *ImportError listing them all (the first
// maxImportProblems; nothing is written). A batch that fails (Neo4j unavailable, a name taken
// by a concurrent write) stops the import: the batches before it stay
// written, the change entry records what was, and importing the same input
// again completes it.
func (s *Store) Import(ctx context.Context, st kg.Stamp, g *ExportGraph, opt ImportOptions) (ImportResult, error) {
	if opt.Batch <= 0 {
		opt.Batch = DefaultImportBatch
	}
	countStatement(ctx)
	types, err := s.planRelationTypes(ctx, st, g, opt)
	if err != nil {
		return ImportResult{}, err
	}
	var problems []string
	typesWritten := false
	if types != nil {
		// The input's new types are in the vocabulary while it is checked
		// and written; the vocabulary is put back unless they were written
		// (it then holds what the database stores).
		restore, err := types.useVocabulary()
		if err != nil {
			return ImportResult{}, err
		}
		defer func() {
			if !typesWritten {
				restore()
			}
		}()
		problems = types.problems
	}
	in, inputProblems := indexInput(g)
	problems = append(problems, inputProblems...)
	var cache *nameCache
	if !opt.DryRun && len(problems) == 0 {
		cache = startNameCache(in)
		defer cache.halt()
	}
	db, err := s.readImportState(ctx, in)
	if err != nil {
		return ImportResult{}, err
	}
	p := planImport(in, db, opt)
	p.cache = cache
	if types != nil {
		p.diff.RelationTypes = types.diff
	}
	problems = append(problems, p.problems...)
	if len(problems) > 0 {
		if len(problems) > maxImportProblems {
			problems = append(problems[:maxImportProblems], fmt.Sprintf("… and %d more", len(problems)-maxImportProblems))
		}
		return ImportResult{Diff: p.diff}, &ImportError{Problems: problems, Conflict: types != nil && types.conflict}
	}
	res := ImportResult{Diff: p.diff}
	if opt.DryRun || p.diff.Writes() == 0 {
		return res, nil
	}
	var written []string
	if types != nil && len(types.create) > 0 {
		created, err := s.writeRelationTypes(ctx, types, &res.Stats)
		if err != nil {
			return res, err // nothing written
		}
		typesWritten = true
		written = created
		if err := s.indexRelationTypes(ctx, created); err != nil {
			err = fmt.Errorf("import: %s: %w", typesLeftBehind(created), err)
			c, _ := s.appendImportChange(ctx, st, p.diff, written, err)
			res.Change = c
			return res, err
		}
	}
	rest, werr := s.writeImport(ctx, p, opt.Batch, &res.Stats)
	written = append(written, rest...)
	c, cerr := s.appendImportChange(ctx, st, p.diff, written, werr)
	res.Change = c
	if werr != nil {
		return res, werr
	}
	return res, cerr
}

// importInput is the input indexed by id.
type importInput struct {
	g         *ExportGraph
	docs      map[string]ExportDocument
	ents      map[string]ExportEntity
	rels      map[string]kg.Relation
	facts     map[string]kg.Fact
	retracted map[string]Retraction // by id; relation ids hold ':', fact ids do not
	redirects map[string]Redirect
	nameKeys  map[string]string // name key → the input entity that holds it
	entNames  map[string][]nameForm
}

// indexInput indexes g and reports what is wrong with it on its own.
func indexInput(g *ExportGraph) (*importInput, []string) {
	in := &importInput{
		g: g, docs: map[string]ExportDocument{}, ents: map[string]ExportEntity{}, rels: map[string]kg.Relation{},
		facts: map[string]kg.Fact{}, retracted: map[string]Retraction{}, redirects: map[string]Redirect{},
		nameKeys: map[string]string{}, entNames: map[string][]nameForm{},
	}
	var out []string
	add := func(where string, ps []string) {
		for _, p := range ps {
			out = append(out, where+": "+p)
		}
	}
	for _, d := range g.Documents {
		where := fmt.Sprintf("document %s", d.ID)
		if _, dup := in.docs[d.ID]; dup {
			add(where, []string{"appears twice in the input"})
			continue
		}
		in.docs[d.ID] = d
		add(where, kg.CheckDocument(d.Document))
		add(where, checkOrigin(d.Origin))
	}
	for _, e := range g.Entities {
		where := fmt.Sprintf("entity %s", e.ID)
		if _, dup := in.ents[e.ID]; dup {
			add(where, []string{"appears twice in the input"})
			continue
		}
		in.ents[e.ID] = e
		add(where, kg.CheckEntity(e.Entity))
		add(where, checkOrigin(e.Origin))
		if e.Version < 0 {
			add(where, []string{fmt.Sprintf("version %d is negative", e.Version)})
		}
		names := nameForms(e.Entity)
		in.entNames[e.ID] = names
		for _, nf := range names {
			if o, ok := in.nameKeys[nf.key]; ok && o != e.ID {
				add(where, []string{fmt.Sprintf("name or alias %q is also a name of entity %s in the input; names must identify one entity", nf.text, o)})
				continue
			}
			in.nameKeys[nf.key] = e.ID
		}
	}
	for i, r := range g.Relations {
		if r.ID == "" {
			r.ID = RelationID(r.Evidence.DocumentID, r.From, r.Type, r.To, "")
			g.Relations[i] = r
		}
		where := fmt.Sprintf("relation %s", r.ID)
		if _, dup := in.rels[r.ID]; dup {
			add(where, []string{"appears twice in the input"})
			continue
		}
		in.rels[r.ID] = r
		add(where, checkStatementFields(r.ID, r.Type, r.Rank, r.SameAs, r.Origin, r.MoreEvidence))
	}
	for _, f := range g.Facts {
		where := fmt.Sprintf("fact %s", f.ID)
		if _, dup := in.facts[f.ID]; dup {
			add(where, []string{"appears twice in the input"})
			continue
		}
		in.facts[f.ID] = f
		add(where, checkStatementFields("", "", f.Rank, f.SameAs, f.Origin, f.MoreEvidence))
	}
	for _, x := range g.Retracted {
		id := x.ID()
		where := fmt.Sprintf("retracted %s", id)
		switch {
		case x.Relation == nil && x.Fact == nil || x.Relation != nil && x.Fact != nil:
			add("retracted", []string{"a retraction holds a relation or a fact"})
			continue
		case x.Relation != nil:
			add(where, checkStatementFields(id, x.Relation.Type, x.Relation.Rank, x.Relation.SameAs, x.Relation.Origin, x.Relation.MoreEvidence))
			if _, live := in.rels[id]; live {
				add(where, []string{"is also a live relation in the input"})
			}
		default:
			add(where, checkStatementFields("", "", x.Fact.Rank, x.Fact.SameAs, x.Fact.Origin, x.Fact.MoreEvidence))
			if _, live := in.facts[id]; live {
				add(where, []string{"is also a live fact in the input"})
			}
		}
		if _, dup := in.retracted[id]; dup {
			add(where, []string{"appears twice in the input"})
			continue
		}
		in.retracted[id] = x
		for _, fv := range [][2]string{{"retractedBy", x.By}, {"retractReason", x.Reason}} {
			if p := kg.CheckText(fv[0], fv[1], kg.MaxReason); p != "" {
				add(where, []string{p})
			}
		}
	}
	for _, r := range g.Redirects {
		where := fmt.Sprintf("redirect %s", r.ID)
		if !kg.EntityIDPattern.MatchString(r.ID) || len(r.ID) > kg.MaxIDLength {
			add(where, []string{"id must be an entity id (lower-kebab-case ASCII)"})
		}
		if _, dup := in.redirects[r.ID]; dup {
			add(where, []string{"appears twice in the input"})
			continue
		}
		in.redirects[r.ID] = r
		if _, ok := in.ents[r.ID]; ok {
			add(where, []string{"is also an entity in the input: a merged-away id is no entity"})
		}
		for _, fv := range [][2]string{{"nameZh", r.NameZh}, {"mergedBy", r.By}} {
			if p := kg.CheckText(fv[0], fv[1], kg.MaxName); p != "" {
				add(where, []string{p})
			}
		}
	}
	return in, out
}

// checkStatementFields checks what the kg checks leave to the caller: a
// relation id that names the relation's type (Retract and SetRank find a
// relation by the type its id names), the rank, a sameAs id and the origin.
func checkStatementFields(id string, typ kg.RelType, rank kg.Rank, sameAs, origin string, more []kg.Evidence) []string {
	var out []string
	if id != "" {
		if p := kg.CheckText("id", id, 2*kg.MaxIDLength+200); p != "" {
			out = append(out, p)
		} else if t, ok := relTypeOfID(id); !ok || t != typ {
			out = append(out, fmt.Sprintf("id %q must read <source>:<from>:%s:<to>… (the type is part of a relation id)", id, typ))
		}
	}
	if rank != "" && !slices.Contains(kg.Ranks, rank) {
		out = append(out, fmt.Sprintf("rank %q must be one of %v", rank, kg.Ranks))
	}
	if p := kg.CheckText("sameAs", sameAs, 2*kg.MaxIDLength+200); p != "" {
		out = append(out, p)
	}
	out = append(out, checkOrigin(origin)...)
	for _, e := range more {
		if e.DocumentID == "" {
			out = append(out, "moreEvidence: a document is required")
		}
	}
	return out
}

func checkOrigin(o string) []string {
	if o != "" && o != kg.OriginData && o != kg.OriginAPI {
		return []string{fmt.Sprintf("origin %q must be %s or %s", o, kg.OriginData, kg.OriginAPI)}
	}
	return nil
}

// importState is what the database holds of the ids and names the input
// uses.
type importState struct {
	docs          map[string]map[string]any // id → properties
	cited         map[string]bool
	ents          map[string]map[string]any
	relCounts     map[string]int64 // entities whose kind the input changes → their relations
	redirects     map[string]Redirect
	names         map[string][3]string // key → text, holder id, holder nameZh
	rels          map[string]kg.Relation
	retractedRels map[string]Retraction
	facts         map[string]kg.Fact
	retractedFact map[string]Retraction
}

func newImportState() *importState {
	return &importState{
		docs: map[string]map[string]any{}, cited: map[string]bool{}, ents: map[string]map[string]any{},
		relCounts: map[string]int64{}, redirects: map[string]Redirect{}, names: map[string][3]string{},
		rels: map[string]kg.Relation{}, retractedRels: map[string]Retraction{}, facts: map[string]kg.Fact{}, retractedFact: map[string]Retraction{},
	}
}

func (s *Store) readImportState(ctx context.Context, in *importInput) (*importState, error) {
	db := newImportState()

	docIDs, entIDs, relIDs, factIDs := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	evidence := func(ev []kg.Evidence) {
		for _, e := range ev {
			docIDs[e.DocumentID] = true
		}
	}
	for id := range in.docs {
		docIDs[id] = true
	}
	for id := range in.ents {
		entIDs[id] = true
	}
	for id, r := range in.rels {
		relIDs[id] = true
		entIDs[r.From], entIDs[r.To] = true, true
		evidence(r.AllEvidence())
		if r.SameAs != "" {
			relIDs[r.SameAs] = true
		}
	}
	for id, f := range in.facts {
		factIDs[id] = true
		entIDs[f.Subject] = true
		evidence(f.AllEvidence())
		if f.SameAs != "" {
			factIDs[f.SameAs] = true
		}
	}
	for id, x := range in.retracted {
		if r := x.Relation; r != nil {
			relIDs[id] = true
			entIDs[r.From], entIDs[r.To] = true, true
			evidence(r.AllEvidence())
			if r.SameAs != "" {
				relIDs[r.SameAs] = true
			}
		} else {
			factIDs[id] = true
			entIDs[x.Fact.Subject] = true
			evidence(x.Fact.AllEvidence())
			if x.Fact.SameAs != "" {
				factIDs[x.Fact.SameAs] = true
			}
		}
	}
	for id, r := range in.redirects {
		entIDs[id], entIDs[r.To] = true, true
	}
	keys := make([]string, 0, len(in.nameKeys))
	for k := range in.nameKeys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	byType := map[kg.RelType][]string{}
	for id := range relIDs {
		if t, ok := relTypeOfID(id); ok {
			byType[t] = append(byType[t], id)
		}
	}

	// Two read transactions at once: the names (the most rows: every name
	// of every input entity) and everything else. Neo4j reads at
	// read-committed either way, and the write statements check the names
	// again (importEntitiesTmpl), so nothing is lost by not sharing one
	// transaction. A statement whose list is empty is not sent.
	read := func(work func(tx neo4j.ManagedTransaction) error) error {
		return s.readTx(ctx, exportTimeout, work)
	}
	collectSome := func(tx neo4j.ManagedTransaction, cypher, param string, list []string) ([]*neo4j.Record, error) {
		if len(list) == 0 {
			return nil, nil
		}
		return collect(ctx, tx, cypher, map[string]any{param: list})
	}
	names := make(chan error, 1)
	go func() {
		names <- read(func(tx neo4j.ManagedTransaction) error {
			recs, err := collectSome(tx, importReadNames, "keys", keys)
			for _, rec := range recs {
				db.names[rec.Values[0].(string)] = [3]string{str2(rec.Values[1]), str2(rec.Values[2]), str2(rec.Values[3])}
			}
			return err
		})
	}()
	err := read(func(tx neo4j.ManagedTransaction) error {
		recs, err := collectSome(tx, importReadDocuments, "ids", sortedKeys(docIDs))
		if err != nil {
			return err
		}
		for _, rec := range recs {
			p := rec.Values[0].(map[string]any)
			db.docs[str(p, "id")] = p
			db.cited[str(p, "id")], _ = rec.Values[1].(bool)
		}
		ids := sortedKeys(entIDs)
		if recs, err = collectSome(tx, importReadEntities, "ids", ids); err != nil {
			return err
		}
		var kindChanged []string
		for _, rec := range recs {
			p := rec.Values[0].(map[string]any)
			id := str(p, "id")
			db.ents[id] = p
			if e, ok := in.ents[id]; ok && string(e.Kind) != str(p, "kind") {
				kindChanged = append(kindChanged, id)
			}
		}
		if len(kindChanged) > 0 {
			if recs, err = collect(ctx, tx, importReadRelationCounts, map[string]any{"ids": kindChanged, "types": vocabularyTypes()}); err != nil {
				return err
			}
			for _, rec := range recs {
				db.relCounts[rec.Values[0].(string)] = asInt64(rec.Values[1])
			}
		}
		if recs, err = collectSome(tx, importReadRedirects, "ids", ids); err != nil {
			return err
		}
		for _, rec := range recs {
			p := rec.Values[0].(map[string]any)
			db.redirects[str(p, "id")] = Redirect{
				ID: str(p, "id"), To: rec.Values[1].(string), NameZh: str(p, "nameZh"),
				By: str(p, "mergedBy"), At: timeOf(p["mergedAt"]),
			}
		}
		for t, ids := range byType {
			cypher := statement("import-read-relations "+string(t), func() string { return fmt.Sprintf(importReadRelationsTmpl, t) })
			if recs, err = collectSome(tx, cypher, "ids", ids); err != nil {
				return err
			}
			for _, rec := range recs {
				r := toRelation(rec.Values[0].(map[string]any), string(t))
				r.From, r.To = rec.Values[1].(string), rec.Values[2].(string)
				db.rels[r.ID] = r
			}
		}
		if recs, err = collectSome(tx, importReadRetracted, "ids", sortedKeys(relIDs)); err != nil {
			return err
		}
		for _, rec := range recs {
			p := rec.Values[0].(map[string]any)
			r := toRelation(p, str(p, "type"))
			r.From, r.To = rec.Values[1].(string), rec.Values[2].(string)
			db.retractedRels[r.ID] = retractionOf(p, &r, nil)
		}
		fids := sortedKeys(factIDs)
		if recs, err = collectSome(tx, importReadFacts, "ids", fids); err != nil {
			return err
		}
		for _, rec := range recs {
			f := toFact(rec.Values[0].(map[string]any))
			f.Subject = rec.Values[1].(string)
			db.facts[f.ID] = f
		}
		if recs, err = collectSome(tx, importReadRetractedFacts, "ids", fids); err != nil {
			return err
		}
		for _, rec := range recs {
			p := rec.Values[0].(map[string]any)
			f := toFact(p)
			f.Subject = rec.Values[1].(string)
			db.retractedFact[f.ID] = retractionOf(p, nil, &f)
		}
		return nil
	})
	if nerr := <-names; err == nil {
		err = nerr
	}
	if err != nil {
		return nil, translate(err)
	}
	return db, nil
}

func str2(v any) string { s, _ := v.(string); return s }

// nameForm is one name of an entity: its text, the field it comes from
// (nameZh, nameEn, alias) and its key (textkey.Key), what names are
// compared by.
type nameForm struct{ text, field, key string }

// nameForms returns e's names with their keys, each key once; blank names
// have none.
func nameForms(e kg.Entity) []nameForm {
	var out []nameForm
	seen := map[string]bool{}
	add := func(text, field string) {
		if k := textkey.Key(text); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, nameForm{text, field, k})
		}
	}
	add(e.NameZh, "nameZh")
	add(e.NameEn, "nameEn")
	for _, a := range e.Aliases {
		add(a, "alias")
	}
	return out
}

// entityNames are an entity's names to write, with the origin they get.
type entityNames struct {
	forms  []nameForm
	origin string
}

// prepareNames fills in the "names" of entity rows: each name's key and
// its search node's properties (search forms: words, pinyin…; see
// nameRow).
func (p *importPlan) prepareNames(rows []any) {
	for _, r := range rows {
		row := r.(map[string]any)
		id := row["id"].(string)
		en, ok := p.names[id]
		if !ok || row["names"] != nil {
			continue
		}
		var computed []map[string]any
		if p.cache != nil {
			computed = p.cache.get(id)
		} else {
			computed = nameNodes(id, en.forms)
		}
		names := make([]any, len(computed))
		for i, nr := range computed {
			nr["props"].(map[string]any)["origin"] = en.origin // computed for this row alone
			names[i] = nr
		}
		row["names"] = names
	}
}

// nameNodes returns the search name nodes of one entity's names: {key,
// props} with the search forms (see nameRow), origin left to the caller.
func nameNodes(id string, forms []nameForm) []map[string]any {
	out := make([]map[string]any, 0, len(forms))
	for _, nf := range forms {
		nr := nameRow(id, nf.text, nf.field)
		if nr == nil {
			continue
		}
		key := nr["key"]
		delete(nr, "entity") // nr is new: its map becomes the properties
		delete(nr, "key")
		out = append(out, map[string]any{"key": key, "props": nr})
	}
	return out
}

// nameCache computes the search name nodes of the input's entities in the
// background, on every CPU, in the order they are written, from the start
// of an import: the search forms (word segmentation, pinyin) are most of
// an import's own work, and so they overlap the validation reads and the
// writes of earlier batches instead of adding to them.
type nameCache struct {
	pos    map[string][2]int // entity id → chunk, index in chunk
	ids    [][]string        // per chunk
	forms  [][][]nameForm
	out    [][][]map[string]any
	done   []chan struct{}
	next   atomic.Int64
	halted atomic.Bool
}

const nameChunk = 200

func startNameCache(in *importInput) *nameCache {
	c := &nameCache{pos: map[string][2]int{}}
	var order []ExportEntity
	for _, k := range kg.Kinds {
		for _, e := range in.g.Entities {
			if e.Kind == k {
				order = append(order, e)
			}
		}
	}
	for _, e := range in.g.Entities {
		if _, known := kg.ParseKind(string(e.Kind)); !known {
			order = append(order, e)
		}
	}
	for _, e := range order {
		if _, dup := c.pos[e.ID]; dup {
			continue
		}
		if len(c.ids) == 0 || len(c.ids[len(c.ids)-1]) == nameChunk {
			c.ids, c.forms = append(c.ids, nil), append(c.forms, nil)
			c.done = append(c.done, make(chan struct{}))
		}
		n := len(c.ids) - 1
		c.pos[e.ID] = [2]int{n, len(c.ids[n])}
		c.ids[n] = append(c.ids[n], e.ID)
		c.forms[n] = append(c.forms[n], in.entNames[e.ID])
	}
	c.out = make([][][]map[string]any, len(c.ids))
	for range min(nameWorkers(), len(c.ids)) {
		go func() {
			for {
				n := int(c.next.Add(1) - 1)
				if n >= len(c.ids) {
					return
				}
				if !c.halted.Load() {
					out := make([][]map[string]any, len(c.ids[n]))
					for i, id := range c.ids[n] {
						out[i] = nameNodes(id, c.forms[n][i])
					}
					c.out[n] = out
				}
				close(c.done[n])
			}
		}()
	}
	return c
}

// get waits for entity id's name nodes and returns them.
func (c *nameCache) get(id string) []map[string]any {
	p := c.pos[id]
	<-c.done[p[0]]
	return c.out[p[0]][p[1]]
}

// halt stops the work not yet started (after the import, or when it
// writes nothing).
func (c *nameCache) halt() { c.halted.Store(true) }

// importPlan is the diff, the problems found against the database, and the
// rows to write.
type importPlan struct {
	diff     ImportDiff
	problems []string

	docs          []any
	release       []any             // {id, keys}: names changed entities give up
	ents          map[kg.Kind][]any // {id, props, names}
	names         map[string]entityNames
	cache         *nameCache // nil: prepareNames computes the names itself
	rels          map[kg.RelType][]any
	facts         []any
	retractedRels map[kg.RelType][]any // keyed by the type the live relation had
	retractedFact []any
	redirects     []any
}

func planImport(in *importInput, db *importState, opt ImportOptions) *importPlan {
	p := &importPlan{
		ents: map[kg.Kind][]any{}, rels: map[kg.RelType][]any{}, retractedRels: map[kg.RelType][]any{},
		names: map[string]entityNames{},
	}
	add := func(where string, ps ...string) {
		for _, x := range ps {
			p.problems = append(p.problems, where+": "+x)
		}
	}
	origin := func(o string) string {
		if !opt.KeepOrigin {
			return kg.OriginAPI
		}
		if o == "" {
			return kg.OriginData
		}
		return o
	}
	count := func(c *ImportCounts, id string, exists, equal bool) bool {
		switch {
		case !exists:
			c.Created = append(c.Created, id)
		case !equal:
			c.Changed = append(c.Changed, id)
		default:
			c.Unchanged++
			return false
		}
		return true
	}
	// What a statement may refer to: entities and documents of the input or
	// the database.
	kindOf := func(where, field, id string) kg.Kind {
		if e, ok := in.ents[id]; ok {
			return e.Kind
		}
		if e, ok := db.ents[id]; ok {
			return kg.Kind(str(e, "kind"))
		}
		if r, ok := in.redirects[id]; ok {
			add(where, fmt.Sprintf("%s: %s was merged into %s; use %s", field, id, r.To, r.To))
		} else if r, ok := db.redirects[id]; ok {
			add(where, fmt.Sprintf("%s: %s was merged into %s; use %s", field, id, r.To, r.To))
		} else {
			add(where, fmt.Sprintf("%s: no entity %q in the input or the database", field, id))
		}
		return ""
	}
	textOf := func(where, doc string) (string, bool) {
		if d, ok := in.docs[doc]; ok {
			return d.Text, true
		}
		if d, ok := db.docs[doc]; ok {
			return str(d, "text"), true
		}
		add(where, fmt.Sprintf("evidence: no document %q in the input or the database", doc))
		return "", false
	}
	checkMore := func(where string, more []kg.Evidence) {
		for _, e := range more {
			if text, ok := textOf(where, e.DocumentID); ok {
				add(where, prefix("moreEvidence: ", kg.CheckQuote(e.DocumentID, text, e.Quote))...)
			}
		}
	}
	relationExists := func(id string) (kg.RelType, bool) {
		if r, ok := in.rels[id]; ok {
			return r.Type, true
		}
		if x, ok := in.retracted[id]; ok && x.Relation != nil {
			return x.Relation.Type, true
		}
		if r, ok := db.rels[id]; ok {
			return r.Type, true
		}
		if x, ok := db.retractedRels[id]; ok {
			return x.Relation.Type, true
		}
		return "", false
	}
	factSubject := func(id string) (string, bool) {
		if f, ok := in.facts[id]; ok {
			return f.Subject, true
		}
		if x, ok := in.retracted[id]; ok && x.Fact != nil {
			return x.Fact.Subject, true
		}
		if f, ok := db.facts[id]; ok {
			return f.Subject, true
		}
		if x, ok := db.retractedFact[id]; ok {
			return x.Fact.Subject, true
		}
		return "", false
	}
	checkRelation := func(where string, r kg.Relation, retracted bool) {
		fromKind, toKind := kindOf(where, "from", r.From), kindOf(where, "to", r.To)
		text, ok := textOf(where, r.Evidence.DocumentID)
		if !ok {
			text = r.Evidence.Quote // the missing document is the problem reported
		}
		c := r
		if retracted && c.From == c.To {
			c.From = "" // a merge retracts the links of an entity to itself
		}
		if fromKind == "" || toKind == "" {
			fromKind, toKind = "", ""
		}
		add(where, kg.CheckRelation(c, fromKind, toKind, text)...)
		checkMore(where, r.MoreEvidence)
		if r.SameAs != "" {
			if t, ok := relationExists(r.SameAs); !ok || t != r.Type {
				add(where, fmt.Sprintf("sameAs: no %s relation %q in the input or the database", r.Type, r.SameAs))
			}
		}
	}
	checkFact := func(where string, f kg.Fact) {
		kindOf(where, "subject", f.Subject)
		text, ok := textOf(where, f.Evidence.DocumentID)
		if !ok {
			text = f.Evidence.Quote
		}
		add(where, kg.CheckFact(f, text)...)
		checkMore(where, f.MoreEvidence)
		if f.SameAs != "" {
			if subj, ok := factSubject(f.SameAs); !ok || subj != f.Subject {
				add(where, fmt.Sprintf("sameAs: no fact %q of %s in the input or the database", f.SameAs, f.Subject))
			}
		}
	}

	// Documents.
	for _, d := range in.g.Documents {
		where := "document " + d.ID
		old, exists := db.docs[d.ID]
		equal := exists && documentFromProps(old) == d.Document && (!opt.KeepOrigin || originOf(old) == origin(d.Origin))
		if exists && !equal {
			if originOf(old) == kg.OriginData {
				add(where, "comes from the data files and differs from the input; change it in the files")
			} else if str(old, "text") != d.Text && db.cited[d.ID] {
				add(where, "is cited by statements in the database, so its text cannot change; import the new text as another document")
			}
		}
		if count(&p.diff.Documents, d.ID, exists, equal) {
			p.docs = append(p.docs, map[string]any{"id": d.ID, "props": map[string]any{
				"title": d.Title, "publisher": nilIfEmpty(d.Publisher), "date": nilIfEmpty(d.Date),
				"language": d.Language, "url": nilIfEmpty(d.URL), "text": d.Text, "origin": origin(d.Origin),
				"searchTokens": documentTokens(d.Title, d.Text),
			}})
		}
	}

	// Entities and their names.
	for _, e := range in.g.Entities {
		where := "entity " + e.ID
		if r, ok := db.redirects[e.ID]; ok {
			add(where, fmt.Sprintf("was merged into %s in the database; update %s instead", r.To, r.To))
		}
		old, exists := db.ents[e.ID]
		var oldE kg.Entity
		if exists {
			oldE = entityFromProps(old)
		}
		equal := exists && entityEqual(oldE, e.Entity) &&
			(!opt.KeepOrigin || originOf(old) == origin(e.Origin) && oldE.Version == e.Version)
		if exists && oldE.Kind != e.Kind && db.relCounts[e.ID] > 0 {
			add(where, fmt.Sprintf("has %d relations in the database, so its kind cannot change from %s to %s", db.relCounts[e.ID], oldE.Kind, e.Kind))
		}
		for _, nf := range in.entNames[e.ID] {
			h, held := db.names[nf.key]
			if !held || h[1] == e.ID {
				continue
			}
			if _, inInput := in.ents[h[1]]; inInput {
				continue // the input gives that entity other names (or the clash is reported above)
			}
			add(where, (&kg.NameHeldError{Name: h[0], EntityID: h[1], EntityName: h[2]}).Error())
		}
		if !count(&p.diff.Entities, e.ID, exists, equal) {
			continue
		}
		version := e.Version
		if exists && !opt.KeepOrigin {
			version = oldE.Version + 1
		}
		props := entityProps(e.Entity)
		props["origin"], props["version"] = origin(e.Origin), version
		keys := make([]any, 0, len(in.entNames[e.ID]))
		for _, nf := range in.entNames[e.ID] {
			keys = append(keys, nf.key)
		}
		// "names" is filled in just before the row is written (see
		// prepareNames): the search forms cost more than everything else.
		p.ents[e.Kind] = append(p.ents[e.Kind], map[string]any{"id": e.ID, "props": props, "names": nil})
		p.names[e.ID] = entityNames{forms: in.entNames[e.ID], origin: origin(e.Origin)}
		if exists {
			p.release = append(p.release, map[string]any{"id": e.ID, "keys": keys})
		}
	}

	// Relations.
	for _, r := range in.g.Relations {
		where := "relation " + r.ID
		checkRelation(where, r, false)
		if _, ok := db.retractedRels[r.ID]; ok {
			add(where, "is retracted in the database; an import does not bring a retracted relation back")
		}
		old, exists := db.rels[r.ID]
		equal := exists && relationEqual(old, r) && (!opt.KeepOrigin || originOr(old.Origin) == origin(r.Origin))
		if count(&p.diff.Relations, r.ID, exists, equal) {
			r.Origin = origin(r.Origin)
			p.rels[r.Type] = append(p.rels[r.Type], map[string]any{
				"id": r.ID, "from": r.From, "to": r.To,
				"props": statementProps(relationProps(r), r.ID, r.Origin, r.Rank, r.SameAs, r.MoreEvidence), "docs": evidenceDocs(r.AllEvidence()),
			})
		}
	}

	// Facts.
	for _, f := range in.g.Facts {
		where := "fact " + f.ID
		checkFact(where, f)
		if _, ok := db.retractedFact[f.ID]; ok {
			add(where, "is retracted in the database; an import does not bring a retracted fact back")
		}
		old, exists := db.facts[f.ID]
		equal := exists && factEqual(old, f) && (!opt.KeepOrigin || originOr(old.Origin) == origin(f.Origin))
		if count(&p.diff.Facts, f.ID, exists, equal) {
			f.Origin = origin(f.Origin)
			p.facts = append(p.facts, map[string]any{
				"id": f.ID, "subject": f.Subject, "doc": f.Evidence.DocumentID,
				"props": statementProps(factProps(f), f.ID, f.Origin, f.Rank, f.SameAs, f.MoreEvidence), "docs": evidenceDocs(f.AllEvidence()),
			})
		}
	}

	// Retracted statements.
	for _, x := range in.g.Retracted {
		id := x.ID()
		where := "retracted " + id
		retractProps := func(props map[string]any) map[string]any {
			props["retractedAt"], props["retractedBy"], props["retractReason"] = x.At.UTC(), x.By, x.Reason
			if x.At.IsZero() {
				props["retractedAt"] = nil
			}
			return props
		}
		if r := x.Relation; r != nil {
			checkRelation(where, *r, true)
			old, exists := db.retractedRels[id]
			_, live := db.rels[id]
			equal := exists && !live && relationEqual(*old.Relation, *r) && old.At.Equal(x.At) && old.By == x.By && old.Reason == x.Reason &&
				(!opt.KeepOrigin || originOr(old.Relation.Origin) == origin(r.Origin))
			if count(&p.diff.Retracted, id, exists || live, equal) {
				c := *r
				c.Origin = origin(r.Origin)
				props := retractProps(statementProps(relationProps(c), id, c.Origin, c.Rank, c.SameAs, c.MoreEvidence))
				props["type"] = string(c.Type)
				p.retractedRels[c.Type] = append(p.retractedRels[c.Type], map[string]any{"id": id, "from": c.From, "to": c.To, "props": props})
			}
			continue
		}
		f := *x.Fact
		checkFact(where, f)
		old, exists := db.retractedFact[id]
		_, live := db.facts[id]
		equal := exists && !live && factEqual(*old.Fact, f) && old.At.Equal(x.At) && old.By == x.By && old.Reason == x.Reason &&
			(!opt.KeepOrigin || originOr(old.Fact.Origin) == origin(f.Origin))
		if count(&p.diff.Retracted, id, exists || live, equal) {
			f.Origin = origin(f.Origin)
			p.retractedFact = append(p.retractedFact, map[string]any{
				"id": id, "subject": f.Subject, "doc": f.Evidence.DocumentID,
				"props": retractProps(statementProps(factProps(f), id, f.Origin, f.Rank, f.SameAs, f.MoreEvidence)),
			})
		}
	}

	// Redirects.
	for _, r := range in.g.Redirects {
		where := "redirect " + r.ID
		if _, ok := db.ents[r.ID]; ok {
			add(where, "is an entity in the database; merge it through the API instead")
		}
		if _, ok := in.ents[r.To]; !ok {
			if _, ok := db.ents[r.To]; !ok {
				add(where, fmt.Sprintf("to: no entity %q in the input or the database", r.To))
			}
		}
		old, exists := db.redirects[r.ID]
		equal := exists && old.To == r.To && old.NameZh == r.NameZh && old.By == r.By && old.At.Equal(r.At)
		if count(&p.diff.Redirects, r.ID, exists, equal) {
			props := map[string]any{"nameZh": nilIfEmpty(r.NameZh), "mergedBy": nilIfEmpty(r.By), "mergedAt": nil}
			if !r.At.IsZero() {
				props["mergedAt"] = r.At.UTC()
			}
			p.redirects = append(p.redirects, map[string]any{"id": r.ID, "to": r.To, "props": props})
		}
	}
	for _, c := range []*ImportCounts{&p.diff.Documents, &p.diff.Entities, &p.diff.Relations, &p.diff.Facts, &p.diff.Retracted, &p.diff.Redirects} {
		slices.Sort(c.Created)
		slices.Sort(c.Changed)
	}
	return p
}

func prefix(pre string, ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = pre + p
	}
	return out
}

func originOr(o string) string {
	if o == "" {
		return kg.OriginData
	}
	return o
}

// statementProps completes a relation's or fact's properties with what
// curation adds; every key is present (null removes it), so that writing a
// changed statement leaves nothing stale.
func statementProps(props map[string]any, id, origin string, rank kg.Rank, sameAs string, more []kg.Evidence) map[string]any {
	props["id"], props["origin"] = id, origin
	props["rank"], props["sameAs"] = nilIfEmpty(string(rank)), nilIfEmpty(sameAs)
	props["moreSourceIds"], props["moreQuotes"], props["moreTokens"] = nil, nil, nil
	if len(more) > 0 {
		props["moreTokens"] = moreTokens(more)
		docs, quotes := make([]string, len(more)), make([]string, len(more))
		for i, e := range more {
			docs[i], quotes[i] = e.DocumentID, e.Quote
		}
		props["moreSourceIds"], props["moreQuotes"] = docs, quotes
	}
	return props
}

func evidenceDocs(ev []kg.Evidence) []any {
	var out []any
	seen := map[string]bool{}
	for _, e := range ev {
		if !seen[e.DocumentID] {
			seen[e.DocumentID] = true
			out = append(out, e.DocumentID)
		}
	}
	return out
}

func relationEqual(a, b kg.Relation) bool {
	return a.ID == b.ID && a.Type == b.Type && a.From == b.From && a.To == b.To &&
		dateOrEmpty(a.At) == dateOrEmpty(b.At) && dateOrEmpty(a.Since) == dateOrEmpty(b.Since) && dateOrEmpty(a.Until) == dateOrEmpty(b.Until) &&
		a.Detail == b.Detail && slices.Equal(a.AllEvidence(), b.AllEvidence()) && a.Rank == b.Rank && a.SameAs == b.SameAs
}

func factEqual(a, b kg.Fact) bool {
	return a.ID == b.ID && a.Subject == b.Subject && a.Label == b.Label && a.Value == b.Value && a.Unit == b.Unit &&
		a.Qualifier == b.Qualifier && dateOrEmpty(a.At) == dateOrEmpty(b.At) && a.Period == b.Period &&
		slices.Equal(a.AllEvidence(), b.AllEvidence()) && a.Rank == b.Rank && a.SameAs == b.SameAs
}

// writeImport writes the plan's rows in batches of at most batch rows, each
// batch one write transaction running one statement per step it holds (in
// step order: documents, names given up, entities, relations, facts,
// retractions, redirects, so that what a row needs is written before it,
// in an earlier batch or earlier in the same one). It returns the ids of
// the items written: all of them, or those of the batches before a failure.
func (s *Store) writeImport(ctx context.Context, p *importPlan, batch int, st *LoadStats) ([]string, error) {
	steps := []importStep{{"documents", importDocuments, p.docs, true, false}, {"names given up", importReleaseNames, p.release, false, false}}
	for _, k := range kg.Kinds {
		steps = append(steps, importStep{"entities " + string(k), importEntitiesCypher(k), p.ents[k], true, true})
	}
	for _, t := range sortedTypes(p.rels) {
		steps = append(steps, importStep{
			"relations " + string(t),
			statement("import-relations "+string(t), func() string { return fmt.Sprintf(importRelationsTmpl, t) }), p.rels[t], true, false,
		})
	}
	steps = append(steps, importStep{"facts", importFacts, p.facts, true, false})
	for _, t := range sortedTypes(p.retractedRels) {
		steps = append(steps, importStep{
			"retracted relations " + string(t),
			statement("import-retracted "+string(t), func() string { return fmt.Sprintf(importRetractedRelationsTmpl, t) }), p.retractedRels[t], true, false,
		})
	}
	steps = append(steps, importStep{"retracted facts", importRetractedFacts, p.retractedFact, true, false},
		importStep{"redirects", importRedirects, p.redirects, true, false})

	// Cut the steps' rows into batches: a batch is a list of (step, rows).
	type part struct {
		step importStep
		rows []any
	}
	var batches [][]part
	var cur []part
	n := 0
	for _, step := range steps {
		for lo := 0; lo < len(step.rows); {
			hi := min(lo+batch-n, len(step.rows))
			cur = append(cur, part{step, step.rows[lo:hi]})
			n += hi - lo
			lo = hi
			if n == batch {
				batches, cur, n = append(batches, cur), nil, 0
			}
		}
	}
	if len(cur) > 0 {
		batches = append(batches, cur)
	}

	// The entities' search forms are computed one batch ahead, while the
	// batch before is written.
	prepare := func(b []part) chan struct{} {
		ready := make(chan struct{})
		go func() {
			defer close(ready)
			for _, pt := range b {
				if pt.step.entities {
					p.prepareNames(pt.rows)
				}
			}
		}()
		return ready
	}
	ready := make(chan struct{})
	close(ready)
	if len(batches) > 0 {
		ready = prepare(batches[0])
	}
	defer func() { <-ready }()

	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite,
		Bookmarks: neo4j.BookmarksFromRawValues(BookmarksFrom(ctx)...),
	})
	defer sess.Close(ctx)
	var written []string
	done := 0
	for i, b := range batches {
		<-ready
		if i+1 < len(batches) {
			ready = prepare(batches[i+1])
		}
		var counters LoadStats
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			counters = LoadStats{}
			for _, pt := range b {
				res, err := tx.Run(ctx, pt.step.cypher, map[string]any{"rows": pt.rows})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", pt.step.what, err)
				}
				recs, err := res.Collect(ctx)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", pt.step.what, err)
				}
				if len(recs) > 0 {
					return nil, fmt.Errorf("%s: %w", pt.step.what, nameHeld(recs[0]))
				}
				sum, err := res.Consume(ctx)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", pt.step.what, err)
				}
				c := sum.Counters()
				counters.NodesCreated += c.NodesCreated()
				counters.NodesDeleted += c.NodesDeleted()
				counters.RelationshipsCreated += c.RelationshipsCreated()
				counters.RelationshipsDeleted += c.RelationshipsDeleted()
				counters.PropertiesSet += c.PropertiesSet()
				counters.LabelsAdded += c.LabelsAdded()
				counters.LabelsRemoved += c.LabelsRemoved()
			}
			return nil, nil
		}, neo4j.WithTxTimeout(importWriteTimeout))
		rows := 0
		for _, pt := range b {
			rows += len(pt.rows)
		}
		if err != nil {
			var held *kg.NameHeldError
			if !errors.As(err, &held) {
				err = translate(err)
			}
			return written, fmt.Errorf("import: batch of rows %d–%d: %w", done+1, done+rows, err)
		}
		done += rows
		st.NodesCreated += counters.NodesCreated
		st.NodesDeleted += counters.NodesDeleted
		st.RelationshipsCreated += counters.RelationshipsCreated
		st.RelationshipsDeleted += counters.RelationshipsDeleted
		st.PropertiesSet += counters.PropertiesSet
		st.LabelsAdded += counters.LabelsAdded
		st.LabelsRemoved += counters.LabelsRemoved
		for _, pt := range b {
			if pt.step.track {
				for _, r := range pt.rows {
					written = append(written, r.(map[string]any)["id"].(string))
				}
			}
		}
	}
	return written, nil
}

func importEntitiesCypher(k kg.Kind) string {
	return statement("import-entities "+string(k), func() string {
		var others strings.Builder
		for _, o := range kg.Kinds {
			if o != k {
				others.WriteString(":" + string(o))
			}
		}
		return fmt.Sprintf(importEntitiesTmpl, k, others.String())
	})
}

func sortedTypes(m map[kg.RelType][]any) []kg.RelType {
	out := make([]kg.RelType, 0, len(m))
	for t := range m {
		if _, ok := kg.LookupRelType(string(t)); ok { // checked in validation; never text from input into Cypher
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// appendImportChange appends the import's one change entry: what it wrote,
// or, after a failed batch, what it wrote before the failure.
func (s *Store) appendImportChange(ctx context.Context, st kg.Stamp, d ImportDiff, written []string, failure error) (*kg.Change, error) {
	if len(written) == 0 && failure != nil {
		return nil, nil //nolint:nilerr // nothing was written: no change to record; the caller reports the failure
	}
	at := st.At
	if at.IsZero() {
		at = time.Now()
	}
	summary := "imported: " + d.Summary()
	if failure != nil {
		summary = fmt.Sprintf("import stopped after writing %d of %d items (%v); importing the same input again completes it", len(written), d.Writes(), failure)
	}
	afterMap := map[string]any{
		"written": len(written), "documents": counts(d.Documents), "entities": counts(d.Entities),
		"relations": counts(d.Relations), "facts": counts(d.Facts), "retracted": counts(d.Retracted), "redirects": counts(d.Redirects),
	}
	if t := d.RelationTypes; len(t.Created)+t.Unchanged > 0 {
		afterMap["relationTypes"] = counts(t)
	}
	after, _ := json.Marshal(afterMap)
	op := st.Op
	if op == "" {
		op = "import"
	}
	c := kg.Change{
		ID: newChangeID(at), At: at, Actor: st.Actor, RequestID: st.RequestID, Reason: st.Reason, Op: op,
		Subjects: written, Summary: summary, After: string(after),
	}
	params := map[string]any{
		"id": c.ID, "at": at.UTC(), "actor": st.Actor.Name, "role": string(st.Actor.Role),
		"via": st.Actor.Via, "requestId": st.RequestID, "reason": st.Reason, "op": op, "subjects": written,
		"summary": summary, "before": nil, "after": c.After, "key": nil, "inputHash": st.InputHash, "result": c.After,
	}
	_, err := neo4j.ExecuteQuery(ctx, s.driver, appendChange, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		return nil, fmt.Errorf("import: change log: %w", translate(err))
	}
	return &c, nil
}

func counts(c ImportCounts) map[string]int {
	return map[string]int{"created": len(c.Created), "changed": len(c.Changed), "unchanged": c.Unchanged}
}

// importStep is one statement of the import over its rows. track: the
// rows' ids are items written (for the change entry); entities: the rows
// are entities whose names prepareNames fills in.
type importStep struct {
	what, cypher string
	rows         []any
	track        bool
	entities     bool
}

// nameWorkers is how many goroutines compute the search forms of an
// import's names: half the cores, at least one. One worker keeps ahead of
// the write batches (a batch's forms take a fraction of its write); more
// would take cores from a Neo4j on the same machine while it validates
// and writes (at 2 cores, 2 workers made the validation reads 1.5–2×
// slower).
func nameWorkers() int { return max(1, runtime.GOMAXPROCS(0)/2) }
