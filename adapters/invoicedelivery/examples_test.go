package invoicedelivery_test

import (
	"bytes"
	"testing"

	"gopkg.in/yaml.v3"

	_ "github.com/revhub/revhub/adapters/invoicepdf"
	"github.com/revhub/revhub/ports"
)

// TestExamples_validate checks that every documented example of the invoice
// delivery and rendering adapters passes its adapter's Validate.
func TestExamples_validate(t *testing.T) {
	for _, port := range []string{"invoice_delivery", "invoice_render"} {
		for _, info := range ports.Adapters() {
			if info.Port != port {
				continue
			}
			for i, ex := range info.Spec.Examples {
				t.Run(info.Spec.Name, func(t *testing.T) {
					err := ports.CheckAdapter(port, info.Spec.Name, func(into any) error {
						dec := yaml.NewDecoder(bytes.NewReader([]byte(ex)))
						dec.KnownFields(true)
						return dec.Decode(into)
					})
					if err != nil {
						t.Errorf("example %d: %v", i+1, err)
					}
				})
			}
		}
	}
}
