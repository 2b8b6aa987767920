package earve

import (
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/zones/eu/en16931"
)

// NewUBL returns the Estonian B2B formatter: EN 16931 UBL 2.1, optionally
// with the Peppol BIS Billing 3.0 identifiers.
func NewUBL(cfg UBLConfig) (*en16931.Formatter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p := en16931.Profile{SpecID: en16931.SpecEN16931}
	if cfg.Peppol {
		p = en16931.Profile{SpecID: en16931.SpecPeppolBIS3, ProcessID: en16931.ProcessPeppol}
	}
	return &en16931.Formatter{Op: "en16931_ubl.Format", Syntax: en16931.UBL, Profile: p}, nil
}

func init() {
	ports.Register(ports.EInvoiceFormats, ports.Spec{
		Name:     "e_arve",
		Summary:  "Formats invoices as Estonian e-arve 1.2 XML, one invoice per file.",
		Examples: []string{"test: false\n"},
	}, func(cfg Config, _ ports.Deps) (ports.EInvoiceFormatter, error) { return New(cfg) })
	ports.Register(ports.EInvoiceFormats, ports.Spec{
		Name:     "en16931_ubl",
		Summary:  "Formats invoices as EN 16931 UBL 2.1 (Estonian B2B default since July 2025).",
		Examples: []string{"peppol: false\n"},
	}, func(cfg UBLConfig, _ ports.Deps) (ports.EInvoiceFormatter, error) { return NewUBL(cfg) })
}
