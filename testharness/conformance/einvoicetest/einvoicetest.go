// Package einvoicetest is the conformance suite for ports.EInvoiceFormatter,
// plus helpers to load invoice fixtures and run the external validators.
package einvoicetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Features declares what a formatter promises. Undeclared features are skipped.
type Features struct {
	CreditNotes     bool // formats type 381
	Corrections     bool // formats type 384
	ForeignCurrency bool // formats an invoice in another currency with VAT in a tax currency
	Currency        money.Currency
	Country         string // seller/buyer country of the synthetic invoice
}

// Constructor returns a fresh formatter.
type Constructor func(t *testing.T) ports.EInvoiceFormatter

// Run runs the suite.
func Run(t *testing.T, f Features, newFormatter Constructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Features, Constructor)
	}{
		{"FormatsValidInvoice", testFormatsValid},
		{"RejectsInvalidAsInvalid", testRejectsInvalid},
		{"RejectsUncalculated", testRejectsUncalculated},
		{"IsDeterministic", testDeterministic},
		{"IsSafeForConcurrentUse", testConcurrent},
		{"HonoursCancelledContext", testCancelled},
		{"FormatsCreditNote", testCreditNote},
		{"FormatsCorrection", testCorrection},
		{"FormatsForeignCurrency", testForeignCurrency},
		{"AppenderMatchesFormat", testAppender},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); tc.fn(t, f, newFormatter) })
	}
}

func format(t *testing.T, f ports.EInvoiceFormatter, inv invoicing.Invoice) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Format(context.Background(), inv, &buf); err != nil {
		t.Fatalf("Format: %v", err)
	}
	if buf.Len() == 0 {
		t.Fatal("Format wrote nothing")
	}
	return buf.Bytes()
}

func testFormatsValid(t *testing.T, f Features, c Constructor) {
	fm := c(t)
	format(t, fm, Synth(t, f, invoicing.CommercialInvoice))
	if fm.MediaType() == "" {
		t.Error("MediaType is empty")
	}
}

func testRejectsInvalid(t *testing.T, f Features, c Constructor) {
	inv := Synth(t, f, invoicing.CommercialInvoice)
	inv.Number = ""
	var buf bytes.Buffer
	err := c(t).Format(context.Background(), inv, &buf)
	var pe *ports.Error
	if !errors.As(err, &pe) || pe.Kind != ports.Invalid {
		t.Fatalf("want *ports.Error Kind Invalid, got %v", err)
	}
	var fe *validate.FieldError
	if !errors.As(err, &fe) || fe.Path != "number" {
		t.Errorf("want a field error at number, got %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes for an invalid invoice", buf.Len())
	}
}

func testRejectsUncalculated(t *testing.T, f Features, c Constructor) {
	inv := Synth(t, f, invoicing.CommercialInvoice)
	inv.Totals = invoicing.Totals{}
	var buf bytes.Buffer
	if err := c(t).Format(context.Background(), inv, &buf); err == nil {
		t.Fatal("formatted an invoice without totals")
	}
}

func testDeterministic(t *testing.T, f Features, c Constructor) {
	fm := c(t)
	a := format(t, fm, Synth(t, f, invoicing.CommercialInvoice))
	b := format(t, fm, Synth(t, f, invoicing.CommercialInvoice))
	if !bytes.Equal(a, b) {
		t.Error("two formats of the same invoice differ")
	}
}

func testConcurrent(t *testing.T, f Features, c Constructor) {
	fm := c(t)
	inv := Synth(t, f, invoicing.CommercialInvoice)
	want := format(t, fm, inv)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				var buf bytes.Buffer
				if err := fm.Format(context.Background(), inv, &buf); err != nil || !bytes.Equal(buf.Bytes(), want) {
					t.Error("concurrent Format differs or failed:", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func testCancelled(t *testing.T, f Features, c Constructor) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := c(t).Format(ctx, Synth(t, f, invoicing.CommercialInvoice), &buf); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func testCreditNote(t *testing.T, f Features, c Constructor) {
	if !f.CreditNotes {
		t.Skip("formatter does not declare Features.CreditNotes")
	}
	format(t, c(t), Synth(t, f, invoicing.CreditNote))
}

func testCorrection(t *testing.T, f Features, c Constructor) {
	if !f.Corrections {
		t.Skip("formatter does not declare Features.Corrections")
	}
	format(t, c(t), Synth(t, f, invoicing.CorrectedInvoice))
}

func testForeignCurrency(t *testing.T, f Features, c Constructor) {
	if !f.ForeignCurrency {
		t.Skip("formatter does not declare Features.ForeignCurrency")
	}
	g := f
	g.Currency = money.USD
	format(t, c(t), Synth(t, g, invoicing.CommercialInvoice))
}

func testAppender(t *testing.T, f Features, c Constructor) {
	fm := c(t)
	app, ok := fm.(ports.EInvoiceAppender)
	if !ok {
		t.Skip("formatter does not implement ports.EInvoiceAppender")
	}
	inv := Synth(t, f, invoicing.CommercialInvoice)
	want := format(t, fm, inv)
	got, err := app.AppendFormat([]byte("prefix"), &inv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Error("AppendFormat differs from Format or dropped dst")
	}
}
