package store

import "context"

// ImportWritesOnly returns a function that writes g as Import writes it
// into a database that holds none of it (the same statements, rows and
// batches, the search forms already computed), without reading,
// validating or diffing: the "same writes" floor BenchmarkImport compares
// Import with.
func (s *Store) ImportWritesOnly(g *ExportGraph, batch int) func(ctx context.Context) error {
	in, _ := indexInput(g)
	p := planImport(in, newImportState(), ImportOptions{})
	for _, rows := range p.ents {
		p.prepareNames(rows)
	}
	return func(ctx context.Context) error {
		_, err := s.writeImport(ctx, p, batch, &LoadStats{})
		return err
	}
}
