package facturx

import (
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/zones/eu/en16931"
	"github.com/revhub/revhub/zones/eu/pdfa3"
)

// New returns a Factur-X formatter for cfg's profile.
func New(cfg Config) (*en16931.Formatter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &en16931.Formatter{Op: "facturx.Format", Syntax: en16931.CII, Profile: profiles[cfg.Profile]}, nil
}

// Build returns the formatter cfg asks for: the XML formatter, or with
// container pdf the hybrid PDF/A-3 formatter around it.
func Build(cfg Config) (ports.EInvoiceFormatter, error) {
	f, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Container == "pdf" {
		return pdfa3.New("facturx.Format", f, levels[cfg.Profile], "fr")
	}
	return f, nil
}
