package xrechnung_test

import (
	"testing"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/de/xrechnung"
)

func TestConformance(t *testing.T) {
	for _, syntax := range []string{"cii", "ubl"} {
		t.Run(syntax, func(t *testing.T) {
			einvoicetest.Run(t, einvoicetest.Features{CreditNotes: true, Corrections: true, ForeignCurrency: true},
				func(t *testing.T) ports.EInvoiceFormatter {
					f, err := xrechnung.New(xrechnung.Config{Syntax: syntax})
					if err != nil {
						t.Fatal(err)
					}
					return f
				})
		})
	}
}
