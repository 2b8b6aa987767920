package money

import (
	"fmt"
	"math"
)

// ParseError reports text that is not a valid amount for a currency.
type ParseError struct {
	Text   string
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("money: invalid amount %q: %s", e.Text, e.Reason)
}

// Parse reads a decimal with '.' as separator ("12.50", "-3", "170.5") into
// cur's minor units. More fractional digits than the currency has are an
// error (no silent rounding); thousands separators are rejected.
func Parse(s string, cur Currency) (Amount, error) { return ParseSep(s, cur, '.') }

// ParseSep is Parse with another decimal separator, e.g. ',' for DE/EE CSV.
func ParseSep(s string, cur Currency, sep byte) (Amount, error) {
	digits, ok := cur.Digits()
	if !ok {
		return Amount{}, &UnknownCurrencyError{Code: string(cur)}
	}
	m, err := parseMinor([]byte(s), digits, sep)
	if err != nil {
		return Amount{}, &ParseError{Text: s, Reason: err.Error()}
	}
	return Amount{minor: m, cur: cur.code()}, nil
}

// ParseMinorBytes parses a '.'-separated decimal into minor units with the
// given digits, without allocating. Edge readers (X12) use it on raw bytes.
func ParseMinorBytes(b []byte, digits int) (int64, error) { return parseMinor(b, digits, '.') }

type parseReason string

func (r parseReason) Error() string { return string(r) }

func parseMinor(b []byte, digits int, sep byte) (int64, error) {
	if len(b) == 0 {
		return 0, parseReason("empty")
	}
	neg := false
	switch b[0] {
	case '-':
		neg, b = true, b[1:]
	case '+':
		b = b[1:]
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var v uint64
	seenSep, frac, nd := false, 0, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if seenSep {
				if frac == digits {
					return 0, parseReason(fmt.Sprintf("more than %d decimal places", digits))
				}
				frac++
			}
			if v > (limit-uint64(c-'0'))/10 {
				return 0, parseReason("out of range")
			}
			v = v*10 + uint64(c-'0')
			nd++
		case c == sep && !seenSep:
			seenSep = true
		default:
			return 0, parseReason(fmt.Sprintf("unexpected character %q", c))
		}
	}
	if nd == 0 {
		return 0, parseReason("no digits")
	}
	for ; frac < digits; frac++ {
		if v > limit/10 {
			return 0, parseReason("out of range")
		}
		v *= 10
	}
	if neg {
		return int64(-v), nil // two's complement: also right for v = 2^63
	}
	return int64(v), nil
}
