package invoicepdf

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.InvoiceRenderers, ports.Spec{
		Name:     "patient_pdf",
		Summary:  "Renders the patient's invoice as a PDF in their language: itemised charges, insurance share apart, due date, payment details.",
		Examples: []string{"language: de\n", "{}\n"},
	}, func(cfg Config, _ ports.Deps) (ports.InvoiceRenderer, error) { return New(cfg) })
}
