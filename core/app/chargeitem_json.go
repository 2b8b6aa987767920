package app

import (
	"encoding/json"
	"strconv"
)

// appendJSON appends the item as json.Marshal writes it, byte for byte,
// without reflection or re-validating each field's output: capture encodes
// one item per event.
func (it *ChargeItem) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = appendKey(b, `{"id":`, it.ID)
	b = appendKey(b, `,"key":`, it.Key)
	b = appendKey(b, `,"source":`, it.Source)
	b = strconv.AppendInt(append(b, `,"version":`...), it.Version, 10)
	b = strconv.AppendInt(append(b, `,"revision":`...), int64(it.Revision), 10)
	b = strconv.AppendBool(append(b, `,"active":`...), it.Active)
	b = appendKey(b, `,"service":`, it.Service)
	b = it.Quantity.AppendJSON(append(b, `,"quantity":`...))
	b = it.UnitPrice.AppendJSON(append(b, `,"unit_price":`...))
	if it.Amount != nil {
		if b, err = it.Amount.AppendJSON(append(b, `,"amount":`...)); err != nil {
			return nil, err
		}
	}
	if it.Charge != nil {
		if b, err = it.Charge.AppendJSON(append(b, `,"charge":`...)); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"when":"`...)
	if b, err = it.When.AppendText(b); err != nil {
		return nil, err
	}
	b = appendKey(append(b, '"'), `,"subject":`, it.Subject)
	if it.Encounter != "" {
		b = appendKey(b, `,"encounter":`, it.Encounter)
	}
	b = appendKey(b, `,"org":`, it.Org)
	b = appendKey(b, `,"artifact":`, it.Artifact)
	if len(it.Trace) > 0 {
		tr, err := json.Marshal(it.Trace) // validated and compacted, as json.Marshal does it
		if err != nil {
			return nil, err
		}
		b = append(append(b, `,"trace":`...), tr...)
	}
	return append(b, '}'), nil
}

// appendKey appends key (with its punctuation) and s as a JSON string.
func appendKey(b []byte, key, s string) []byte {
	b = append(b, key...)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // escapes as json.Marshal does; a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSON appends the adjustment as json.Marshal writes it.
func (a *Adjustment) appendJSON(b []byte) ([]byte, error) {
	b = appendKey(b, `{"id":`, a.ID)
	b = appendKey(b, `,"charge_item":`, a.ChargeItem)
	b = appendKey(b, `,"kind":`, a.Kind)
	b = strconv.AppendInt(append(b, `,"revision":`...), int64(a.Revision), 10)
	b, err := a.Amount.AppendJSON(append(b, `,"amount":`...))
	if err != nil {
		return nil, err
	}
	b = strconv.AppendInt(append(b, `,"source_version":`...), a.Version, 10)
	b = appendKey(b, `,"artifact":`, a.Artifact)
	b = appendKey(b, `,"reason":`, a.Reason)
	return append(b, '}'), nil
}

// marshal returns the journal as json.Marshal writes it; a capture batch's
// journal carries one line per charge.
func (j *Journal) marshal() ([]byte, error) {
	b := appendKey(make([]byte, 0, 64+256*len(j.Lines)), `{"id":`, j.ID)
	b = strconv.AppendInt(append(b, `,"number":`...), j.Number, 10)
	b = appendKey(b, `,"org":`, j.Org)
	if j.Lines == nil {
		return append(b, `,"lines":null}`...), nil
	}
	b = append(b, `,"lines":[`...)
	for i := range j.Lines {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = j.Lines[i].appendJSON(b); err != nil {
			return nil, err
		}
	}
	return append(b, "]}"...), nil
}
