package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/urfave/cli/v3"

	"github.com/vetgraph/vetgraph/internal/accesslog"
	"github.com/vetgraph/vetgraph/internal/config"
	"github.com/vetgraph/vetgraph/internal/dataset"
	"github.com/vetgraph/vetgraph/internal/kg"
)

func newApp() *cli.Command {
	return &cli.Command{
		Name:    "vetgraph",
		Usage:   "GraphQL over a Neo4j knowledge graph of VET cooperation (configuration: environment, see README)",
		Version: versionString(), // --version, -v
		Commands: []*cli.Command{
			{
				Name:  "serve",
				Usage: "serve /graphql, the playground at /, /healthz and /readyz",
				Flags: []cli.Flag{&cli.BoolFlag{Name: "load", Usage: "validate and load the data files before serving"}},
				Action: func(ctx context.Context, c *cli.Command) error {
					cfg, log, err := setup()
					if err != nil {
						return err
					}
					return serve(ctx, cfg, log, serveOptions{loadFirst: c.Bool("load")})
				},
			},
			{
				Name:  "load",
				Usage: "validate the data files as a whole and write them to Neo4j (MERGE; loading twice changes nothing)",
				Action: func(ctx context.Context, c *cli.Command) error {
					cfg, log, err := setup()
					if err != nil {
						return err
					}
					return load(ctx, cfg, log)
				},
			},
			{
				Name:  "validate",
				Usage: "validate the data files only; print every problem (file: entry: reason)",
				Action: func(ctx context.Context, c *cli.Command) error {
					cfg, _, err := setup()
					if err != nil {
						return err
					}
					g, err := dataset.Read(cfg.DataDir)
					if err != nil {
						return err
					}
					fmt.Printf("data valid: %d documents, %d entities, %d relations, %d facts\n",
						len(g.Documents), len(g.Entities), len(g.Relations), len(g.Facts))
					return nil
				},
			},
			{
				Name:  "vocabulary",
				Usage: "print the relationship-type vocabulary as a Markdown table",
				Action: func(ctx context.Context, c *cli.Command) error {
					fmt.Print(kg.VocabularyMarkdown())
					return nil
				},
			},
			{
				Name:  "version",
				Usage: "print the version, commit and toolchain (as --version)",
				Action: func(ctx context.Context, c *cli.Command) error {
					cli.ShowVersion(c.Root())
					return nil
				},
			},
			keysCommand(),
			exportCommand(),
			importCommand(),
		},
	}
}

// setup reads the configuration and builds the logger.
func setup() (config.Config, *slog.Logger, error) {
	cfg, err := config.Load()
	if err != nil {
		return cfg, nil, err
	}
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(stderr, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(stderr, opts)
	}
	// Every line logged in a request's context carries its id.
	return cfg, slog.New(accesslog.WithRequestID(h)), nil
}
