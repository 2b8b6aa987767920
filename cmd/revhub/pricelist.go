package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

func init() {
	register("pricelist", "import a price list version: revhub pricelist import --tenant T --list NAME --kind K FILE", runPriceList)
}

const priceListUsage = `usage:
  revhub pricelist import --tenant T --list NAME --kind national|contract|corporate|cash|override
                          [--payer P --plan Q --org O --version V --reason R] FILE.csv|FILE.json`

// runPriceList imports FILE as the next version of a list, printing what
// changed; an identical re-import changes nothing.
func runPriceList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return exitUsage{priceListUsage}
	}
	fs := flag.NewFlagSet("pricelist import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, false)
	tenant := fs.String("tenant", "", "tenant (required)")
	list := fs.String("list", "", "price list id, e.g. ebm or aok-2025 (required)")
	kind := fs.String("kind", "", "national, contract, corporate, cash or override (required)")
	payer := fs.String("payer", "", "payer of a contract list")
	plan := fs.String("plan", "", "plan of the payer")
	org := fs.String("org", "", "organization of an override list; its zone picks the decimal separator")
	version := fs.String("version", "", "version id (default: the file's, else v<number>)")
	reason := fs.String("reason", "", "why, for the audit log")
	pos, err := parseArgs(fs, args[1:])
	if err != nil || len(pos) != 1 || *tenant == "" {
		return exitUsage{priceListUsage}
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	hb, err := hf.open(ctx, newLogger(stderr), false)
	if err != nil {
		return err
	}
	defer hb.Close()
	req, err := hb.priceListImport(*tenant, *list, *kind, *payer, *plan, *org, formatOf(pos[0]), pos[0], *version, cliActor(), *reason, data)
	if err != nil {
		return err
	}
	svc, err := hb.services()
	if err != nil {
		return err
	}
	res, err := svc.pricing.Import(ctx, req, hb.deps.Now())
	if err != nil {
		return err
	}
	if res.Unchanged {
		fmt.Fprintf(stdout, "%s: unchanged (identical to %s, version %s); nothing stored\n", res.List, res.ID, res.Version)
		return nil
	}
	fmt.Fprintf(stdout, "%s: imported %s (version %s, %d entries, sha256 %s): %d added, %d changed, %d removed\n",
		res.List, res.ID, res.Version, res.Entries, res.SHA256, res.Added, res.Changed, res.Removed)
	return nil
}
