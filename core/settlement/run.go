package settlement

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/revhub/revhub/core/money"
)

// Cadence is how often a tenant's settlement runs.
type Cadence string

// The cadences.
const (
	Weekly   Cadence = "weekly"
	Biweekly Cadence = "biweekly"
	Monthly  Cadence = "monthly"
)

// Valid reports whether c is a known cadence.
func (c Cadence) Valid() bool { return c == Weekly || c == Biweekly || c == Monthly }

// Period is a half-open settlement period [From, To).
type Period struct{ From, To time.Time }

// Next returns the period of the same cadence that starts where p ends.
func (c Cadence) Next(p Period) Period { return Period{From: p.To, To: c.add(p.To)} }

// First returns the period of cadence c that starts at from.
func (c Cadence) First(from time.Time) Period { return Period{From: from, To: c.add(from)} }

func (c Cadence) add(t time.Time) time.Time {
	switch c {
	case Weekly:
		return t.AddDate(0, 0, 7)
	case Biweekly:
		return t.AddDate(0, 0, 14)
	}
	return t.AddDate(0, 1, 0)
}

// Due reports whether a run for period p may start at now: once it has ended.
func (p Period) Due(now time.Time) bool { return !now.Before(p.To) }

// RunItem is one claim a run has reserved, as a remittance line needs it.
type RunItem struct {
	ClaimID    string
	Version    int64
	NPI        string
	TIN        TIN
	PayeeRef   string // payee bank directory reference; "" = none on file
	Member     string
	Encounter  string
	LOB        string
	Approved   money.Amount // zero (invalid) Amount = missing
	Received   time.Time
	Service    time.Time // first service date
	PaidBefore bool      // another version of the claim was paid already
	Priority   bool      // flagged near its prompt-pay deadline by an earlier run
}

// ExceptionKind is the bucket a reserved claim lands in when it cannot be paid.
type ExceptionKind string

// The exception buckets of a run.
const (
	AlreadyPaid     ExceptionKind = "already_paid"            // another version of the claim was paid: kept out for good
	NoBankAccount   ExceptionKind = "no_bank_account"         // no payee account or trading partner on file: next run
	MissingApproved ExceptionKind = "missing_approved_amount" // approved without an amount: next run after correction
	OnHold          ExceptionKind = "on_hold"                 // the provider's payments are held: next run
	PrenotePending  ExceptionKind = "prenote_pending"         // the payee account waits for its prenote window: next run
)

// Retry reports whether claims of the bucket go back to the pool for the next run.
func (k ExceptionKind) Retry() bool { return k != AlreadyPaid }

// RunException is one reserved claim the run did not pay.
type RunException struct {
	ClaimID string
	Version int64
	NPI     string
	Kind    ExceptionKind
}

// Fees are what the payer keeps from a remittance: a percentage of the
// approved total plus a fixed amount per claim, never more than the total.
type Fees struct {
	Percent  money.Rate     // e.g. 0.5 for half a percent; zero = none
	PerClaim money.Amount   // zero (invalid) Amount = none
	Rounding money.Rounding // how the percentage is rounded to the cent
}

// RunConfig says what one settlement run pays and how.
type RunConfig struct {
	RunID    string
	Payer    string // the payer's name or id on every remittance
	Period   Period
	Currency money.Currency
	Fees     Fees
	Held     func(npi string, tin TIN) bool // provider payments on hold; nil = none
	Account  func(payeeRef string) bool     // a usable bank account or trading partner is on file; nil = any non-empty ref
	Pending  func(payeeRef string) bool     // the account on file waits for its prenote window; nil = none
}

// RunBuilder turns the claims a run reserved into one remittance per
// provider and exception buckets. Feed it claims with Add, in any order, and
// call Result once. It keeps per-provider totals, not the claims.
type RunBuilder struct {
	cfg        RunConfig
	byNPI      map[string]*Remittance
	exceptions []RunException
	claims     int
}

// NewRunBuilder checks cfg and returns an empty builder.
func NewRunBuilder(cfg RunConfig) (*RunBuilder, error) {
	if cfg.RunID == "" || !cfg.Currency.Valid() {
		return nil, errors.New("settlement: run needs an id and a valid currency")
	}
	if pc := cfg.Fees.PerClaim; pc.Valid() && pc.Currency() != cfg.Currency {
		return nil, &money.CurrencyMismatchError{Want: cfg.Currency, Got: pc.Currency()}
	}
	return &RunBuilder{cfg: cfg, byNPI: make(map[string]*Remittance)}, nil
}

// Add classifies one reserved claim: an exception, or a line of its
// provider's remittance. It returns the exception kind, "" when paid.
func (b *RunBuilder) Add(it RunItem) (ExceptionKind, error) {
	b.claims++
	kind := b.classify(it)
	if kind != "" {
		b.exceptions = append(b.exceptions, RunException{ClaimID: it.ClaimID, Version: it.Version, NPI: it.NPI, Kind: kind})
		return kind, nil
	}
	r := b.byNPI[it.NPI]
	if r == nil {
		r = &Remittance{ID: RemittanceID(b.cfg.RunID, it.NPI), RunID: b.cfg.RunID, Payer: b.cfg.Payer, NPI: it.NPI, TIN: it.TIN,
			PayeeRef: it.PayeeRef, Period: b.cfg.Period, Status: RemitGenerated, TotalApproved: money.Zero(b.cfg.Currency)}
		b.byNPI[it.NPI] = r
	}
	sum, err := r.TotalApproved.Add(it.Approved)
	if err != nil {
		return "", fmt.Errorf("claim %s: %w", it.ClaimID, err)
	}
	r.TotalApproved = sum
	r.Claims++
	r.Lines = append(r.Lines, LineRef{ClaimID: it.ClaimID, Version: it.Version})
	return "", nil
}

func (b *RunBuilder) classify(it RunItem) ExceptionKind {
	switch {
	case it.PaidBefore:
		return AlreadyPaid
	case !it.Approved.Valid() || it.Approved.Currency() != b.cfg.Currency || it.Approved.Sign() < 0:
		return MissingApproved
	case b.cfg.Held != nil && b.cfg.Held(it.NPI, it.TIN):
		return OnHold
	case it.PayeeRef != "" && b.cfg.Pending != nil && b.cfg.Pending(it.PayeeRef):
		return PrenotePending
	case it.PayeeRef == "" || b.cfg.Account != nil && !b.cfg.Account(it.PayeeRef):
		return NoBankAccount
	}
	return ""
}

// RunResult is what a settlement run produced.
type RunResult struct {
	RunID       string
	Period      Period
	Claims      int            // reserved
	Paid        int            // on a remittance
	Remittances []Remittance   // one per provider, by NPI
	Exceptions  []RunException // in the order added
	Total       money.Amount   // Σ approved of paid claims
	Fees        money.Amount
	Net         money.Amount // Σ net payable
}

// Buckets counts the exceptions per kind.
func (r RunResult) Buckets() map[ExceptionKind]int {
	m := make(map[ExceptionKind]int, 4)
	for _, e := range r.Exceptions {
		m[e.Kind]++
	}
	return m
}

// Result computes fees and net payable per remittance and the run totals.
func (b *RunBuilder) Result() (RunResult, error) {
	cur := b.cfg.Currency
	res := RunResult{RunID: b.cfg.RunID, Period: b.cfg.Period, Claims: b.claims, Exceptions: b.exceptions,
		Total: money.Zero(cur), Fees: money.Zero(cur), Net: money.Zero(cur), Remittances: make([]Remittance, 0, len(b.byNPI))}
	for _, r := range b.byNPI {
		fee, err := b.cfg.Fees.of(r.TotalApproved, r.Claims)
		if err != nil {
			return res, fmt.Errorf("remittance %s: %w", r.ID, err)
		}
		r.Fees = fee
		sort.Slice(r.Lines, func(i, j int) bool {
			a, b := r.Lines[i], r.Lines[j]
			return a.ClaimID < b.ClaimID || a.ClaimID == b.ClaimID && a.Version < b.Version
		})
		if r.NetPayable, err = r.TotalApproved.Sub(fee); err != nil {
			return res, err
		}
		res.Paid += r.Claims
		for _, p := range [][2]*money.Amount{{&res.Total, &r.TotalApproved}, {&res.Fees, &r.Fees}, {&res.Net, &r.NetPayable}} {
			if *p[0], err = p[0].Add(*p[1]); err != nil {
				return res, err
			}
		}
		res.Remittances = append(res.Remittances, *r)
	}
	sort.Slice(res.Remittances, func(i, j int) bool { return res.Remittances[i].NPI < res.Remittances[j].NPI })
	return res, nil
}

// of returns the fee on total for n claims, capped at total.
func (f Fees) of(total money.Amount, n int) (money.Amount, error) {
	fee := money.Zero(total.Currency())
	if !f.Percent.IsZero() {
		p, err := money.Percent(f.Percent)
		if err != nil {
			return fee, err
		}
		if fee, err = total.Mul(p, f.Rounding); err != nil {
			return fee, err
		}
	}
	if f.PerClaim.Valid() {
		per, err := f.PerClaim.MulInt(int64(n))
		if err != nil {
			return fee, err
		}
		if fee, err = fee.Add(per); err != nil {
			return fee, err
		}
	}
	if c, err := fee.Cmp(total); err != nil || c > 0 {
		return total, err
	}
	return fee, nil
}

// RemittanceID is the id of a run's remittance to a provider.
func RemittanceID(runID, npi string) string { return runID + "-" + npi }
