package money

import "fmt"

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

// digitsOf holds 1 + minorDigits of each code, indexed by its three letters
// in base 26 (0 = unknown): amounts ask for it on every operation.
var digitsOf = func() (t [26 * 26 * 26]uint8) {
	for c, d := range minorDigits {
		i, _ := c.index()
		t[i] = uint8(1 + d)
	}
	return t
}()

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
	i, ok := c.index()
	if !ok || digitsOf[i] == 0 {
		return 0, false
	}
	return int(digitsOf[i]) - 1, true
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
