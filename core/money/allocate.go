package money

import (
	"errors"
	"math/bits"
	"sort"
)

// ErrNoWeights reports an allocation over no shares or shares summing to zero.
var ErrNoWeights = errors.New("money: allocation needs at least one positive weight")

// Allocate splits a over integer weights by the largest-remainder method:
// each part gets floor(a×w/W) minor units, and the leftover units go one each
// to the parts with the largest remainders (ties: the earlier part). The parts
// always add up to a exactly. Weights must be non-negative.
func (a Amount) Allocate(weights ...int64) ([]Amount, error) {
	if !a.Valid() {
		return nil, ErrInvalid
	}
	var total uint64
	for _, w := range weights {
		if w < 0 {
			return nil, errors.New("money: negative allocation weight")
		}
		var c uint64
		total, c = bits.Add64(total, uint64(w), 0)
		if c != 0 {
			return nil, ErrOverflow
		}
	}
	if total == 0 {
		return nil, ErrNoWeights
	}
	neg := a.minor < 0
	abs := uint64(a.minor)
	if neg {
		abs = uint64(-(a.minor + 1)) + 1
	}
	parts := make([]Amount, len(weights))
	rems := make([]uint64, len(weights))
	var given uint64
	for i, w := range weights {
		hi, lo := bits.Mul64(abs, uint64(w))
		q, r := bits.Div64(hi, lo, total) // hi < total since w <= total
		parts[i] = Amount{minor: int64(q), cur: a.cur}
		rems[i] = r
		given += q
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return rems[order[x]] > rems[order[y]] })
	for k := uint64(0); k < abs-given; k++ {
		parts[order[k]].minor++
	}
	if neg {
		for i := range parts {
			parts[i].minor = -parts[i].minor
		}
	}
	return parts, nil
}

// AllocateRates splits a over decimal ratios (e.g. risk scores 1.35, 0.8)
// with the same largest-remainder guarantee as Allocate.
func (a Amount) AllocateRates(ratios ...Rate) ([]Amount, error) {
	scale := 0
	for _, r := range ratios {
		if r.Sign() < 0 {
			return nil, errors.New("money: negative allocation ratio")
		}
		scale = max(scale, r.Scale())
	}
	ws := make([]int64, len(ratios))
	for i, r := range ratios {
		d := r.d.Pad(scale)
		if d.Scale() != scale {
			return nil, ErrOverflow
		}
		c := d.Coef()
		if c > 1<<62 {
			return nil, ErrOverflow
		}
		ws[i] = int64(c)
	}
	return a.Allocate(ws...)
}
