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
func (a Amount) MarshalJSON() ([]byte, error) {
	if !a.Valid() {
		return nil, ErrInvalid
	}
	return json.Marshal(amountJSON{Amount: a.Number(), Currency: a.Currency()})
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
