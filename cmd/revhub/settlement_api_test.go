package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/adapters/nacha"
	natsbus "github.com/revhub/revhub/adapters/nats"
	"github.com/revhub/revhub/adapters/sftp"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/storetest"
	"github.com/revhub/revhub/testharness/sftpserver"
)

// settleHub serves the API over a fresh store with an embedded NATS bus,
// a real NACHA builder and SFTP delivery to an in-process bank drop box,
// and holds named tokens: four finance users, an auditor, the claims
// system, two providers, and finance of another tenant.
type settleHub struct {
	hb     *hub
	srv    *httptest.Server
	tokens map[string]string
	bank   *sftpserver.Server
	outbox *app.OutboxWorker
	events chan ports.Delivery // settlement.remittance.paid for provider 0
}

const bankPW = "bank-test-only"

func newSettleHub(t *testing.T, pg bool) *settleHub {
	ctx := context.Background()
	data := t.TempDir()
	hb := testHub(t, hubFlags{data: data}, pg)
	deps := testharness.Deps(t, "env:BANK_PW", bankPW)
	deps.DataDir = data
	var err error
	if hb.bus, err = natsbus.New(natsbus.Config{Stream: "REVHUB", SubjectPrefix: "revhub", MaxAge: time.Hour, Replicas: 1, DuplicateWindow: time.Minute, Prefetch: 64, LeaseTTL: 15 * time.Second}, deps); err != nil {
		t.Fatal(err)
	}
	bank := sftpserver.Start(t, sftpserver.Options{User: "acme", Password: bankPW})
	bank.Mkdir(t, "in")
	drop, err := sftp.New(sftp.Config{Host: bank.Addr, User: "acme", HostKey: bank.HostKeyLine(), PasswordRef: "env:BANK_PW", Dir: "/in", Timeout: 5 * time.Second}, deps)
	if err != nil {
		t.Fatal(err)
	}
	builder, err := nacha.New(nacha.Config{ImmediateDestination: "231380104", ImmediateDestinationName: "DEST BANK", ImmediateOrigin: "1123456789",
		ImmediateOriginName: "ACME HEALTH PLAN", EntryDescription: "HCCLAIMPMT", Cutoff: "15:00", Timezone: "America/New_York", LineEnding: "lf"}, deps)
	if err != nil {
		t.Fatal(err)
	}
	payees := map[string]settlement.DisbursementEntry{
		"bank/p0": {PayeeName: "Provider 0", PayeeID: storetest.NPI(0), Routing: "231380104", Account: "987654321", AccountType: settlement.Checking},
		"bank/p1": {PayeeName: "Provider 1", PayeeID: storetest.NPI(1), Routing: "021000021", Account: "000123456789", AccountType: settlement.Savings},
	}
	hb.payout = func(string) (payout, error) {
		return payout{Builder: builder, Binding: "payout_delivery/sftp", Payees: func(ref string) (settlement.DisbursementEntry, bool) { e, ok := payees[ref]; return e, ok },
			Originator: settlement.Originator{CompanyName: "ACME HEALTH PLAN", CompanyID: "1123456789", ODFIRouting: "121042882", Account: "5550001111", AccountType: settlement.Checking}}, nil
	}
	s := &settleHub{hb: hb, srv: httptest.NewServer(newAPI(hb)), tokens: map[string]string{}, bank: bank, events: make(chan ports.Delivery, 8),
		outbox: &app.OutboxWorker{Store: hb.store, Worker: "test", Batch: 10, Lease: time.Minute,
			Resolve: func(context.Context, ports.OutboxItem) (ports.Deliverer, error) { return fileDrop{drop}, nil }}}
	t.Cleanup(s.srv.Close)
	s.createTokens(t, []testToken{{"fin-a", "acme", ports.RoleFinance, ""}, {"fin-b", "acme", ports.RoleFinance, ""}, {"fin-c", "acme", ports.RoleFinance, ""},
		{"fin-d", "acme", ports.RoleFinance, ""}, {"auditor", "acme", ports.RoleAuditor, ""}, {"claims", "acme", ports.RoleIntegration, ""},
		{"p0", "acme", ports.RoleProvider, storetest.NPI(0)}, {"p1", "acme", ports.RoleProvider, storetest.NPI(1)}, {"globex", "globex", ports.RoleFinance, ""}})
	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = hb.bus.Consume(cctx, ports.ConsumerSpec{Name: "provider-feed", Tenant: "acme", Org: storetest.NPI(0), Topic: "settlement.remittance.paid"},
			func(_ context.Context, d ports.Delivery) error { s.events <- d; return nil })
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return s
}

// testToken names an API token to create: name, tenant, role, provider NPI.
type testToken struct {
	name, tenant string
	role         ports.Role
	npi          string
}

// createTokens creates the tokens and keeps their secrets by name.
func (s *settleHub) createTokens(t *testing.T, tks []testToken) {
	t.Helper()
	for _, tk := range tks {
		secret, _, err := httpapi.CreateToken(context.Background(), s.hb.store, httpapi.NewToken{Tenant: tk.tenant, Role: tk.role, Name: tk.name, Provider: tk.npi, Actor: "test"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[tk.name] = secret
	}
}

func (s *settleHub) do(t *testing.T, who, method, path, ctype, body string, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	return request(t, s.srv.URL, s.tokens[who], method, path, ctype, body, hdr...)
}

// want sends a request and checks the status and that the body holds each of parts.
func (s *settleHub) want(t *testing.T, status int, who, method, path, body string, parts ...string) []byte {
	t.Helper()
	code, _, got := s.do(t, who, method, path, "application/json", body)
	if code != status {
		t.Fatalf("%s %s as %s: %d %s, want %d", method, path, who, code, got, status)
	}
	for _, p := range parts {
		if !strings.Contains(string(got), p) {
			t.Fatalf("%s %s as %s: %s, want it to hold %s", method, path, who, got, p)
		}
	}
	return got
}

// claimsBody is a JSON array of synthetic claims [from, to) of two providers.
func claimsBody(t *testing.T, from, to int, edit func(*settlement.Claim)) string {
	var parts []string
	for i := from; i < to; i++ {
		parts = append(parts, claimJSON(t, i, 1, settlement.ClaimApproved, edit))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestSettlementAPI_endToEnd(t *testing.T) {
	for _, st := range []struct {
		name string
		pg   bool
	}{{"embedded", false}, {"postgres", true}} {
		t.Run(st.name, func(t *testing.T) { testSettlementAPI(t, newSettleHub(t, st.pg)) })
	}
}

func testSettlementAPI(t *testing.T, s *settleHub) {
	p0, p1 := storetest.NPI(0), storetest.NPI(1)
	twoProviders := func(c *settlement.Claim) { // SynthClaim with 5 providers, folded to two
		n := 0
		if c.Provider.NPI != p0 {
			n = 1
		}
		c.Provider.NPI, c.Provider.TIN, c.Provider.PayeeAccountRef = storetest.NPI(n), settlement.TIN(fmt.Sprintf("%09d", 100000000+n)), fmt.Sprintf("bank/p%d", n)
	}

	// Intake: JSON, idempotent; FHIR; refused claims named by index and field; integration role only.
	s.want(t, 200, "claims", "POST", "/v1/claims", claimsBody(t, 0, 6, twoProviders), `"new":6`)
	s.want(t, 200, "claims", "POST", "/v1/claims", claimsBody(t, 0, 6, twoProviders), `"duplicates":6`)
	if code, _, b := s.do(t, "claims", "POST", "/v1/claims", "application/fhir+json", fhirClaimBundle); code != 200 || !strings.Contains(string(b), `"new":1`) {
		t.Fatalf("FHIR intake: %d %s", code, b)
	}
	bad := "[" + claimJSON(t, 7, 1, settlement.ClaimApproved, twoProviders) + "," + claimJSON(t, 8, 1, settlement.ClaimApproved, func(c *settlement.Claim) { c.Provider.NPI = "1" }) + "]"
	s.want(t, 422, "claims", "POST", "/v1/claims", bad, `"path":"claims[1].provider.npi"`, `"code":"claims_refused"`, "1 rejected, 0 conflicts")
	s.want(t, 403, "fin-a", "POST", "/v1/claims", claimsBody(t, 0, 1, nil))
	s.want(t, 400, "claims", "POST", "/v1/claims", `[{"id":`, `"path":"body"`)

	// A settlement run: one remittance per provider; a run id is used once; bad requests name the fields.
	run := `{"run_id":"run-1","payer":"Acme Health","cadence":"weekly","from":"2026-02-02","currency":"USD","fee_percent":"0.5"}`
	s.want(t, 201, "fin-a", "POST", "/v1/settlement-runs", run, `"remittances":2`, `"no_bank_account":1`)
	s.want(t, 409, "fin-a", "POST", "/v1/settlement-runs", run, `"code":"run_exists"`)
	s.want(t, 400, "fin-a", "POST", "/v1/settlement-runs", `{"run_id":"x","payer":"p","cadence":"daily","from":"2026-02-30","currency":"usd"}`,
		`"path":"cadence"`, `"path":"from"`, `"path":"currency"`)
	s.want(t, 400, "fin-a", "POST", "/v1/settlement-runs", `{"run_id":"x","colour":"blue"}`, `"path":"body"`, "colour")
	s.want(t, 403, "auditor", "POST", "/v1/settlement-runs", run)

	// Remittances: a provider sees only its own; other tenants see nothing.
	rem0, rem1 := "run-1-"+p0, "run-1-"+p1
	got := s.want(t, 200, "p0", "GET", "/v1/remittances", "", rem0)
	if strings.Contains(string(got), rem1) {
		t.Fatalf("provider 0 lists provider 1's remittance: %s", got)
	}
	s.want(t, 404, "p0", "GET", "/v1/remittances?provider="+p1, "")
	s.want(t, 404, "p0", "GET", "/v1/remittances/"+rem1, "")
	s.want(t, 404, "globex", "GET", "/v1/remittances/"+rem0, "")
	s.want(t, 200, "fin-a", "GET", "/v1/remittances?run=run-1", "", rem0, rem1)
	var view RemittanceJSON
	if err := json.Unmarshal(s.want(t, 200, "p0", "GET", "/v1/remittances/"+rem0+"?limit=1", "", `"status":"GENERATED"`), &view); err != nil ||
		len(view.Lines) != 1 || view.NextCursor == "" || view.TIN != "*****0000" {
		t.Fatalf("remittance view %+v (%v); lines paged by 1, TIN masked", view, err)
	}

	// Payment proof: the provider sees it at once, by event and API; a second upload is refused.
	s.want(t, 200, "fin-b", "POST", "/v1/remittances/"+rem0+"/proof", "BANK CONFIRMATION 0001", `"status":"PAID"`)
	select {
	case ev := <-s.events:
		if !strings.Contains(string(ev.Data), rem0) || !strings.Contains(string(ev.Data), "PAID") {
			t.Fatalf("event %s", ev.Data)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no settlement.remittance.paid event for the provider")
	}
	s.want(t, 200, "p0", "GET", "/v1/remittances/"+rem0, "", `"status":"PAID"`, `"proof":"proof-`+rem0)
	s.want(t, 409, "fin-b", "POST", "/v1/remittances/"+rem0+"/proof", "again", `"code":"transition_refused"`, "cannot be paid")
	s.want(t, 404, "globex", "POST", "/v1/remittances/"+rem0+"/proof", "x")

	// Disputes: the provider raises one on its own remittance; finance resolves it from the queue.
	line := view.Lines[0]
	dispute := fmt.Sprintf(`{"claim_id":%q,"reason":"modifier 25 not paid","requested":{"amount":"5.00","currency":"USD"}}`, line.ClaimID)
	s.want(t, 404, "p1", "POST", "/v1/remittances/"+rem0+"/disputes", dispute)
	s.want(t, 400, "p0", "POST", "/v1/remittances/"+rem0+"/disputes", `{"claim_id":"C9999999","reason":"x"}`, `"path":"claim_id"`, "not_on_remittance")
	s.want(t, 201, "p0", "POST", "/v1/remittances/"+rem0+"/disputes", dispute, `"status":"OPEN"`, `"claim":{`, line.ClaimID)
	s.want(t, 409, "p0", "POST", "/v1/remittances/"+rem0+"/disputes", dispute, `"code":"dispute_exists"`)
	s.want(t, 409, "p0", "POST", "/v1/remittances/"+rem0+"/disputes", strings.Replace(dispute, "{", `{"id":"`+line.ClaimID+`",`, 1), `"code":"dispute_exists"`)
	dID := "dsp-" + rem0 + "-" + line.ClaimID
	if queue := s.want(t, 200, "auditor", "GET", "/v1/disputes", "", dID, `"tin":"*****0000"`); strings.Contains(string(queue), `"tin":"100000000"`) {
		t.Fatalf("the dispute queue shows provider 0's TIN unmasked: %s", queue)
	}
	s.want(t, 403, "p0", "GET", "/v1/disputes", "")
	s.want(t, 404, "globex", "POST", "/v1/disputes/"+dID+"/resolve", `{"outcome":"upheld","adjustment":{"amount":"5.00","currency":"USD"},"note":"ok"}`)
	s.want(t, 400, "fin-c", "POST", "/v1/disputes/"+dID+"/resolve", `{"outcome":"upheld","note":"ok"}`, `"path":"adjustment"`)
	s.want(t, 200, "fin-c", "POST", "/v1/disputes/"+dID+"/resolve", `{"outcome":"upheld","adjustment":{"amount":"5.00","currency":"USD"},"note":"modifier 25 payable"}`,
		`"status":"RESOLVED"`, `"dispute_id":"`+dID)
	s.want(t, 200, "fin-a", "GET", "/v1/disputes", "", `"items":[]`)

	// Fee-for-service: preview, execute, and the claims are taken.
	s.want(t, 200, "claims", "POST", "/v1/claims", claimsBody(t, 10, 14, func(c *settlement.Claim) { twoProviders(c); c.LOB = "medicaid" }), `"new":4`)
	ffs := `{"run_id":"ffs-1","lob":"medicaid","service_from":"2026-01-01","service_to":"2026-02-01","currency":"USD","prompt_pay":{"days":{"medicaid":30},"warn_days":5}}`
	// The FHIR claim (medicaid, no payee account on file) went back to the pool in run-1's no_bank_account bucket.
	s.want(t, 200, "fin-a", "POST", "/v1/ffs-runs/preview", ffs, `"claims":5`)
	s.want(t, 400, "fin-a", "POST", "/v1/ffs-runs/preview", `{"lob":"medicaid","service_from":"2026-02-01","service_to":"2026-01-01","currency":"USD"}`, `"path":"service_to"`)
	s.want(t, 201, "fin-a", "POST", "/v1/ffs-runs", ffs, `"method":"EFT"`, `"method":"CHK"`, `"run_id":"ffs-1"`)
	s.want(t, 200, "fin-a", "POST", "/v1/ffs-runs/preview", ffs, `"claims":0`)

	testDisbursements(t, s, twoProviders)

	// Reports: JSON, CSV by ?format= or Accept; unknown names 404; tenants apart.
	s.want(t, 200, "auditor", "GET", "/v1/reports/summary", "", `"columns":["provider","runs","claims","paid","pending"]`, `"provider":"TOTAL"`)
	if code, h, b := s.do(t, "fin-a", "GET", "/v1/reports/summary?format=csv", "", ""); code != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(string(b), "provider,runs,claims,paid,pending\nTOTAL,") {
		t.Fatalf("summary CSV: %d %s %q", code, h.Get("Content-Type"), b)
	}
	if code, _, b := s.do(t, "fin-a", "GET", "/v1/reports/providers", "", "", "Accept", "text/csv"); code != 200 || !strings.HasPrefix(string(b), "npi,submissions,claims,quality_pct,dispute_rate_pct,denial_rate_pct\n") {
		t.Fatalf("providers CSV: %d %q", code, b)
	}
	s.want(t, 200, "fin-a", "GET", "/v1/reports/aging", "", `"report":"aging"`, `"state":"PAID"`)
	s.want(t, 404, "fin-a", "GET", "/v1/reports/nope", "")
	s.want(t, 400, "fin-a", "GET", "/v1/reports/summary?format=xml&top=0", "", `"path":"format"`, `"path":"top"`)
	s.want(t, 403, "p0", "GET", "/v1/reports/summary", "")
	if got := s.want(t, 200, "globex", "GET", "/v1/reports/summary", ""); !strings.Contains(string(got), `"claims":"0"`) {
		t.Fatalf("another tenant's summary: %s", got)
	}
}

// releasedRun takes claims, settles them in a run and releases its
// disbursement (created, approved and released by three finance users).
func (s *settleHub) releasedRun(t *testing.T, runID, from, claims string) {
	t.Helper()
	s.want(t, 200, "claims", "POST", "/v1/claims", claims, `"new":`)
	s.want(t, 201, "fin-a", "POST", "/v1/settlement-runs", `{"run_id":"`+runID+`","payer":"Acme Health","cadence":"weekly","from":"`+from+`","currency":"USD"}`)
	s.want(t, 201, "fin-a", "POST", "/v1/disbursements", `{"run_id":"`+runID+`"}`)
	s.want(t, 200, "fin-b", "POST", "/v1/disbursements/disb-"+runID+"/approve", "")
	s.want(t, 200, "fin-c", "POST", "/v1/disbursements/disb-"+runID+"/release", "", `"state":"releasing"`)
}

// testDisbursements walks run-1's disbursement through every state on the
// happy path, then run-2's into outcome_unknown, which is never retried.
func testDisbursements(t *testing.T, s *settleHub, twoProviders func(*settlement.Claim)) {
	ctx := context.Background()
	s.want(t, 404, "fin-a", "POST", "/v1/disbursements", `{"run_id":"no-such-run"}`)
	s.want(t, 201, "fin-a", "POST", "/v1/disbursements", `{"run_id":"run-1"}`, `"state":"created"`, `"auto_retry":false`)
	s.want(t, 409, "fin-a", "POST", "/v1/disbursements", `{"run_id":"run-1"}`, `"code":"disbursement_exists"`)
	s.want(t, 403, "fin-a", "POST", "/v1/disbursements/disb-run-1/approve", "", `"code":"separation_of_duties"`, "already did create")
	s.want(t, 403, "auditor", "POST", "/v1/disbursements/disb-run-1/approve", "")
	s.want(t, 404, "globex", "POST", "/v1/disbursements/disb-run-1/approve", "")
	s.want(t, 409, "fin-b", "POST", "/v1/disbursements/disb-run-1/release", "", `"code":"transition_refused"`, "created cannot become releasing")
	s.want(t, 200, "fin-b", "POST", "/v1/disbursements/disb-run-1/approve", "", `"state":"approved"`)
	s.want(t, 403, "fin-b", "POST", "/v1/disbursements/disb-run-1/release", "", `"code":"separation_of_duties"`, "already did approve")
	s.want(t, 200, "fin-c", "POST", "/v1/disbursements/disb-run-1/release", "", `"state":"releasing"`, `"auto_retry":true`)
	s.want(t, 409, "fin-c", "POST", "/v1/disbursements/disb-run-1/release", "", `"code":"transition_refused"`)
	s.want(t, 409, "fin-d", "POST", "/v1/disbursements/disb-run-1/outcome", `{"state":"settled","note":"too early"}`, "releasing cannot take an outcome")
	if rep, err := s.outbox.RunOnce(ctx, time.Now()); err != nil || rep.Sent != 1 {
		t.Fatalf("outbox round: %+v, %v", rep, err)
	}
	s.want(t, 200, "auditor", "GET", "/v1/disbursements/disb-run-1", "", `"state":"released"`, `"auto_retry":false`)
	s.want(t, 403, "fin-c", "POST", "/v1/disbursements/disb-run-1/outcome", `{"state":"settled","note":"bank confirmed"}`, "already did release")
	s.want(t, 400, "fin-d", "POST", "/v1/disbursements/disb-run-1/outcome", `{"state":"paid"}`, `"path":"state"`, `"path":"note"`)
	s.want(t, 200, "fin-d", "POST", "/v1/disbursements/disb-run-1/outcome", `{"state":"settled","note":"bank confirmed"}`, `"state":"settled"`)
	s.want(t, 200, "fin-d", "POST", "/v1/disbursements/disb-run-1/outcome", `{"state":"returned","note":"R01 returned later"}`, `"state":"returned"`)
	files := s.bank.Files()
	if len(files) != 1 {
		t.Fatalf("bank holds %d files, want run-1's", len(files))
	}

	// run-2: the connection drops as the rename arrives: nobody knows whether
	// the bank has the file, so it is never sent again without a person.
	s.releasedRun(t, "run-2", "2026-02-09", claimsBody(t, 20, 24, twoProviders))
	s.bank.Set(sftpserver.Knobs{DropBeforeRename: true})
	if rep, err := s.outbox.RunOnce(ctx, time.Now()); err != nil || rep.Unknown != 1 {
		t.Fatalf("outbox round: %+v, %v", rep, err)
	}
	s.bank.Set(sftpserver.Knobs{})
	ops := len(s.bank.Ops())
	s.want(t, 200, "fin-a", "GET", "/v1/disbursements/disb-run-2", "", `"state":"outcome_unknown"`, `"auto_retry":false`)
	for _, later := range []time.Duration{time.Minute, time.Hour, 24 * time.Hour} {
		if rep, err := s.outbox.RunOnce(ctx, time.Now().Add(later)); err != nil || rep.Claimed != 0 {
			t.Fatalf("outbox round %v later: %+v, %v: an unknown outcome was retried", later, rep, err)
		}
	}
	if n := len(s.bank.Ops()); n != ops {
		t.Fatalf("the bank saw %v after the unknown outcome", s.bank.Ops()[ops:])
	}
	for name := range s.bank.Files() {
		if _, ok := files[name]; !ok && !strings.HasSuffix(name, ".part") {
			t.Fatalf("bank holds %s under its final name after the unknown outcome", name)
		}
	}
	s.want(t, 200, "fin-d", "POST", "/v1/disbursements/disb-run-2/outcome", `{"state":"failed","note":"bank: file never arrived"}`, `"state":"failed"`)

	// run-3: the bank refuses the file (dead-lettered): certainly not paid.
	s.releasedRun(t, "run-3", "2026-02-16", claimsBody(t, 30, 34, twoProviders))
	s.bank.Set(sftpserver.Knobs{RefuseRename: true})
	if rep, err := s.outbox.RunOnce(ctx, time.Now()); err != nil || rep.DeadLettered != 1 {
		t.Fatalf("outbox round: %+v, %v", rep, err)
	}
	s.bank.Set(sftpserver.Knobs{})
	s.want(t, 200, "auditor", "GET", "/v1/disbursements/disb-run-3", "", `"state":"failed"`, "permission")

	// Every step is in the audit log with its actor.
	var page httpapi.AuditPage
	if err := json.Unmarshal(s.want(t, 200, "auditor", "GET", "/v1/audit?limit=1000", ""), &page); err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range page.Entries {
		if strings.HasPrefix(e.Subject, "disbursement/disb-run-1") {
			actions[e.Action]++
			if e.Action != "disbursement.delivery" && !strings.HasPrefix(e.Actor, "token:tok_") {
				t.Errorf("audit %s by %q, want the token", e.Action, e.Actor)
			}
		}
	}
	want := map[string]int{"disbursement.create": 1, "disbursement.approve": 1, "disbursement.release": 1, "disbursement.delivery": 1, "disbursement.outcome": 2}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		t.Fatalf("audit of disb-run-1: %v, want %v", actions, want)
	}
}

// TestSettlementAPI_releaseNeedsPayoutWiring: without an originating
// account and payee directory a release is refused, saying what is missing.
func TestSettlementAPI_releaseNeedsPayoutWiring(t *testing.T) {
	a := newAPIHub(t, false)
	code, _, body := a.do(t, ports.RoleFinance, "POST", "/v1/disbursements/disb-run-1/release", "", "")
	if code != 503 || !strings.Contains(string(body), `"code":"payout_not_configured"`) || !strings.Contains(string(body), "originating account") {
		t.Fatalf("%d %s", code, body)
	}
}
