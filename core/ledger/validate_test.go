package ledger_test

import (
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

func eur(m int64) money.Amount { return money.MustNew(m, money.EUR) }

func dr(acct string, m int64) ledger.Line {
	return ledger.Line{Account: acct, Debit: eur(m), Credit: money.Zero(money.EUR)}
}

func cr(acct string, m int64) ledger.Line {
	return ledger.Line{Account: acct, Debit: money.Zero(money.EUR), Credit: eur(m)}
}

func TestValidate(t *testing.T) {
	usd := func(l ledger.Line) ledger.Line {
		if l.Debit.Minor() != 0 {
			l.Debit = money.MustNew(l.Debit.Minor(), money.USD)
		} else {
			l.Credit = money.MustNew(l.Credit.Minor(), money.USD)
		}
		return l
	}
	for _, tc := range []struct {
		name      string
		id        string
		lines     []ledger.Line
		path      string // "" when valid
		code      string
		unbalance bool
	}{
		{name: "balanced", id: "J", lines: []ledger.Line{dr("1", 100), cr("2", 60), cr("3", 40)}},
		{name: "balanced per currency", id: "J", lines: []ledger.Line{dr("1", 100), usd(dr("1", 7)), cr("2", 100), usd(cr("2", 7))}},
		{name: "missing id", lines: []ledger.Line{dr("1", 1), cr("2", 1)}, path: "id", code: "required"},
		{name: "empty", id: "J", path: "lines", code: "required"},
		{name: "unbalanced", id: "J", lines: []ledger.Line{dr("1", 100), cr("2", 99)}, path: "lines", code: "unbalanced", unbalance: true},
		{name: "balanced in sum but not per currency", id: "J", lines: []ledger.Line{dr("1", 100), usd(cr("2", 100))}, path: "lines", code: "unbalanced", unbalance: true},
		{name: "missing account", id: "J", lines: []ledger.Line{dr("", 1), cr("2", 1)}, path: "lines[0].account", code: "required"},
		{name: "both sides", id: "J", lines: []ledger.Line{{Account: "1", Debit: eur(1), Credit: eur(1)}}, path: "lines[0]", code: "one_side"},
		{name: "neither side", id: "J", lines: []ledger.Line{{Account: "1", Debit: eur(0), Credit: eur(0)}}, path: "lines[0]", code: "one_side"},
		{name: "zero-value amounts", id: "J", lines: []ledger.Line{{Account: "1"}}, path: "lines[0]", code: "one_side"},
		{name: "negative debit", id: "J", lines: []ledger.Line{dr("1", -5), dr("2", 5)}, path: "lines[0]", code: "negative"},
		{name: "negative credit", id: "J", lines: []ledger.Line{cr("1", -5), cr("2", 5)}, path: "lines[0]", code: "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ledger.Batch{ID: tc.id, Lines: tc.lines}.Validate()
			if tc.path == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var fes validate.Errors
			if !errors.As(err, &fes) {
				t.Fatalf("Validate = %v, want validate.Errors", err)
			}
			found := false
			for _, fe := range fes {
				found = found || fe.Path == tc.path && fe.Code == tc.code
			}
			if !found {
				t.Fatalf("Validate = %v, want %s: %s", err, tc.path, tc.code)
			}
			if errors.Is(err, ledger.ErrBatchUnbalanced) != tc.unbalance {
				t.Fatalf("errors.Is(ErrBatchUnbalanced) = %v, want %v", !tc.unbalance, tc.unbalance)
			}
		})
	}
}

func TestFromPostings(t *testing.T) {
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		amount int64
		debit  string // account debited
		credit string
	}{
		{name: "charge debits the receivable", amount: 1599, debit: "411", credit: "706"},
		{name: "reversal swaps the sides", amount: -1599, debit: "706", credit: "411"},
		{name: "smallest unit", amount: 1, debit: "411", credit: "706"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ledger.FromPostings("J", day, "411", "706", "CC1", []ledger.Posting{{Ref: "adj-1", Memo: "m", Amount: eur(tc.amount)}})
			if err := b.Validate(); err != nil {
				t.Fatal(err)
			}
			d, c := b.Lines[0], b.Lines[1]
			abs := max(tc.amount, -tc.amount)
			if d.Account != tc.debit || d.Debit.Minor() != abs || !d.Credit.IsZero() ||
				c.Account != tc.credit || c.Credit.Minor() != abs || !c.Debit.IsZero() {
				t.Fatalf("lines %+v", b.Lines)
			}
			for _, l := range b.Lines {
				if l.Ref != "adj-1" || l.Memo != "m" || l.CostCentre != "CC1" {
					t.Fatalf("line lost its ref, memo or cost centre: %+v", l)
				}
			}
		})
	}
}

func TestFromPostings_zeroAmountIsInvalid(t *testing.T) {
	b := ledger.FromPostings("J", time.Time{}, "D", "C", "", []ledger.Posting{{Ref: "a", Amount: eur(0)}})
	if b.Validate() == nil {
		t.Fatal("a zero posting made a valid batch")
	}
}
