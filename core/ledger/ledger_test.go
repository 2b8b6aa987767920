package ledger_test

import (
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"pgregory.net/rapid"
)

func TestFromPostings_balancedAndReversalsSwapSides(t *testing.T) {
	b := ledger.FromPostings("j-1", time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), "1410", "8400", "1100", []ledger.Posting{
		{Ref: "a", Amount: money.MustNew(1599, money.EUR)},
		{Ref: "b", Amount: money.MustNew(-1599, money.EUR)},
	})
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if b.Lines[0].Account != "1410" || b.Lines[0].Debit.Minor() != 1599 || b.Lines[2].Account != "8400" || b.Lines[2].Debit.Minor() != 1599 {
		t.Fatalf("lines %+v", b.Lines)
	}
	b.Lines[1].Credit = money.MustNew(1600, money.EUR)
	if err := b.Validate(); !errors.Is(err, ledger.ErrBatchUnbalanced) {
		t.Fatalf("unbalanced batch: %v", err)
	}
}

func TestProperty_postingsAlwaysBalance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var ps []ledger.Posting
		for _, m := range rapid.SliceOfN(rapid.Int64Range(-1e12, 1e12).Filter(func(v int64) bool { return v != 0 }), 1, 40).Draw(t, "amounts") {
			ps = append(ps, ledger.Posting{Ref: "r", Amount: money.MustNew(m, money.EUR)})
		}
		if err := ledger.FromPostings("j", time.Time{}, "D", "C", "", ps).Validate(); err != nil {
			t.Fatal(err)
		}
	})
}
