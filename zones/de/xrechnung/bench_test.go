package xrechnung_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/de/xrechnung"
)

// tenLines is the benchmark invoice: testdata/ten-lines.input.json, whose
// output is a golden file checked by the validators (three VAT rates,
// an allowance and a charge, ten lines).
func tenLines(b *testing.B) invoicing.Invoice {
	return einvoicetest.LoadInput(b, "testdata/ten-lines.input.json", money.HalfUp)
}

func report(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invoices/s")
}

// BenchmarkXRechnungCII appends a validated 10-line XRechnung CII invoice
// into a reused buffer (validation included).
func BenchmarkXRechnungCII(b *testing.B) {
	f, err := xrechnung.New(xrechnung.Config{Syntax: "cii"})
	if err != nil {
		b.Fatal(err)
	}
	inv := tenLines(b)
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = f.AppendFormat(buf[:0], &inv); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
	report(b)
}

// BenchmarkXRechnungCIIFormat goes through the port (io.Writer, pooled buffer).
func BenchmarkXRechnungCIIFormat(b *testing.B) {
	f, err := xrechnung.New(xrechnung.Config{Syntax: "cii"})
	if err != nil {
		b.Fatal(err)
	}
	inv := tenLines(b)
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := f.Format(context.Background(), inv, &out); err != nil {
			b.Fatal(err)
		}
	}
	report(b)
}

// BenchmarkXRechnungCIICalculateAndFormat includes the EN 16931 calculation.
func BenchmarkXRechnungCIICalculateAndFormat(b *testing.B) {
	f, err := xrechnung.New(xrechnung.Config{Syntax: "cii"})
	if err != nil {
		b.Fatal(err)
	}
	inv := tenLines(b)
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		if err := inv.Calculate(money.HalfUp); err != nil {
			b.Fatal(err)
		}
		if buf, err = f.AppendFormat(buf[:0], &inv); err != nil {
			b.Fatal(err)
		}
	}
	report(b)
}
