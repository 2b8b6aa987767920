// Package zugferd formats invoices as ZUGFeRD 2.x XML in profile EN16931
// (the CII shared with Factur-X 1.0, BT-24 "urn:cen.eu:en16931:2017").
// With container pdf the XML is embedded as factur-x.xml in a PDF/A-3B
// hybrid (zones/eu/pdfa3) whose page is in German.
package zugferd

import (
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/zones/eu/en16931"
	"github.com/revhub/revhub/zones/eu/pdfa3"
)

// Config selects the ZUGFeRD profile (only en16931) and the container.
type Config struct {
	Profile   string `yaml:"profile" default:"en16931" doc:"ZUGFeRD profile; only en16931"`
	Container string `yaml:"container" default:"xml" doc:"xml: the CII XML alone; pdf: a PDF/A-3B hybrid invoice with the XML embedded as factur-x.xml"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.Profile != "en16931" {
		errs.Add("profile", "unknown_code", "want en16931")
	}
	if c.Container != "" && c.Container != "xml" && c.Container != "pdf" {
		errs.Add("container", "unknown_code", "want xml or pdf")
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
		Summary:  "Formats invoices as ZUGFeRD 2.x, profile EN16931: CII XML, or a PDF/A-3 hybrid with the XML embedded.",
		Examples: []string{"profile: en16931\n", "profile: en16931\ncontainer: pdf\n"},
	}, func(cfg Config, _ ports.Deps) (ports.EInvoiceFormatter, error) { return Build(cfg) })
}

// Build returns the formatter cfg asks for: the XML formatter, or with
// container pdf the hybrid PDF/A-3 formatter around it.
func Build(cfg Config) (ports.EInvoiceFormatter, error) {
	f, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Container == "pdf" {
		return pdfa3.New("zugferd.Format", f, "EN 16931", "de")
	}
	return f, nil
}
