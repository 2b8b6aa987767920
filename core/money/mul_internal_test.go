package money

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Mul's integer path must give what the decimal path, r.Apply over
// a.Rate(), gives: the same amount or the same error.
func TestMul_agreesWithDecimalPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	minors := []int64{0, 1, -1, 2974, -2974, math.MaxInt64, math.MinInt64, 1 << 40}
	for i := range 200_000 {
		cur := []Currency{EUR, "JPY", "KWD"}[i%3]
		minor := minors[rng.IntN(len(minors))]
		if rng.IntN(2) == 0 {
			minor = rng.Int64N(1<<(1+rng.IntN(62))) - 1<<40
		}
		r, err := RateOf(rng.Int64N(1<<(1+rng.IntN(62)))-1<<20, rng.IntN(20))
		if err != nil {
			continue
		}
		rnd := Rounding(rng.IntN(8)) // includes unnamed and invalid roundings
		a := Amount{minor: minor, cur: cur.code()}
		got, gerr := a.Mul(r, rnd)
		want, werr := r.Apply(a.Rate(), cur, rnd)
		if got != want || (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("%v × %s (%v): got %v, %v; want %v, %v", a, r, rnd, got, gerr, want, werr)
		}
	}
}

// Apply's integer path must give what decimal.Mul and toAmount give: the
// same amount or the same error.
func TestApply_agreesWithDecimalPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	rate := func() (Rate, error) {
		return RateOf(rng.Int64N(1<<(1+rng.IntN(62)))-1<<20, rng.IntN(20))
	}
	for i := range 200_000 {
		cur := []Currency{EUR, "JPY", "KWD"}[i%3]
		r, err1 := rate()
		qty, err2 := rate()
		if err1 != nil || err2 != nil {
			continue
		}
		rnd := Rounding(rng.IntN(8)) // includes unnamed and invalid roundings
		got, gerr := r.Apply(qty, cur, rnd)
		var want Amount
		p, werr := r.d.Mul(qty.d)
		if werr == nil {
			digits, _ := cur.Digits()
			want, werr = toAmount(p, cur.code(), digits, rnd)
		}
		if got != want || (gerr == nil) != (werr == nil) {
			t.Fatalf("%s × %s %s (%v): got %v, %v; want %v, %v", r, qty, cur, rnd, got, gerr, want, werr)
		}
	}
}

func TestDivPow10(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 100_000 {
		coef := rng.Uint64() >> rng.IntN(64)
		if i < 3 {
			coef = []uint64{0, math.MaxUint64, 1e19}[i]
		}
		n := 1 + rng.IntN(19)
		q, rest, div := divPow10(coef, n)
		if div != pow10[n] || q != coef/div || rest != coef%div {
			t.Fatalf("divPow10(%d, %d) = %d, %d, %d", coef, n, q, rest, div)
		}
	}
}
