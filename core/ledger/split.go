package ledger

import (
	"errors"
	"fmt"

	"github.com/revhub/revhub/core/money"
)

// ErrCannotSplit: no balanced cut exists within the line limit.
var ErrCannotSplit = errors.New("ledger: batch cannot be split into balanced parts")

// Split cuts b into consecutive parts of at most max lines, cutting only
// where every currency balances, so each part is itself a balanced batch.
// A batch within the limit (or max <= 0) comes back whole with its ID;
// parts are numbered "<id>#1", "<id>#2", ... in line order. b must be
// valid. Split fails with ErrCannotSplit when max lines pass without a
// balanced cut.
func (b Batch) Split(max int) ([]Batch, error) {
	if max <= 0 || len(b.Lines) <= max {
		return []Batch{b}, nil
	}
	var parts []Batch
	for start := 0; start < len(b.Lines); {
		end := balancedEnd(b.Lines, start, max)
		if end == start {
			return nil, fmt.Errorf("%w: lines %d to %d never balance within %d lines", ErrCannotSplit, start, min(start+max, len(b.Lines))-1, max)
		}
		p := b
		p.ID = fmt.Sprintf("%s#%d", b.ID, len(parts)+1)
		p.Lines = b.Lines[start:end:end]
		parts = append(parts, p)
		start = end
	}
	return parts, nil
}

// balancedEnd returns the largest end in (start, start+max] at which
// lines[start:end] balances in every currency, or start if none does.
func balancedEnd(lines []Line, start, max int) int {
	sums := map[money.Currency]int64{}
	open, best := 0, start
	for i := start; i < len(lines) && i < start+max; i++ {
		l := lines[i]
		a, sign := l.Debit, int64(1)
		if !a.Valid() || a.IsZero() {
			a, sign = l.Credit, -1
		}
		before := sums[a.Currency()]
		after := before + sign*a.Minor()
		sums[a.Currency()] = after
		switch {
		case before == 0 && after != 0:
			open++
		case before != 0 && after == 0:
			open--
		}
		if open == 0 {
			best = i + 1
		}
	}
	return best
}
