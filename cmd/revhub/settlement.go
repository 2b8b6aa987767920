package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
)

func init() {
	register("claims", "claims intake: revhub claims intake --tenant T FILE.ndjson...", runClaims)
	register("runs", "settlement runs: revhub runs settle --tenant T --run ID --payer NAME [--cadence weekly --from DATE]", runRuns)
	register("reports", "settlement reports: revhub reports summary|providers|aging --tenant T [--csv]", runReports)
}

const claimsUsage = `usage:
  revhub claims intake --tenant T FILE...   (one adjudicated claim JSON per line)`

func runClaims(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "intake" {
		return exitUsage{claimsUsage}
	}
	fs := flag.NewFlagSet("claims intake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, false)
	tenant := fs.String("tenant", "", "tenant (required)")
	files, err := parseArgs(fs, args[1:]) // flags may follow the files
	if err != nil || *tenant == "" || len(files) == 0 {
		return exitUsage{claimsUsage}
	}
	var srcs []app.ClaimSource
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 64<<10), settlement.MaxClaimJSON)
		for sc.Scan() {
			if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
				srcs = append(srcs, app.ClaimSource{JSON: append([]byte(nil), line...)})
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	hb, err := hf.open(ctx, newLogger(stderr), false)
	if err != nil {
		return err
	}
	defer hb.Close()
	rep, err := app.IntakeClaims(ctx, hb.store, *tenant, srcs, hb.deps.Now())
	if err != nil {
		return err
	}
	for _, r := range rep.Rejected {
		for _, fe := range r.Errors {
			fmt.Fprintf(stderr, "claim %d (%s v%d): %s\n", r.Index+1, r.ID, r.Version, fe)
		}
	}
	fmt.Fprintf(stdout, "new %d, duplicates %d, conflicts %d, rejected %d\n", rep.New, rep.Duplicates, len(rep.Conflicts), len(rep.Rejected))
	return nil
}

const runsUsage = `usage:
  revhub runs settle --tenant T --run ID --payer NAME [--currency USD] [--fee-percent 0.5] [--cadence weekly|biweekly|monthly --from 2026-01-05]`

func runRuns(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "settle" {
		return exitUsage{runsUsage}
	}
	fs := flag.NewFlagSet("runs settle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, false)
	tenant := fs.String("tenant", "", "tenant (required)")
	runID := fs.String("run", "", "run id (required)")
	payer := fs.String("payer", "", "payer name on the remittances (required)")
	cur := fs.String("currency", "USD", "currency of the run")
	fee := fs.String("fee-percent", "0", "fee kept from each remittance, in percent (rounded half up)")
	cadence := fs.String("cadence", "weekly", "cadence of the period")
	from := fs.String("from", "", "period start date (2006-01-02); default: one cadence before now")
	if err := fs.Parse(args[1:]); err != nil || *tenant == "" || *runID == "" || *payer == "" || !settlement.Cadence(*cadence).Valid() {
		return exitUsage{runsUsage}
	}
	c, err := money.ParseCurrency(*cur)
	if err != nil {
		return exitUsage{runsUsage}
	}
	pct, err := money.ParseRate(*fee)
	if err != nil {
		return exitUsage{runsUsage}
	}
	var start time.Time // read before the hub opens: a usage error leaves no data directory behind
	if *from != "" {
		if start, err = time.Parse("2006-01-02", *from); err != nil {
			return exitUsage{runsUsage}
		}
	}
	hb, err := hf.open(ctx, newLogger(stderr), false)
	if err != nil {
		return err
	}
	defer hb.Close()
	now := hb.deps.Now()
	if *from == "" {
		start = now.AddDate(0, 0, -7)
	}
	period := settlement.Cadence(*cadence).First(start)
	run := settlement.RunConfig{RunID: *runID, Payer: *payer, Period: period, Currency: c, Fees: settlement.Fees{Percent: pct, Rounding: money.HalfUp}}
	if err := hb.payOnlyLive(ctx, *tenant, &run); err != nil {
		return err
	}
	res, err := app.RunSettlement(ctx, hb.store, app.SettlementRequest{Tenant: *tenant, Actor: cliActor(), Run: run}, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "run %s: %d claims reserved, %d paid on %d remittances, total %s, fees %s, net %s\n",
		res.RunID, res.Claims, res.Paid, len(res.Remittances), res.Total, res.Fees, res.Net)
	for k, n := range res.Buckets() {
		fmt.Fprintf(stdout, "  exception %s: %d\n", k, n)
	}
	return nil
}

const reportsUsage = `usage:
  revhub reports summary   --tenant T [--currency USD] [--top 10] [--csv]
  revhub reports providers --tenant T [--csv]
  revhub reports aging     --tenant T [--csv]`

func runReports(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return exitUsage{reportsUsage}
	}
	fs := flag.NewFlagSet("reports "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, false)
	tenant := fs.String("tenant", "", "tenant (required)")
	cur := fs.String("currency", "USD", "summary: currency")
	top := fs.Int("top", 10, "summary: top providers")
	asCSV := fs.Bool("csv", false, "write CSV (the default is an aligned table)")
	if err := fs.Parse(args[1:]); err != nil || *tenant == "" || fs.NArg() > 0 {
		return exitUsage{reportsUsage}
	}
	hb, err := hf.open(ctx, newLogger(stderr), false)
	if err != nil {
		return err
	}
	defer hb.Close()
	header, rows, err := settlementReport(ctx, hb.store, *tenant, args[0], money.Currency(*cur), *top, hb.deps.Now())
	if errors.Is(err, errUnknownReport) {
		return exitUsage{reportsUsage}
	}
	if err != nil {
		return err
	}
	if *asCSV {
		return settlement.WriteCSV(stdout, header, rows)
	}
	return writeTable(stdout, header, rows)
}

func writeTable(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range append([][]string{header}, rows...) {
		for i, c := range r {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
