package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/vetgraph/vetgraph/internal/auth"
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// keysCommand is `vetgraph keys create|list|revoke`: API keys for writing
// through the API (see package auth). Keys live in the Neo4j of NEO4J_URI.
func keysCommand() *cli.Command {
	return &cli.Command{
		Name:  "keys",
		Usage: "create, list and revoke API keys (sent as Authorization: Bearer vg_…)",
		Commands: []*cli.Command{
			{
				Name:      "create",
				Usage:     "make a key for a name and role; print it once (only a hash is stored)",
				UsageText: `vetgraph keys create --name "Li Wei" --role curator`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "name", Required: true, Usage: "whom the key is for (1–100 characters); history records it as who wrote"},
					&cli.StringFlag{Name: "role", Required: true, Usage: "reader, curator (documents, entities, relations, facts) or admin (also merge, delete, vocabulary, import)"},
				},
				Action: func(ctx context.Context, c *cli.Command) error {
					return withStore(ctx, func(s *store.Store) error {
						return createKey(ctx, s, c.String("name"), c.String("role"), os.Stdout, os.Stderr)
					})
				},
			},
			{
				Name:  "list",
				Usage: "list every key: id, name, role, created, revoked (never a key or its hash)",
				Action: func(ctx context.Context, c *cli.Command) error {
					return withStore(ctx, func(s *store.Store) error { return listKeys(ctx, s, os.Stdout) })
				},
			},
			{
				Name:      "revoke",
				Usage:     "revoke the key with this id; running servers refuse it within 30 s",
				ArgsUsage: "ID",
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.Args().Len() != 1 {
						return errors.New("keys revoke: give one key id (see `vetgraph keys list`)")
					}
					return withStore(ctx, func(s *store.Store) error { return revokeKey(ctx, s, c.Args().First(), os.Stdout) })
				},
			},
		},
	}
}

// withStore opens the store of the configured Neo4j, makes sure its
// constraints and indexes exist (api_key_id among them), and runs f: what
// every command that reads or writes Neo4j outside the server does.
func withStore(ctx context.Context, f func(*store.Store) error) error {
	cfg, _, err := setup()
	if err != nil {
		return err
	}
	s, closeFn, err := openStore(ctx, cfg, telemetry{})
	if err != nil {
		return err
	}
	defer closeFn()
	if err := s.EnsureSchema(ctx); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	return f(s)
}

// keyStore is what the key commands need of the store.
type keyStore interface {
	CreateAPIKey(ctx context.Context, k kg.APIKey) (kg.APIKey, error)
	ListAPIKeys(ctx context.Context) ([]kg.APIKey, error)
	RevokeAPIKey(ctx context.Context, id string) (kg.APIKey, error)
}

// createKey makes and stores a key, then prints the key alone on out (so
// that KEY=$(vetgraph keys create …) works) and what it is on note.
func createKey(ctx context.Context, s keyStore, name, roleName string, out, note io.Writer) error {
	role, ok := kg.ParseRole(roleName)
	if !ok {
		return fmt.Errorf("keys create: --role %q: want reader, curator or admin", roleName)
	}
	plain, k, err := auth.NewKey(name, role)
	if err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	if k, err = s.CreateAPIKey(ctx, k); err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	fmt.Fprintf(note, "API key %s for %q, role %s. Copy it now: it will not be shown again (only a hash is stored).\n"+
		"Send it as: Authorization: Bearer <key>\n", k.ID, k.Name, k.Role)
	fmt.Fprintln(out, plain)
	return nil
}

// listKeys prints every key as a table, oldest first.
func listKeys(ctx context.Context, s keyStore, out io.Writer) error {
	keys, err := s.ListAPIKeys(ctx)
	if err != nil {
		return fmt.Errorf("keys list: %w", err)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tCREATED\tREVOKED")
	for _, k := range keys {
		revoked := "-"
		if k.RevokedAt != nil {
			revoked = k.RevokedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, k.CreatedAt.UTC().Format(time.RFC3339), revoked)
	}
	return tw.Flush()
}

// revokeKey revokes the key id; revoking a revoked key says so and changes
// nothing.
func revokeKey(ctx context.Context, s keyStore, id string, out io.Writer) error {
	if !auth.ValidKeyID(id) {
		// Not echoed: it may be a whole key, secret included.
		return errors.New("keys revoke: that is not a key id; give the 12 characters (a–z, 2–7) that `vetgraph keys list` shows, not the whole key")
	}
	start := time.Now().Add(-time.Second)
	k, err := s.RevokeAPIKey(ctx, id)
	switch {
	case errors.Is(err, kg.ErrNotFound):
		return fmt.Errorf("keys revoke: no key with id %s (see `vetgraph keys list`)", id)
	case err != nil:
		return fmt.Errorf("keys revoke: %w", err)
	}
	if k.RevokedAt != nil && k.RevokedAt.Before(start) {
		fmt.Fprintf(out, "key %s (%q, %s) was already revoked at %s\n", k.ID, k.Name, k.Role, k.RevokedAt.UTC().Format(time.RFC3339))
		return nil
	}
	fmt.Fprintf(out, "revoked key %s (%q, %s); running servers refuse it within %s\n", k.ID, k.Name, k.Role, auth.DefaultKeyCacheTTL)
	return nil
}
