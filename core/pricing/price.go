package pricing

import (
	"fmt"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
)

// Pricer prices charges against one tenant's tariff and rule book.
type Pricer struct {
	tariff   *Tariff
	rules    *rules.Set
	rounding money.Rounding
}

// NewPricer combines a tariff, an optional rule book (nil for none) and the
// rounding (from the zone or tariff) that turns unit price × quantity into money.
func NewPricer(t *Tariff, rs *rules.Set, rnd money.Rounding) (*Pricer, error) {
	if t == nil {
		return nil, fmt.Errorf("pricing: a pricer needs a tariff")
	}
	if _, err := rnd.MarshalText(); err != nil {
		return nil, fmt.Errorf("pricing: a pricer needs a named rounding: %w", err)
	}
	return &Pricer{tariff: t, rules: rs, rounding: rnd}, nil
}

// ChargeContext is everything pricing looks at for one charge: the facts the
// rules see (service, time of service, practitioner, patient, encounter,
// payer, plan, organization), the service's code system and the quantity.
type ChargeContext struct {
	rules.Facts
	System   string
	Quantity money.Rate
}

// query is the charge's price query for its local date of service d.
func (c *ChargeContext) query(d day.Day) Query {
	return Query{System: c.System, Service: c.Service, Payer: c.Payer, Plan: c.Plan, Org: c.Org, Date: d}
}

// NoPriceError reports a service with no price in force for the query.
type NoPriceError struct {
	Query      Query
	Considered []Considered
}

func (e *NoPriceError) Error() string {
	return fmt.Sprintf("pricing: no price in force for service %q on %s (payer %q, plan %q, org %q; %d lists considered)",
		e.Query.Service, e.Query.Date, e.Query.Payer, e.Query.Plan, e.Query.Org, len(e.Considered))
}

// Quote is the allocation-free core of Price: the price that matched and
// the rules' result, without the trace.
type Quote struct {
	Match  Match
	Base   money.Amount // unit price × quantity, rounded
	Result rules.Result
}

// Quote resolves the price and applies the rules, appending applied rules to
// buf. It does not allocate when buf has room. The rules are selected and
// their trace entries prepared while the service's tariff record is on its
// way from memory.
func (p *Pricer) Quote(c *ChargeContext, buf []rules.Applied) (out Quote, err error) {
	pr := p.tariff.probe(c.System, c.Service) // first: everything else can run while the slots load
	at := rules.ClockOf(c.At)
	q := c.query(at.Day)
	var sel rules.Selection
	from := len(buf)
	if p.rules != nil {
		p.rules.Select(&sel, &c.Facts, at)
		buf = p.rules.Prepare(&sel, buf)
	}
	if !p.tariff.matchProbed(&q, &pr, &out.Match) {
		return Quote{}, &NoPriceError{Query: q, Considered: p.tariff.Explain(q)}
	}
	e := &out.Match
	if out.Base, err = e.UnitPrice.Apply(c.Quantity, e.Currency, p.rounding); err != nil {
		return Quote{}, fmt.Errorf("pricing: %s × %s: %w", e.UnitPrice, c.Quantity, err)
	}
	if p.rules == nil {
		out.Result = rules.Result{UnitPrice: e.UnitPrice, Amount: out.Base, Applied: buf}
		return out, nil
	}
	if err = p.rules.ApplyPrepared(&out.Result, &sel, &rules.Base{UnitPrice: e.UnitPrice, Quantity: c.Quantity, Amount: out.Base}, buf, from); err != nil {
		return Quote{}, fmt.Errorf("pricing: rules for %s: %w", c.Service, err)
	}
	return out, nil
}
