package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/storetest"
	"github.com/revhub/revhub/testharness/sftpserver"
)

// nachaValidator is the independent NACHA validator (it shares no code with us).
const nachaValidator = "/work/shared/validators/nacha"

// payoutMappings writes a tree where acme's claims organization binds the
// NACHA builder with its originating account (the number by secret
// reference) and SFTP delivery to bank; globex binds no payout.
func payoutMappings(t *testing.T, bank *sftpserver.Server) string {
	dir := t.TempDir()
	files := map[string]string{
		"deployment.yaml":           "deployment: payout-test\nbindings:\n  store:\n    embedded:\n      path: hub.db\n",
		"tenants/acme/_tenant.yaml": "tenant: acme\nname: Acme Health Plan\nzone: US\n",
		"tenants/acme/claims.yaml": `organization: claims
name: Acme Claims Payment
code: ACMC
numbering:
  invoice:     { name: claims-stmt, pattern: "{ORG}-{YYYY}-{SEQ:8}", reset: yearly }
  credit_note: { name: claims-adj, pattern: "{ORG}-ADJ-{SEQ:8}", reset: never }
bindings:
  payout:
    nacha:
      immediate_destination: "231380104"
      immediate_destination_name: DEST BANK
      immediate_origin: "1123456789"
      immediate_origin_name: ACME HEALTH PLAN
      cutoff: "15:00"
      timezone: America/New_York
      company_name: ACME HEALTH PLAN
      company_id: "1123456789"
      odfi_routing: "121042882"
      account_ref: env:REVHUB_TEST_ODFI_ACCOUNT
      prenote_days: 3
  payout_delivery:
    sftp:
      host: ` + bank.Addr + `
      user: acme
      password_ref: env:REVHUB_TEST_BANK_PW
      host_key: ` + strconv.Quote(bank.HostKeyLine()) + `
      dir: /in
      timeout: 5s
`,
		"tenants/globex/_tenant.yaml": "tenant: globex\nname: Globex\nzone: US\n",
		"tenants/globex/claims.yaml": "organization: claims\nname: Globex Claims\ncode: GLXC\nnumbering:\n" +
			"  invoice:     { name: s, pattern: \"{ORG}-{SEQ:8}\", reset: never }\n  credit_note: { name: c, pattern: \"{ORG}-C-{SEQ:8}\", reset: never }\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestPayout_fromMappingsAndDirectory releases money the way revhub serve
// does, with nothing injected: the originating account from the nacha
// binding, the payee bank directory from the store, delivery by the outbox
// through the sftp binding to an in-process bank. A new payee account is
// prenoted first; its claims wait in prenote_pending until the window
// passes, then its payment goes out. Both files pass the NACHA validator.
func TestPayout_fromMappingsAndDirectory(t *testing.T) {
	for _, st := range []struct {
		name string
		pg   bool
	}{{"embedded", false}, {"postgres", true}} {
		t.Run(st.name, func(t *testing.T) { testPayoutFromMappings(t, st.pg) })
	}
}

func testPayoutFromMappings(t *testing.T, pg bool) {
	ctx := context.Background()
	t.Setenv("REVHUB_TEST_ODFI_ACCOUNT", "5550001111")
	t.Setenv("REVHUB_TEST_BANK_PW", bankPW)
	bank := sftpserver.Start(t, sftpserver.Options{User: "acme", Password: bankPW})
	bank.Mkdir(t, "in")
	hb := testHub(t, hubFlags{data: t.TempDir(), mappings: payoutMappings(t, bank)}, pg)
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC) // Monday 10:00 in New York, before the cut-off
	hb.deps.Clock = func() time.Time { return now }
	s := &settleHub{hb: hb, srv: httptest.NewServer(newAPI(hb)), tokens: map[string]string{},
		outbox: &app.OutboxWorker{Store: hb.store, Worker: "test", Batch: 10, Lease: time.Minute, Resolve: newResolver(hb).resolve}}
	t.Cleanup(s.srv.Close)
	s.createTokens(t, []testToken{{"fin-a", "acme", ports.RoleFinance, ""}, {"fin-b", "acme", ports.RoleFinance, ""}, {"fin-c", "acme", ports.RoleFinance, ""},
		{"fin-d", "acme", ports.RoleFinance, ""}, {"impl", "acme", ports.RoleImplementer, ""}, {"auditor", "acme", ports.RoleAuditor, ""},
		{"claims", "acme", ports.RoleIntegration, ""}, {"globex", "globex", ports.RoleImplementer, ""}})
	deliver := func() {
		t.Helper()
		if rep, err := s.outbox.RunOnce(ctx, now); err != nil || rep.Sent != 1 {
			t.Fatalf("outbox round: %+v, %v", rep, err)
		}
	}

	// The payee directory: a new account, answered masked; bad input by field.
	p0 := `{"ref":"bank/p0","name":"Provider 0","payee_id":"` + storetest.NPI(0) + `","routing":"231380104","account":"987654321","account_type":"checking"}`
	if got := s.want(t, 200, "impl", "POST", "/v1/payee-accounts", p0, `"account":"*****4321"`, `"prenote":"due"`); bytes.Contains(got, []byte("987654321")) {
		t.Fatalf("account number in the answer: %s", got)
	}
	s.want(t, 400, "impl", "POST", "/v1/payee-accounts", `{"ref":"bank/p9","name":"X","routing":"231380105","account":"12 34","account_type":"loan"}`,
		`"path":"routing"`, `"code":"check_digit"`, `"path":"account"`, `"path":"account_type"`)
	s.want(t, 403, "claims", "POST", "/v1/payee-accounts", p0)

	// Claims of five providers: provider 0's wait for the prenote, the others have no account.
	s.want(t, 200, "claims", "POST", "/v1/claims", claimsBody(t, 0, 10, nil), `"new":10`)
	run := func(id string, parts ...string) {
		t.Helper()
		s.want(t, 201, "fin-a", "POST", "/v1/settlement-runs", `{"run_id":"`+id+`","payer":"Acme Health","cadence":"weekly","from":"2026-02-23","currency":"USD"}`, parts...)
	}
	run("run-1", `"remittances":0`, `"prenote_pending":2`, `"no_bank_account":8`)

	// The prenote file goes out through the outbox and the sftp binding.
	var pre struct {
		FileName      string `json:"file_name"`
		EffectiveDate string `json:"effective_date"`
		Accounts      []struct {
			LiveFrom string `json:"live_from"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(s.want(t, 201, "impl", "POST", "/v1/prenotes", "", `"prenote":"sent"`), &pre); err != nil || len(pre.Accounts) != 1 {
		t.Fatalf("prenote answer: %+v, %v", pre, err)
	}
	live, _ := time.Parse(time.DateOnly, pre.Accounts[0].LiveFrom)
	if eff, _ := time.Parse(time.DateOnly, pre.EffectiveDate); !live.After(eff) {
		t.Fatalf("live from %s, prenote effective %s", live, pre.EffectiveDate)
	}
	s.want(t, 409, "impl", "POST", "/v1/prenotes", "", `"code":"no_prenote_due"`)
	deliver()
	prenote := bank.Files()["in/"+pre.FileName]
	if !bytes.Contains(prenote, []byte("62323138010498765432")) { // entry: checking prenote credit (23), routing, account
		t.Fatalf("prenote file %s:\n%s", pre.FileName, prenote)
	}

	// Inside the window the account is still pending; after it, it is paid.
	now = live.Add(-9 * time.Hour)
	run("run-2", `"prenote_pending":2`)
	now = live.Add(15 * time.Hour)
	run("run-3", `"remittances":1`, `"no_bank_account":8`)
	s.want(t, 201, "fin-a", "POST", "/v1/disbursements", `{"run_id":"run-3"}`)
	s.want(t, 200, "fin-b", "POST", "/v1/disbursements/disb-run-3/approve", "")
	s.want(t, 200, "fin-c", "POST", "/v1/disbursements/disb-run-3/release", "", `"state":"releasing"`)
	deliver()
	s.want(t, 200, "auditor", "GET", "/v1/disbursements/disb-run-3", "", `"state":"released"`)
	files := bank.Files()
	if len(files) != 2 {
		t.Fatalf("bank holds %d files, want the prenote and run-3's", len(files))
	}
	var payment []byte
	for name, body := range files {
		if name != "in/"+pre.FileName {
			payment = body
		}
	}
	if !bytes.Contains(payment, []byte("62223138010498765432")) || !bytes.Contains(payment, []byte("TRN*1*run-3-")) {
		t.Fatalf("payment file:\n%s", payment)
	}

	// A returned prenote stops EFT; the directory lists it, masked.
	s.want(t, 200, "fin-d", "POST", "/v1/prenotes/returns", `{"ref":"bank/p0","code":"R03"}`, `"prenote":"returned"`, `"return_code":"R03"`)
	s.want(t, 200, "auditor", "GET", "/v1/payee-accounts?prenote=returned", "", `"ref":"bank/p0"`, `"account":"*****4321"`)
	s.want(t, 200, "auditor", "GET", "/v1/payee-accounts/bank/p0", "", `"prenote":"returned"`)
	s.want(t, 404, "globex", "GET", "/v1/payee-accounts/bank/p0", "")
	s.want(t, 200, "claims", "POST", "/v1/claims", claimsBody(t, 10, 11, nil), `"new":1`)
	run("run-4", `"no_bank_account":9`)

	// An organization without a payout binding is told what is missing.
	s.want(t, 503, "globex", "POST", "/v1/prenotes", "", `"code":"payout_not_configured"`, "no organization binds payout", "account_ref")

	validateNACHA(t, map[string][]byte{"prenote.ach": prenote, "payment.ach": payment})
}

// validateNACHA runs the independent validator on each file.
func validateNACHA(t *testing.T, files map[string][]byte) {
	t.Helper()
	if _, err := os.Stat(nachaValidator); err != nil {
		t.Skip("SKIP: independent NACHA validator not installed at " + nachaValidator)
	}
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(nachaValidator, p).CombinedOutput()
		if err != nil {
			t.Fatalf("validator rejected %s: %v\n%s\n%s", name, err, out, strings.TrimSpace(string(body)))
		}
		t.Logf("%s: %s", name, strings.TrimSpace(string(out)))
	}
}

// TestPayees_storeErrorsPassThrough: a tenant without payout wiring has no
// live payees (FFS pays by check), but a failure reading the directory is
// an error, not a silent switch of every EFT to a check.
func TestPayees_storeErrorsPassThrough(t *testing.T) {
	hb := &hub{payout: func(tenant string) (payout, error) {
		return payout{}, fmt.Errorf("%w: tenant %s: no organization binds payout", errPayoutConfig, tenant)
	}}
	if dir, err := hb.payees(context.Background(), "globex"); err != nil || dir.known("bank/p0") {
		t.Fatalf("without wiring: known %v, err %v; want no live payee and no error", dir.known("bank/p0"), err)
	}
	down := errors.New("store down")
	hb.payout = func(string) (payout, error) { return payout{}, down }
	if _, err := hb.payees(context.Background(), "acme"); !errors.Is(err, down) {
		t.Fatalf("store failure: err %v, want %v", err, down)
	}
}
