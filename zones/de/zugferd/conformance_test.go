package zugferd_test

import (
	"testing"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/de/zugferd"
)

func TestConformance(t *testing.T) {
	for _, container := range []string{"xml", "pdf"} {
		t.Run(container, func(t *testing.T) {
			einvoicetest.Run(t, einvoicetest.Features{CreditNotes: true, Corrections: true, ForeignCurrency: true},
				func(t *testing.T) ports.EInvoiceFormatter {
					f, err := zugferd.Build(zugferd.Config{Profile: "en16931", Container: container})
					if err != nil {
						t.Fatal(err)
					}
					return f
				})
		})
	}
}
