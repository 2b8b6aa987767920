package invoicepdf_test

import (
	"testing"

	"github.com/revhub/revhub/adapters/invoicepdf"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/rendertest"
)

func TestConformance(t *testing.T) {
	rendertest.Run(t, loadPayload(t, "fr"), func(t *testing.T) ports.InvoiceRenderer {
		r, err := invoicepdf.New(invoicepdf.Config{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
}
