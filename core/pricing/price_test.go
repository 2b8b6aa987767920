package pricing_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
	"github.com/revhub/revhub/testharness/golden"
)

var cet = time.FixedZone("CET", 3600)

func ruleBook(t testing.TB) *rules.Set {
	pct := money.MustRate("25")
	fee := money.MustRate("30.00")
	one := money.Int(1)
	s, err := rules.Compile(rules.Config{Rounding: money.HalfUp, Rules: []rules.Rule{
		{ID: "after-hours", Version: "1", ValidFrom: day.MustParse("2025-01-01"), Priority: 50,
			When: rules.Conditions{Hours: []rules.HourRange{{From: "20:00", To: "08:00"}}},
			Then: rules.Action{Kind: rules.Surcharge, Percent: &pct, Reason: "after_hours"}},
		{ID: "weekend-emergency-fee", Version: "1", ValidFrom: day.MustParse("2025-01-01"), Priority: 40,
			When: rules.Conditions{EncounterClasses: []string{"EMER"}, Days: []string{"saturday", "sunday", "holiday"}},
			Then: rules.Action{Kind: rules.AddCharge, Service: "EMER-WE", Quantity: &one, Amount: &fee}},
		{ID: "triage", Version: "1", ValidFrom: day.MustParse("2025-01-01"), Priority: 30,
			When: rules.Conditions{EncounterClasses: []string{"EMER"}},
			Then: rules.Action{Kind: rules.AddCharge, Service: "01210", Quantity: &one}},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func pricer(t testing.TB, entries []pricing.Entry) *pricing.Pricer {
	t.Helper()
	tf, err := pricing.Build(pricing.StandardPrecedence, entries)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pricing.NewPricer(tf, ruleBook(t), money.HalfUp)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func withTriage() []pricing.Entry {
	e := fixture()
	tri := entry("ebm", pricing.National, "", "", "", "7.4375", "2025-01-01", "", "2025Q1")
	tri.Service = "01210"
	return append(e, tri)
}

func charge(at string, qty int64, payer, class string) pricing.ChargeContext {
	when, err := time.ParseInLocation("2006-01-02 15:04", at, cet)
	if err != nil {
		panic(err)
	}
	return pricing.ChargeContext{Facts: rules.Facts{Service: "03000", At: when, Payer: payer, EncounterClass: class}, Quantity: money.Int(qty)}
}

func TestPrice(t *testing.T) {
	p := pricer(t, withTriage())
	for _, tc := range []struct {
		name                string
		c                   pricing.ChargeContext
		amount, unit, total string
		list                string
	}{
		{"national, daytime", charge("2025-02-10 10:00", 2, "", ""), "29.74", "14.8721", "29.74", "ebm"},
		{"national after mid-quarter change, after hours", charge("2025-02-20 21:00", 1, "", ""), "18.90", "15.1200", "18.90", "ebm"},
		{"contract, weekend emergency with tariff-priced triage", charge("2025-03-02 03:00", 1, "aok", "EMER"), "20.00", "16.00", "57.44", "aok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pc, err := p.Price(tc.c)
			if err != nil {
				t.Fatal(err)
			}
			total, _ := pc.Total()
			if pc.Amount.Number() != tc.amount || pc.UnitPrice.String() != tc.unit || total.Number() != tc.total || pc.Trace.Entry.List != tc.list {
				t.Fatalf("got %s unit %s total %s list %s", pc.Amount, pc.UnitPrice, total, pc.Trace.Entry.List)
			}
		})
	}
}

func TestPrice_traceIsDeterministic(t *testing.T) {
	p := pricer(t, withTriage())
	c := charge("2025-03-02 21:30", 1, "aok", "EMER")
	a, err := p.Price(c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Price(c)
	ja, _ := json.MarshalIndent(a, "", "  ")
	jb, _ := json.MarshalIndent(b, "", "  ")
	if string(ja) != string(jb) {
		t.Fatal("same inputs, different trace")
	}
	golden.Assert(t, "trace.golden.json", append(ja, '\n'))
	// AppendJSON, which capture stores, writes the same trace compactly.
	fast, err := a.AppendJSON(nil)
	var indented bytes.Buffer
	if err != nil || json.Indent(&indented, fast, "", "  ") != nil || indented.String() != string(ja) {
		t.Fatalf("AppendJSON (%v):\n%s", err, fast)
	}
}

func TestPrice_noPrice(t *testing.T) {
	p := pricer(t, fixture())
	_, err := p.Price(charge("2024-06-01 10:00", 1, "", ""))
	var np *pricing.NoPriceError
	if !errors.As(err, &np) || np.Query.Service != "03000" || len(np.Considered) == 0 {
		t.Fatalf("got %v", err)
	}
}

func TestReprice_retroactiveChange(t *testing.T) {
	old := pricer(t, fixture())
	c := charge("2025-03-10 10:00", 3, "", "")
	prev, err := old.Price(c)
	if err != nil || prev.Amount.Number() != "45.36" { // 3 × 15.12
		t.Fatalf("%v %s", err, prev.Amount)
	}
	// The national list is re-issued: from 2025-02-15 the price is 15.5033, applied retro-actively.
	fixed := fixture()
	fixed[1].UnitPrice, fixed[1].Version, fixed[1].Source = money.MustRate("15.5033"), "2025Q1b", "ebm-2025Q1b.csv"
	adj, err := pricer(t, fixed).Reprice(prev, c)
	if err != nil {
		t.Fatal(err)
	}
	if adj.Delta.Number() != "1.15" || adj.Previous.Number() != "45.36" || adj.Current.Number() != "46.51" ||
		adj.From.Version != "2025Q1a" || adj.Repriced.Trace.Entry.Version != "2025Q1b" || adj.Reason != pricing.ReasonRetroactive {
		t.Fatalf("got %+v", adj)
	}
	if prev.Amount.Number() != "45.36" || prev.Trace.Entry.Version != "2025Q1a" {
		t.Fatal("earlier charge was rewritten")
	}
	same, _ := old.Reprice(prev, c)
	if !same.Delta.IsZero() {
		t.Fatalf("unchanged tariff gave delta %s", same.Delta)
	}
}

func TestQuote_doesNotAllocate(t *testing.T) {
	p := pricer(t, withTriage())
	c := charge("2025-03-02 21:30", 1, "aok", "EMER")
	buf := make([]rules.Applied, 0, 8)
	if n := testing.AllocsPerRun(100, func() { _, _ = p.Quote(&c, buf[:0]) }); n != 0 {
		t.Fatalf("%v allocs", n)
	}
}
