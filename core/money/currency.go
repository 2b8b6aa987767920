package money

import (
	"fmt"
	"maps"
	"slices"
)

// Currency is an ISO 4217 alphabetic code such as "EUR".
type Currency string

// Common currencies.
const (
	EUR Currency = "EUR"
	USD Currency = "USD"
	JPY Currency = "JPY"
	BHD Currency = "BHD"
)

// minorDigits maps ISO 4217 codes to their number of minor-unit digits.
var minorDigits = map[Currency]int{
	"EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2,
	"CZK": 2, "HUF": 2, "RON": 2, "BGN": 2, "CAD": 2, "AUD": 2, "NZD": 2, "CNY": 2,
	"INR": 2, "BRL": 2, "MXN": 2, "ZAR": 2, "SGD": 2, "HKD": 2, "TRY": 2, "ILS": 2,
	"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "XOF": 0, "XAF": 0,
	"BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "LYD": 3, "IQD": 3,
}

// code is an amount's currency: its position in codes, 0 for none. An
// Amount carries a code rather than the string, so that comparing and
// rounding amounts compares and indexes small integers.
type code uint8

// codes and codeDigits list the known currencies and their minor-unit
// digits by code; codeOf maps Currency.index to the code (0 = unknown).
var codes, codeDigits, codeOf = func() (cs []Currency, ds []uint8, of *[26 * 26 * 26]code) {
	of = new([26 * 26 * 26]code)
	cs, ds = []Currency{""}, []uint8{0}
	for _, c := range slices.Sorted(maps.Keys(minorDigits)) {
		i, _ := c.index()
		of[i] = code(len(cs))
		cs, ds = append(cs, c), append(ds, uint8(minorDigits[c]))
	}
	return cs, ds, of
}()

// code returns c's code, or 0 when c is not a known ISO 4217 code.
func (c Currency) code() code {
	i, ok := c.index()
	if !ok {
		return 0
	}
	return codeOf[i]
}

// index returns the code's position in digitsOf, if it is three letters A-Z.
func (c Currency) index() (int, bool) {
	if len(c) != 3 {
		return 0, false
	}
	a, b, d := c[0]-'A', c[1]-'A', c[2]-'A'
	if a >= 26 || b >= 26 || d >= 26 {
		return 0, false
	}
	return (int(a)*26+int(b))*26 + int(d), true
}

// UnknownCurrencyError reports a code missing from the ISO 4217 table.
type UnknownCurrencyError struct{ Code string }

func (e *UnknownCurrencyError) Error() string {
	return fmt.Sprintf("money: unknown currency %q (want an ISO 4217 code such as EUR)", e.Code)
}

// ParseCurrency validates an ISO 4217 code.
func ParseCurrency(code string) (Currency, error) {
	c := Currency(code)
	if !c.Valid() {
		return "", &UnknownCurrencyError{Code: code}
	}
	return c, nil
}

// Digits is the number of minor-unit digits; it reports false for an unknown code.
func (c Currency) Digits() (int, bool) {
	k := c.code()
	return int(codeDigits[k]), k != 0
}

// Valid reports whether c is a known ISO 4217 code.
func (c Currency) Valid() bool { _, ok := c.Digits(); return ok }

// String returns the ISO code.
func (c Currency) String() string { return string(c) }

// CurrencyMismatchError reports arithmetic across two currencies.
type CurrencyMismatchError struct{ Want, Got Currency }

func (e *CurrencyMismatchError) Error() string {
	return fmt.Sprintf("money: currency mismatch: want %s, got %s", e.Want, e.Got)
}
