package app_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/testharness/stores"
)

var series = app.Series{Name: "invoice-berlin", Period: "2026", Format: func(n int64) (string, error) {
	return fmt.Sprintf("BER-2026-%06d", n), nil
}}

func draft(t testing.TB) invoicing.Invoice {
	inv := einvoicetest.Synth(t, einvoicetest.Features{}, invoicing.CommercialInvoice)
	inv.Number, inv.VAT, inv.Totals = "", nil, invoicing.Totals{}
	inv.DueDate, _ = invoicing.ParseDate(now.AddDate(0, 0, 30).Format("2006-01-02"))
	for i := range inv.Lines {
		inv.Lines[i].NetAmount = money.Amount{}
	}
	return inv
}

func TestIssueInvoice_creditNoteAndImmutability(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	req := app.IssueRequest{Tenant: "acme", Org: "berlin", Series: series, Draft: draft(t), Rounding: money.HalfUp, Actor: "user:anna", Delivery: "einvoice/xrechnung"}
	inv, err := app.IssueInvoice(ctx, s, req, now)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Invoice.Number != "BER-2026-000001" || inv.Invoice.Totals.Due.Minor() != 12000+3100+2380 {
		t.Fatalf("issued %s due %v", inv.Invoice.Number, inv.Invoice.Totals.Due)
	}
	got, raw, err := app.GetInvoice(ctx, s, "acme", inv.Invoice.Number)
	if err != nil || got.SHA256 != inv.SHA256 || len(raw) == 0 {
		t.Fatalf("get: %v", err)
	}
	cr := app.CreditRequest{Tenant: "acme", Org: "berlin", Original: inv.Invoice.Number, Series: series, Rounding: money.HalfUp, Actor: "user:anna", Reason: "wrong payer"}
	cn, err := app.IssueCreditNote(ctx, s, cr, now)
	if err != nil {
		t.Fatal(err)
	}
	if cn.Invoice.TypeCode != invoicing.CreditNote || cn.Invoice.Preceding[0].Number != inv.Invoice.Number || cn.Invoice.Totals.Due != inv.Invoice.Totals.Due {
		t.Fatalf("credit note %+v", cn.Invoice)
	}
	if _, err := app.IssueCreditNote(ctx, s, cr, now); !ports.Is(ports.Conflict, err) {
		t.Fatalf("second credit note: %v", err)
	}
	// Bad drafts never burn a number.
	bad := req
	bad.Draft.Lines = nil
	if _, err := app.IssueInvoice(ctx, s, bad, now); !ports.Is(ports.Invalid, err) {
		t.Fatalf("invalid draft: %v", err)
	}
	next, err := app.IssueInvoice(ctx, s, req, now)
	if err != nil || next.Invoice.Number != "BER-2026-000003" {
		t.Fatalf("after a rejected draft: %s %v", next.Invoice.Number, err)
	}
	// A retried request with the same idempotency key gets the same invoice, not a new number.
	req.IdempotencyKey = "client-req-42"
	once, err := app.IssueInvoice(ctx, s, req, now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := app.IssueInvoice(ctx, s, req, now)
	if err != nil || again.Invoice.Number != once.Invoice.Number || again.SHA256 != once.SHA256 || once.Invoice.Number != "BER-2026-000004" {
		t.Fatalf("retry issued %s (first %s): %v", again.Invoice.Number, once.Invoice.Number, err)
	}
}

// invoiceCount is 10,000 in `make soak` and 800 otherwise.
func invoiceCount() int { return testharness.Soak(800, 10_000) }

// Eight workers issue invoices while every seventh transaction fails after
// taking its number: the series stays gapless and unique.
func TestIssueInvoice_gaplessUnderConcurrencyAndAborts(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) { testGapless(t, s, invoiceCount()) })
}

var errInjected = errors.New("injected failure after numbering")

func testGapless(t *testing.T, s ports.Store, n int) {
	ctx := context.Background()
	d := draft(t)
	var mu sync.Mutex
	var numbers []string
	var wg sync.WaitGroup
	work := make(chan int)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				fail := i%7 == 3
				var issued app.IssuedInvoice
				err := retry(func() error {
					return s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
						r := app.IssueRequest{Tenant: "acme", Org: "berlin", Series: series, Draft: d, Rounding: money.HalfUp, Actor: fmt.Sprintf("worker:%d", w)}
						var err error
						if issued, err = app.IssueInTx(ctx, tx, r, now); err != nil {
							return err
						}
						if fail {
							return errInjected
						}
						return nil
					})
				})
				if fail && errors.Is(err, errInjected) {
					continue
				}
				if err != nil {
					t.Error(err)
					continue // keep draining the work so the test ends
				}
				mu.Lock()
				numbers = append(numbers, issued.Invoice.Number)
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	sort.Strings(numbers)
	for i, num := range numbers {
		if want := fmt.Sprintf("BER-2026-%06d", i+1); num != want {
			t.Fatalf("number %d is %s, want %s (gap or duplicate)", i, num, want)
		}
	}
	if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d invoices issued gapless, %d aborted", len(numbers), n-len(numbers))
}

// retry repeats fn while the store reports a transient or conflicting
// concurrent write (the audit chain's head moved).
func retry(fn func() error) error {
	for {
		err := fn()
		if err == nil || !(ports.Is(ports.Transient, err) || ports.Is(ports.Conflict, err)) {
			return err
		}
	}
}
