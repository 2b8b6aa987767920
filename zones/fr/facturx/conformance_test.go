package facturx_test

import (
	"testing"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/fr/facturx"
)

func TestConformance(t *testing.T) {
	for _, p := range []string{"minimum", "basic", "en16931"} {
		for _, container := range []string{"xml", "pdf"} {
			t.Run(p+"/"+container, func(t *testing.T) {
				einvoicetest.Run(t, einvoicetest.Features{CreditNotes: true, Corrections: true, ForeignCurrency: true, Country: "FR"},
					func(t *testing.T) ports.EInvoiceFormatter {
						f, err := facturx.Build(facturx.Config{Profile: p, Container: container})
						if err != nil {
							t.Fatal(err)
						}
						return f
					})
			})
		}
	}
}
