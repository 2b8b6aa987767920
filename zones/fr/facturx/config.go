// Package facturx formats invoices as Factur-X 1.0 CII XML (profiles
// MINIMUM, BASIC and EN16931), the French-German hybrid invoice standard
// shared with ZUGFeRD 2.x. PDF/A-3 embedding is not done here.
package facturx

import (
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/zones/eu/en16931"
)

// Config selects the Factur-X profile.
type Config struct {
	Profile string `yaml:"profile" default:"en16931" doc:"minimum, basic or en16931"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if _, ok := profiles[c.Profile]; !ok {
		errs.Add("profile", "unknown_code", "want minimum, basic or en16931")
	}
	return errs.Err()
}

var profiles = map[string]en16931.Profile{
	"minimum": {SpecID: en16931.SpecFXMinimum, Level: en16931.Minimum},
	"basic":   {SpecID: en16931.SpecFXBasic, Level: en16931.Basic},
	"en16931": {SpecID: en16931.SpecEN16931, Level: en16931.Full},
}
