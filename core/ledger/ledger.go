// Package ledger holds double-entry journal batches that the hub posts to
// a general ledger: balanced per currency, one side per line, amounts exact.
package ledger

import (
	"errors"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// ErrBatchUnbalanced: debits and credits differ in some currency.
var ErrBatchUnbalanced = errors.New("ledger: batch does not balance")

// Line is one journal line: exactly one of Debit and Credit is non-zero.
type Line struct {
	Account    string
	CostCentre string
	Debit      money.Amount
	Credit     money.Amount
	Memo       string
	Ref        string // the hub record it posts, e.g. a charge adjustment id
}

// Batch is one journal entry for a general ledger.
type Batch struct {
	ID      string // stable: re-exporting the same ID must post nothing new
	Tenant  string
	Org     string
	Date    time.Time
	Journal string // the ERP's journal code, e.g. "VT"
	Lines   []Line
}

// Validate checks accounts, sides and the balance per currency.
func (b Batch) Validate() error {
	var errs validate.Errors
	if b.ID == "" {
		errs.Required("id")
	}
	if len(b.Lines) == 0 {
		errs.Add("lines", "required", "a batch needs at least one line")
	}
	sums := map[money.Currency]money.Amount{}
	for i, l := range b.Lines {
		p := validate.Index("lines", i)
		if l.Account == "" {
			errs.Required(p + ".account")
		}
		d, c := l.Debit.Valid() && !l.Debit.IsZero(), l.Credit.Valid() && !l.Credit.IsZero()
		if d == c {
			errs.Add(p, "one_side", "exactly one of debit and credit must be non-zero")
			continue
		}
		if d && l.Debit.Sign() < 0 || c && l.Credit.Sign() < 0 {
			errs.Add(p, "negative", "debit and credit are never negative; swap the side instead")
		}
		amt := l.Debit
		if !d {
			amt = l.Credit.Neg()
		}
		s, ok := sums[amt.Currency()]
		if !ok {
			s = money.Zero(amt.Currency())
		}
		if s, err := s.Add(amt); err != nil {
			errs.Add(p, "overflow", "the batch total leaves the representable range")
		} else {
			sums[amt.Currency()] = s
		}
	}
	for _, s := range sums {
		if !s.IsZero() {
			errs = append(errs, &validate.FieldError{Path: "lines", Code: "unbalanced",
				Msg: "debits and credits differ by " + s.String(), Err: ErrBatchUnbalanced})
		}
	}
	return errs.Err()
}

// Posting is a signed amount to post against a pair of accounts.
type Posting struct {
	Ref, Memo string
	Amount    money.Amount // negative: a reversal, which swaps the sides
}

// FromPostings builds a balanced batch: each posting debits debitAccount and
// credits creditAccount (sides swapped for a negative amount).
func FromPostings(id string, date time.Time, debitAccount, creditAccount, costCentre string, ps []Posting) Batch {
	b := Batch{ID: id, Date: date}
	for _, p := range ps {
		a := p.Amount.Abs()
		dr := Line{Account: debitAccount, CostCentre: costCentre, Debit: a, Credit: money.Zero(a.Currency()), Memo: p.Memo, Ref: p.Ref}
		cr := Line{Account: creditAccount, CostCentre: costCentre, Debit: money.Zero(a.Currency()), Credit: a, Memo: p.Memo, Ref: p.Ref}
		if p.Amount.Sign() < 0 {
			dr.Account, cr.Account = creditAccount, debitAccount
		}
		b.Lines = append(b.Lines, dr, cr)
	}
	return b
}
