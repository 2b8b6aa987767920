package app

import (
	"github.com/revhub/revhub/core/jsonenc"
	"github.com/revhub/revhub/core/money"
)

// appendJSON appends it as json.Marshal writes it, byte for byte, without
// reflection: capture encodes a charge item per event. The trace goes in as
// it is, so it matches json.Marshal when it is compact as PricedCharge's
// AppendJSON writes it; the store refuses a body that is not JSON.
func (it *ChargeItem) appendJSON(b []byte) (out []byte, err error) {
	defer jsonenc.Trim(&out, b, &err)
	b = jsonenc.String(jsonenc.Key(append(b, '{'), "id"), it.ID)
	b = jsonenc.String(jsonenc.Key(b, "key"), it.Key)
	b = jsonenc.String(jsonenc.Key(b, "source"), it.Source)
	b = jsonenc.Int(jsonenc.Key(b, "version"), it.Version)
	b = jsonenc.Int(jsonenc.Key(b, "revision"), int64(it.Revision))
	b = jsonenc.Bool(jsonenc.Key(b, "active"), it.Active)
	b = jsonenc.String(jsonenc.Key(b, "service"), it.Service)
	b = it.Quantity.AppendJSON(jsonenc.Key(b, "quantity"))
	b = it.UnitPrice.AppendJSON(jsonenc.Key(b, "unit_price"))
	for _, a := range [...]struct {
		key string
		v   *money.Amount
	}{{"amount", it.Amount}, {"charge", it.Charge}} {
		if a.v != nil {
			if b, err = a.v.AppendJSON(jsonenc.Key(b, a.key)); err != nil {
				return b, err
			}
		}
	}
	if b, err = it.When.AppendText(append(jsonenc.Key(b, "when"), '"')); err != nil {
		return b, err
	}
	b = jsonenc.String(jsonenc.Key(append(b, '"'), "subject"), it.Subject)
	if it.Encounter != "" {
		b = jsonenc.String(jsonenc.Key(b, "encounter"), it.Encounter)
	}
	b = jsonenc.String(jsonenc.Key(b, "org"), it.Org)
	b = jsonenc.String(jsonenc.Key(b, "artifact"), it.Artifact)
	if it.TraceRef != "" {
		b = jsonenc.String(jsonenc.Key(b, "trace_ref"), it.TraceRef)
	}
	if len(it.Trace) > 0 {
		b = append(jsonenc.Key(b, "trace"), it.Trace...)
	}
	return append(b, '}'), nil
}

// appendJSON appends j as json.Marshal writes it, byte for byte: capture
// encodes a journal per batch, a line per event.
func (j *Journal) appendJSON(b []byte) (out []byte, err error) {
	defer jsonenc.Trim(&out, b, &err)
	b = jsonenc.String(jsonenc.Key(append(b, '{'), "id"), j.ID)
	b = jsonenc.Int(jsonenc.Key(b, "number"), j.Number)
	b = jsonenc.String(jsonenc.Key(b, "org"), j.Org)
	b = jsonenc.Key(b, "lines")
	if j.Lines == nil {
		return append(b, "null}"...), nil
	}
	if b, err = jsonenc.Array(b, j.Lines, (*Adjustment).appendJSON); err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

func (a *Adjustment) appendJSON(b []byte) ([]byte, error) {
	b = jsonenc.String(jsonenc.Key(append(b, '{'), "id"), a.ID)
	b = jsonenc.String(jsonenc.Key(b, "charge_item"), a.ChargeItem)
	b = jsonenc.String(jsonenc.Key(b, "kind"), a.Kind)
	b = jsonenc.Int(jsonenc.Key(b, "revision"), int64(a.Revision))
	b, err := a.Amount.AppendJSON(jsonenc.Key(b, "amount"))
	if err != nil {
		return b, err
	}
	b = jsonenc.Int(jsonenc.Key(b, "source_version"), a.Version)
	b = jsonenc.String(jsonenc.Key(b, "artifact"), a.Artifact)
	return append(jsonenc.String(jsonenc.Key(b, "reason"), a.Reason), '}'), nil
}
