package money

import (
	"encoding/json"
	"fmt"
)

type amountJSON struct {
	Amount   string   `json:"amount"`
	Currency Currency `json:"currency"`
}

// MarshalJSON renders {"amount":"12.50","currency":"EUR"}: both strings.
func (a Amount) MarshalJSON() ([]byte, error) { return a.AppendJSON(make([]byte, 0, 40)) }

// AppendJSON appends what MarshalJSON returns to b, without reflection:
// the number and the (known, alphabetic) currency code need no escaping.
func (a Amount) AppendJSON(b []byte) ([]byte, error) {
	if !a.Valid() {
		return b, ErrInvalid
	}
	b = append(b, `{"amount":"`...)
	b = a.AppendNumber(b, '.')
	b = append(b, `","currency":"`...)
	b = append(b, a.Currency()...)
	return append(b, `"}`...), nil
}

// UnmarshalJSON reads {"amount":"12.50","currency":"EUR"}.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var v amountJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("money: amount must be {\"amount\":\"12.50\",\"currency\":\"EUR\"}: %w", err)
	}
	x, err := Parse(v.Amount, v.Currency)
	if err != nil {
		return err
	}
	*a = x
	return nil
}
