package money

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/govalues/decimal"
)

// ErrOverflow reports an amount outside the int64 range of minor units.
var ErrOverflow = errors.New("money: amount overflows int64 minor units")

// ErrInvalid reports use of the zero Amount, which has no currency.
var ErrInvalid = errors.New("money: invalid amount (zero value has no currency)")

// Amount is an exact sum of money: a count of minor units in one currency.
// The zero value is invalid; build amounts with New, Zero, Parse or Rate.Apply.
type Amount struct {
	minor int64
	cur   code
}

// New returns minor units of cur, or an error when cur is not ISO 4217.
func New(minor int64, cur Currency) (Amount, error) {
	k := cur.code()
	if k == 0 {
		return Amount{}, &UnknownCurrencyError{Code: string(cur)}
	}
	return Amount{minor: minor, cur: k}, nil
}

// MustNew is New for constants and tests; it panics on an unknown currency.
func MustNew(minor int64, cur Currency) Amount {
	a, err := New(minor, cur)
	if err != nil {
		panic(err)
	}
	return a
}

// Zero returns a zero amount in cur. An unknown cur yields an invalid Amount.
func Zero(cur Currency) Amount {
	return Amount{cur: cur.code()}
}

// Minor returns the amount in minor units.
func (a Amount) Minor() int64 { return a.minor }

// Currency returns the amount's currency.
func (a Amount) Currency() Currency { return codes[a.cur] }

// Valid reports whether a carries a known currency.
func (a Amount) Valid() bool { return a.cur != 0 }

// IsZero reports whether a is zero minor units.
func (a Amount) IsZero() bool { return a.minor == 0 }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int {
	switch {
	case a.minor < 0:
		return -1
	case a.minor > 0:
		return 1
	}
	return 0
}

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{minor: -a.minor, cur: a.cur} }

// Abs returns |a|.
func (a Amount) Abs() Amount {
	if a.minor < 0 {
		return a.Neg()
	}
	return a
}

func (a Amount) same(b Amount) error {
	switch {
	case a.cur == b.cur && a.cur != 0:
		return nil
	case a.cur == 0 || b.cur == 0:
		return ErrInvalid
	}
	return &CurrencyMismatchError{Want: a.Currency(), Got: b.Currency()}
}

// Add returns a+b; it fails on a currency mismatch or overflow.
func (a Amount) Add(b Amount) (Amount, error) {
	if err := a.same(b); err != nil {
		return Amount{}, err
	}
	s := a.minor + b.minor
	if (s > a.minor) != (b.minor > 0) {
		return Amount{}, ErrOverflow
	}
	return Amount{minor: s, cur: a.cur}, nil
}

// Sub returns a-b; it fails on a currency mismatch or overflow.
func (a Amount) Sub(b Amount) (Amount, error) {
	if b.minor == math.MinInt64 {
		return Amount{}, ErrOverflow
	}
	return a.Add(b.Neg())
}

// Cmp compares a and b: -1, 0 or +1. It fails on a currency mismatch.
func (a Amount) Cmp(b Amount) (int, error) {
	if err := a.same(b); err != nil {
		return 0, err
	}
	switch {
	case a.minor < b.minor:
		return -1, nil
	case a.minor > b.minor:
		return 1, nil
	}
	return 0, nil
}

// MulInt returns a×n exactly; it fails on overflow.
func (a Amount) MulInt(n int64) (Amount, error) {
	if !a.Valid() {
		return Amount{}, ErrInvalid
	}
	if a.minor != 0 && n != 0 {
		p := a.minor * n
		if p/n != a.minor || (a.minor == -1 && n == math.MinInt64) || (n == -1 && a.minor == math.MinInt64) {
			return Amount{}, ErrOverflow
		}
		return Amount{minor: p, cur: a.cur}, nil
	}
	return Amount{cur: a.cur}, nil
}

// Mul returns a×r brought back to minor units with the named rounding.
// Use it for percentages, risk factors (1.35) and FX rates.
func (a Amount) Mul(r Rate, rnd Rounding) (Amount, error) {
	if a.cur == 0 {
		return Amount{}, ErrInvalid
	}
	digits := int(codeDigits[a.cur])
	// The product in integers when it is exact in a Rate too (at most 19
	// digits and decimals), as r.Apply would compute it; else r.Apply.
	m := uint64(a.minor)
	if a.minor < 0 {
		m = -m
	}
	hi, p := bits.Mul64(m, r.d.Coef())
	if scale := digits + r.d.Scale(); hi == 0 && p < pow10[19] && scale <= decimal.MaxScale && rnd.valid() {
		return roundMinor(p, scale, p != 0 && (a.minor < 0) != r.d.IsNeg(), a.cur, digits, rnd)
	}
	return r.Apply(a.Rate(), a.Currency(), rnd)
}

// Sum adds amounts of one currency. It fails on an empty list, a mismatch or overflow.
func Sum(as ...Amount) (Amount, error) {
	if len(as) == 0 {
		return Amount{}, errors.New("money: sum of no amounts has no currency")
	}
	total := as[0]
	if !total.Valid() {
		return Amount{}, ErrInvalid
	}
	for _, x := range as[1:] {
		var err error
		if total, err = total.Add(x); err != nil {
			return Amount{}, err
		}
	}
	return total, nil
}

// Number renders the amount in major units with '.' and the currency's
// digits, e.g. "-12.50" or "1000" for JPY.
func (a Amount) Number() string { return string(a.AppendNumber(nil, '.')) }

// AppendNumber appends the major-unit decimal with the given separator.
func (a Amount) AppendNumber(b []byte, sep byte) []byte {
	digits := codeDigits[a.cur]
	m := a.minor
	neg := m < 0
	var u uint64
	if neg {
		b = append(b, '-')
		u = uint64(-(m + 1)) + 1
	} else {
		u = uint64(m)
	}
	if digits == 0 {
		return strconv.AppendUint(b, u, 10)
	}
	p := pow10[digits]
	b = strconv.AppendUint(b, u/p, 10)
	b = append(b, sep)
	frac := u % p
	for d := p / 10; d > 0; d /= 10 {
		b = append(b, byte('0'+frac/d%10))
	}
	return b
}

// String renders e.g. "12.50 EUR".
func (a Amount) String() string {
	if !a.Valid() {
		return "invalid-amount"
	}
	return a.Number() + " " + string(a.Currency())
}

// Format implements fmt.Formatter so %v and %s print String.
func (a Amount) Format(f fmt.State, verb rune) { fmt.Fprint(f, a.String()) }

var pow10 = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
