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
// appending each applied rule to dst. With a dst of enough capacity it does
// not allocate.
func (s *Set) Apply(f *Facts, base Base, dst []Applied) (Result, error) {
	res := Result{UnitPrice: base.UnitPrice, Amount: base.Amount, Applied: dst}
	d := day.Of(f.At)
	h, m, _ := f.At.Clock()
	env := env{f: f, d: d, minute: h*60 + m, wd: f.At.Weekday()}
	_, env.holiday = s.holidays[d]
	var used [maxGroups / 64]uint64
	spec := s.byService[f.Service]
	gi, si := 0, 0
	for gi < len(s.general) || si < len(spec) { // merge two ascending index lists
		var i int32
		if si >= len(spec) || (gi < len(s.general) && s.general[gi] < spec[si]) {
			i, gi = s.general[gi], gi+1
		} else {
			i, si = spec[si], si+1
		}
		c := &s.rules[i]
		if !c.period.Contains(d) || (c.group >= 0 && used[c.group>>6]&(1<<(c.group&63)) != 0) || !c.match(&env) {
			continue
		}
		if c.group >= 0 {
			used[c.group>>6] |= 1 << (c.group & 63)
		}
		a, err := c.apply(&res, base.Quantity)
		if err != nil {
			return Result{}, err
		}
		res.Applied = append(res.Applied, a)
		if res.NotBillable {
			break
		}
	}
	return res, nil
}

type env struct {
	f       *Facts
	d       day.Day
	minute  int
	wd      time.Weekday
	holiday bool
}

func (c *compiled) match(e *env) bool {
	w, f := &c.when, e.f
	if len(w.Services) > 0 && !has(w.Services, f.Service) ||
		len(w.ServiceGroups) > 0 && !any2(w.ServiceGroups, f.ServiceGroups) ||
		len(w.Payers) > 0 && !has(w.Payers, f.Payer) ||
		len(w.Plans) > 0 && !has(w.Plans, f.Plan) ||
		len(w.Orgs) > 0 && !has(w.Orgs, f.Org) ||
		len(w.EncounterClasses) > 0 && !has(w.EncounterClasses, f.EncounterClass) ||
		len(w.Practitioners) > 0 && !has(w.Practitioners, f.Practitioner) ||
		len(w.Roles) > 0 && !any2(w.Roles, f.Roles) ||
		len(w.Sexes) > 0 && !has(w.Sexes, f.Sex) ||
		len(w.PatientFlags) > 0 && !any2(w.PatientFlags, f.PatientFlags) {
		return false
	}
	if (w.MinAge != nil || w.MaxAge != nil) && (!f.AgeKnown || f.Age < c.minAge || f.Age > c.maxAge) {
		return false
	}
	if (c.days != 0 || c.holiday) && c.days&(1<<e.wd) == 0 && !(c.holiday && e.holiday) {
		return false
	}
	if len(c.minutes) > 0 {
		in := false
		for _, r := range c.minutes {
			if r[0] < r[1] && e.minute >= r[0] && e.minute < r[1] || r[0] > r[1] && (e.minute >= r[0] || e.minute < r[1]) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func any2(list, vs []string) bool {
	for _, v := range vs {
		if has(list, v) {
			return true
		}
	}
	return false
}

func (c *compiled) apply(res *Result, qty money.Rate) (Applied, error) {
	a := Applied{Rule: c.id, Version: c.version, Action: c.kind, Reason: c.reason, Before: res.Amount}
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
			return a, err
		}
		if c.kind == Discount {
			if n, _ := delta.Cmp(res.Amount); n > 0 {
				delta = res.Amount // never below zero
			}
			delta = delta.Neg()
		}
		if res.Amount, err = res.Amount.Add(delta); err != nil {
			return a, err
		}
	case ReplacePrice:
		res.UnitPrice = c.unitPrice
		if res.Amount, err = c.unitPrice.Apply(qty, cur, c.rounding); err != nil {
			return a, err
		}
	case NotBillable:
		res.Amount, res.NotBillable = money.Zero(cur), true
	case AddCharge:
		a.Service, a.Quantity, a.FromTariff = c.service, c.quantity, c.fixed == nil
		if c.fixed != nil {
			if a.Charge, err = c.fixed.Apply(c.quantity, cur, c.rounding); err != nil {
				return a, err
			}
		}
	}
	a.After = res.Amount
	return a, nil
}
