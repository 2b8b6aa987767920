package money

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govalues/decimal"
)

// decimalToAmount is the specification toAmount's integer rounding must
// agree with: round in decimals, then split into whole and fraction.
func decimalToAmount(d decimal.Decimal, cur Currency, digits int, rnd Rounding) (Amount, error) {
	d, err := rnd.round(d, digits)
	if err != nil {
		return Amount{}, err
	}
	whole, frac, ok := d.Int64(digits)
	p := int64(pow10[digits])
	if !ok || whole > math.MaxInt64/p || whole < math.MinInt64/p {
		return Amount{}, ErrOverflow
	}
	m := whole*p + frac
	if (frac > 0 && m < whole*p) || (frac < 0 && m > whole*p) {
		return Amount{}, ErrOverflow
	}
	return Amount{minor: m, cur: cur.code()}, nil
}

func TestToAmount_agreesWithDecimalRounding(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 9))
	curs := []Currency{JPY, EUR, BHD}
	edges := []uint64{0, 1, 4, 5, 6, 15, 25, 35, 45, 49, 50, 51, 95, 99, 100, 105, 125, 995, 999,
		math.MaxInt64 / 1000, math.MaxInt64 / 100, math.MaxInt64 / 10, math.MaxInt64, math.MaxInt64 + 1, 9999999999999999999}
	for i := range 200000 {
		coef := rng.Uint64() >> rng.IntN(64)
		if i%2 == 0 {
			coef = edges[rng.IntN(len(edges))]
		}
		coef %= 1e19
		scale := rng.IntN(20)
		d, err := decimal.New(int64(coef>>1), scale) // any 63-bit coefficient
		if coef <= math.MaxInt64 {
			d, err = decimal.New(int64(coef), scale)
		}
		if err != nil {
			t.Fatal(err)
		}
		if rng.IntN(2) == 0 {
			d = d.Neg()
		}
		cur := curs[rng.IntN(3)]
		digits, _ := cur.Digits()
		rnd := Rounding(1 + rng.IntN(6))
		got, err1 := toAmount(d, cur.code(), digits, rnd)
		want, err2 := decimalToAmount(d, cur, digits, rnd)
		if got != want || (err1 == nil) != (err2 == nil) {
			t.Fatalf("%s %s %s: got %v %v, want %v %v", d, cur, rnd, got, err1, want, err2)
		}
	}
	for _, m := range []string{"-92233720368547758.08", "-92233720368547758.09", "92233720368547758.07", "92233720368547758.08"} {
		d := decimal.MustParse(m)
		got, err1 := toAmount(d, EUR.code(), 2, HalfUp)
		want, err2 := decimalToAmount(d, EUR, 2, HalfUp)
		if got != want || (err1 == nil) != (err2 == nil) {
			t.Fatalf("%s: got %v %v, want %v %v", m, got, err1, want, err2)
		}
	}
}
