package settlement

import (
	"fmt"
	"sort"
	"time"

	"github.com/revhub/revhub/core/money"
)

// PromptPay holds prompt-pay deadlines: days from the clean-claim date per
// line of business, and how many days ahead a claim counts as near it.
type PromptPay struct {
	Days     map[string]int // per LOB; a LOB without an entry has no deadline
	WarnDays int            // flag a claim this many days before its deadline (or later)
}

// Deadline returns the prompt-pay deadline of a claim, if its LOB has one.
func (p PromptPay) Deadline(lob string, received time.Time) (time.Time, bool) {
	d, ok := p.Days[lob]
	if !ok || received.IsZero() {
		return time.Time{}, false
	}
	return received.AddDate(0, 0, d), true
}

// Near reports whether a claim is at or within WarnDays of its deadline at asOf.
func (p PromptPay) Near(lob string, received, asOf time.Time) bool {
	dl, ok := p.Deadline(lob, received)
	return ok && !asOf.Before(dl.AddDate(0, 0, -p.WarnDays))
}

// Method is how a payment reaches the provider.
type Method string

// The payment methods of fee-for-service runs.
const (
	EFT   Method = "EFT"
	Check Method = "CHK"
)

// Recoupment is money a provider owes the payer (an overpayment), taken from
// later payments until Remaining is zero.
type Recoupment struct {
	ID        string
	TIN       TIN
	Remaining money.Amount // positive
	Reason    string
}

// AppliedRecoupment is the part of a recoupment one payment took.
type AppliedRecoupment struct {
	ID     string
	Amount money.Amount
}

// FFSInput is everything a fee-for-service payment run decides on.
type FFSInput struct {
	RunID       string
	AsOf        time.Time
	Currency    money.Currency
	Claims      []RunItem                      // the claims the run reserved
	Held        func(npi string, tin TIN) bool // payment holds; nil = none
	EFT         func(payeeRef string) bool     // an EFT account is on file; otherwise a check is cut
	Recoupments []Recoupment                   // open balances, oldest first
	PromptPay   PromptPay
}

// FFSPayment is one payment to one rendering-provider TIN.
type FFSPayment struct {
	TIN      TIN
	PayeeRef string
	Method   Method
	Gross    money.Amount // Σ approved
	Offset   money.Amount // Σ recoupments taken
	Net      money.Amount // gross − offset; never negative
	Claims   []string
	Applied  []AppliedRecoupment
	Urgent   bool      // carries a claim near its prompt-pay deadline or flagged by an earlier run
	Deadline time.Time // earliest prompt-pay deadline of its claims; zero if none
}

// FFSResult is the plan of a fee-for-service run.
type FFSResult struct {
	Payments    []FFSPayment   // urgent first, then by earliest deadline, then TIN
	Exceptions  []RunException // held, already paid, missing amount: not paid
	Recoupments []Recoupment   // every recoupment with what remains after this run
	Carry       []RunException // exceptions near their deadline: first in the next run
	Flagged     int            // paid claims near their deadline
	Gross       money.Amount
	Offset      money.Amount
	Net         money.Amount
}

// PlanFFS groups the reserved claims by rendering-provider TIN, applies
// holds, takes open recoupments from the gross without ever making a payment
// negative (the remainder carries to the next run), chooses EFT or check and
// orders urgent payments first.
func PlanFFS(in FFSInput) (FFSResult, error) {
	cur := in.Currency
	res := FFSResult{Gross: money.Zero(cur), Offset: money.Zero(cur), Net: money.Zero(cur)}
	byTIN := map[TIN]*FFSPayment{}
	for _, it := range in.Claims {
		kind := ExceptionKind("")
		switch {
		case it.PaidBefore:
			kind = AlreadyPaid
		case !it.Approved.Valid() || it.Approved.Currency() != cur || it.Approved.Sign() < 0:
			kind = MissingApproved
		case in.Held != nil && in.Held(it.NPI, it.TIN):
			kind = OnHold
		}
		near := it.Priority || in.PromptPay.Near(it.LOB, it.Received, in.AsOf)
		if kind != "" {
			ex := RunException{ClaimID: it.ClaimID, Version: it.Version, NPI: it.NPI, Kind: kind}
			res.Exceptions = append(res.Exceptions, ex)
			if near && kind.Retry() {
				res.Carry = append(res.Carry, ex)
			}
			continue
		}
		p := byTIN[it.TIN]
		if p == nil {
			p = &FFSPayment{TIN: it.TIN, PayeeRef: it.PayeeRef, Gross: money.Zero(cur), Method: Check}
			if in.EFT != nil && it.PayeeRef != "" && in.EFT(it.PayeeRef) {
				p.Method = EFT
			}
			byTIN[it.TIN] = p
		}
		var err error
		if p.Gross, err = p.Gross.Add(it.Approved); err != nil {
			return res, fmt.Errorf("claim %s: %w", it.ClaimID, err)
		}
		p.Claims = append(p.Claims, it.ClaimID)
		if near {
			p.Urgent = true
			res.Flagged++
		}
		if dl, ok := in.PromptPay.Deadline(it.LOB, it.Received); ok && (p.Deadline.IsZero() || dl.Before(p.Deadline)) {
			p.Deadline = dl
		}
	}
	recs := make([]Recoupment, len(in.Recoupments))
	copy(recs, in.Recoupments)
	for _, p := range byTIN {
		if err := p.offset(recs); err != nil {
			return res, err
		}
		res.Payments = append(res.Payments, *p)
	}
	sort.Slice(res.Payments, func(i, j int) bool { return paysFirst(&res.Payments[i], &res.Payments[j]) })
	for _, p := range res.Payments {
		var err error
		if res.Gross, err = res.Gross.Add(p.Gross); err == nil {
			if res.Offset, err = res.Offset.Add(p.Offset); err == nil {
				res.Net, err = res.Net.Add(p.Net)
			}
		}
		if err != nil {
			return res, err
		}
	}
	res.Recoupments = recs
	return res, nil
}

// offset takes the TIN's recoupments, oldest first, up to the gross.
func (p *FFSPayment) offset(recs []Recoupment) error {
	p.Offset, p.Net = money.Zero(p.Gross.Currency()), p.Gross
	for i := range recs {
		r := &recs[i]
		if r.TIN != p.TIN || !r.Remaining.Valid() || r.Remaining.Sign() <= 0 || p.Net.IsZero() {
			continue
		}
		take := r.Remaining
		if c, err := take.Cmp(p.Net); err != nil {
			return fmt.Errorf("recoupment %s: %w", r.ID, err)
		} else if c > 0 {
			take = p.Net
		}
		var err error
		if r.Remaining, err = r.Remaining.Sub(take); err != nil {
			return err
		}
		if p.Net, err = p.Net.Sub(take); err != nil {
			return err
		}
		if p.Offset, err = p.Offset.Add(take); err != nil {
			return err
		}
		p.Applied = append(p.Applied, AppliedRecoupment{ID: r.ID, Amount: take})
	}
	return nil
}

func paysFirst(a, b *FFSPayment) bool {
	if a.Urgent != b.Urgent {
		return a.Urgent
	}
	if !a.Deadline.Equal(b.Deadline) {
		switch {
		case a.Deadline.IsZero():
			return false
		case b.Deadline.IsZero():
			return true
		}
		return a.Deadline.Before(b.Deadline)
	}
	return a.TIN < b.TIN
}
