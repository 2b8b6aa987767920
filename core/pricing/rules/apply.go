package rules

import (
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// Facts describe one charge for the conditions. At is the local time of
// service in the zone's location; its date picks the rule versions in force.
type Facts struct {
	Service        string
	ServiceGroups  []string
	At             time.Time
	Practitioner   string
	Roles          []string // roles of the attending practitioner
	Age            int      // patient age in years on the date of service
	AgeKnown       bool
	Sex            string
	PatientFlags   []string
	EncounterClass string
	Payer, Plan    string
	Org            string
}

// Age returns the age in whole years on date on of someone born on birth.
func Age(birth, on day.Day) int {
	by, bm, bd := birth.Time().Date()
	oy, om, od := on.Time().Date()
	a := oy - by
	if om < bm || (om == bm && od < bd) {
		a--
	}
	return a
}

// Base is the tariff price the rules start from.
type Base struct {
	UnitPrice money.Rate
	Quantity  money.Rate
	Amount    money.Amount // UnitPrice × Quantity, rounded by the caller's named rounding
}

// Applied is one rule that changed the charge, with the amount before and after.
type Applied struct {
	Rule    string       `json:"rule"`
	Version string       `json:"version"`
	Action  ActionKind   `json:"action"`
	Reason  string       `json:"reason,omitempty"`
	Before  money.Amount `json:"before"`
	After   money.Amount `json:"after"`
	// For add_charge: the extra charge, at Charge or, when FromTariff, at
	// the price the caller resolves for Service.
	Service    string       `json:"service,omitempty"`
	Quantity   money.Rate   `json:"quantity,omitzero"`
	Charge     money.Amount `json:"charge,omitzero"`
	FromTariff bool         `json:"from_tariff,omitempty"`
}

// Result is the charge after the rules.
type Result struct {
	UnitPrice   money.Rate
	Amount      money.Amount
	NotBillable bool
	Applied     []Applied // appended to the caller's slice
}

// Apply runs the rules in force on f.At over base, in priority order,
// appending each applied rule to dst: Select, Prepare then ApplyPrepared.
// With a dst of enough capacity it does not allocate.
func (s *Set) Apply(f *Facts, base Base, dst []Applied) (Result, error) {
	var sel Selection
	s.Select(&sel, f, ClockOf(f.At))
	var res Result
	if err := s.ApplyPrepared(&res, &sel, &base, s.Prepare(&sel, dst), len(dst)); err != nil {
		return Result{}, err
	}
	return res, nil
}

// prepare sets a to what applying c records whatever the price.
func (c *compiled) prepare(a *Applied) {
	*a = Applied{Rule: c.id, Version: c.version, Action: c.kind, Reason: c.reason}
	if c.kind == AddCharge {
		a.Service, a.Quantity, a.FromTariff = c.service, c.quantity, c.fixed == nil
	}
}

// apply changes res and sets the amounts of a, which prepare filled.
func (c *compiled) apply(res *Result, qty money.Rate, a *Applied) error {
	a.Before = res.Amount
	cur := res.Amount.Currency()
	var delta money.Amount
	var err error
	switch c.kind {
	case Surcharge, Discount:
		if c.fixed != nil {
			delta, err = c.fixed.Amount(cur, c.rounding)
		} else {
			delta, err = res.Amount.Mul(c.factor, c.rounding)
		}
		if err != nil {
			return err
		}
		if c.kind == Discount {
			if delta.Minor() > res.Amount.Minor() { // both in cur
				delta = res.Amount // never below zero
			}
			delta = delta.Neg()
		}
		if res.Amount, err = res.Amount.Add(delta); err != nil {
			return err
		}
	case ReplacePrice:
		res.UnitPrice = c.unitPrice
		if res.Amount, err = c.unitPrice.Apply(qty, cur, c.rounding); err != nil {
			return err
		}
	case NotBillable:
		res.Amount, res.NotBillable = money.Zero(cur), true
	case AddCharge:
		if c.fixed != nil {
			if a.Charge, err = c.fixed.Apply(c.quantity, cur, c.rounding); err != nil {
				return err
			}
		}
	}
	a.After = res.Amount
	return nil
}
