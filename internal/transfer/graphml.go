package transfer

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// GraphMLOptions tune WriteGraphML.
type GraphMLOptions struct {
	// Documents adds the source documents as nodes (id "document:<id>",
	// kind Document; their text is left out) and MENTIONED_IN edges from
	// each entity to the documents whose statements name it.
	Documents bool
}

// graphMLKey is one declared attribute.
type graphMLKey struct {
	id, for_, name, typ string
}

// The declared attributes. Node attribute "label" is the Chinese name (a
// document's title), edge attribute "label" the relationship type: Gephi
// and yEd show them.
var (
	graphMLNodeKeys = []graphMLKey{
		{"n_label", "node", "label", "string"},
		{"n_kind", "node", "kind", "string"},
		{"n_nameZh", "node", "nameZh", "string"},
		{"n_nameEn", "node", "nameEn", "string"},
		{"n_nameEnOfficial", "node", "nameEnOfficial", "boolean"},
		{"n_aliases", "node", "aliases", "string"},
		{"n_descriptionZh", "node", "descriptionZh", "string"},
		{"n_descriptionEn", "node", "descriptionEn", "string"},
		{"n_city", "node", "city", "string"},
		{"n_schoolType", "node", "schoolType", "string"},
		{"n_iso2", "node", "iso2", "string"},
		{"n_iso3", "node", "iso3", "string"},
		{"n_category", "node", "category", "string"},
		{"n_start", "node", "start", "string"},
		{"n_regionType", "node", "regionType", "string"},
		{"n_version", "node", "version", "long"},
		{"n_origin", "node", "origin", "string"},
	}
	graphMLDocumentKeys = []graphMLKey{
		{"n_title", "node", "title", "string"},
		{"n_publisher", "node", "publisher", "string"},
		{"n_date", "node", "date", "string"},
		{"n_language", "node", "language", "string"},
		{"n_url", "node", "url", "string"},
	}
	graphMLEdgeKeys = []graphMLKey{
		{"e_label", "edge", "label", "string"},
		{"e_type", "edge", "type", "string"},
		{"e_id", "edge", "id", "string"},
		{"e_labelZh", "edge", "labelZh", "string"},
		{"e_labelEn", "edge", "labelEn", "string"},
		{"e_at", "edge", "at", "string"},
		{"e_since", "edge", "since", "string"},
		{"e_until", "edge", "until", "string"},
		{"e_detailZh", "edge", "detailZh", "string"},
		{"e_detailEn", "edge", "detailEn", "string"},
		{"e_document", "edge", "document", "string"},
		{"e_quote", "edge", "quote", "string"},
		{"e_evidenceCount", "edge", "evidenceCount", "int"},
		{"e_moreDocuments", "edge", "moreDocuments", "string"},
		{"e_rank", "edge", "rank", "string"},
		{"e_sameAs", "edge", "sameAs", "string"},
		{"e_origin", "edge", "origin", "string"},
	}
)

// WriteGraphML writes g's entities as nodes and its relations as directed
// edges, every attribute declared with a <key>. Lists (aliases, the other
// evidence's documents) are joined with "; ". Retracted statements,
// redirects and facts are left out.
func WriteGraphML(w io.Writer, g *store.ExportGraph, opt GraphMLOptions) error {
	bw := bufio.NewWriter(w)
	x := &xmlWriter{w: bw}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
		` xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	keys := append([]graphMLKey{}, graphMLNodeKeys...)
	if opt.Documents {
		keys = append(keys, graphMLDocumentKeys...)
	}
	keys = append(keys, graphMLEdgeKeys...)
	for _, k := range keys {
		x.raw(`  <key id="`)
		x.text(k.id)
		x.raw(`" for="` + k.for_ + `" attr.name="`)
		x.text(k.name)
		x.raw(`" attr.type="` + k.typ + `"/>` + "\n")
	}
	x.raw(`  <graph id="vetgraph" edgedefault="directed">` + "\n")
	for _, e := range g.Entities {
		x.open("node", e.ID)
		x.data("n_label", e.NameZh)
		x.data("n_kind", string(e.Kind))
		x.data("n_nameZh", e.NameZh)
		x.data("n_nameEn", e.NameEn)
		x.data("n_nameEnOfficial", strconv.FormatBool(e.NameEnOfficial))
		x.data("n_aliases", strings.Join(e.Aliases, "; "))
		x.data("n_descriptionZh", e.Description.Zh)
		x.data("n_descriptionEn", e.Description.En)
		x.data("n_city", e.City)
		x.data("n_schoolType", e.SchoolType)
		x.data("n_iso2", e.ISO2)
		x.data("n_iso3", e.ISO3)
		x.data("n_category", e.Category)
		x.data("n_start", e.Start)
		x.data("n_regionType", e.RegionType)
		x.data("n_version", strconv.FormatInt(e.Version, 10))
		x.data("n_origin", originOr(e.Origin))
		x.raw("    </node>\n")
	}
	if opt.Documents {
		for _, d := range g.Documents {
			x.open("node", "document:"+d.ID)
			x.data("n_label", d.Title)
			x.data("n_kind", "Document")
			x.data("n_title", d.Title)
			x.data("n_publisher", d.Publisher)
			x.data("n_date", d.Date)
			x.data("n_language", d.Language)
			x.data("n_url", d.URL)
			x.data("n_origin", originOr(d.Origin))
			x.raw("    </node>\n")
		}
	}
	n := 0
	for _, r := range g.Relations {
		n++
		x.edge(n, r.From, r.To)
		x.data("e_label", string(r.Type))
		x.data("e_type", string(r.Type))
		x.data("e_id", r.ID)
		if info, ok := relTypeInfo(g, r.Type); ok { // an added type's labels travel with the graph
			x.data("e_labelZh", info.Zh)
			x.data("e_labelEn", info.En)
		}
		x.data("e_at", dateString(r.At))
		x.data("e_since", dateString(r.Since))
		x.data("e_until", dateString(r.Until))
		x.data("e_detailZh", r.Detail.Zh)
		x.data("e_detailEn", r.Detail.En)
		x.data("e_document", r.Evidence.DocumentID)
		x.data("e_quote", r.Evidence.Quote)
		x.data("e_evidenceCount", strconv.Itoa(1+len(r.MoreEvidence)))
		var more []string
		for _, e := range r.MoreEvidence {
			more = append(more, e.DocumentID)
		}
		x.data("e_moreDocuments", strings.Join(more, "; "))
		x.data("e_rank", string(r.Rank))
		x.data("e_sameAs", r.SameAs)
		x.data("e_origin", originOr(r.Origin))
		x.raw("    </edge>\n")
	}
	if opt.Documents {
		for _, m := range mentions(g) {
			n++
			x.edge(n, m[0], "document:"+m[1])
			x.data("e_label", "MENTIONED_IN")
			x.data("e_type", "MENTIONED_IN")
			x.raw("    </edge>\n")
		}
	}
	x.raw("  </graph>\n</graphml>\n")
	if x.err != nil {
		return x.err
	}
	return bw.Flush()
}

// mentions returns the (entity, document) pairs of g's statements: every
// entity a relation or fact names, with every document its evidence cites,
// in order, each pair once.
func mentions(g *store.ExportGraph) [][2]string {
	seen := map[[2]string]bool{}
	var out [][2]string
	add := func(ev []kg.Evidence, ents ...string) {
		for _, e := range ents {
			for _, d := range ev {
				p := [2]string{e, d.DocumentID}
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	for _, r := range g.Relations {
		add(r.AllEvidence(), r.From, r.To)
	}
	for _, f := range g.Facts {
		add(f.AllEvidence(), f.Subject)
	}
	sortPairs(out)
	return out
}

func sortPairs(ps [][2]string) {
	slices.SortFunc(ps, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
}

// xmlWriter writes XML with every text and attribute value escaped.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// text writes s escaped for XML text and attribute values (&, <, >, quotes,
// tab, newline and carriage return as character references; characters
// XML does not allow as U+FFFD, which kg's rules keep out of stored text).
func (x *xmlWriter) text(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

func (x *xmlWriter) open(elem, id string) {
	x.raw("    <" + elem + ` id="`)
	x.text(id)
	x.raw("\">\n")
}

func (x *xmlWriter) edge(n int, source, target string) {
	x.raw(fmt.Sprintf(`    <edge id="e%d" source="`, n))
	x.text(source)
	x.raw(`" target="`)
	x.text(target)
	x.raw("\">\n")
}

// data writes one attribute value; nothing for "".
func (x *xmlWriter) data(key, value string) {
	if value == "" {
		return
	}
	x.raw(`      <data key="` + key + `">`)
	x.text(value)
	x.raw("</data>\n")
}
