// Package invoicepdf renders the human-readable invoice a patient receives,
// in their language (et, de, fr, en): itemised charges, the part insurance
// covers set apart from the patient's share, the due date and how to pay.
//
// Output is deterministic: the PDF's dates come from the invoice, fonts
// (Go fonts, embedded) come from golang.org/x/image. The payee's IBAN is
// printed in full (the patient needs it to pay) and never logged.
package invoicepdf

import (
	"slices"

	"github.com/revhub/revhub/core/validate"
)

// Config sets the language when the payload does not.
type Config struct {
	Language string `yaml:"language" doc:"et, de, fr or en; empty: the payload's language, else from the buyer's country, else en"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.Language != "" && !slices.Contains(Languages, c.Language) {
		errs.Add("language", "unknown_code", "want et, de, fr or en")
	}
	return errs.Err()
}
