package transfer

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// CSV for neo4j-admin import (`neo4j-admin database import full`): one file
// per node label and relationship shape, each with a header row in
// neo4j-admin's format (id:ID(<group>), :LABEL, :START_ID(<group>),
// :END_ID(<group>), :TYPE, typed columns such as version:long,
// aliases:string[]). Ids live in the groups Entity, Document, Fact and Name,
// so that an entity and a fact with the same id stay apart. An empty field
// is no property; arrays are joined with the array delimiter. Fields holding
// newlines (document texts, descriptions) are quoted: pass
// --multiline-fields=true. The search names (:Name, NAME_OF) are written
// too, so that the imported database answers lookups and search as the
// exported one did. Retracted statements and redirects are not written.

// CSVOptions tune WriteCSV.
type CSVOptions struct {
	// ArrayDelimiter joins array values (neo4j-admin's --array-delimiter);
	// 0 means ';'. An element that holds it is refused: export with another
	// delimiter.
	ArrayDelimiter rune
}

// CSVFiles lists the files WriteCSV writes, nodes first, as neo4j-admin
// takes them (--nodes=… then --relationships=…).
var CSVFiles = struct{ Nodes, Relationships []string }{
	Nodes:         []string{"nodes.csv", "documents.csv", "facts.csv", "names.csv"},
	Relationships: []string{"relationships.csv", "fact_of.csv", "stated_in.csv", "mentioned_in.csv", "name_of.csv"},
}

// WriteCSV writes g into dir (which must not exist or be empty).
func WriteCSV(dir string, g *store.ExportGraph, opt CSVOptions) error {
	files, err := CSVFilesOf(g, opt)
	if err != nil {
		return err
	}
	if err := prepareDir(dir); err != nil {
		return err
	}
	for _, name := range append(slices.Clone(CSVFiles.Nodes), CSVFiles.Relationships...) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// csvTable is one file being built.
type csvTable struct {
	buf   bytes.Buffer
	w     *csv.Writer
	delim string
	err   error
}

func newTable(header string, delim rune) *csvTable {
	t := &csvTable{delim: string(delim)}
	t.w = csv.NewWriter(&t.buf)
	t.row(strings.Split(header, ",")...)
	return t
}

func (t *csvTable) row(fields ...string) {
	if t.err == nil {
		t.err = t.w.Write(fields)
	}
}

// array joins values, refusing one that holds the delimiter.
func (t *csvTable) array(what string, values []string) string {
	for _, v := range values {
		if strings.Contains(v, t.delim) && t.err == nil {
			t.err = fmt.Errorf("%s: the value %q holds the array delimiter %q: export with another --array-delimiter (and pass the same to neo4j-admin)", what, kg.Short(v), t.delim)
		}
	}
	return strings.Join(values, t.delim)
}

func (t *csvTable) bytes() ([]byte, error) {
	t.w.Flush()
	if t.err == nil {
		t.err = t.w.Error()
	}
	return t.buf.Bytes(), t.err
}

// CSVFilesOf returns the files WriteCSV writes, by name.
func CSVFilesOf(g *store.ExportGraph, opt CSVOptions) (map[string][]byte, error) {
	d := opt.ArrayDelimiter
	if d == 0 {
		d = ';'
	}
	if d == ',' || d == '"' || d == '\n' || d == '\r' {
		return nil, fmt.Errorf("array delimiter %q would break the CSV", d)
	}
	nodes := newTable("id:ID(Entity),:LABEL,kind,nameZh,nameEn,nameEnOfficial:boolean,aliases:string[],descriptionZh,descriptionEn,"+
		"city,schoolType,iso2,iso3,category,start,regionType,sortEn,version:long,origin", d)
	names := newTable("key:ID(Name),:LABEL,text,field,origin,words,pinyinWords,tokens,pinyin,pinyinJoined,initials", d)
	nameOf := newTable(":START_ID(Name),:END_ID(Entity),:TYPE", d)
	for _, e := range g.Entities {
		sortEn, _ := store.EntityNodeProperties(e.Entity)["sortEn"].(string)
		nodes.row(e.ID, "Entity;"+string(e.Kind), string(e.Kind), e.NameZh, e.NameEn, strconv.FormatBool(e.NameEnOfficial),
			nodes.array("entity "+e.ID+" aliases", e.Aliases), e.Description.Zh, e.Description.En, e.City, e.SchoolType, e.ISO2, e.ISO3,
			e.Category, e.Start, e.RegionType, sortEn, strconv.FormatInt(e.Version, 10), originOr(e.Origin))
		seen := map[string]bool{}
		add := func(text, field string) {
			p := store.NameProperties(e.ID, text, field)
			if p == nil {
				return
			}
			key := p["key"].(string)
			if seen[key] {
				return
			}
			seen[key] = true
			s := func(k string) string { v, _ := p[k].(string); return v }
			names.row(key, "Name", text, field, originOr(e.Origin), s("words"), s("pinyinWords"), s("tokens"), s("pinyin"), s("pinyinJoined"), s("initials"))
			nameOf.row(key, e.ID, "NAME_OF")
		}
		add(e.NameZh, "nameZh")
		add(e.NameEn, "nameEn")
		for _, a := range e.Aliases {
			add(a, "alias")
		}
	}

	docs := newTable("id:ID(Document),:LABEL,title,publisher,date,language,url,text,origin", d)
	for _, doc := range g.Documents {
		docs.row(doc.ID, "Document", doc.Title, doc.Publisher, doc.Date, doc.Language, doc.URL, doc.Text, originOr(doc.Origin))
	}

	rels := newTable(":START_ID(Entity),:END_ID(Entity),:TYPE,id,sourceId,quote,moreSourceIds:string[],moreQuotes:string[],"+
		"detailZh,detailEn,at,since,until,fromDate:date,toDate:date,endDate:date,rank,sameAs,origin", d)
	for _, r := range g.Relations {
		docIDs, quotes := moreColumns(r.MoreEvidence)
		from, to, end := dateColumns(r.At, r.Since, r.Until)
		rels.row(r.From, r.To, string(r.Type), r.ID, r.Evidence.DocumentID, r.Evidence.Quote,
			rels.array("relation "+r.ID+" moreSourceIds", docIDs), rels.array("relation "+r.ID+" moreQuotes", quotes),
			r.Detail.Zh, r.Detail.En, dateString(r.At), dateString(r.Since), dateString(r.Until), from, to, end,
			string(r.Rank), r.SameAs, originOr(r.Origin))
	}

	facts := newTable("id:ID(Fact),:LABEL,labelZh,labelEn,value:double,unit,qualifier,at,periodZh,periodEn,sourceId,quote,"+
		"moreSourceIds:string[],moreQuotes:string[],rank,sameAs,origin", d)
	factOf := newTable(":START_ID(Fact),:END_ID(Entity),:TYPE", d)
	statedIn := newTable(":START_ID(Fact),:END_ID(Document),:TYPE", d)
	for _, f := range g.Facts {
		docIDs, quotes := moreColumns(f.MoreEvidence)
		facts.row(f.ID, "Fact", f.Label.Zh, f.Label.En, strconv.FormatFloat(f.Value, 'g', -1, 64), f.Unit, string(f.Qualifier),
			dateString(f.At), f.Period.Zh, f.Period.En, f.Evidence.DocumentID, f.Evidence.Quote,
			facts.array("fact "+f.ID+" moreSourceIds", docIDs), facts.array("fact "+f.ID+" moreQuotes", quotes),
			string(f.Rank), f.SameAs, originOr(f.Origin))
		factOf.row(f.ID, f.Subject, "FACT_OF")
		statedIn.row(f.ID, f.Evidence.DocumentID, "STATED_IN")
	}

	mentionedIn := newTable(":START_ID(Entity),:END_ID(Document),:TYPE", d)
	for _, m := range mentions(g) {
		mentionedIn.row(m[0], m[1], "MENTIONED_IN")
	}

	out := map[string][]byte{}
	for name, t := range map[string]*csvTable{
		"nodes.csv": nodes, "documents.csv": docs, "facts.csv": facts, "names.csv": names,
		"relationships.csv": rels, "fact_of.csv": factOf, "stated_in.csv": statedIn, "mentioned_in.csv": mentionedIn, "name_of.csv": nameOf,
	} {
		b, err := t.bytes()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = b
	}
	return out, nil
}

func moreColumns(more []kg.Evidence) (docs, quotes []string) {
	for _, e := range more {
		docs = append(docs, e.DocumentID)
		quotes = append(quotes, e.Quote)
	}
	return docs, quotes
}

// dateColumns are the derived dates the store keeps for time filters (see
// the store's relationProps): the first and last day a statement covers,
// and the day after which it no longer held (from until only).
func dateColumns(at, since, until *kg.PartialDate) (from, to, end string) {
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	switch {
	case at != nil:
		lo, hi := at.Range()
		return day(lo), day(hi), ""
	default:
		if since != nil {
			lo, _ := since.Range()
			from = day(lo)
		}
		if until != nil {
			_, hi := until.Range()
			to, end = day(hi), day(hi)
		}
	}
	return from, to, end
}
