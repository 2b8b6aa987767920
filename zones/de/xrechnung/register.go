package xrechnung

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.EInvoiceFormats, ports.Spec{
		Name:     "xrechnung",
		Summary:  "Formats invoices as XRechnung 3.0 (German EN 16931 CIUS) in CII or UBL.",
		Examples: []string{"syntax: cii\nleitweg_id: 991-12345-67\n", "syntax: ubl\n"},
	}, func(cfg Config, _ ports.Deps) (ports.EInvoiceFormatter, error) { return New(cfg) })
}
