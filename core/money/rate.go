package money

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"

	"github.com/govalues/decimal"
)

// Rate is an exact decimal factor: a unit price, point value, tax or FX rate,
// percentage or risk score. Its zero value is 0.
//
// Rates use github.com/govalues/decimal: correctly rounded, 19 significant
// digits and allocation-free, which keeps tariff resolution off the heap.
type Rate struct{ d decimal.Decimal }

// ParseRate reads a decimal such as "1.35" or "-0.19".
func ParseRate(s string) (Rate, error) {
	d, err := decimal.Parse(s)
	if err != nil {
		return Rate{}, fmt.Errorf("money: invalid rate %q: %w", s, err)
	}
	return Rate{d}, nil
}

// MustRate is ParseRate for constants and tests; it panics on bad input.
func MustRate(s string) Rate {
	r, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// RateOf returns coef×10^-scale, e.g. RateOf(135, 2) = 1.35.
func RateOf(coef int64, scale int) (Rate, error) {
	d, err := decimal.New(coef, scale)
	if err != nil {
		return Rate{}, fmt.Errorf("money: rate %d e-%d: %w", coef, scale, err)
	}
	return Rate{d}, nil
}

// Parts returns r as coef×10^-scale, the inverse of RateOf; ok is false
// when the coefficient does not fit an int64.
func (r Rate) Parts() (coef int64, scale int, ok bool) {
	c := r.d.Coef()
	if c > math.MaxInt64 {
		return 0, 0, false
	}
	if coef = int64(c); r.d.IsNeg() {
		coef = -coef
	}
	return coef, r.d.Scale(), true
}

// Int returns n as a Rate (a quantity such as 3 units).
func Int(n int64) Rate { return Rate{decimal.MustNew(n, 0)} }

var hundredth = decimal.MustNew(1, 2)

// Percent returns p/100, e.g. Percent(MustRate("19")) = 0.19.
func Percent(p Rate) (Rate, error) {
	d, err := p.d.Mul(hundredth)
	return Rate{d}, err
}

// Rate returns the amount in major units as an exact Rate.
func (a Amount) Rate() Rate {
	digits := int(codeDigits[a.cur])
	d, err := decimal.New(a.minor, digits)
	if err != nil { // only for |minor| beyond 19 digits, which int64 cannot hold
		panic(err)
	}
	return Rate{d}
}

// Apply multiplies r by qty and converts to cur with the named rounding:
// the one way a price times a quantity becomes money.
func (r Rate) Apply(qty Rate, cur Currency, rnd Rounding) (Amount, error) {
	k := cur.code()
	if k == 0 {
		return Amount{}, &UnknownCurrencyError{Code: string(cur)}
	}
	digits := int(codeDigits[k])
	// The product in integers when it is exact (at most 19 digits and
	// decimals), as decimal.Mul would compute it; else decimal.Mul.
	hi, c := bits.Mul64(r.d.Coef(), qty.d.Coef())
	if scale := r.d.Scale() + qty.d.Scale(); hi == 0 && c < pow10[19] && scale <= decimal.MaxScale && rnd.valid() {
		return roundMinor(c, scale, c != 0 && r.d.IsNeg() != qty.d.IsNeg(), k, digits, rnd)
	}
	p, err := r.d.Mul(qty.d)
	if err != nil {
		return Amount{}, fmt.Errorf("money: %s × %s: %w", r, qty, ErrOverflow)
	}
	return toAmount(p, k, digits, rnd)
}

// Amount converts r in major units to cur with the named rounding.
func (r Rate) Amount(cur Currency, rnd Rounding) (Amount, error) {
	k := cur.code()
	if k == 0 {
		return Amount{}, &UnknownCurrencyError{Code: string(cur)}
	}
	return toAmount(r.d, k, int(codeDigits[k]), rnd)
}

func toAmount(d decimal.Decimal, cur code, digits int, rnd Rounding) (Amount, error) {
	if !rnd.valid() {
		return Amount{}, fmt.Errorf("money: converting %s to %s: no rounding named", d, codes[cur])
	}
	return roundMinor(d.Coef(), d.Scale(), d.IsNeg(), cur, digits, rnd)
}

// roundMinor converts coef×10^-scale, negative if neg, to minor units of
// cur with digits decimals and the (valid) rounding rnd.
func roundMinor(coef uint64, scale int, neg bool, cur code, digits int, rnd Rounding) (Amount, error) {
	if scale > digits { // round in integers: coef = q×div + rest
		q, rest, div := divPow10(coef, scale-digits)
		if rnd.away(q, rest, div, neg) {
			q++
		}
		coef, scale = q, digits
	}
	hi, u := bits.Mul64(coef, pow10[digits-scale])
	if hi != 0 || u > math.MaxInt64 && (!neg || u != 1<<63) {
		return Amount{}, ErrOverflow
	}
	m := int64(u)
	if neg {
		m = -m
	}
	return Amount{minor: m, cur: cur}, nil
}

// away reports whether a value of magnitude q + rest/div (0 ≤ rest < div),
// negative if neg, rounds to q+1 rather than q.
func (r Rounding) away(q, rest, div uint64, neg bool) bool {
	if rest == 0 {
		return false
	}
	switch r {
	case HalfUp:
		return rest >= div-rest
	case HalfEven:
		return rest > div-rest || rest == div-rest && q%2 == 1
	case Up:
		return true
	case Floor:
		return neg
	case Ceiling:
		return !neg
	}
	return false // Down
}

// Mul returns r×s exactly (or an overflow error beyond 19 digits).
func (r Rate) Mul(s Rate) (Rate, error) {
	d, err := r.d.Mul(s.d)
	return Rate{d}, err
}

// Add returns r+s.
func (r Rate) Add(s Rate) (Rate, error) {
	d, err := r.d.Add(s.d)
	return Rate{d}, err
}

// Sub returns r-s.
func (r Rate) Sub(s Rate) (Rate, error) {
	d, err := r.d.Sub(s.d)
	return Rate{d}, err
}

// Quo returns r/s correctly rounded to 19 significant digits.
func (r Rate) Quo(s Rate) (Rate, error) {
	d, err := r.d.Quo(s.d)
	return Rate{d}, err
}

// Round returns r rounded to scale fractional digits with the named rounding.
func (r Rate) Round(scale int, rnd Rounding) (Rate, error) {
	d, err := rnd.round(r.d, scale)
	return Rate{d}, err
}

// Cmp compares r and s: -1, 0 or +1.
func (r Rate) Cmp(s Rate) int { return r.d.Cmp(s.d) }

// Sign returns -1, 0 or +1.
func (r Rate) Sign() int { return r.d.Sign() }

// IsZero reports whether r is 0.
func (r Rate) IsZero() bool { return r.d.IsZero() }

// Scale is the number of fractional digits r carries.
func (r Rate) Scale() int { return r.d.Scale() }

// String renders r in plain decimal notation, e.g. "1.35".
func (r Rate) String() string { return r.d.String() }

// MarshalText renders r as a decimal string.
func (r Rate) MarshalText() ([]byte, error) { return r.d.MarshalText() }

// UnmarshalText parses a decimal string.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err == nil {
		*r = v
	}
	return err
}

// MarshalJSON renders r as a JSON string, never a JSON number.
func (r Rate) MarshalJSON() ([]byte, error) { return r.AppendJSON(make([]byte, 0, 26)), nil }

// AppendJSON appends what MarshalJSON returns to b: the decimal, quoted
// (its digits, sign and point need no escaping).
func (r Rate) AppendJSON(b []byte) []byte {
	b = append(b, '"')
	b, _ = r.d.AppendText(b) // never fails
	return append(b, '"')
}

// UnmarshalJSON accepts a JSON string (or, leniently, a number literal) without floats.
func (r *Rate) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	return r.UnmarshalText(b)
}

// divPow10 returns coef / 10^n, the remainder and 10^n for 1 ≤ n ≤ 19. Each
// divisor is a constant, which the compiler turns into a multiplication:
// a hardware division would cost more than the rest of a rounding.
func divPow10(coef uint64, n int) (q, rest, div uint64) {
	switch n {
	case 1:
		q = coef / 1e1
	case 2:
		q = coef / 1e2
	case 3:
		q = coef / 1e3
	case 4:
		q = coef / 1e4
	case 5:
		q = coef / 1e5
	case 6:
		q = coef / 1e6
	case 7:
		q = coef / 1e7
	case 8:
		q = coef / 1e8
	case 9:
		q = coef / 1e9
	case 10:
		q = coef / 1e10
	case 11:
		q = coef / 1e11
	case 12:
		q = coef / 1e12
	case 13:
		q = coef / 1e13
	case 14:
		q = coef / 1e14
	case 15:
		q = coef / 1e15
	case 16:
		q = coef / 1e16
	case 17:
		q = coef / 1e17
	case 18:
		q = coef / 1e18
	default:
		q = coef / 1e19
	}
	div = pow10[n]
	return q, coef - q*div, div
}
