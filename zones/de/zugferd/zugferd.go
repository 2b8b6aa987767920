// Package zugferd formats invoices as ZUGFeRD 2.x XML in profile EN16931
// (the CII shared with Factur-X 1.0, BT-24 "urn:cen.eu:en16931:2017").
// Embedding the XML into a PDF/A-3 is not done here.
package zugferd

import (
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/zones/eu/en16931"
)

// Config selects the ZUGFeRD profile; only en16931 is offered.
type Config struct {
	Profile string `yaml:"profile" default:"en16931" doc:"ZUGFeRD profile; only en16931"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.Profile != "en16931" {
		errs.Add("profile", "unknown_code", "want en16931")
	}
	return errs.Err()
}

// New returns a ZUGFeRD EN16931 formatter.
func New(cfg Config) (*en16931.Formatter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &en16931.Formatter{Op: "zugferd.Format", Syntax: en16931.CII,
		Profile: en16931.Profile{SpecID: en16931.SpecEN16931}}, nil
}

func init() {
	ports.Register(ports.EInvoiceFormats, ports.Spec{
		Name:     "zugferd",
		Summary:  "Formats invoices as ZUGFeRD 2.x XML, profile EN16931 (CII).",
		Examples: []string{"profile: en16931\n"},
	}, func(cfg Config, _ ports.Deps) (ports.EInvoiceFormatter, error) { return New(cfg) })
}
