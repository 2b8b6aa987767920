package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/ports"
)

func init() {
	register("audit", "verify or list the audit log: revhub audit verify [--tenant T] | list --tenant T", runAudit)
}

const auditUsage = `usage:
  revhub audit verify [--tenant T]
  revhub audit list --tenant T [--after SEQ] [--limit N]`

// errBroken makes the command exit 1 after it has named every break.
var errBroken = errors.New("audit chain broken")

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "list") {
		return exitUsage{auditUsage}
	}
	fs := flag.NewFlagSet("audit "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, false)
	tenant := fs.String("tenant", "", "tenant (verify: default every tenant with entries)")
	after := fs.Int64("after", 0, "list: start after this sequence number")
	limit := fs.Int("limit", ports.DefaultPageLimit, "list: entries to print")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || (args[0] == "list" && *tenant == "") {
		return exitUsage{auditUsage}
	}
	hb, err := hf.open(ctx, newLogger(stderr), false)
	if err != nil {
		return err
	}
	defer hb.Close()
	if args[0] == "list" {
		return listAudit(ctx, hb.store, *tenant, *after, *limit, stdout)
	}
	return verifyAudit(ctx, hb.store, *tenant, stdout)
}

// verifyAudit prints "<tenant>: ok: N entries, head H" per tenant, or names
// the first broken entry; any break fails the command.
func verifyAudit(ctx context.Context, s ports.Store, tenant string, stdout io.Writer) error {
	tenants := []string{tenant}
	if tenant == "" {
		err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
			var err error
			tenants, err = tx.Audit().Tenants(ctx)
			return err
		})
		if err != nil {
			return err
		}
		if len(tenants) == 0 {
			fmt.Fprintln(stdout, "no audit entries")
		}
	}
	broken := 0
	for _, t := range tenants {
		n, head, err := app.VerifyTenant(ctx, s, t)
		var be *audit.BreakError
		switch {
		case errors.As(err, &be):
			broken++
			fmt.Fprintf(stdout, "%s: BROKEN at entry %d: %s (%d entries verified before it)\n", t, be.Seq, be.Reason, n)
		case err != nil:
			return fmt.Errorf("%s: %w", t, err)
		case n == 0:
			fmt.Fprintf(stdout, "%s: ok: 0 entries\n", t)
		default:
			fmt.Fprintf(stdout, "%s: ok: %d entries, head %s\n", t, n, head)
		}
	}
	if broken > 0 {
		return fmt.Errorf("%w for %d of %d tenants", errBroken, broken, len(tenants))
	}
	return nil
}

func listAudit(ctx context.Context, s ports.Store, tenant string, after int64, limit int, stdout io.Writer) error {
	var es []audit.Entry
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		es, err = tx.Audit().Scan(ctx, tenant, after, ports.Page{Limit: limit}.Size())
		return err
	})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SEQ\tTIME\tACTOR\tACTION\tSUBJECT\tREASON")
	for _, e := range es {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.UTC().Format(time.RFC3339), e.Actor, e.Action, e.Subject, e.Reason)
	}
	return w.Flush()
}
