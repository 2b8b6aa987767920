package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
)

const settleBody = `{"org":"klinik-frankfurt","patient":"Patient/syn-1","reason":"discharge",
 "plans":[{"id":"aok-standard","payer":"aok-hessen","deductible":{"amount":"50.00","currency":"EUR"},
   "rules":[{"groups":["lab"],"copay":{"amount":"5.00","currency":"EUR"}},{"coinsurance":"10","deductible":true}]}],
 "charges":[
  {"id":"c1","service":"32038","group":"lab","date":"2026-03-03T10:00:00Z","amount":{"amount":"30.00","currency":"EUR"},"flag":"ordered twice on the same day"},
  {"id":"c2","service":"03000","date":"2026-03-03T10:00:00Z","amount":{"amount":"AMOUNT","currency":"EUR"}}]}`

const invoiceBody = `{"seller":{"name":"Klinik Frankfurt-Höchst","vat_id":"DE123456789","legal_id":"HRB 1",
   "endpoint":{"scheme":"EM","id":"rechnung@kfh.example"},"address":{"line1":"Gotenstr. 6","city":"Frankfurt","post_code":"65929","country":"DE"},
   "contact":{"name":"Abrechnung","phone":"+49 69 0000","email":"rechnung@kfh.example"}},
 "buyers":{"aok-hessen":{"name":"AOK Hessen","endpoint":{"scheme":"EM","id":"rechnung@aok.example"},"address":{"line1":"Basler Str. 2","city":"Bad Homburg","post_code":"61352","country":"DE"}},
   "patient":{"name":"Syn Patient","endpoint":{"scheme":"EM","id":"syn@patient.example"},"address":{"line1":"Weg 1","city":"Frankfurt","post_code":"60311","country":"DE"}}},
 "payment":{"code":"58","iban":"DE02120300000000202051"}}`

func TestAPI_episodes(t *testing.T) {
	for _, st := range []struct {
		name string
		pg   bool
	}{{"embedded", false}, {"postgres", true}} {
		t.Run(st.name, func(t *testing.T) { testEpisodes(t, newAPIHub(t, st.pg)) })
	}
}

func testEpisodes(t *testing.T, a *apiHub) {
	fin := ports.RoleFinance
	settle := func(amount string) app.EpisodeVersion {
		t.Helper()
		code, _, body := a.do(t, ports.RoleIntegration, "POST", "/v1/episodes/e1/settlement", "application/json", strings.Replace(settleBody, "AMOUNT", amount, 1))
		var out EpisodeSettled
		if code != 201 || json.Unmarshal(body, &out) != nil {
			t.Fatalf("settle: %d %s", code, body)
		}
		return out.Version
	}
	expect := func(role ports.Role, method, path, body string, want int, contains string, hdr ...string) []byte {
		t.Helper()
		code, _, b := a.do(t, role, method, path, "application/json", body, hdr...)
		if code != want || !strings.Contains(string(b), contains) {
			t.Fatalf("%s %s: %d %s, want %d with %q", method, path, code, b, want, contains)
		}
		return b
	}
	// Bad input names the field; nothing is written.
	expect(ports.RoleIntegration, "POST", "/v1/episodes/e1/settlement", `{"org":"klinik-frankfurt","patient":"p","plans":[{"id":"x","payer":"y","rules":[{"coinsurance":"150"}]}]}`,
		400, `"path":"plans[0].rules[0].coinsurance"`)
	expect(ports.RoleIntegration, "POST", "/v1/episodes/e1/settlement", `{"org":"nowhere","patient":"p"}`, 400, `"path":"org"`)
	expect(ports.RoleIntegration, "POST", "/v1/episodes/e1/settlement", `{"org":"klinik-frankfurt","patient":"p","plan":[]}`, 400, `"code":"invalid_json"`)
	expect(ports.RoleIntegration, "POST", "/v1/episodes/e1/settlement", `{"org":"klinik-frankfurt","patient":"p"}`, 400, `"path":"charges"`)
	expect(fin, "GET", "/v1/episodes/e1", "", 404, "not_found")

	v1 := settle("100.00")
	if len(v1.Diff) != 2 || v1.Totals["aok-hessen"].Minor() != 2500+4500 {
		t.Fatalf("version 1: %+v", v1)
	}
	var ep app.Episode
	if json.Unmarshal(expect(ports.RoleAuditor, "GET", "/v1/episodes/e1", "", 200, `"stage":"review"`), &ep); ep.Biller != "anna.schmidt" || ep.ByRule != "aok-desk" {
		t.Fatalf("auto-assigned: %+v", ep)
	}
	expect(fin, "POST", "/v1/episodes/e1/approve", "", 409, `"path":"flags.c1"`)
	expect(fin, "POST", "/v1/episodes/e1/invoices", invoiceBody, 409, "conflict")
	expect(fin, "GET", "/v1/episodes/e1/flags", "", 200, `"unresolved":1`)
	expect(ports.RoleAuditor, "POST", "/v1/episodes/e1/flags/c1/resolve", `{"note":"two samples"}`, 403, "forbidden")
	expect(fin, "POST", "/v1/episodes/e1/flags/c1/resolve", `{}`, 400, `"path":"note"`)
	expect(fin, "POST", "/v1/episodes/e1/flags/c9/resolve", `{"note":"x"}`, 404, "not_found")
	expect(fin, "POST", "/v1/episodes/e1/flags/c1/resolve", `{"note":"two samples ordered"}`, 200, `"resolved":true`)
	expect(fin, "POST", "/v1/episodes/e1/approve", "", 200, `"stage":"approved"`)
	expect(fin, "POST", "/v1/episodes/e1/invoices", `{"buyers":{}}`, 400, `"path":"buyers.aok-hessen"`)

	key := []string{"Idempotency-Key", "req-1"}
	var first, again app.EpisodeInvoices
	json.Unmarshal(expect(fin, "POST", "/v1/episodes/e1/invoices", invoiceBody, 201, `"issued"`, key...), &first)
	json.Unmarshal(expect(fin, "POST", "/v1/episodes/e1/invoices", invoiceBody, 201, `"issued"`, key...), &again)
	if len(first.Issued) != 2 || first.Issued[0].Invoice.Number != "KFH-2026-0000001" || again.Issued[1].Invoice.Number != first.Issued[1].Invoice.Number {
		t.Fatalf("issued %+v, retried %+v", first.Issued, again.Issued)
	}
	expect(ports.RoleAuditor, "GET", "/v1/invoices/"+first.Issued[1].Invoice.Number, "", 200, `"resourceType":"Invoice"`)

	// Recomputed: the consultation costs more; the invoices are corrected.
	v2 := settle("120.00")
	if len(v2.Diff) != 1 || !strings.HasPrefix(v2.Diff[0], "~ c2 03000: 100.00 EUR") {
		t.Fatalf("diff %q", v2.Diff)
	}
	expect(fin, "GET", "/v1/episodes/e1/versions/2?against=1", "", 200, `"diff":["~ c2 03000`)
	expect(fin, "GET", "/v1/episodes/e1/versions/0", "", 400, `"path":"n"`)
	expect(fin, "POST", "/v1/episodes/e1/approve", "", 200, `"stage":"approved"`)
	var fix app.EpisodeInvoices
	json.Unmarshal(expect(fin, "POST", "/v1/episodes/e1/invoices", invoiceBody, 201, `"type_code":"384"`, "Idempotency-Key", "req-2"), &fix)
	corr := fix.Issued[0].Invoice
	if corr.Number != "KFH-2026-0000003" || corr.Preceding[0].Number != first.Issued[0].Invoice.Number {
		t.Fatalf("corrected invoice %s refs %+v", corr.Number, corr.Preceding)
	}
	formatCorrective(t, a, corr)

	// Work queue: by hand, filtered, and back to the rule.
	expect(fin, "POST", "/v1/episodes/e1/assignment", `{}`, 400, `"path":"biller"`)
	expect(fin, "POST", "/v1/episodes/e1/assignment", `{"biller":"jonas.weber"}`, 200, `"biller":"jonas.weber"`)
	expect(ports.RoleAuditor, "GET", "/v1/work-queue?biller=jonas.weber&stage=invoiced", "", 200, `"id":"e1"`)
	if b := expect(fin, "GET", "/v1/work-queue?stage=review", "", 200, `"episodes":[]`); strings.Contains(string(b), "e1") {
		t.Fatalf("review queue: %s", b)
	}
	expect(fin, "GET", "/v1/work-queue?stage=lost", "", 400, `"path":"stage"`)
	expect(fin, "POST", "/v1/episodes/e1/assignment", `{"auto":true}`, 200, `"by_rule":"aok-desk"`)

	// Another tenant sees none of it.
	other, _, err := httpapi.CreateToken(context.Background(), a.hb.store, httpapi.NewToken{Tenant: "laanemere-haigla", Role: fin, Name: "test", Actor: "test"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	a.tokens["other"] = other
	for _, p := range []string{"/v1/episodes/e1", "/v1/episodes/e1/flags", "/v1/episodes/e1/versions/1"} {
		expect("other", "GET", p, "", 404, "not_found")
	}
	expect("other", "POST", "/v1/episodes/e1/approve", "", 404, "not_found")
	expect("other", "POST", "/v1/episodes/e1/invoices", invoiceBody, 404, "not_found")
	expect("other", "GET", "/v1/work-queue", "", 200, `"episodes":[]`)
}

// formatCorrective renders the corrected invoice of a recomputed settlement
// with the zone formatters for its German seller (XRechnung CII and UBL,
// ZUGFeRD/Factur-X EN 16931) and has the external validators judge each.
func formatCorrective(t *testing.T, a *apiHub, inv invoicing.Invoice) {
	t.Helper()
	dir := t.TempDir()
	for _, tc := range []struct{ adapter, config, profile, typeCode string }{
		{"xrechnung", "syntax: cii\nleitweg_id: 991-12345-67\n", "xrechnung-cii", "<ram:TypeCode>384</ram:TypeCode>"},
		{"xrechnung", "syntax: ubl\nleitweg_id: 991-12345-67\n", "xrechnung-ubl", "<cbc:InvoiceTypeCode>384</cbc:InvoiceTypeCode>"},
		{"facturx", "profile: en16931\n", "facturx-en16931", "<ram:TypeCode>384</ram:TypeCode>"},
	} {
		f, err := ports.EInvoiceFormats.Build(tc.adapter, yamlDecoder(tc.config), a.hb.deps)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Format(context.Background(), inv, &buf); err != nil {
			t.Fatalf("%s: %v", tc.profile, err)
		}
		if !bytes.Contains(buf.Bytes(), []byte(tc.typeCode)) || !bytes.Contains(buf.Bytes(), []byte(inv.Preceding[0].Number)) {
			t.Fatalf("%s lacks 384 or BG-3:\n%s", tc.profile, buf.Bytes())
		}
		path := filepath.Join(dir, tc.profile+".xml")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run("validators/"+tc.profile, func(t *testing.T) { einvoicetest.Validate(t, "einvoice", tc.profile, path) })
	}
}
