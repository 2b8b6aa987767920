package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/ports"
)

func init() {
	register("tokens", "manage API tokens: revhub tokens create|list|revoke --tenant T ...", runTokens)
}

const tokensUsage = `usage:
  revhub tokens create --tenant T --role finance|implementer|integration|auditor|provider --name N [--provider NPI]
  revhub tokens list   --tenant T
  revhub tokens revoke --tenant T --id ID [--reason R]`

// runTokens creates (printing the secret once; only its hash is stored),
// lists or revokes a tenant's API tokens. Creating and revoking are audited.
func runTokens(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return exitUsage{tokensUsage}
	}
	fs := flag.NewFlagSet("tokens "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, false)
	tenant := fs.String("tenant", "", "tenant the token belongs to (required)")
	role := fs.String("role", "", "create: the token's role")
	name := fs.String("name", "", "create: what the token is for, e.g. \"epic-bridge prod\"")
	provider := fs.String("provider", "", "create: the NPI a provider token is limited to (role provider only)")
	id := fs.String("id", "", "revoke: the token's id (tok_...)")
	reason := fs.String("reason", "", "revoke: why, for the audit log")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *tenant == "" {
		return exitUsage{tokensUsage}
	}
	var run func(*hub) error
	switch args[0] {
	case "create":
		run = func(hb *hub) error {
			secret, t, err := httpapi.CreateToken(ctx, hb.store, httpapi.NewToken{
				Tenant: *tenant, Role: ports.Role(*role), Name: *name, Provider: *provider, Actor: cliActor(),
			}, hb.deps.Now())
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, secret)
			fmt.Fprintf(stderr, "created %s (tenant %s, role %s). The token above is shown only once: store it now.\n", t.ID, t.Tenant, t.Role)
			return nil
		}
	case "list":
		run = func(hb *hub) error { return listTokens(ctx, hb, *tenant, stdout) }
	case "revoke":
		if *id == "" {
			return exitUsage{tokensUsage}
		}
		run = func(hb *hub) error {
			if err := httpapi.RevokeToken(ctx, hb.store, *tenant, *id, cliActor(), *reason, hb.deps.Now()); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "revoked %s\n", *id)
			return nil
		}
	default:
		return exitUsage{tokensUsage}
	}
	hb, err := hf.open(ctx, newLogger(stderr), false)
	if err != nil {
		return err
	}
	defer hb.Close()
	return run(hb)
}

func listTokens(ctx context.Context, hb *hub, tenant string, stdout io.Writer) error {
	var ts []ports.Token
	err := hb.store.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		ts, err = tx.Tokens().List(ctx, tenant)
		return err
	})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tROLE\tPROVIDER\tCREATED\tREVOKED")
	for _, t := range ts {
		revoked := "-"
		if t.RevokedAt != nil {
			revoked = t.RevokedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, cmp.Or(t.Provider, "-"), t.CreatedAt.UTC().Format(time.RFC3339), revoked)
	}
	return w.Flush()
}

// cliActor names the operator in the audit log.
func cliActor() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}
