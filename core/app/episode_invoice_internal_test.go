package app

import (
	"testing"

	"github.com/revhub/revhub/core/episode"
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

// TestPartyLines_mixedCurrencyIsAnError: a party's shares that cannot be
// added fail the invoice instead of billing only part of them.
func TestPartyLines_mixedCurrencyIsAnError(t *testing.T) {
	v := episode.Version{Lines: []episode.Line{{Charge: episode.Charge{ID: "c1", Service: "S"}, Shares: []episode.Share{
		{Party: "aok", Amount: money.MustNew(100, money.EUR)}, {Party: "aok", Amount: money.MustNew(50, money.USD)},
		{Party: episode.Patient, Amount: money.MustNew(20, money.EUR)}}}}}
	for _, party := range []string{"aok", episode.Patient} {
		if lines, _, err := partyLines(v, party, invoicing.Tax{}); err == nil {
			t.Errorf("%s: %d lines, no error; want the currency mismatch", party, len(lines))
		}
	}
	v.Lines[0].Shares[1].Amount = money.MustNew(50, money.EUR)
	lines, shares, err := partyLines(v, episode.Patient, invoicing.Tax{})
	if err != nil || len(lines) != 1 || lines[0].Price != money.MustNew(20, money.EUR) || len(shares) != 1 || shares[0].Covered != money.MustNew(150, money.EUR) {
		t.Fatalf("patient: %+v %+v %v; want one line of 0.20 with 1.50 covered", lines, shares, err)
	}
}
