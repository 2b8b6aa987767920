// Package facturx formats invoices as Factur-X 1.0 CII XML (profiles
// MINIMUM, BASIC and EN16931), the French-German hybrid invoice standard
// shared with ZUGFeRD 2.x. With container pdf the XML is embedded as
// factur-x.xml in a PDF/A-3B hybrid (zones/eu/pdfa3) whose page is in French.
package facturx

import (
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/zones/eu/en16931"
)

// Config selects the Factur-X profile.
type Config struct {
	Profile   string `yaml:"profile" default:"en16931" doc:"minimum, basic or en16931"`
	Container string `yaml:"container" default:"xml" doc:"xml: the CII XML alone; pdf: a PDF/A-3B hybrid invoice with the XML embedded as factur-x.xml"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if _, ok := profiles[c.Profile]; !ok {
		errs.Add("profile", "unknown_code", "want minimum, basic or en16931")
	}
	if c.Container != "" && c.Container != "xml" && c.Container != "pdf" {
		errs.Add("container", "unknown_code", "want xml or pdf")
	}
	return errs.Err()
}

// levels are the fx:ConformanceLevel values of the profiles.
var levels = map[string]string{"minimum": "MINIMUM", "basic": "BASIC", "en16931": "EN 16931"}

var profiles = map[string]en16931.Profile{
	"minimum": {SpecID: en16931.SpecFXMinimum, Level: en16931.Minimum},
	"basic":   {SpecID: en16931.SpecFXBasic, Level: en16931.Basic},
	"en16931": {SpecID: en16931.SpecEN16931, Level: en16931.Full},
}
