// Package pricelist imports price lists from CSV and JSON into pricing
// entries, with errors that name the line and field, decimal separators per
// zone, a sha256 of the source document, and a diff against the previous
// version for the audit log.
package pricelist

import (
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
)

// DefaultMaxBytes caps a price list document when ImportOptions.MaxBytes is 0.
const DefaultMaxBytes = 64 << 20

// ImportOptions say how to read a document and fill what it leaves out.
// A column or JSON field, when present, wins over the default here.
type ImportOptions struct {
	Source   string // document name recorded on every entry, e.g. "ebm-2025Q1.csv"
	Decimal  byte   // decimal separator: '.' or ','; see DecimalFor
	Comma    rune   // CSV delimiter; 0 means ';' when Decimal is ',' and ',' otherwise
	MaxBytes int64  // 0 means DefaultMaxBytes

	List     string
	Kind     pricing.Kind
	Version  string
	Currency money.Currency
	System   string
	Payer    string
	Plan     string
	Org      string
	Unit     string
}

// DecimalFor returns the decimal separator a zone's price list files use:
// ',' for DE, EE, FR, AT and other decimal-comma countries, '.' otherwise.
func DecimalFor(country string) byte {
	switch country {
	case "DE", "EE", "FR", "AT", "BE", "NL", "ES", "IT", "PT", "FI", "LV", "LT", "PL", "CZ", "SK", "SI", "HR", "DK", "SE", "NO":
		return ','
	}
	return '.'
}

func (o ImportOptions) decimal() byte {
	if o.Decimal == 0 {
		return '.'
	}
	return o.Decimal
}

func (o ImportOptions) comma() rune {
	switch {
	case o.Comma != 0:
		return o.Comma
	case o.decimal() == ',':
		return ';'
	}
	return ','
}

func (o ImportOptions) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// List is one imported document.
type List struct {
	Source  string
	SHA256  string // hex sha256 of the document's bytes
	Entries []pricing.Entry
}
