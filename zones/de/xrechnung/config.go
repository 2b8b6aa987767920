// Package xrechnung formats invoices as XRechnung 3.0 (the German CIUS of
// EN 16931) in CII or UBL, checking the BR-DE rules the model cannot know.
package xrechnung

import (
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/zones/eu/en16931"
)

// Config selects the syntax and a default buyer reference.
type Config struct {
	Syntax    string `yaml:"syntax" default:"cii" doc:"cii (UN/CEFACT CII D16B) or ubl (UBL 2.1 Invoice/CreditNote)"`
	LeitwegID string `yaml:"leitweg_id" doc:"Leitweg-ID used as buyer reference (BT-10) when the invoice has none"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if s := en16931.Syntax(c.Syntax); s != en16931.CII && s != en16931.UBL {
		errs.Add("syntax", "unknown_code", "want cii or ubl")
	}
	return errs.Err()
}
