package pricing

import (
	"fmt"

	"github.com/revhub/revhub/core/money"
)

// ReasonRetroactive is the adjustment reason for a retro-active tariff change.
const ReasonRetroactive = "retroactive_tariff_change"

// Adjustment is the difference a re-pricing makes to an already priced
// charge. The earlier charge stays as it was; Delta is booked on top.
type Adjustment struct {
	Previous money.Amount `json:"previous"` // total of the earlier pricing
	Current  money.Amount `json:"current"`  // total under the new tariff
	Delta    money.Amount `json:"delta"`    // Current − Previous; zero: nothing to book
	Reason   string       `json:"reason"`
	From     EntryRef     `json:"from"` // entry the earlier price used
	Repriced PricedCharge `json:"repriced"`
}

// Reprice prices c again with p (a pricer over the new tariff) and returns
// the delta against prev, which it never changes.
func (p *Pricer) Reprice(prev PricedCharge, c ChargeContext) (Adjustment, error) {
	next, err := p.Price(c)
	if err != nil {
		return Adjustment{}, err
	}
	before, err := prev.Total()
	if err != nil {
		return Adjustment{}, err
	}
	after, err := next.Total()
	if err != nil {
		return Adjustment{}, err
	}
	delta, err := after.Sub(before)
	if err != nil {
		return Adjustment{}, fmt.Errorf("pricing: re-pricing %s: %w", c.Service, err)
	}
	return Adjustment{Previous: before, Current: after, Delta: delta, Reason: ReasonRetroactive, From: prev.Trace.Entry, Repriced: next}, nil
}
