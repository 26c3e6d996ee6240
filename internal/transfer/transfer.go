// Package transfer provides the file formats vetgraph exports graphs to and
// imports them from: YAML in the repository's data-file layout (a
// directory), JSON Lines (one record per line), GraphML (for Gephi and yEd)
// and CSV in neo4j-admin import's header format (a directory). Each writer
// takes a store.ExportGraph and writes it deterministically (the same graph
// gives the same bytes); the YAML and JSON Lines readers give back the graph
// they were written from, so that export, import into an empty database and
// export again give identical files. The formats are documented in
// docs/data-format.md ("Exports").
//
// Readers check the form (fields, record types, encodings) and report
// where a problem is (file and line), and that every relation's type is
// known: in the process's vocabulary (kg.Vocabulary: the built-in types,
// and the added ones the database stores once a store is open) or defined
// by the input itself (an added type it carries). The domain rules
// (quotes, kinds, names, the added types' definitions) are checked by
// store.Import against the database.
package transfer

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// Format is an export format.
type Format string

// The formats. YAML and CSV write a directory, JSONL and GraphML one file.
const (
	YAML    Format = "yaml"
	JSONL   Format = "jsonl"
	GraphML Format = "graphml"
	CSV     Format = "csv"
)

// Formats lists every format.
var Formats = []Format{YAML, JSONL, GraphML, CSV}

// ParseFormat returns the format named s and whether it is one.
func ParseFormat(s string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// Directory reports whether f is written as a directory of files.
func (f Format) Directory() bool { return f == YAML || f == CSV }

// Readable reports whether the package reads f back (import).
func (f Format) Readable() bool { return f == YAML || f == JSONL }

// ReadError is a problem with the form of an input file: it names the file
// (and line, for JSON Lines) and wraps kg.ErrInvalidInput.
type ReadError struct {
	File string
	Line int // 0 when not known
	Msg  string
}

func (e *ReadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Unwrap makes errors.Is(err, kg.ErrInvalidInput) true.
func (e *ReadError) Unwrap() error { return kg.ErrInvalidInput }

// ReadErrors is every ReadError found in an input.
type ReadErrors []*ReadError

func (es ReadErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "input has %d problem(s):", len(es))
	for _, e := range es {
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, kg.ErrInvalidInput) true.
func (es ReadErrors) Unwrap() error { return kg.ErrInvalidInput }

// prepareDir makes dir, which must not exist or be empty: an export never
// mixes its files with older ones.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: export into a new or empty directory", dir)
	}
	return nil
}

// originOr returns o, or kg.OriginData for "" (written before origins
// existed).
func originOr(o string) string {
	if o == "" {
		return kg.OriginData
	}
	return o
}

// relationKey splits a relation's id into the data files' form: "" and ""
// when the id is <doc>:<from>:<TYPE>:<to>, the key when it is that plus
// "#<key>", and the id itself (to write as id:) otherwise.
func relationKey(doc string, r kg.Relation) (key, id string) {
	base := store.RelationID(doc, r.From, r.Type, r.To, "")
	switch {
	case r.ID == base:
		return "", ""
	case strings.HasPrefix(r.ID, base+"#") && kg.EntityIDPattern.MatchString(strings.TrimPrefix(r.ID, base+"#")):
		return strings.TrimPrefix(r.ID, base+"#"), ""
	}
	return "", r.ID
}
