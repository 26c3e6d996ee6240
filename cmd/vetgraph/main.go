// Command vetgraph serves the VET cooperation knowledge graph over GraphQL and
// loads its data files into Neo4j.
//
//	vetgraph serve        run the HTTP server (GraphQL, playground, health)
//	vetgraph load         validate data/ and write it to Neo4j with MERGE
//	vetgraph validate     validate data/ only; exit 1 with every problem listed
//	vetgraph vocabulary   print the relationship-type vocabulary as Markdown
//	vetgraph keys         create, list and revoke API keys (create prints a key once)
//	vetgraph export       write the graph, or one source, as YAML, JSON Lines, GraphML or CSV
//	vetgraph import       validate and write YAML or JSON Lines as curated data (--dry-run: the diff)
//	vetgraph version      print the version, commit and toolchain (also --version)
//
// Configuration comes from the environment; see the README's table.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// The first SIGINT or SIGTERM cancels ctx: serve shuts down gracefully.
	// Then the signals get their default action back, so that a second one
	// (Ctrl-C again) ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	err := newApp().Run(ctx, os.Args)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vetgraph:", err)
		os.Exit(1)
	}
}
