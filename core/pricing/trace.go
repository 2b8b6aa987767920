package pricing

import (
	"slices"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
)

// PricedCharge is a priced charge with the trace that explains it.
type PricedCharge struct {
	Service     string        `json:"service"`
	Quantity    money.Rate    `json:"quantity"`
	UnitPrice   money.Rate    `json:"unit_price"` // after replace_price rules
	Amount      money.Amount  `json:"amount"`
	NotBillable bool          `json:"not_billable,omitempty"`
	Extras      []ExtraCharge `json:"extras,omitempty"` // charges added by rules
	Trace       Trace         `json:"trace"`
}

// ExtraCharge is a charge a rule added.
type ExtraCharge struct {
	Rule     string       `json:"rule"`
	Service  string       `json:"service"`
	Quantity money.Rate   `json:"quantity"`
	Amount   money.Amount `json:"amount"`
	Entry    *EntryRef    `json:"entry,omitempty"` // when priced from the tariff
}

// Trace explains a price: which entry, which precedence step and why, which
// lists were considered, and which rules changed the amount.
type Trace struct {
	Date       day.Day         `json:"service_date"`
	Entry      EntryRef        `json:"entry"`
	Step       int             `json:"step"` // index in the tenant's precedence
	Why        string          `json:"why"`
	Considered []Considered    `json:"considered"`
	Rounding   money.Rounding  `json:"rounding"`
	Base       money.Amount    `json:"base"` // entry unit price × quantity
	Rules      []rules.Applied `json:"rules,omitempty"`
}

// EntryRef identifies the price entry used, down to its source document.
type EntryRef struct {
	List      string         `json:"list"`
	Kind      Kind           `json:"kind"`
	Version   string         `json:"version"`
	Service   string         `json:"service"`
	System    string         `json:"system,omitempty"`
	Payer     string         `json:"payer,omitempty"`
	Plan      string         `json:"plan,omitempty"`
	Org       string         `json:"org,omitempty"`
	UnitPrice money.Rate     `json:"unit_price"`
	Currency  money.Currency `json:"currency"`
	Unit      string         `json:"unit,omitempty"`
	Period    day.Period     `json:"effective"`
	Source    string         `json:"source,omitempty"`
	SourceSHA string         `json:"source_sha256,omitempty"`
}

func refOf(e *Entry) EntryRef {
	return EntryRef{List: e.List, Kind: e.Kind, Version: e.Version, Service: e.Service, System: e.System,
		Payer: e.Payer, Plan: e.Plan, Org: e.Org, UnitPrice: e.UnitPrice, Currency: e.Currency, Unit: e.Unit,
		Period: e.Period(), Source: e.Source, SourceSHA: e.SourceSHA}
}

// Equal reports whether c and d hold the same values, field for field, and
// so marshal to the same bytes. Prices compare by coefficient and scale, as
// their JSON does: 1.5 and 1.50 differ.
func (c *PricedCharge) Equal(d *PricedCharge) bool {
	return c.Service == d.Service && c.Quantity == d.Quantity && c.UnitPrice == d.UnitPrice && c.Amount == d.Amount &&
		c.NotBillable == d.NotBillable && slices.EqualFunc(c.Extras, d.Extras, ExtraCharge.equal) && c.Trace.equal(&d.Trace)
}

func (x ExtraCharge) equal(y ExtraCharge) bool {
	return x.Rule == y.Rule && x.Service == y.Service && x.Quantity == y.Quantity && x.Amount == y.Amount &&
		(x.Entry == nil) == (y.Entry == nil) && (x.Entry == nil || *x.Entry == *y.Entry)
}

// equal compares as Equal does; a nil Considered (null) differs from an
// empty one ([]).
func (t *Trace) equal(u *Trace) bool {
	return t.Date == u.Date && t.Entry == u.Entry && t.Step == u.Step && t.Why == u.Why &&
		(t.Considered == nil) == (u.Considered == nil) && slices.Equal(t.Considered, u.Considered) &&
		t.Rounding == u.Rounding && t.Base == u.Base && slices.Equal(t.Rules, u.Rules)
}

// Total is the amount plus every extra charge.
func (c *PricedCharge) Total() (money.Amount, error) {
	t := c.Amount
	for _, x := range c.Extras {
		var err error
		if t, err = t.Add(x.Amount); err != nil {
			return money.Amount{}, err
		}
	}
	return t, nil
}

// Price prices c and explains it. The same inputs give the same result and
// trace, byte for byte once marshalled.
func (p *Pricer) Price(c ChargeContext) (PricedCharge, error) {
	qt, err := p.Quote(&c, nil)
	if err != nil {
		return PricedCharge{}, err
	}
	q := c.query(day.Of(c.At))
	e := p.tariff.entryOf(&qt.Match)
	out := PricedCharge{
		Service: c.Service, Quantity: c.Quantity, UnitPrice: qt.Result.UnitPrice, Amount: qt.Result.Amount,
		NotBillable: qt.Result.NotBillable,
		Trace: Trace{Date: q.Date, Entry: refOf(&e), Step: qt.Match.Step, Why: qt.Match.Why,
			Considered: p.tariff.Explain(q), Rounding: p.rounding, Base: qt.Base, Rules: qt.Result.Applied},
	}
	for _, a := range qt.Result.Applied {
		if a.Action != rules.AddCharge {
			continue
		}
		x := ExtraCharge{Rule: a.Rule, Service: a.Service, Quantity: a.Quantity, Amount: a.Charge}
		if a.FromTariff {
			xq := q
			xq.Service = a.Service
			r, ok := p.tariff.Resolve(xq)
			if !ok {
				return PricedCharge{}, &NoPriceError{Query: xq, Considered: p.tariff.Explain(xq)}
			}
			if x.Amount, err = r.Entry.UnitPrice.Apply(a.Quantity, r.Entry.Currency, p.rounding); err != nil {
				return PricedCharge{}, err
			}
			ref := refOf(&r.Entry)
			x.Entry = &ref
		}
		out.Extras = append(out.Extras, x)
	}
	return out, nil
}
