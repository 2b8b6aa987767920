package pricing

import (
	"encoding"

	"github.com/revhub/revhub/core/jsonenc"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
)

// AppendJSON appends c as json.Marshal writes it, byte for byte, without
// reflection: capture stores one priced charge per charge item.
func (c *PricedCharge) AppendJSON(b []byte) (out []byte, err error) {
	defer jsonenc.Trim(&out, b, &err)
	b = jsonenc.String(jsonenc.Key(append(b, '{'), "service"), c.Service)
	b = c.Quantity.AppendJSON(jsonenc.Key(b, "quantity"))
	b = c.UnitPrice.AppendJSON(jsonenc.Key(b, "unit_price"))
	if b, err = c.Amount.AppendJSON(jsonenc.Key(b, "amount")); err != nil {
		return b, err
	}
	if c.NotBillable {
		b = jsonenc.Bool(jsonenc.Key(b, "not_billable"), true)
	}
	if len(c.Extras) > 0 {
		if b, err = jsonenc.Array(jsonenc.Key(b, "extras"), c.Extras, (*ExtraCharge).appendJSON); err != nil {
			return b, err
		}
	}
	if b, err = c.Trace.appendJSON(jsonenc.Key(b, "trace")); err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

func (x *ExtraCharge) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = jsonenc.String(jsonenc.Key(append(b, '{'), "rule"), x.Rule)
	b = jsonenc.String(jsonenc.Key(b, "service"), x.Service)
	b = x.Quantity.AppendJSON(jsonenc.Key(b, "quantity"))
	if b, err = x.Amount.AppendJSON(jsonenc.Key(b, "amount")); err != nil {
		return b, err
	}
	if x.Entry != nil {
		if b, err = x.Entry.appendJSON(jsonenc.Key(b, "entry")); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func (t *Trace) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = appendDay(jsonenc.Key(append(b, '{'), "service_date"), t.Date)
	if b, err = t.Entry.appendJSON(jsonenc.Key(b, "entry")); err != nil {
		return b, err
	}
	b = jsonenc.Int(jsonenc.Key(b, "step"), int64(t.Step))
	b = jsonenc.String(jsonenc.Key(b, "why"), t.Why)
	b = jsonenc.Key(b, "considered")
	if t.Considered == nil {
		b = append(b, "null"...)
	} else if b, err = jsonenc.Array(b, t.Considered, (*Considered).appendJSON); err != nil {
		return b, err
	}
	if b, err = appendText(jsonenc.Key(b, "rounding"), t.Rounding); err != nil {
		return b, err
	}
	if b, err = t.Base.AppendJSON(jsonenc.Key(b, "base")); err != nil {
		return b, err
	}
	if len(t.Rules) > 0 {
		if b, err = jsonenc.Array(jsonenc.Key(b, "rules"), t.Rules, appendApplied); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func (e *EntryRef) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = jsonenc.String(jsonenc.Key(append(b, '{'), "list"), e.List)
	if b, err = appendText(jsonenc.Key(b, "kind"), e.Kind); err != nil {
		return b, err
	}
	b = jsonenc.String(jsonenc.Key(b, "version"), e.Version)
	b = jsonenc.String(jsonenc.Key(b, "service"), e.Service)
	b = optString(b, "system", e.System)
	b = optString(b, "payer", e.Payer)
	b = optString(b, "plan", e.Plan)
	b = optString(b, "org", e.Org)
	b = e.UnitPrice.AppendJSON(jsonenc.Key(b, "unit_price"))
	b = jsonenc.String(jsonenc.Key(b, "currency"), string(e.Currency))
	b = optString(b, "unit", e.Unit)
	b = appendDay(jsonenc.Key(append(jsonenc.Key(b, "effective"), '{'), "from"), e.Period.From)
	b = append(appendDay(jsonenc.Key(b, "to"), e.Period.To), '}')
	b = optString(b, "source", e.Source)
	b = optString(b, "source_sha256", e.SourceSHA)
	return append(b, '}'), nil
}

func (c *Considered) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = jsonenc.String(jsonenc.Key(append(b, '{'), "list"), c.List)
	if b, err = appendText(jsonenc.Key(b, "kind"), c.Kind); err != nil {
		return b, err
	}
	b = optString(b, "payer", c.Payer)
	b = optString(b, "plan", c.Plan)
	b = optString(b, "org", c.Org)
	b = jsonenc.String(jsonenc.Key(b, "outcome"), c.Outcome)
	b = optString(b, "version", c.Version)
	return append(b, '}'), nil
}

func appendApplied(a *rules.Applied, b []byte) ([]byte, error) {
	var err error
	b = jsonenc.String(jsonenc.Key(append(b, '{'), "rule"), a.Rule)
	b = jsonenc.String(jsonenc.Key(b, "version"), a.Version)
	if b, err = appendText(jsonenc.Key(b, "action"), a.Action); err != nil {
		return b, err
	}
	b = optString(b, "reason", a.Reason)
	if b, err = a.Before.AppendJSON(jsonenc.Key(b, "before")); err != nil {
		return b, err
	}
	if b, err = a.After.AppendJSON(jsonenc.Key(b, "after")); err != nil {
		return b, err
	}
	b = optString(b, "service", a.Service)
	if !a.Quantity.IsZero() {
		b = a.Quantity.AppendJSON(jsonenc.Key(b, "quantity"))
	}
	if !a.Charge.IsZero() {
		if b, err = a.Charge.AppendJSON(jsonenc.Key(b, "charge")); err != nil {
			return b, err
		}
	}
	if a.FromTariff {
		b = jsonenc.Bool(jsonenc.Key(b, "from_tariff"), true)
	}
	return append(b, '}'), nil
}

// optString appends key and s unless s is empty (omitempty).
func optString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return jsonenc.String(jsonenc.Key(b, key), s)
}

// appendText appends the text of a date or a name (kind, rounding, action)
// as a JSON string: none of them needs escaping.
func appendText(b []byte, v encoding.TextAppender) ([]byte, error) {
	b, err := v.AppendText(append(b, '"'))
	if err != nil {
		return b, err
	}
	return append(b, '"'), nil
}

// appendDay appends d as a JSON string (a day's AppendText never fails).
func appendDay(b []byte, d day.Day) []byte {
	b, _ = appendText(b, d)
	return b
}
