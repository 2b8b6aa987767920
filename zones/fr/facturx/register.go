package facturx

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.EInvoiceFormats, ports.Spec{
		Name:     "facturx",
		Summary:  "Formats invoices as Factur-X 1.0 CII XML, profile MINIMUM, BASIC or EN16931.",
		Examples: []string{"profile: en16931\n", "profile: basic\n"},
	}, func(cfg Config, _ ports.Deps) (ports.EInvoiceFormatter, error) { return New(cfg) })
}
