package earve_test

import (
	"testing"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/ee/earve"
)

func TestConformance(t *testing.T) {
	t.Run("e_arve", func(t *testing.T) {
		einvoicetest.Run(t, einvoicetest.Features{CreditNotes: true, Corrections: true, ForeignCurrency: true, Country: "EE"},
			func(t *testing.T) ports.EInvoiceFormatter {
				f, err := earve.New(earve.Config{})
				if err != nil {
					t.Fatal(err)
				}
				return f
			})
	})
	t.Run("en16931_ubl", func(t *testing.T) {
		einvoicetest.Run(t, einvoicetest.Features{CreditNotes: true, Corrections: true, ForeignCurrency: true, Country: "EE"},
			func(t *testing.T) ports.EInvoiceFormatter {
				f, err := earve.NewUBL(earve.UBLConfig{})
				if err != nil {
					t.Fatal(err)
				}
				return f
			})
	})
}
