// Package csvgl posts ledger batches as CSV journal files into a directory
// that the ERP (or a file transfer) picks up: one file per batch, written
// under a temporary name and hard-linked into place (never replacing a
// file), idempotent by the batch ID.
package csvgl

import (
	"strings"
	"unicode/utf8"

	"github.com/revhub/revhub/core/validate"
)

// Config is the csv_gl settings.
type Config struct {
	Directory        string `yaml:"directory" required:"true" doc:"directory the journal files are written to (created if missing)"`
	Delimiter        string `yaml:"delimiter" default:";" doc:"field separator, one character"`
	DecimalSeparator string `yaml:"decimal_separator" default:"," doc:"decimal separator of amounts: \",\" or \".\""`
	JournalCode      string `yaml:"journal_code" doc:"journal code written on every line when the batch names none"`
	Header           bool   `yaml:"header" default:"true" doc:"write a header row"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.Directory == "" {
		errs.Required("directory")
	}
	if utf8.RuneCountInString(c.Delimiter) != 1 || strings.ContainsAny(c.Delimiter, "\"\r\n\uFFFD") {
		errs.Add("delimiter", "invalid", "want one character other than a quote or line break")
	}
	if c.DecimalSeparator != "," && c.DecimalSeparator != "." {
		errs.Add("decimal_separator", "invalid", `want "," or "."`)
	}
	if c.Delimiter == c.DecimalSeparator {
		errs.Add("delimiter", "invalid", "must differ from the decimal separator")
	}
	return errs.Err()
}
