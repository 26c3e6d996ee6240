package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/urfave/cli/v3"

	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
	"github.com/vetgraph/vetgraph/internal/transfer"
)

// exportCommand is `vetgraph export`: the whole graph or one source to a
// file format (package transfer).
func exportCommand() *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "write the graph (or one source's part) as YAML (data-file layout), JSON Lines, GraphML or CSV for neo4j-admin",
		UsageText: "vetgraph export --format yaml --out backup/\n" +
			"vetgraph export --format jsonl --source 000_c17574c6fccee1e4 --out -",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Required: true, Usage: "yaml (a directory), jsonl, graphml (one file) or csv (a directory)"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "where to write: a new or empty directory for yaml and csv; a file, or - for standard output, for jsonl and graphml"},
			&cli.StringFlag{Name: "source", Usage: "a document id: export that document, the statements citing it and the entities they name"},
			&cli.BoolFlag{Name: "with-documents", Usage: "graphml: add the documents as nodes, with MENTIONED_IN edges"},
			&cli.StringFlag{Name: "array-delimiter", Value: ";", Usage: "csv: the character joining array values (neo4j-admin's --array-delimiter)"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			return withStore(ctx, func(s *store.Store) error {
				return runExport(ctx, s, exportArgs{
					format: c.String("format"), out: c.String("out"), source: c.String("source"),
					withDocuments: c.Bool("with-documents"), arrayDelimiter: c.String("array-delimiter"),
				}, os.Stdout, os.Stderr)
			})
		},
	}
}

// importCommand is `vetgraph import`: validate a YAML directory or a JSON
// Lines file as a whole, then write it (or, with --dry-run, print what it
// would change).
func importCommand() *cli.Command {
	return &cli.Command{
		Name:  "import",
		Usage: "validate a YAML directory or JSON Lines file as a whole, then write it in batches as curated data (MERGE: importing twice changes nothing)",
		UsageText: "vetgraph import --format yaml --dry-run backup/\n" +
			"vetgraph import --format jsonl --reason \"second article\" graph.jsonl",
		ArgsUsage: "PATH",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Required: true, Usage: "yaml (a directory in the data-file layout) or jsonl (a file, or - for standard input)"},
			&cli.BoolFlag{Name: "dry-run", Usage: "validate and print the diff (counts, and the ids to create or change); write nothing"},
			&cli.IntFlag{Name: "batch", Value: store.DefaultImportBatch, Usage: "rows per write transaction"},
			&cli.StringFlag{Name: "actor", Usage: "who imports, for the change log (default: the OS user)"},
			&cli.StringFlag{Name: "reason", Usage: "why, for the change log"},
			&cli.BoolFlag{Name: "keep-origin", Usage: "keep the origin (data/api) and entity versions the input states: to restore an export into an empty database beside the same data files"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Len() != 1 {
				return errors.New("import: give one PATH (a directory for yaml; a file or - for jsonl)")
			}
			return withStore(ctx, func(s *store.Store) error {
				_, err := runImport(ctx, s, importArgs{
					format: c.String("format"), path: c.Args().First(), dryRun: c.Bool("dry-run"),
					batch: c.Int("batch"), actor: c.String("actor"), reason: c.String("reason"), keepOrigin: c.Bool("keep-origin"),
				},
					os.Stdin, os.Stdout)
				return err
			})
		},
	}
}

type exportArgs struct {
	format, out, source string
	withDocuments       bool
	arrayDelimiter      string
}

// exporter is what export needs of the store.
type exporter interface {
	Export(ctx context.Context, source string) (*store.ExportGraph, error)
}

// runExport reads the graph and writes it in the format asked; a summary
// goes to note (standard error, so that --out - stays clean).
func runExport(ctx context.Context, s exporter, a exportArgs, stdout, note io.Writer) error {
	format, ok := transfer.ParseFormat(a.format)
	if !ok {
		return fmt.Errorf("export: --format %q: want yaml, jsonl, graphml or csv", a.format)
	}
	if a.out == "-" && format.Directory() {
		return fmt.Errorf("export: --format %s writes a directory; give --out DIR", format)
	}
	delim := []rune(a.arrayDelimiter)
	if len(delim) != 1 {
		return fmt.Errorf("export: --array-delimiter %q: want one character", a.arrayDelimiter)
	}
	g, err := s.Export(ctx, a.source)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	switch format {
	case transfer.YAML:
		err = transfer.WriteYAML(a.out, g)
	case transfer.CSV:
		err = transfer.WriteCSV(a.out, g, transfer.CSVOptions{ArrayDelimiter: delim[0]})
	default:
		err = writeFile(a.out, stdout, func(w io.Writer) error {
			if format == transfer.JSONL {
				return transfer.WriteJSONL(w, g)
			}
			return transfer.WriteGraphML(w, g, transfer.GraphMLOptions{Documents: a.withDocuments})
		})
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	where := a.out
	if where == "-" {
		where = "standard output"
	}
	types := ""
	if len(g.RelationTypes) > 0 {
		types = fmt.Sprintf("%d added relation types, ", len(g.RelationTypes))
	}
	fmt.Fprintf(note, "exported %s%d documents, %d entities, %d relations, %d facts, %d retracted, %d redirects as %s to %s\n",
		types, len(g.Documents), len(g.Entities), len(g.Relations), len(g.Facts), len(g.Retracted), len(g.Redirects), format, where)
	return nil
}

// writeFile writes through write to path (created new or truncated), or
// to stdout for "-".
func writeFile(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type importArgs struct {
	format, path  string
	dryRun        bool
	batch         int
	actor, reason string
	keepOrigin    bool
}

// importer is what import needs of the store.
type importer interface {
	Import(ctx context.Context, st kg.Stamp, g *store.ExportGraph, opt store.ImportOptions) (store.ImportResult, error)
}

// runImport reads the input, imports it (or, in a dry run, only computes
// the diff) and prints the diff to out.
func runImport(ctx context.Context, s importer, a importArgs, stdin io.Reader, out io.Writer) (store.ImportResult, error) {
	format, ok := transfer.ParseFormat(a.format)
	if !ok || !format.Readable() {
		return store.ImportResult{}, fmt.Errorf("import: --format %q: want yaml or jsonl", a.format)
	}
	if a.batch < 1 {
		return store.ImportResult{}, fmt.Errorf("import: --batch %d: want at least 1", a.batch)
	}
	actor := a.actor
	if actor == "" {
		actor = osUser()
	}
	for _, p := range []string{kg.CheckText("--actor", actor, kg.MaxName), kg.CheckText("--reason", a.reason, kg.MaxReason)} {
		if p != "" {
			return store.ImportResult{}, fmt.Errorf("import: %s", p)
		}
	}
	var g *store.ExportGraph
	var err error
	switch {
	case format == transfer.YAML:
		g, err = transfer.ReadYAML(a.path)
	case a.path == "-":
		g, err = transfer.ReadJSONL(stdin, "standard input")
	default:
		var f *os.File
		if f, err = os.Open(a.path); err == nil {
			g, err = transfer.ReadJSONL(f, a.path)
			f.Close()
		}
	}
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("import: %w", err)
	}
	// The input's hash identifies it in the change log: the canonical JSON
	// Lines of what was read.
	var canon bytes.Buffer
	if err := transfer.WriteJSONL(&canon, g); err != nil {
		return store.ImportResult{}, fmt.Errorf("import: %w", err)
	}
	sum := sha256.Sum256(canon.Bytes())
	st := kg.Stamp{
		Actor: kg.Actor{Name: actor, Role: kg.RoleAdmin, Via: "cli"}, At: time.Now(), RequestID: "cli-" + randomHex(6),
		Reason: a.reason, Op: "import", InputHash: hex.EncodeToString(sum[:]),
	}
	res, err := s.Import(ctx, st, g, store.ImportOptions{Batch: a.batch, DryRun: a.dryRun, KeepOrigin: a.keepOrigin})
	if err != nil {
		var ie *store.ImportError
		if errors.As(err, &ie) {
			return res, err
		}
		if res.Change != nil {
			fmt.Fprintf(out, "import stopped; change %s records what was written: %s\n", res.Change.ID, res.Change.Summary)
		}
		return res, err
	}
	printDiff(out, res, a.dryRun)
	return res, nil
}

// printDiff prints the counts of each kind of item and the ids to create
// (+) or change (~).
func printDiff(w io.Writer, res store.ImportResult, dryRun bool) {
	d := res.Diff
	switch {
	case dryRun:
		fmt.Fprintf(w, "dry run, nothing written: the import would create or change %d items\n", d.Writes())
	case d.Writes() == 0:
		fmt.Fprintln(w, "nothing to import: the database already holds every item as the input has it")
	default:
		fmt.Fprintf(w, "imported %d items (nodes created %d, relationships created %d, properties set %d); change %s\n",
			d.Writes(), res.Stats.NodesCreated, res.Stats.RelationshipsCreated, res.Stats.PropertiesSet, changeID(res.Change))
	}
	verb := map[bool]string{true: "to create", false: "created"}[dryRun]
	verb2 := map[bool]string{true: "to change", false: "changed"}[dryRun]
	for _, k := range d.Kinds() {
		c := k.Counts
		fmt.Fprintf(w, "%-10s %d %s, %d %s, %d unchanged\n", k.Name, len(c.Created), verb, len(c.Changed), verb2, c.Unchanged)
		for _, id := range c.Created {
			fmt.Fprintf(w, "  + %s\n", id)
		}
		for _, id := range c.Changed {
			fmt.Fprintf(w, "  ~ %s\n", id)
		}
	}
}

func changeID(c *kg.Change) string {
	if c == nil {
		return "-"
	}
	return c.ID
}

// osUser is the name of the user running the command.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := strings.TrimSpace(os.Getenv("USER")); u != "" && utf8.ValidString(u) {
		return u
	}
	return "unknown"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
