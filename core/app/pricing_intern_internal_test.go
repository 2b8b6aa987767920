package app

import (
	"encoding/json"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
)

// TestTraceIntern_sharesEqualChargesAndEncodesTheRest: an Equal charge gets
// the bytes already encoded; a charge that differs only where traceKey does
// not look gets its own; each trace is what json.Marshal writes; and a
// caller changing its charge afterwards does not change what was kept.
func TestTraceIntern_sharesEqualChargesAndEncodesTheRest(t *testing.T) {
	eur := func(minor int64) money.Amount { return money.MustNew(minor, money.EUR) }
	charge := func(outcome string) *pricing.PricedCharge {
		return &pricing.PricedCharge{Service: "03000", Quantity: money.Int(1), UnitPrice: money.MustRate("15.99"), Amount: eur(1599),
			Trace: pricing.Trace{Date: day.MustParse("2026-03-03"), Entry: pricing.EntryRef{List: "ebm", Kind: pricing.National, Version: "v1", Service: "03000", Currency: money.EUR},
				Why: "national", Rounding: money.HalfUp, Base: eur(1599), Considered: []pricing.Considered{{List: "ebm", Kind: pricing.National, Outcome: outcome}}}}
	}
	var in traceIntern
	check := func(pc *pricing.PricedCharge) json.RawMessage {
		t.Helper()
		got, err := in.of(pc)
		want, _ := json.Marshal(pc)
		if err != nil || string(got) != string(want) {
			t.Fatalf("trace %s (%v), want %s", got, err, want)
		}
		return got
	}
	won := check(charge(pricing.OutcomeWon))
	if again := check(charge(pricing.OutcomeWon)); &again[0] != &won[0] {
		t.Fatal("an Equal charge was encoded again instead of sharing the kept bytes")
	}
	if other := check(charge("not_in_force")); &other[0] == &won[0] {
		t.Fatal("a charge differing in its considered lists got another's trace")
	}
	pc := charge(pricing.OutcomeWon)
	check(pc)
	pc.Trace.Considered[0].Outcome = "not_in_force" // in place: what the intern kept must not follow
	check(charge("not_in_force"))
}
