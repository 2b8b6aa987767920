package facturx_test

import (
	"testing"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/fr/facturx"
)

func TestConformance(t *testing.T) {
	for _, p := range []string{"minimum", "basic", "en16931"} {
		t.Run(p, func(t *testing.T) {
			einvoicetest.Run(t, einvoicetest.Features{CreditNotes: true, Corrections: true, ForeignCurrency: true, Country: "FR"},
				func(t *testing.T) ports.EInvoiceFormatter {
					f, err := facturx.New(facturx.Config{Profile: p})
					if err != nil {
						t.Fatal(err)
					}
					return f
				})
		})
	}
}
