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
