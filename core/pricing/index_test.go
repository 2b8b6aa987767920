package pricing_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
)

// TestResolve_agreesWithExplain checks Resolve's packed index against
// Explain and Entries, which read the tariff's plain tables: random services
// (codes of 1 to 310 bytes, with and without code system), every list kind and
// scope, versions with gaps, and prices whose coefficient exceeds an int64;
// and Quote's compact match against Resolve, through Price's trace.
func TestResolve_agreesWithExplain(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	prices := []string{"0", "15.1200", "0.0000001", "9999999999999999999", "123456789.123"}
	start := day.MustParse("2024-01-01")
	var es []pricing.Entry
	for s := range 300 {
		code := strconv.Itoa(s) + "xxxxx"[:s%6] + "ü"[:s%2*2]
		if s%100 == 99 { // a key longer than a slot
			code += strings.Repeat("-long", 60)
		}
		system := []string{"", "", "http://loinc.org", "urn:x"}[s%4]
		for l := range 1 + rng.IntN(5) {
			kind := pricing.Kind(1 + rng.IntN(5))
			e := pricing.Entry{Service: code, System: system, List: "l" + strconv.Itoa(l), Kind: kind, Currency: money.EUR,
				Unit: []string{"", "min"}[rng.IntN(2)]}
			switch {
			case kind == pricing.Contract || kind == pricing.Corporate:
				e.Payer = "payer" + strconv.Itoa(rng.IntN(3))
				if rng.IntN(2) == 0 {
					e.Plan = "plan" + strconv.Itoa(rng.IntN(2))
				}
			case kind == pricing.Override:
				e.Org = "org" + strconv.Itoa(rng.IntN(3))
			}
			from := start + day.Day(rng.IntN(60))
			for v := range 1 + rng.IntN(12) {
				e.From, e.To = from, from+day.Day(1+rng.IntN(90))
				if rng.IntN(8) == 0 {
					e.To = day.Open
				}
				e.UnitPrice, e.Version = money.MustRate(prices[rng.IntN(len(prices))]), "v"+strconv.Itoa(v)
				es = append(es, e)
				if e.To == day.Open {
					break
				}
				from = e.To + day.Day(rng.IntN(2)*rng.IntN(20)) // sometimes a gap
			}
		}
	}
	tf, err := pricing.Build(pricing.Precedence{pricing.Override, pricing.Contract, pricing.National, pricing.Corporate}, es)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		svc, sys, list, version string
		kind                    pricing.Kind
		payer, plan, org        string
	}
	byKey := map[key]pricing.Entry{}
	for _, e := range tf.Entries() {
		byKey[key{e.Service, e.System, e.List, e.Version, e.Kind, e.Payer, e.Plan, e.Org}] = e
	}
	pr, err := pricing.NewPricer(tf, nil, money.HalfUp)
	if err != nil {
		t.Fatal(err)
	}
	resolved := 0
	for range 20000 {
		e := es[rng.IntN(len(es))]
		q := pricing.Query{Service: e.Service, System: e.System, Payer: "payer" + strconv.Itoa(rng.IntN(4)), Plan: "plan" + strconv.Itoa(rng.IntN(3)),
			Org: "org" + strconv.Itoa(rng.IntN(4)), Date: start + day.Day(rng.IntN(1000)) - 10}
		if rng.IntN(3) == 0 {
			q.Payer, q.Plan = "", ""
		}
		if rng.IntN(10) == 0 {
			q.System = "urn:other"
		}
		var want *pricing.Entry
		for _, c := range tf.Explain(q) {
			if c.Outcome == pricing.OutcomeWon {
				w := byKey[key{q.Service, q.System, c.List, c.Version, c.Kind, c.Payer, c.Plan, c.Org}]
				want = &w
			}
		}
		got, ok := tf.Resolve(q)
		if ok != (want != nil) || ok && got.Entry != *want {
			t.Fatalf("%+v: Resolve %v %+v, Explain says %+v", q, ok, got.Entry, want)
		}
		if ok {
			resolved++
			// Quote's compact match must name the same entry in Price's trace.
			pc, err := pr.Price(pricing.ChargeContext{Facts: rules.Facts{Service: q.Service, At: q.Date.Time(), Payer: q.Payer, Plan: q.Plan, Org: q.Org},
				System: q.System, Quantity: money.MustRate("0.0000000001")}) // small: the largest price fits an amount
			e := got.Entry
			if err != nil || pc.Trace.Entry.List != e.List || pc.Trace.Entry.Version != e.Version || pc.Trace.Entry.UnitPrice != e.UnitPrice ||
				pc.Trace.Entry.Period != e.Period() || pc.Trace.Entry.Payer != e.Payer || pc.Trace.Entry.Org != e.Org || pc.Trace.Step != got.Step {
				t.Fatalf("%+v: Price %v %+v, Resolve %+v", q, err, pc.Trace, got)
			}
		}
	}
	if resolved < 5000 {
		t.Fatalf("only %d of 20000 queries resolved", resolved)
	}
}
