// Package earve formats invoices for Estonia: the national e-arve 1.2 XML
// (e_arve, one invoice per file) and EN 16931 UBL for B2B (en16931_ubl).
package earve

import "github.com/revhub/revhub/core/validate"

// Config holds e-arve settings.
type Config struct {
	Test bool `yaml:"test" doc:"mark files as test files (Header/Test YES)"`
}

// Validate checks the settings; there is nothing to check yet.
func (c Config) Validate() error { return validate.Errors(nil).Err() }

// UBLConfig holds the Estonian EN 16931 UBL settings.
type UBLConfig struct {
	Peppol bool `yaml:"peppol" doc:"use the Peppol BIS Billing 3.0 identifiers (BT-23, BT-24) instead of plain EN 16931"`
}

// Validate checks the settings; there is nothing to check yet.
func (c UBLConfig) Validate() error { return validate.Errors(nil).Err() }
