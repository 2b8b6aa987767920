package money_test

import (
	"encoding/json"
	"testing"

	"github.com/revhub/revhub/core/money"
	"pgregory.net/rapid"
)

// The appending encoders write what encoding/json wrote before them.
func TestProperty_appendJSONMatchesEncodingJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := rapid.SampledFrom([]money.Currency{money.EUR, money.USD, money.JPY, money.BHD}).Draw(t, "cur")
		a := money.MustNew(rapid.Int64().Draw(t, "minor"), cur)
		want, _ := json.Marshal(struct {
			Amount   string `json:"amount"`
			Currency string `json:"currency"`
		}{a.Number(), string(cur)})
		if got, err := json.Marshal(a); err != nil || string(got) != string(want) {
			t.Fatalf("amount: got %s %v, want %s", got, err, want)
		}
		r, err := money.RateOf(rapid.Int64Range(-1e17, 1e17).Draw(t, "coef"), rapid.IntRange(0, 8).Draw(t, "scale"))
		if err != nil {
			t.Skip(err)
		}
		want, _ = json.Marshal(r.String())
		if got, err := json.Marshal(r); err != nil || string(got) != string(want) {
			t.Fatalf("rate: got %s %v, want %s", got, err, want)
		}
	})
	if _, err := (money.Amount{}).MarshalJSON(); err == nil {
		t.Fatal("the zero Amount (no currency) marshalled")
	}
}
