package facturx

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.EInvoiceFormats, ports.Spec{
		Name:     "facturx",
		Summary:  "Formats invoices as Factur-X 1.0, profile MINIMUM, BASIC or EN16931: CII XML, or a PDF/A-3 hybrid with the XML embedded.",
		Examples: []string{"profile: en16931\n", "profile: basic\n", "profile: en16931\ncontainer: pdf\n"},
	}, func(cfg Config, _ ports.Deps) (ports.EInvoiceFormatter, error) { return Build(cfg) })
}
