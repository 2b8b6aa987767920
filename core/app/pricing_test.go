package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/stores"
)

func ebmImport(t *testing.T, file string) app.PriceListImport {
	t.Helper()
	data, err := os.ReadFile("../pricing/pricelist/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return app.PriceListImport{Tenant: "acme", List: "ebm", Kind: pricing.National, Format: "csv", Source: file,
		Data: data, Decimal: ',', Currency: money.EUR, Actor: "test", Reason: "quarterly update"}
}

func newPricing(s ports.Store, clock *time.Time) *app.Pricing {
	return &app.Pricing{Store: s, Clock: func() time.Time { return *clock },
		Config: func(tenant, org string) (app.PricingConfig, error) {
			return app.PricingConfig{Precedence: pricing.StandardPrecedence, Rounding: money.HalfUp}, nil
		}}
}

func TestImportPriceList_versionsAuditAndNoOp(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		clock := now
		p := newPricing(s, &clock)
		quote := func(date string) string {
			t.Helper()
			at, _ := time.Parse("2006-01-02", date)
			pc, err := p.Quote(ctx, app.QuoteRequest{Tenant: "acme", Org: "berlin", Service: "03000", At: at})
			if err != nil {
				t.Fatal(err)
			}
			return pc.Amount.String() + " " + pc.Trace.Entry.Version
		}
		if _, err := p.Quote(ctx, app.QuoteRequest{Tenant: "acme", Service: "03000", At: now}); !isCode(err, "no_price") {
			t.Fatalf("quote before any list: %v, want no_price", err)
		}
		r1, err := p.Import(ctx, ebmImport(t, "ebm-2025Q1.csv"), now)
		if err != nil || r1.Number != 1 || r1.Version != "2025Q1" || r1.Unchanged || r1.Added != 3 || r1.ID != "ebm@1" {
			t.Fatalf("first import: %+v %v", r1, err)
		}
		if got := quote("2025-02-01"); got != "14.87 EUR 2025Q1" {
			t.Fatalf("quote after Q1 = %s", got)
		}
		again, err := p.Import(ctx, ebmImport(t, "ebm-2025Q1.csv"), now)
		if err != nil || !again.Unchanged || again.Number != 1 {
			t.Fatalf("identical re-import: %+v %v", again, err)
		}
		// Another process's import (straight through the store) shows after CheckEvery.
		r2, err := app.ImportPriceList(ctx, s, ebmImport(t, "ebm-2025Q2.csv"), now)
		if err != nil || r2.Number != 2 || r2.Changed != 1 || r2.Added != 1 || r2.Removed != 1 {
			t.Fatalf("second import: %+v %v", r2, err)
		}
		if got := quote("2025-02-01"); got != "14.87 EUR 2025Q1" {
			t.Fatalf("cached tariff within CheckEvery = %s", got)
		}
		clock = clock.Add(2 * time.Second)
		if got := quote("2025-02-01"); got != "15.12 EUR 2025Q2" {
			t.Fatalf("retro-active Q2 price after rebuild = %s", got)
		}
		vs, err := app.PriceListVersions(ctx, s, "acme", "ebm")
		if err != nil || len(vs) != 2 || vs[0].SHA256 == vs[1].SHA256 || vs[1].Source != "ebm-2025Q2.csv" {
			t.Fatalf("versions: %+v %v", vs, err)
		}
		var actions []string
		s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
			es, err := tx.Audit().Scan(ctx, "acme", 0, 10)
			for _, e := range es {
				actions = append(actions, e.Action+" "+e.Subject)
				if e.Subject == "price_list/ebm@2" && !strings.Contains(string(e.After), `"changed":1`) {
					t.Errorf("audit of version 2 lacks the diff: %s", e.After)
				}
			}
			return err
		})
		if strings.Join(actions, ",") != "price_list.import price_list/ebm@1,price_list.import price_list/ebm@2" {
			t.Fatalf("audit: %v", actions)
		}
		n, _, err := app.VerifyTenant(ctx, s, "acme")
		if err != nil || n != 2 {
			t.Fatalf("audit chain: %d %v", n, err)
		}
	})
}

func isCode(err error, code string) bool {
	var fe *validate.FieldError
	if errors.As(err, &fe) {
		return fe.Code == code
	}
	var es validate.Errors
	return errors.As(err, &es) && len(es) > 0 && es[0].Code == code
}

func TestImportPriceList_badInputNamesLineAndStoresNothing(t *testing.T) {
	s := stores.Embedded(t)
	for _, tc := range []struct {
		name, data, path string
	}{
		{"bad price", "service;unit_price;valid_from\n03000;abc;2025-01-01\n", "line 2: unit_price"},
		{"overlapping versions", "service;unit_price;valid_from;valid_to\n03000;1;2025-01-01;2025-06-01\n03000;2;2025-03-01;\n", "line 3"},
		{"foreign list", "service;unit_price;valid_from;list\n03000;1;2025-01-01;goa\n", "entries[0].list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ebmImport(t, "ebm-2025Q1.csv")
			r.Data = []byte(tc.data)
			_, err := app.ImportPriceList(context.Background(), s, r, now)
			var es validate.Errors
			if !errors.As(err, &es) || !strings.HasPrefix(es[0].Path, tc.path) {
				t.Fatalf("err %v, want a field error at %s", err, tc.path)
			}
			if vs, _ := app.PriceListVersions(context.Background(), s, "acme", "ebm"); len(vs) != 0 {
				t.Fatalf("stored %d versions from bad input", len(vs))
			}
		})
	}
}

func TestPriceFunc_captureCarriesPriceAndTrace(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		clock := now
		p := newPricing(s, &clock)
		r := ebmImport(t, "ebm-2025Q2.csv")
		r.Data = []byte("service;unit_price;valid_from\n03000;15,12;2026-01-01\nADMIN-FEE;5;2026-01-01\n")
		if _, err := p.Import(ctx, r, now); err != nil {
			t.Fatal(err)
		}
		c := newCapturer(s)
		c.Price = p.PriceFunc()
		outs, err := c.Ingest(ctx, []app.Envelope{env(procedure("p1", 1, "completed", "03000", 2))}, now)
		if err != nil || outs[0].Err != nil {
			t.Fatalf("ingest: %v %v", err, outs[0].Err)
		}
		ci, ok := chargeItem(t, s, "Procedure/p1")
		if !ok || ci.Amount.String() != "30.24 EUR" {
			t.Fatalf("charge item %+v", ci)
		}
		var pc pricing.PricedCharge
		if err := json.Unmarshal(ci.Trace, &pc); err != nil || pc.Trace.Entry.List != "ebm" || pc.Trace.Entry.SourceSHA == "" || pc.Trace.Why == "" {
			t.Fatalf("trace %s: %v", ci.Trace, err)
		}
		// An item priced alike names the same stored trace; neither carries it.
		if _, err := c.Ingest(ctx, []app.Envelope{env(procedure("p3", 1, "completed", "03000", 2))}, now); err != nil {
			t.Fatal(err)
		}
		if p3, _ := chargeItem(t, s, "Procedure/p3"); ci.TraceRef == "" || p3.TraceRef != ci.TraceRef || string(p3.Trace) != string(ci.Trace) {
			t.Fatalf("p1 names trace %q, p3 names %q (%s)", ci.TraceRef, p3.TraceRef, p3.Trace)
		}
		if body := storedBody(t, s, "Procedure/p1"); strings.Contains(body, `"trace":`) {
			t.Fatalf("stored item carries its trace: %s", body)
		}
		// Re-priced by a later version: the item names its new trace, and
		// the audit entry's after carries that trace, not the old one's name.
		if _, err := c.Ingest(ctx, []app.Envelope{env(procedure("p1", 2, "completed", "03000", 3))}, now); err != nil {
			t.Fatal(err)
		}
		p1, _ := chargeItem(t, s, "Procedure/p1")
		if p1.TraceRef == "" || p1.TraceRef == ci.TraceRef || p1.Amount.String() != "45.36 EUR" {
			t.Fatalf("replaced p1 names trace %q (was %q), amount %v", p1.TraceRef, ci.TraceRef, p1.Amount)
		}
		if err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
			es, err := tx.Audit().Scan(ctx, "acme", 0, 100)
			replaced := 0
			for _, e := range es {
				if e.Action != "charge_item.replace" {
					continue
				}
				if replaced++; strings.Contains(string(e.After), ci.TraceRef) || !strings.Contains(string(e.After), `"trace":`) {
					t.Fatalf("the replacement's audit entry names the old trace or has none: %s", e.After)
				}
			}
			if err == nil && replaced != 1 {
				t.Fatalf("%d replacement audit entries, want 1", replaced)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		outs, err = c.Ingest(ctx, []app.Envelope{env(procedure("p2", 1, "completed", "03001", 1))}, now)
		if err != nil || !isCode(outs[0].Err, "no_price") {
			t.Fatalf("unpriced service: %v %v", err, outs[0].Err)
		}
		if _, ok := chargeItem(t, s, "Procedure/p2"); ok {
			t.Fatal("an unpriced service left a charge item")
		}
	})
}

// storedBody is a charge item's body as stored.
func storedBody(t *testing.T, s ports.Store, key string) string {
	t.Helper()
	var body string
	if err := s.View(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		rec, err := tx.ChargeItems().Get(ctx, "acme", app.ChargeItemID("acme", key))
		body = string(rec.Body)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return body
}

// An item stored with its trace inline (before traces were kept apart)
// reads as it was; one naming a trace that is not stored is an error.
func TestGetChargeItem_inlineTraceAndMissingTrace(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		inline := `{"id":"ci-old","key":"Procedure/old","trace":{"trace":{"why":"national list"}}}`
		dangling := `{"id":"ci-lost","key":"Procedure/lost","trace_ref":"tr-gone"}`
		if err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
			return tx.ChargeItems().PutMany(ctx, []ports.Record{{Tenant: "acme", ID: "ci-old", Body: json.RawMessage(inline)},
				{Tenant: "acme", ID: "ci-lost", Body: json.RawMessage(dangling)}})
		}); err != nil {
			t.Fatal(err)
		}
		err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
			ci, err := app.GetChargeItem(ctx, tx, "acme", "ci-old")
			if err != nil || string(ci.Trace) != `{"trace":{"why":"national list"}}` {
				t.Fatalf("inline trace: %s %v", ci.Trace, err)
			}
			if _, err := app.GetChargeItem(ctx, tx, "acme", "ci-lost"); err == nil || !strings.Contains(err.Error(), "tr-gone") {
				t.Fatalf("dangling trace: %v, want an error naming tr-gone", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
