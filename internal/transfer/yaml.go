package transfer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// The YAML layout is the data files' (docs/data-format.md):
//
//	entities/<kind>.yaml          one file per kind that has entities
//	sources/<documentID>/
//	  document.yaml, text.txt     the document and its full text
//	  relations.yaml, facts.yaml  the statements whose first evidence it is
//	curation.yaml                 retracted statements and redirects, when there are any
//	relation-types.yaml           the relationship types admins added, when there are any
//
// with what curation adds as optional fields: moreEvidence, rank, sameAs,
// origin (written when not "data"), a relation's id (when it is not the one
// the data files derive), an entity's version. An export of data that only
// came from the files is itself a valid data directory.

// kindFiles names the entity file of each kind.
func kindFile(k kg.Kind) string {
	switch k {
	case kg.Country:
		return "countries.yaml"
	case "Person": // people, not persons
		return "people.yaml"
	}
	return strings.ToLower(string(k)) + "s.yaml"
}

// WriteYAML writes g into dir (which must not exist or be empty) in the
// data-file layout.
func WriteYAML(dir string, g *store.ExportGraph) error {
	if err := prepareDir(dir); err != nil {
		return err
	}
	files, err := YAMLFiles(g)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// YAMLFiles returns the files WriteYAML writes, by slash-separated path
// relative to the directory.
func YAMLFiles(g *store.ExportGraph) (map[string][]byte, error) {
	files := map[string][]byte{}
	byKind := map[kg.Kind][]store.ExportEntity{}
	for _, e := range g.Entities {
		byKind[e.Kind] = append(byKind[e.Kind], e)
	}
	kinds := make([]kg.Kind, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		if strings.ContainsAny(string(k), `/\.`) || k == "" {
			return nil, fmt.Errorf("entity kind %q cannot name a file", k)
		}
		files["entities/"+kindFile(k)] = entityFileYAML(k, byKind[k])
	}

	docs := map[string]bool{}
	for _, d := range g.Documents {
		if !kg.DocumentIDPattern.MatchString(d.ID) {
			return nil, fmt.Errorf("document id %q cannot name a folder", d.ID)
		}
		docs[d.ID] = true
		base := "sources/" + d.ID + "/"
		files[base+"document.yaml"] = documentYAML(d)
		files[base+"text.txt"] = []byte(d.Text)
	}
	rels, facts := map[string][]kg.Relation{}, map[string][]kg.Fact{}
	for _, r := range g.Relations {
		doc := r.Evidence.DocumentID
		if !docs[doc] {
			return nil, fmt.Errorf("relation %s: its document %q is not in the export", r.ID, doc)
		}
		rels[doc] = append(rels[doc], r)
	}
	for _, f := range g.Facts {
		doc := f.Evidence.DocumentID
		if !docs[doc] {
			return nil, fmt.Errorf("fact %s: its document %q is not in the export", f.ID, doc)
		}
		facts[doc] = append(facts[doc], f)
	}
	for doc, rs := range rels {
		var d yamlDoc
		d.key(0, "relations")
		for i, r := range rs {
			if i > 0 {
				d.blank()
			}
			relationYAML(&d, doc, r, false)
		}
		files["sources/"+doc+"/relations.yaml"] = d.bytes()
	}
	for doc, fs := range facts {
		var d yamlDoc
		d.key(0, "facts")
		for i, f := range fs {
			if i > 0 {
				d.blank()
			}
			factYAML(&d, f, false)
		}
		files["sources/"+doc+"/facts.yaml"] = d.bytes()
	}
	if len(g.Retracted) > 0 || len(g.Redirects) > 0 {
		files["curation.yaml"] = curationYAML(g)
	}
	if len(g.RelationTypes) > 0 {
		files[RelationTypesFile] = relationTypesYAML(g.RelationTypes)
	}
	return files, nil
}

// relationTypesYAML writes the added relationship types, oldest first,
// with the fields of the API's RelationTypeInput and when and by whom each
// was added.
func relationTypesYAML(ts []store.ExportRelationType) []byte {
	var d yamlDoc
	d.key(0, "relationTypes")
	for i, t := range ts {
		if i > 0 {
			d.blank()
		}
		d.item(2, "type", yamlScalar(string(t.Type)))
		d.str(4, "zh", t.Zh)
		d.str(4, "en", t.En)
		d.str(4, "inverseZh", t.InverseZh)
		d.str(4, "inverseEn", t.InverseEn)
		d.field(4, "fromKinds", yamlFlowList(kindStrings(t.From)))
		d.field(4, "toKinds", yamlFlowList(kindStrings(t.To)))
		d.str(4, "example", t.Example)
		if !t.AddedAt.IsZero() {
			d.field(4, "addedAt", yamlQuote(t.AddedAt.UTC().Format(time.RFC3339Nano)))
		}
		d.str(4, "addedBy", t.AddedBy)
	}
	return d.bytes()
}

func entityFileYAML(k kg.Kind, es []store.ExportEntity) []byte {
	var d yamlDoc
	d.field(0, "kind", yamlScalar(string(k)))
	d.key(0, "entities")
	for i, e := range es {
		if i > 0 {
			d.blank()
		}
		d.item(2, "id", yamlScalar(e.ID))
		d.str(4, "nameZh", e.NameZh)
		d.str(4, "nameEn", e.NameEn)
		if e.NameEn != "" && !e.NameEnOfficial {
			d.field(4, "nameEnMadeUp", "true")
		}
		if len(e.Aliases) > 0 {
			d.field(4, "aliases", yamlFlowList(e.Aliases))
		}
		if e.Description.Zh != "" || e.Description.En != "" {
			d.key(4, "description")
			d.str(6, "zh", e.Description.Zh)
			d.str(6, "en", e.Description.En)
		}
		d.str(4, "city", e.City)
		d.str(4, "schoolType", e.SchoolType)
		d.str(4, "iso2", e.ISO2)
		d.str(4, "iso3", e.ISO3)
		d.str(4, "category", e.Category)
		d.str(4, "start", e.Start)
		d.str(4, "regionType", e.RegionType)
		if e.Version != 0 {
			d.field(4, "version", fmt.Sprint(e.Version))
		}
		if o := originOr(e.Origin); o != kg.OriginData {
			d.field(4, "origin", yamlScalar(o))
		}
	}
	return d.bytes()
}

func documentYAML(doc store.ExportDocument) []byte {
	var d yamlDoc
	d.field(0, "id", yamlScalar(doc.ID))
	d.str(0, "title", doc.Title)
	d.str(0, "language", doc.Language)
	d.str(0, "date", doc.Date)
	d.str(0, "publisher", doc.Publisher)
	d.str(0, "url", doc.URL)
	d.field(0, "textFile", "text.txt")
	if o := originOr(doc.Origin); o != kg.OriginData {
		d.field(0, "origin", yamlScalar(o))
	}
	return d.bytes()
}

// relationYAML writes one relation as a list item. In relations.yaml its
// first evidence's document is the folder's; in curation.yaml (document)
// it is written out.
func relationYAML(d *yamlDoc, doc string, r kg.Relation, withDocument bool) {
	key, id := relationKey(doc, r)
	if withDocument {
		key, id = "", r.ID
		d.item(2, "id", yamlScalar(id))
		d.str(4, "from", r.From)
	} else {
		d.item(2, "from", yamlScalar(r.From))
	}
	d.str(4, "type", string(r.Type))
	d.str(4, "to", r.To)
	d.str(4, "at", dateString(r.At))
	d.str(4, "since", dateString(r.Since))
	d.str(4, "until", dateString(r.Until))
	if m := yamlFlowMap("zh", r.Detail.Zh, "en", r.Detail.En); m != "" {
		d.field(4, "detail", m)
	}
	if withDocument {
		d.str(4, "document", r.Evidence.DocumentID)
	}
	d.str(4, "quote", r.Evidence.Quote)
	d.str(4, "key", key)
	if !withDocument {
		d.str(4, "id", id)
	}
	moreEvidenceYAML(d, r.MoreEvidence)
	d.str(4, "rank", string(r.Rank))
	d.str(4, "sameAs", r.SameAs)
	if o := originOr(r.Origin); o != kg.OriginData {
		d.field(4, "origin", yamlScalar(o))
	}
}

func factYAML(d *yamlDoc, f kg.Fact, withDocument bool) {
	d.item(2, "id", yamlScalar(f.ID))
	d.str(4, "subject", f.Subject)
	if m := yamlFlowMap("zh", f.Label.Zh, "en", f.Label.En); m != "" {
		d.field(4, "label", m)
	}
	d.field(4, "value", yamlNumber(f.Value))
	d.str(4, "unit", f.Unit)
	d.str(4, "qualifier", string(f.Qualifier))
	d.str(4, "at", dateString(f.At))
	if m := yamlFlowMap("zh", f.Period.Zh, "en", f.Period.En); m != "" {
		d.field(4, "period", m)
	}
	if withDocument {
		d.str(4, "document", f.Evidence.DocumentID)
	}
	d.str(4, "quote", f.Evidence.Quote)
	moreEvidenceYAML(d, f.MoreEvidence)
	d.str(4, "rank", string(f.Rank))
	d.str(4, "sameAs", f.SameAs)
	if o := originOr(f.Origin); o != kg.OriginData {
		d.field(4, "origin", yamlScalar(o))
	}
}

func moreEvidenceYAML(d *yamlDoc, more []kg.Evidence) {
	if len(more) == 0 {
		return
	}
	d.key(4, "moreEvidence")
	for _, e := range more {
		d.b.WriteString("      - ")
		d.b.WriteString(yamlFlowMap("document", e.DocumentID, "quote", e.Quote))
		d.b.WriteByte('\n')
	}
}

func retractionYAML(d *yamlDoc, x store.Retraction) {
	if !x.At.IsZero() {
		d.field(4, "retractedAt", yamlQuote(x.At.UTC().Format(time.RFC3339Nano)))
	}
	d.str(4, "retractedBy", x.By)
	d.str(4, "retractReason", x.Reason)
}

func curationYAML(g *store.ExportGraph) []byte {
	var d yamlDoc
	var rels, facts []store.Retraction
	for _, x := range g.Retracted {
		if x.Relation != nil {
			rels = append(rels, x)
		} else if x.Fact != nil {
			facts = append(facts, x)
		}
	}
	if len(rels) > 0 {
		d.key(0, "retractedRelations")
		for i, x := range rels {
			if i > 0 {
				d.blank()
			}
			relationYAML(&d, "", *x.Relation, true)
			retractionYAML(&d, x)
		}
	}
	if len(facts) > 0 {
		d.key(0, "retractedFacts")
		for i, x := range facts {
			if i > 0 {
				d.blank()
			}
			factYAML(&d, *x.Fact, true)
			retractionYAML(&d, x)
		}
	}
	if len(g.Redirects) > 0 {
		d.key(0, "redirects")
		for i, r := range g.Redirects {
			if i > 0 {
				d.blank()
			}
			d.item(2, "id", yamlScalar(r.ID))
			d.str(4, "to", r.To)
			d.str(4, "nameZh", r.NameZh)
			if !r.At.IsZero() {
				d.field(4, "mergedAt", yamlQuote(r.At.UTC().Format(time.RFC3339Nano)))
			}
			d.str(4, "mergedBy", r.By)
		}
	}
	return d.bytes()
}

func dateString(p *kg.PartialDate) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// File shapes read back (strict: an unknown field is an error).

type namesIn struct {
	Zh string `yaml:"zh"`
	En string `yaml:"en"`
}

type evidenceIn struct {
	Document string `yaml:"document"`
	Quote    string `yaml:"quote"`
}

type entityFileIn struct {
	Kind     string     `yaml:"kind"`
	Entities []entityIn `yaml:"entities"`
}

type entityIn struct {
	ID           string   `yaml:"id"`
	NameZh       string   `yaml:"nameZh"`
	NameEn       string   `yaml:"nameEn"`
	NameEnMadeUp bool     `yaml:"nameEnMadeUp"`
	Aliases      []string `yaml:"aliases"`
	Description  namesIn  `yaml:"description"`
	City         string   `yaml:"city"`
	SchoolType   string   `yaml:"schoolType"`
	ISO2         string   `yaml:"iso2"`
	ISO3         string   `yaml:"iso3"`
	Category     string   `yaml:"category"`
	Start        string   `yaml:"start"`
	RegionType   string   `yaml:"regionType"`
	Version      int64    `yaml:"version"`
	Origin       string   `yaml:"origin"`
}

type documentIn struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	Language  string `yaml:"language"`
	Date      string `yaml:"date"`
	Publisher string `yaml:"publisher"`
	URL       string `yaml:"url"`
	TextFile  string `yaml:"textFile"`
	Origin    string `yaml:"origin"`
}

type relationIn struct {
	ID               string       `yaml:"id"`
	From             string       `yaml:"from"`
	Type             string       `yaml:"type"`
	To               string       `yaml:"to"`
	At               string       `yaml:"at"`
	Since            string       `yaml:"since"`
	Until            string       `yaml:"until"`
	Detail           namesIn      `yaml:"detail"`
	Document         string       `yaml:"document"`
	Quote            string       `yaml:"quote"`
	Key              string       `yaml:"key"`
	MoreEvidence     []evidenceIn `yaml:"moreEvidence"`
	Rank             string       `yaml:"rank"`
	SameAs           string       `yaml:"sameAs"`
	Origin           string       `yaml:"origin"`
	RetractionFields `yaml:",inline"`
}

type factIn struct {
	ID               string       `yaml:"id"`
	Subject          string       `yaml:"subject"`
	Label            namesIn      `yaml:"label"`
	Value            *float64     `yaml:"value"`
	Unit             string       `yaml:"unit"`
	Qualifier        string       `yaml:"qualifier"`
	At               string       `yaml:"at"`
	Period           namesIn      `yaml:"period"`
	Document         string       `yaml:"document"`
	Quote            string       `yaml:"quote"`
	MoreEvidence     []evidenceIn `yaml:"moreEvidence"`
	Rank             string       `yaml:"rank"`
	SameAs           string       `yaml:"sameAs"`
	Origin           string       `yaml:"origin"`
	RetractionFields `yaml:",inline"`
}

// RetractionFields are the fields a retracted statement adds (exported
// for the YAML decoder's inline embedding).
type RetractionFields struct {
	RetractedAt   string `yaml:"retractedAt"`
	RetractedBy   string `yaml:"retractedBy"`
	RetractReason string `yaml:"retractReason"`
}

type relationTypesIn struct {
	RelationTypes []struct {
		Type      string   `yaml:"type"`
		Zh        string   `yaml:"zh"`
		En        string   `yaml:"en"`
		InverseZh string   `yaml:"inverseZh"`
		InverseEn string   `yaml:"inverseEn"`
		FromKinds []string `yaml:"fromKinds"`
		ToKinds   []string `yaml:"toKinds"`
		Example   string   `yaml:"example"`
		AddedAt   string   `yaml:"addedAt"`
		AddedBy   string   `yaml:"addedBy"`
	} `yaml:"relationTypes"`
}

type curationIn struct {
	RetractedRelations []relationIn `yaml:"retractedRelations"`
	RetractedFacts     []factIn     `yaml:"retractedFacts"`
	Redirects          []struct {
		ID       string `yaml:"id"`
		To       string `yaml:"to"`
		NameZh   string `yaml:"nameZh"`
		MergedAt string `yaml:"mergedAt"`
		MergedBy string `yaml:"mergedBy"`
	} `yaml:"redirects"`
}

// yamlReader reads one directory, collecting problems.
type yamlReader struct {
	dir      string
	problems ReadErrors
	raw      map[string][]byte    // the files decoded, by path, for lineOf
	parsed   map[string]*ast.File // parsed by lineOf
	uses     []typeUse            // every relation's type, checked at the end
}

func (r *yamlReader) add(file string, format string, args ...any) {
	r.problems = append(r.problems, &ReadError{File: file, Msg: fmt.Sprintf(format, args...)})
}

func (r *yamlReader) addAt(file string, line int, format string, args ...any) {
	r.problems = append(r.problems, &ReadError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// lineOf returns the line of the node at path (a YAML path such as
// $.relations[2].type) in the decoded file rel; 0 when it cannot tell.
func (r *yamlReader) lineOf(rel, path string) int {
	f, ok := r.parsed[rel]
	if !ok {
		f, _ = parser.ParseBytes(r.raw[rel], 0)
		if r.parsed == nil {
			r.parsed = map[string]*ast.File{}
		}
		r.parsed[rel] = f
	}
	p, err := yaml.PathString(path)
	if f == nil || err != nil {
		return 0
	}
	n, err := p.FilterFile(f)
	if err != nil || n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

// decode reads the YAML file rel strictly into v. A missing optional file
// is not a problem.
func (r *yamlReader) decode(rel string, v any, optional bool) bool {
	b, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(rel)))
	if err != nil {
		if !(optional && errors.Is(err, fs.ErrNotExist)) {
			r.add(rel, "cannot read: %v", err)
		}
		return false
	}
	if !utf8.Valid(b) {
		r.add(rel, "is not valid UTF-8")
		return false
	}
	if err := yaml.UnmarshalWithOptions(b, v, yaml.Strict()); err != nil {
		r.add(rel, "invalid YAML: %s", strings.ReplaceAll(yaml.FormatError(err, false, false), "\n", " "))
		return false
	}
	if r.raw == nil {
		r.raw = map[string][]byte{}
	}
	r.raw[rel] = b
	return true
}

func (r *yamlReader) date(file, where, field, s string) *kg.PartialDate {
	if s == "" {
		return nil
	}
	d, err := kg.ParsePartialDate(s)
	if err != nil {
		r.add(file, "%s: %s: %v", where, field, err)
		return nil
	}
	return &d
}

func (r *yamlReader) time(file, where, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		r.add(file, "%s: %s %q: want an RFC 3339 time such as 2025-01-02T15:04:05Z", where, field, s)
	}
	return t.UTC()
}

func more(in []evidenceIn) []kg.Evidence {
	var out []kg.Evidence
	for _, e := range in {
		out = append(out, kg.Evidence{DocumentID: e.Document, Quote: e.Quote})
	}
	return out
}

// ReadYAML reads a directory in the data-file layout (an export, or the
// repository's data/) into a graph, in id order. Problems with the files'
// form come back as ReadErrors (every one found); the domain rules are
// store.Import's.
func ReadYAML(dir string) (*store.ExportGraph, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory (the YAML format is a directory: entities/, sources/)", dir)
	}
	r := &yamlReader{dir: dir}
	g := &store.ExportGraph{}

	var rt relationTypesIn
	if r.decode(RelationTypesFile, &rt, true) {
		for i, y := range rt.RelationTypes {
			path := fmt.Sprintf("$.relationTypes[%d]", i)
			where := fmt.Sprintf("relationTypes[%d] (%s)", i, y.Type)
			if y.Type == "" {
				r.addAt(RelationTypesFile, r.lineOf(RelationTypesFile, path), "%s: type is required", where)
			}
			var at time.Time
			if y.AddedAt != "" {
				var err error
				if at, err = time.Parse(time.RFC3339Nano, y.AddedAt); err != nil {
					r.addAt(RelationTypesFile, r.lineOf(RelationTypesFile, path+".addedAt"),
						"%s: addedAt %q: want an RFC 3339 time such as 2025-01-02T15:04:05Z", where, y.AddedAt)
				}
			}
			g.RelationTypes = append(g.RelationTypes, store.ExportRelationType{RelTypeInfo: kg.RelTypeInfo{
				Type: kg.RelType(y.Type), Zh: y.Zh, En: y.En, InverseZh: y.InverseZh, InverseEn: y.InverseEn,
				From: kindsOf(y.FromKinds), To: kindsOf(y.ToKinds), Example: y.Example,
			}, AddedAt: at.UTC(), AddedBy: y.AddedBy})
		}
	}

	entityFiles, err := filepath.Glob(filepath.Join(dir, "entities", "*.yaml"))
	if err != nil {
		return nil, err
	}
	slices.Sort(entityFiles)
	for _, abs := range entityFiles {
		rel := "entities/" + filepath.Base(abs)
		var f entityFileIn
		if !r.decode(rel, &f, false) {
			continue
		}
		kind := kg.Kind(f.Kind)
		if _, ok := kg.ParseKind(f.Kind); !ok {
			r.add(rel, "kind %q is not one of %v", f.Kind, kg.Kinds)
		}
		for _, y := range f.Entities {
			if y.NameEnMadeUp && y.NameEn == "" {
				r.add(rel, "entity %s: nameEnMadeUp is set but nameEn is empty", y.ID)
			}
			g.Entities = append(g.Entities, store.ExportEntity{Entity: kg.Entity{
				ID: y.ID, Kind: kind, NameZh: y.NameZh, NameEn: y.NameEn, NameEnOfficial: y.NameEn != "" && !y.NameEnMadeUp,
				Aliases: y.Aliases, Description: kg.Names(y.Description), City: y.City, SchoolType: y.SchoolType,
				ISO2: y.ISO2, ISO3: y.ISO3, Category: y.Category, Start: y.Start, RegionType: y.RegionType, Version: y.Version,
			}, Origin: originOr(y.Origin)})
		}
	}

	srcDirs, err := os.ReadDir(filepath.Join(dir, "sources"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, sd := range srcDirs {
		if !sd.IsDir() {
			continue
		}
		base := "sources/" + sd.Name() + "/"
		var y documentIn
		if !r.decode(base+"document.yaml", &y, false) {
			continue
		}
		doc := sd.Name()
		if y.ID != doc {
			r.add(base+"document.yaml", "id %q must equal the folder name %q", y.ID, doc)
		}
		var text string
		switch {
		case y.TextFile == "":
			r.add(base+"document.yaml", "textFile is required (the full text, in the same folder)")
		case strings.ContainsAny(y.TextFile, `/\`) || y.TextFile == ".." || y.TextFile == ".":
			r.add(base+"document.yaml", "textFile %q must be a file in the same folder", y.TextFile)
		default:
			b, err := os.ReadFile(filepath.Join(dir, "sources", doc, y.TextFile))
			switch {
			case err != nil:
				r.add(base+"document.yaml", "textFile: %v", err)
			case !utf8.Valid(b):
				r.add(base+y.TextFile, "is not valid UTF-8")
			default:
				text = string(b)
			}
		}
		g.Documents = append(g.Documents, store.ExportDocument{Document: kg.Document{
			ID: y.ID, Title: y.Title,
			Publisher: y.Publisher, Date: y.Date, Language: y.Language, URL: y.URL, Text: text,
		}, Origin: originOr(y.Origin)})

		var rf struct {
			Relations []relationIn `yaml:"relations"`
		}
		if r.decode(base+"relations.yaml", &rf, true) {
			for i, y := range rf.Relations {
				file := base + "relations.yaml"
				where := fmt.Sprintf("relations[%d] (%s %s %s)", i, y.From, y.Type, y.To)
				if y.Document != "" || y.RetractionFields != (RetractionFields{}) {
					r.add(file, "%s: document and retracted* belong in curation.yaml only", where)
				}
				rel := r.relation(file, where, doc, y)
				r.uses = append(r.uses, typeUse{file: file, where: where, typ: rel.Type, yamlPath: fmt.Sprintf("$.relations[%d]", i)})
				if y.ID != "" && y.Key != "" {
					r.add(file, "%s: give id or key, not both", where)
				}
				g.Relations = append(g.Relations, rel)
			}
		}
		var ff struct {
			Facts []factIn `yaml:"facts"`
		}
		if r.decode(base+"facts.yaml", &ff, true) {
			for i, y := range ff.Facts {
				file := base + "facts.yaml"
				where := fmt.Sprintf("facts[%d] (%s)", i, y.ID)
				if y.Document != "" || y.RetractionFields != (RetractionFields{}) {
					r.add(file, "%s: document and retracted* belong in curation.yaml only", where)
				}
				g.Facts = append(g.Facts, r.fact(file, where, doc, y))
			}
		}
	}

	var c curationIn
	if r.decode("curation.yaml", &c, true) {
		for i, y := range c.RetractedRelations {
			where := fmt.Sprintf("retractedRelations[%d] (%s)", i, y.ID)
			if y.ID == "" || y.Document == "" {
				r.add("curation.yaml", "%s: id and document are required", where)
			}
			if y.Key != "" {
				r.add("curation.yaml", "%s: key is not used here (the id is given)", where)
			}
			rel := r.relation("curation.yaml", where, y.Document, y)
			r.uses = append(r.uses, typeUse{file: "curation.yaml", where: where, typ: rel.Type, yamlPath: fmt.Sprintf("$.retractedRelations[%d]", i)})
			g.Retracted = append(g.Retracted, store.Retraction{
				Relation: &rel,
				At:       r.time("curation.yaml", where, "retractedAt", y.RetractedAt), By: y.RetractedBy, Reason: y.RetractReason,
			})
		}
		for i, y := range c.RetractedFacts {
			where := fmt.Sprintf("retractedFacts[%d] (%s)", i, y.ID)
			if y.Document == "" {
				r.add("curation.yaml", "%s: document is required", where)
			}
			f := r.fact("curation.yaml", where, y.Document, y)
			g.Retracted = append(g.Retracted, store.Retraction{
				Fact: &f,
				At:   r.time("curation.yaml", where, "retractedAt", y.RetractedAt), By: y.RetractedBy, Reason: y.RetractReason,
			})
		}
		for i, y := range c.Redirects {
			where := fmt.Sprintf("redirects[%d] (%s)", i, y.ID)
			g.Redirects = append(g.Redirects, store.Redirect{
				ID: y.ID, To: y.To, NameZh: y.NameZh, By: y.MergedBy,
				At: r.time("curation.yaml", where, "mergedAt", y.MergedAt),
			})
		}
	}
	for _, u := range unknownTypes(g, r.uses) {
		line := r.lineOf(u.file, u.yamlPath+".type")
		if line == 0 {
			line = r.lineOf(u.file, u.yamlPath)
		}
		if u.typ == "" {
			r.addAt(u.file, line, "%s: type is required", u.where)
		} else {
			r.addAt(u.file, line, "%s: relationship type %q is not in the vocabulary, and %s does not define it", u.where, u.typ, RelationTypesFile)
		}
	}
	if len(g.Entities)+len(g.Documents)+len(g.Retracted)+len(g.Redirects)+len(g.RelationTypes) == 0 && len(r.problems) == 0 {
		r.add(".", "holds no entities/*.yaml, sources/*/document.yaml, curation.yaml or "+RelationTypesFile+": not a vetgraph YAML directory")
	}
	if len(r.problems) > 0 {
		return nil, r.problems
	}
	g.Sort()
	return g, nil
}

func (r *yamlReader) relation(file, where, doc string, y relationIn) kg.Relation {
	rel := kg.Relation{
		ID: y.ID, Type: kg.RelType(y.Type), From: y.From, To: y.To,
		At: r.date(file, where, "at", y.At), Since: r.date(file, where, "since", y.Since), Until: r.date(file, where, "until", y.Until),
		Detail: kg.Names(y.Detail), Evidence: kg.Evidence{DocumentID: doc, Quote: y.Quote}, MoreEvidence: more(y.MoreEvidence),
		Rank: kg.Rank(y.Rank), SameAs: y.SameAs, Origin: originOr(y.Origin),
	}
	if y.Key != "" && !kg.EntityIDPattern.MatchString(y.Key) {
		r.add(file, "%s: key %q must be lower-kebab-case", where, y.Key)
	}
	if rel.ID == "" {
		rel.ID = store.RelationID(doc, y.From, kg.RelType(y.Type), y.To, y.Key)
	}
	return rel
}

func (r *yamlReader) fact(file, where, doc string, y factIn) kg.Fact {
	f := kg.Fact{
		ID: y.ID, Subject: y.Subject, Label: kg.Names(y.Label), Unit: y.Unit, Qualifier: kg.Qualifier(y.Qualifier),
		At: r.date(file, where, "at", y.At), Period: kg.Names(y.Period), Evidence: kg.Evidence{DocumentID: doc, Quote: y.Quote},
		MoreEvidence: more(y.MoreEvidence), Rank: kg.Rank(y.Rank), SameAs: y.SameAs, Origin: originOr(y.Origin),
	}
	if y.Value == nil {
		r.add(file, "%s: value is required", where)
	} else {
		f.Value = *y.Value
	}
	return f
}
