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
		a := Amount{minor: minor, cur: cur}
		got, gerr := a.Mul(r, rnd)
		want, werr := r.Apply(a.Rate(), cur, rnd)
		if got != want || (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("%v × %s (%v): got %v, %v; want %v, %v", a, r, rnd, got, gerr, want, werr)
		}
	}
}
