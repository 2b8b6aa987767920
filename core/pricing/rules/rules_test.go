package rules_test

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
	"github.com/revhub/revhub/core/validate"
)

var cet = time.FixedZone("CET", 3600)

// holidays: 2025-05-01 (Labour Day, a Thursday).
var holidays = []day.Day{day.MustParse("2025-05-01")}

func load(t testing.TB) *rules.Set {
	t.Helper()
	b, err := os.ReadFile("testdata/examples.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg rules.Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	s, err := rules.Compile(cfg, holidays)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func at(s string) time.Time {
	v, err := time.ParseInLocation("2006-01-02 15:04", s, cet)
	if err != nil {
		panic(err)
	}
	return v
}

func TestApply_examples(t *testing.T) {
	s := load(t)
	consult := []string{"consultation"}
	for _, tc := range []struct {
		name      string
		facts     rules.Facts
		base      string // unit price; quantity 1, EUR, half_up
		qty       int64
		want      string
		applied   []string // rule@version
		extra     string   // add_charge amount
		notBillab bool
	}{
		{name: "weekday daytime: no rule", facts: rules.Facts{Service: "03000", ServiceGroups: consult, At: at("2025-03-04 10:00")}, base: "14.87", qty: 1, want: "14.87"},
		{name: "after hours 25 %", facts: rules.Facts{Service: "03000", ServiceGroups: consult, At: at("2025-03-04 21:15")}, base: "14.87", qty: 1, want: "18.59", applied: []string{"after-hours@2025-1"}},
		{name: "early morning wraps midnight", facts: rules.Facts{Service: "03000", ServiceGroups: consult, At: at("2025-03-04 07:59")}, base: "14.87", qty: 1, want: "18.59", applied: []string{"after-hours@2025-1"}},
		{name: "08:00 is daytime", facts: rules.Facts{Service: "03000", ServiceGroups: consult, At: at("2025-03-04 08:00")}, base: "14.87", qty: 1, want: "14.87"},
		{name: "after hours from July: new version 30 %", facts: rules.Facts{Service: "03000", ServiceGroups: consult, At: at("2025-07-01 22:00")}, base: "14.87", qty: 2, want: "38.66", applied: []string{"after-hours@2025-2"}},
		{name: "saturday night: weekend wins the exclusive group", facts: rules.Facts{Service: "03000", ServiceGroups: consult, At: at("2025-03-01 23:00")}, base: "14.87", qty: 1, want: "22.31", applied: []string{"weekend-holiday@2025-1"}},
		{name: "public holiday on a thursday", facts: rules.Facts{Service: "03000", ServiceGroups: consult, At: at("2025-05-01 11:00")}, base: "10.00", qty: 1, want: "15.00", applied: []string{"weekend-holiday@2025-1"}},
		{name: "weekend emergency adds a fee", facts: rules.Facts{Service: "01210", EncounterClass: "EMER", At: at("2025-03-02 03:00")}, base: "20.00", qty: 1, want: "20.00", applied: []string{"weekend-emergency-fee@2025-1"}, extra: "30.00"},
		{name: "weekday emergency: no fee", facts: rules.Facts{Service: "01210", EncounterClass: "EMER", At: at("2025-03-03 03:00")}, base: "20.00", qty: 1, want: "20.00"},
		{name: "disability discount half_even on a tie", facts: rules.Facts{Service: "03000", Payer: "self", PatientFlags: []string{"disability"}, At: at("2025-03-04 10:00")}, base: "14.85", qty: 1, want: "13.37", applied: []string{"disability-discount@2025-1"}},
		{name: "discount needs the payer too", facts: rules.Facts{Service: "03000", Payer: "aok", PatientFlags: []string{"disability"}, At: at("2025-03-04 10:00")}, base: "14.85", qty: 1, want: "14.85"},
		{name: "surcharge then discount stack by priority", facts: rules.Facts{Service: "03000", ServiceGroups: consult, Payer: "self", PatientFlags: []string{"disability"}, At: at("2025-03-04 21:00")}, base: "14.87", qty: 1, want: "16.73", applied: []string{"after-hours@2025-1", "disability-discount@2025-1"}},
		{name: "child fixed discount", facts: rules.Facts{Service: "03000", Age: 5, AgeKnown: true, At: at("2025-03-04 10:00")}, base: "14.87", qty: 1, want: "9.87", applied: []string{"child-fixed-discount@2025-1"}},
		{name: "child discount never below zero", facts: rules.Facts{Service: "03000", Age: 2, AgeKnown: true, At: at("2025-03-04 10:00")}, base: "3.10", qty: 1, want: "0.00", applied: []string{"child-fixed-discount@2025-1"}},
		{name: "age 6 is no child", facts: rules.Facts{Service: "03000", Age: 6, AgeKnown: true, At: at("2025-03-04 10:00")}, base: "14.87", qty: 1, want: "14.87"},
		{name: "unknown age never matches", facts: rules.Facts{Service: "03000", At: at("2025-03-04 10:00")}, base: "14.87", qty: 1, want: "14.87"},
		{name: "replace price then after-hours surcharge", facts: rules.Facts{Service: "03000", ServiceGroups: consult, Payer: "aok", Plan: "basic", At: at("2025-03-04 20:00")}, base: "14.87", qty: 3, want: "37.04", applied: []string{"basic-plan-price@2025-1", "after-hours@2025-1"}},
		{name: "not billable stops everything", facts: rules.Facts{Service: "03000", ServiceGroups: consult, Payer: "internal", At: at("2025-03-01 23:00")}, base: "14.87", qty: 1, want: "0.00", applied: []string{"internal-not-billable@2025-1"}, notBillab: true},
		{name: "before the rules are in force", facts: rules.Facts{Service: "03000", ServiceGroups: consult, At: at("2024-12-31 23:00")}, base: "14.87", qty: 1, want: "14.87"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unit := money.MustRate(tc.base)
			qty := money.Int(tc.qty)
			amt, err := unit.Apply(qty, money.EUR, money.HalfUp)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Apply(&tc.facts, rules.Base{UnitPrice: unit, Quantity: qty, Amount: amt}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Amount.Number() != tc.want || res.NotBillable != tc.notBillab {
				t.Fatalf("amount %s (not billable %v), want %s", res.Amount, res.NotBillable, tc.want)
			}
			if len(res.Applied) != len(tc.applied) {
				t.Fatalf("applied %+v, want %v", res.Applied, tc.applied)
			}
			for i, a := range res.Applied {
				if a.Rule+"@"+a.Version != tc.applied[i] {
					t.Errorf("applied[%d] = %s@%s, want %s", i, a.Rule, a.Version, tc.applied[i])
				}
				if i > 0 && a.Before != res.Applied[i-1].After {
					t.Errorf("applied[%d] before %s != previous after %s", i, a.Before, res.Applied[i-1].After)
				}
				if a.Action == rules.AddCharge && a.Charge.Number() != tc.extra {
					t.Errorf("extra charge %s, want %s", a.Charge, tc.extra)
				}
			}
		})
	}
}

func TestCompile_rejects(t *testing.T) {
	pct := money.MustRate("10")
	neg := money.MustRate("-1")
	ok := rules.Rule{ID: "r", Version: "1", ValidFrom: day.MustParse("2025-01-01"), Then: rules.Action{Kind: rules.Surcharge, Percent: &pct}}
	mod := func(f func(*rules.Rule)) rules.Config {
		r := ok
		f(&r)
		return rules.Config{Rounding: money.HalfUp, Rules: []rules.Rule{r}}
	}
	for _, tc := range []struct {
		name       string
		cfg        rules.Config
		path, code string
	}{
		{"missing id", mod(func(r *rules.Rule) { r.ID = "" }), "rules[0].id", "required"},
		{"bad hour", mod(func(r *rules.Rule) { r.When.Hours = []rules.HourRange{{From: "25:00", To: "08:00"}} }), "rules[0].when.hours[0]", "invalid"},
		{"bad day", mod(func(r *rules.Rule) { r.When.Days = []string{"funday"} }), "rules[0].when.days[0]", "invalid"},
		{"percent and amount", mod(func(r *rules.Rule) { r.Then.Amount = &pct }), "rules[0].then", "invalid"},
		{"negative percent", mod(func(r *rules.Rule) { r.Then.Percent = &neg }), "rules[0].then.percent", "invalid"},
		{"unknown action", mod(func(r *rules.Rule) { r.Then.Kind = 0 }), "rules[0].then.kind", "invalid"},
		{"add charge without service", mod(func(r *rules.Rule) { r.Then = rules.Action{Kind: rules.AddCharge, Quantity: &pct} }), "rules[0].then.service", "required"},
		{"no rounding anywhere", rules.Config{Rules: []rules.Rule{ok}}, "rules[0].then.rounding", "required"},
		{"overlapping versions", rules.Config{Rounding: money.HalfUp, Rules: []rules.Rule{ok, func() rules.Rule { r := ok; r.Version = "2"; return r }()}}, "rules", "overlap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.Compile(tc.cfg, nil)
			var fe *validate.FieldError
			if !errors.As(err, &fe) || fe.Path != tc.path || fe.Code != tc.code {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestApply_doesNotAllocate(t *testing.T) {
	s := load(t)
	f := rules.Facts{Service: "03000", ServiceGroups: []string{"consultation"}, Payer: "self", PatientFlags: []string{"disability"}, At: at("2025-03-04 21:00")}
	base := rules.Base{UnitPrice: money.MustRate("14.87"), Quantity: money.Int(1), Amount: money.MustNew(1487, money.EUR)}
	buf := make([]rules.Applied, 0, 8)
	if n := testing.AllocsPerRun(100, func() { _, _ = s.Apply(&f, base, buf[:0]) }); n != 0 {
		t.Fatalf("%v allocs", n)
	}
}

// TestApply_appendsAfterWhatDstHolds: entries already in dst stay, first,
// untouched; the applied rules follow with their amounts.
func TestApply_appendsAfterWhatDstHolds(t *testing.T) {
	s := load(t)
	f := rules.Facts{Service: "03000", ServiceGroups: []string{"consultation"}, Payer: "self", PatientFlags: []string{"disability"}, At: at("2025-03-04 21:00")}
	base := rules.Base{UnitPrice: money.MustRate("14.87"), Quantity: money.Int(1), Amount: money.MustNew(1487, money.EUR)}
	alone, err := s.Apply(&f, base, nil)
	if err != nil || len(alone.Applied) == 0 {
		t.Fatalf("no rule applied alone: %v %+v", err, alone)
	}
	earlier := rules.Applied{Rule: "earlier", Before: money.MustNew(1, money.EUR), After: money.MustNew(2, money.EUR)}
	res, err := s.Apply(&f, base, append(make([]rules.Applied, 0, 8), earlier))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 1+len(alone.Applied) || res.Applied[0] != earlier {
		t.Fatalf("got %+v, want %+v then %+v", res.Applied, earlier, alone.Applied)
	}
	for i, a := range alone.Applied {
		if res.Applied[1+i] != a {
			t.Fatalf("entry %d: got %+v, want %+v", 1+i, res.Applied[1+i], a)
		}
	}
	if res.Amount != alone.Amount {
		t.Fatalf("amount %v, want %v", res.Amount, alone.Amount)
	}
}

func TestAge(t *testing.T) {
	if got := rules.Age(day.MustParse("2019-03-05"), day.MustParse("2025-03-04")); got != 5 {
		t.Fatal(got)
	}
	if got := rules.Age(day.MustParse("2019-03-05"), day.MustParse("2025-03-05")); got != 6 {
		t.Fatal(got)
	}
}
