package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/fhir"
	"github.com/revhub/revhub/ports"
)

const krm = "klinikverbund-rhein-main"

// apiHub serves the example mappings over a fresh store (embedded, and
// PostgreSQL when REVHUB_TEST_POSTGRES_URL is set) and has one token per role.
type apiHub struct {
	hb     *hub
	srv    *httptest.Server
	tokens map[ports.Role]string
}

// testHub opens hf (on a fresh PostgreSQL schema when pg) and closes it
// through t.Cleanup.
func testHub(t *testing.T, hf hubFlags, pg bool) *hub {
	t.Helper()
	if pg {
		hf.postgres = schemaURL(t)
	}
	hb, err := hf.open(context.Background(), newLogger(io.Discard), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hb.Close() })
	return hb
}

func newAPIHub(t *testing.T, pg bool) *apiHub {
	hb := testHub(t, hubFlags{data: t.TempDir(), mappings: "../../mappings"}, pg)
	a := &apiHub{hb: hb, srv: httptest.NewServer(newAPI(hb)), tokens: map[ports.Role]string{}}
	t.Cleanup(a.srv.Close)
	for _, role := range httpapi.Roles {
		nt := httpapi.NewToken{Tenant: krm, Role: role, Name: "test", Actor: "test"}
		if role == ports.RoleProvider {
			nt.Provider = "1234567893"
		}
		secret, _, err := httpapi.CreateToken(context.Background(), hb.store, nt, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		a.tokens[role] = secret
	}
	return a
}

func (a *apiHub) do(t *testing.T, role ports.Role, method, path, ctype, body string, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	return request(t, a.srv.URL, a.tokens[role], method, path, ctype, body, hdr...)
}

// request sends one API request with a bearer token and extra header pairs.
func request(t *testing.T, base, token, method, path, ctype, body string, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

const ebmCSV = "service;unit_price;valid_from;version\n03000;15,12;2025-01-01;2025Q1\n01100;4,50;2025-01-01;2025Q1\n"

const bundle = `{"resourceType":"Bundle","type":"transaction","entry":[
 {"resource":{"resourceType":"Procedure","id":"p1","meta":{"versionId":"1"},"status":"completed",
  "code":{"coding":[{"system":"http://krm.example/fhir/CodeSystem/leistung","code":"KONS"}]},
  "subject":{"reference":"Patient/syn-1"},"encounter":{"reference":"Encounter/e1"},"performedDateTime":"2025-03-04T10:00:00+01:00"}},
 {"resource":{"resourceType":"Encounter","id":"e1","meta":{"versionId":"2"},"status":"finished","class":{"code":"AMB"},
  "subject":{"reference":"Patient/syn-1"},"period":{"start":"2025-03-04T09:50:00+01:00","end":"2025-03-04T10:20:00+01:00"}}}]}`

func TestAPI_captureToSync(t *testing.T) {
	for _, st := range []struct {
		name string
		pg   bool
	}{{"embedded", false}, {"postgres", true}} {
		t.Run(st.name, func(t *testing.T) { testCaptureToSync(t, newAPIHub(t, st.pg)) })
	}
}

func testCaptureToSync(t *testing.T, a *apiHub) {
	org := []string{"X-Revhub-Org", "klinik-frankfurt"}
	// Price list: implementer only; a re-import is a no-op.
	if code, _, _ := a.do(t, ports.RoleIntegration, "POST", "/v1/price-lists?list=ebm&kind=national", "text/csv", ebmCSV); code != 403 {
		t.Fatalf("integration imports a price list: %d", code)
	}
	code, _, body := a.do(t, ports.RoleImplementer, "POST", "/v1/price-lists?list=ebm&kind=national&source=ebm.csv", "text/csv", ebmCSV)
	if code != 201 || !strings.Contains(string(body), `"version":"2025Q1"`) {
		t.Fatalf("import: %d %s", code, body)
	}
	if code, _, body := a.do(t, ports.RoleImplementer, "POST", "/v1/price-lists?list=ebm&kind=national", "text/csv", ebmCSV); code != 200 || !strings.Contains(string(body), `"unchanged":true`) {
		t.Fatalf("re-import: %d %s", code, body)
	}
	if code, _, body := a.do(t, ports.RoleImplementer, "POST", "/v1/price-lists?list=ebm&kind=national", "text/csv", "service;unit_price;valid_from\n03000;x;2025-01-01\n"); code != 400 || !strings.Contains(string(body), `"path":"line 2: unit_price`) {
		t.Fatalf("bad price list: %d %s", code, body)
	}

	// Bad FHIR input names the field and writes nothing.
	for _, tc := range []struct {
		name, body, path string
		hdr              []string
	}{
		{"malformed", `{"resourceType":`, "", org},
		{"unknown code", strings.Replace(bundle, `"KONS"`, `"NOPE"`, 1), "Bundle.entry[0].Procedure.code", org},
		{"unknown org", bundle, "org", []string{"X-Revhub-Org", "nowhere"}},
		{"no org", bundle, "org", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := a.do(t, ports.RoleIntegration, "POST", "/v1/fhir", "application/fhir+json", tc.body, tc.hdr...)
			if code != 400 || !strings.Contains(string(body), `"path":"`+tc.path) {
				t.Fatalf("%d %s, want 400 naming %q", code, body, tc.path)
			}
		})
	}
	if code, _, body := a.do(t, ports.RoleFinance, "GET", "/v1/sync?binding=capture/fhir", "", ""); code != 200 || strings.Contains(string(body), `"capture/fhir"`) {
		t.Fatalf("bad input was counted as received: %s", body)
	}

	code, _, body = a.do(t, ports.RoleIntegration, "POST", "/v1/fhir", "application/fhir+json", bundle, org...)
	var res FHIRResult
	if code != 200 || json.Unmarshal(body, &res) != nil || len(res.Entries) != 2 || len(res.Entries[0].ChargeItems) != 1 || len(res.Entries[1].ChargeItems) != 1 {
		t.Fatalf("ingest: %d %s", code, body)
	}
	code, hdr, body := a.do(t, ports.RoleAuditor, "GET", "/v1/charge-items/"+res.Entries[0].ChargeItems[0], "", "")
	if code != 200 || hdr.Get("Content-Type") != "application/fhir+json" || !strings.Contains(string(body), `"priceOverride":{"value":15.12,"currency":"EUR"}`) ||
		!strings.Contains(string(body), `"code":"03000"`) || !strings.Contains(string(body), fhir.TraceExtension) || !strings.Contains(string(body), `source_sha256`) {
		t.Fatalf("charge item: %d %s", code, body)
	}
	if code, _, _ := a.do(t, ports.RoleAuditor, "GET", "/v1/charge-items/ci-nope", "", ""); code != 404 {
		t.Fatalf("unknown charge item: %d", code)
	}

	// Settling Encounter/e1 without charges in the request takes its captured charge items.
	code, _, body = a.do(t, ports.RoleIntegration, "POST", "/v1/episodes/e1/settlement", "application/json",
		`{"org":"klinik-frankfurt","patient":"Patient/syn-1","plans":[{"id":"aok-standard","payer":"aok-hessen","rules":[{"coinsurance":"10"}]}]}`)
	var settled EpisodeSettled
	if code != 201 || json.Unmarshal(body, &settled) != nil || len(settled.Version.Lines) != 2 {
		t.Fatalf("episode from captured charge items: %d %s", code, body)
	}
	if owed := settled.Version.Totals["aok-hessen"].Minor() + settled.Version.Totals["patient"].Minor(); owed != 1962 {
		t.Fatalf("episode totals %v, want the captured 19.62 EUR", settled.Version.Totals)
	}

	// Quote: 21:00 Berlin time is after hours (25 %), a Sunday 50 %.
	for _, tc := range []struct{ date, want string }{
		{"2025-03-04T10:00:00%2B01:00", `"total":{"amount":"15.12"`},
		{"2025-03-04T21:00:00%2B01:00", `"total":{"amount":"18.90"`},
		{"2025-03-09", `"total":{"amount":"22.68"`},
	} {
		code, _, body := a.do(t, ports.RoleFinance, "GET", "/v1/prices/quote?service=03000&org=klinik-frankfurt&date="+tc.date, "", "")
		if code != 200 || !strings.Contains(string(body), tc.want) || !strings.Contains(string(body), `"why":`) {
			t.Fatalf("quote %s: %d %s", tc.date, code, body)
		}
	}
	if code, _, body := a.do(t, ports.RoleFinance, "GET", "/v1/prices/quote?service=99999&org=klinik-frankfurt&date=2025-03-04", "", ""); code != 400 || !strings.Contains(string(body), `"code":"no_price"`) {
		t.Fatalf("unpriced quote: %d %s", code, body)
	}

	// Postings (one journal per batch and org, 19.62 EUR in all) wait in the outbox: there is no deliverer for gl_export yet.
	ctx := context.Background()
	startOut, err := startOutbox(ctx, a.hb)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	var sync SyncReport
	for {
		_, _, body = a.do(t, ports.RoleFinance, "GET", "/v1/sync?org=klinik-frankfurt", "", "")
		if err := json.Unmarshal(body, &sync); err != nil {
			t.Fatal(err)
		}
		if b := find(sync, "gl_export/dynamics_odata"); b != nil && b.Failed.Count > 0 && b.Queued.Count == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	startOut()
	gl := find(sync, "gl_export/dynamics_odata")
	if gl == nil || gl.Failed.Count == 0 || gl.Failed.Amounts[0].String() != "19.62 EUR" || !strings.Contains(gl.LastError, "no deliverer for binding gl_export/dynamics_odata") {
		t.Fatalf("sync after delivery attempts: %s", body)
	}
	if rc := find(sync, "capture/fhir"); rc == nil || rc.Received.Count != 1 {
		t.Fatalf("capture not counted: %s", body)
	}
	if find(sync, "einvoice/xrechnung") == nil {
		t.Fatalf("configured bindings without activity are missing: %s", body)
	}
	code, _, body = a.do(t, ports.RoleAuditor, "GET", "/v1/sync/items?binding=gl_export/dynamics_odata&state=failed", "", "")
	var items SyncItems
	if code != 200 || json.Unmarshal(body, &items) != nil || len(items.Items) != int(gl.Failed.Count) || items.Items[0].Attempts != 1 {
		t.Fatalf("items: %d %s", code, body)
	}
	if code, _, _ := a.do(t, ports.RoleAuditor, "GET", "/v1/sync/items?state=lost", "", ""); code != 400 {
		t.Fatalf("bad state: %d", code)
	}
	if code, _, _ := a.do(t, ports.RoleImplementer, "POST", "/v1/outbox/"+items.Items[0].ID+"/replay", "application/json", `{"reason":"retry now"}`); code != 409 {
		t.Fatalf("replay of an item that is not dead-lettered: %d", code)
	}
	if code, _, _ := a.do(t, ports.RoleImplementer, "POST", "/v1/outbox/"+items.Items[0].ID+"/replay", "application/json", `{}`); code != 400 {
		t.Fatalf("replay without a reason: %d", code)
	}
	code, _, body = a.do(t, ports.RoleImplementer, "POST", "/v1/artifacts/"+res.Artifact+"/replay?dry_run=true", "", "")
	if code != 200 || !strings.Contains(string(body), `"dry_run":true`) {
		t.Fatalf("dry-run replay: %d %s", code, body)
	}
	code, _, body = a.do(t, ports.RoleFinance, "GET", "/metrics", "", "")
	if code != 200 || !strings.Contains(string(body), `revhub_sync_items{binding="gl_export/dynamics_odata",state="failed",tenant="klinikverbund-rhein-main"} `) ||
		!strings.Contains(string(body), `revhub_sync_amount_minor_units{binding="gl_export/dynamics_odata",currency="EUR",state="failed",tenant="klinikverbund-rhein-main"} 1962`) {
		t.Fatalf("metrics lack the sync figures:\n%s", body)
	}
	if _, _, body := a.do(t, ports.RoleProvider, "GET", "/metrics", "", ""); strings.Contains(string(body), "revhub_sync_") {
		t.Fatalf("a provider token sees the tenant's figures:\n%s", body)
	}
	scrape, err := http.Get(a.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	anon, _ := io.ReadAll(scrape.Body)
	scrape.Body.Close()
	if scrape.StatusCode != 200 || strings.Contains(string(anon), "revhub_sync_") {
		t.Fatalf("an anonymous scrape must see no tenant's figures: %d\n%s", scrape.StatusCode, anon)
	}
}

func find(r SyncReport, binding string) *SyncBinding {
	for i := range r.Bindings {
		if r.Bindings[i].Binding == binding {
			return &r.Bindings[i]
		}
	}
	return nil
}

func TestAPI_issuedInvoicesCannotBeAltered(t *testing.T) {
	a := newAPIHub(t, false)
	for _, m := range []string{"PUT", "PATCH", "DELETE", "POST"} {
		if code, _, _ := a.do(t, ports.RoleImplementer, m, "/v1/invoices/KFH-2025-0000001", "application/json", `{}`); code != 405 && code != 404 {
			t.Errorf("%s /v1/invoices/{number} = %d, want 405 or 404", m, code)
		}
	}
	if code, _, _ := a.do(t, ports.RoleFinance, "GET", "/v1/invoices/KFH-2025-0000001", "", ""); code != 404 {
		t.Errorf("unknown invoice: %d", code)
	}
	for _, rt := range newAPI(a.hb).Routes() {
		if strings.HasPrefix(rt.Pattern, "/v1/invoices") && rt.Method != "GET" {
			t.Errorf("route %s %s could alter an issued invoice", rt.Method, rt.Pattern)
		}
	}
}
