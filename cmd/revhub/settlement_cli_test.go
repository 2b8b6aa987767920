package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/settlement"
)

// TestSettlementCLI_intakeRunReports takes claims from NDJSON files, runs a
// settlement and prints each report as a table and as CSV, on both stores.
func TestSettlementCLI_intakeRunReports(t *testing.T) {
	for _, st := range adminStores {
		t.Run(st.name, func(t *testing.T) {
			flags, _ := st.open(t)
			dir := t.TempDir()
			var good, bad []string
			for i := range 6 {
				good = append(good, claimJSON(t, i, 1, settlement.ClaimApproved, nil))
			}
			bad = append(bad, claimJSON(t, 6, 1, settlement.ClaimApproved, nil), claimJSON(t, 7, 1, settlement.ClaimApproved, func(c *settlement.Claim) { c.Provider.NPI = "1" }))
			goodFile, badFile := filepath.Join(dir, "good.ndjson"), filepath.Join(dir, "bad.ndjson")
			if err := os.WriteFile(goodFile, []byte(strings.Join(good, "\n")+"\n\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(badFile, []byte(strings.Join(bad, "\n")), 0o600); err != nil {
				t.Fatal(err)
			}
			if rc, out, errs := cli(t, flags, "claims", "intake", "--tenant", "acme", goodFile); rc != 0 || out != "new 6, duplicates 0, conflicts 0, rejected 0\n" {
				t.Fatalf("intake: exit %d %q %s", rc, out, errs)
			}
			if rc, out, _ := cli(t, flags, "claims", "intake", "--tenant", "acme", goodFile); rc != 0 || out != "new 0, duplicates 6, conflicts 0, rejected 0\n" {
				t.Fatalf("intake again: exit %d %q", rc, out)
			}
			// A bad line is named by its position, claim and field; the good one is stored.
			rc, out, errs := cli(t, flags, "claims", "intake", "--tenant", "acme", badFile)
			if rc != 0 || !strings.Contains(out, "rejected 1") || !strings.Contains(errs, "claim 2 (C0000007 v1): provider.npi") {
				t.Fatalf("bad intake: exit %d %q %s", rc, out, errs)
			}
			if rc, _, errs := cli(t, flags, "claims", "intake", "--tenant", "acme", filepath.Join(dir, "missing.ndjson")); rc != 1 || !strings.Contains(errs, "missing.ndjson") {
				t.Fatalf("missing file: exit %d %s", rc, errs)
			}

			rc, out, errs = cli(t, flags, "runs", "settle", "--tenant", "acme", "--run", "run-1", "--payer", "Acme Health", "--fee-percent", "0.5", "--from", "2026-02-02")
			if rc != 0 || !regexp.MustCompile(`^run run-1: 7 claims reserved, 7 paid on 5 remittances, total 560\.\d\d USD, fees \d+\.\d\d USD, net \d+\.\d\d USD\n`).MatchString(out) {
				t.Fatalf("runs settle: exit %d %q %s", rc, out, errs)
			}
			if rc, _, errs := cli(t, flags, "runs", "settle", "--tenant", "acme", "--run", "run-1", "--payer", "Acme Health", "--from", "2026-02-09"); rc != 1 || !strings.Contains(errs, "conflict") {
				t.Fatalf("second run with the same id: exit %d %s", rc, errs)
			}
			if rc, out, _ := cli(t, flags, "runs", "settle", "--tenant", "acme", "--run", "run-2", "--payer", "Acme Health", "--from", "2026-02-09"); rc != 0 || !strings.Contains(out, "0 claims reserved") {
				t.Fatalf("nothing left to pay: exit %d %q", rc, out)
			}

			if rc, out, _ := cli(t, flags, "reports", "summary", "--tenant", "acme"); rc != 0 || !regexp.MustCompile(`(?m)^provider\s+runs\s+claims\s+paid\s+pending\n^TOTAL\s+1\s+7\s+0\.00\s+\d+\.\d\d$`).MatchString(out) {
				t.Fatalf("summary table: exit %d\n%s", rc, out)
			}
			// The rejected claim (NPI "1") counts against its submitter's quality.
			if rc, out, _ := cli(t, flags, "reports", "providers", "--tenant", "acme", "--csv"); rc != 0 || !strings.HasPrefix(out, "npi,submissions,claims,quality_pct,dispute_rate_pct,denial_rate_pct\n1,1,1,0.00,,0.00\n") || strings.Count(out, "\n") != 7 {
				t.Fatalf("providers CSV: exit %d\n%s", rc, out)
			}
			if rc, out, _ := cli(t, flags, "reports", "aging", "--tenant", "acme", "--csv"); rc != 0 || !strings.HasPrefix(out, "state,current,left,avg_days,age_0-7,age_8-30,age_31-60,age_61+\n") || !strings.Contains(out, "\nPAID,7,") {
				t.Fatalf("aging CSV: exit %d\n%s", rc, out)
			}
			if rc, out, _ := cli(t, flags, "reports", "summary", "--tenant", "globex", "--csv"); rc != 0 || out != "provider,runs,claims,paid,pending\nTOTAL,0,0,0.00,0.00\n" {
				t.Fatalf("another tenant's summary: exit %d %q", rc, out)
			}
			// A provider token is limited to one NPI, which it must name.
			if rc, _, errs := cli(t, flags, "tokens", "create", "--tenant", "acme", "--role", "provider", "--name", "portal"); rc != 1 || !strings.Contains(errs, "provider: invalid") {
				t.Fatalf("provider token without NPI: exit %d %s", rc, errs)
			}
			if rc, _, errs := cli(t, flags, "tokens", "create", "--tenant", "acme", "--role", "finance", "--name", "x", "--provider", "1234567893"); rc != 1 || !strings.Contains(errs, "provider: not_allowed") {
				t.Fatalf("finance token with NPI: exit %d %s", rc, errs)
			}
			if rc, _, errs := cli(t, flags, "tokens", "create", "--tenant", "acme", "--role", "provider", "--name", "portal", "--provider", "1234567893"); rc != 0 {
				t.Fatalf("provider token: exit %d %s", rc, errs)
			}
		})
	}
}

func TestSettlementCLI_usage(t *testing.T) {
	for _, args := range [][]string{
		{"claims"}, {"claims", "intake", "x.ndjson"}, {"claims", "intake", "--tenant", "acme"},
		{"runs"}, {"runs", "settle", "--tenant", "acme", "--run", "r"}, {"runs", "settle", "--tenant", "acme", "--run", "r", "--payer", "p", "--cadence", "daily"},
		{"runs", "settle", "--tenant", "acme", "--run", "r", "--payer", "p", "--currency", "EURO"}, {"runs", "settle", "--tenant", "acme", "--run", "r", "--payer", "p", "--from", "02/09/2026"},
		{"reports"}, {"reports", "summary"}, {"reports", "nope", "--tenant", "acme", "--data", "DATA"},
	} {
		for i, a := range args {
			if a == "DATA" {
				args[i] = t.TempDir()
			}
		}
		if rc, _, errs := cli(t, nil, args...); rc != 2 || !strings.Contains(errs, "usage") {
			t.Errorf("%v: exit %d %s, want 2 with usage", args, rc, errs)
		}
	}
}
