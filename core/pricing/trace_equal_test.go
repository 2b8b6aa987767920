package pricing_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
)

// fullCharge sets every field of a priced charge, each list to one element.
func fullCharge() pricing.PricedCharge {
	ref := pricing.EntryRef{List: "ebm", Kind: pricing.National, Version: "v1", Service: "03000", System: "urn:ebm", Payer: "aok",
		Plan: "p", Org: "berlin", UnitPrice: money.MustRate("15.99"), Currency: money.EUR, Unit: "unit",
		Period: day.Period{From: day.MustParse("2025-01-01"), To: day.Open}, Source: "ebm.csv", SourceSHA: "ab12"}
	extra := ref
	eur := func(minor int64) money.Amount { return money.MustNew(minor, money.EUR) }
	return pricing.PricedCharge{Service: "03000", Quantity: money.Int(2), UnitPrice: money.MustRate("15.99"), Amount: eur(3198),
		NotBillable: true,
		Extras:      []pricing.ExtraCharge{{Rule: "r", Service: "01100", Quantity: money.Int(1), Amount: eur(450), Entry: &extra}},
		Trace: pricing.Trace{Date: day.MustParse("2025-03-04"), Entry: ref, Step: 1, Why: "won", Rounding: money.HalfUp, Base: eur(3198),
			Considered: []pricing.Considered{{List: "ebm", Kind: pricing.National, Payer: "aok", Plan: "p", Org: "berlin", Outcome: "won", Version: "v1"}},
			Rules: []rules.Applied{{Rule: "r", Version: "1", Action: rules.AddCharge, Reason: "why", Before: eur(3198), After: eur(3198),
				Service: "01100", Quantity: money.Int(1), Charge: eur(450), FromTariff: true}}},
	}
}

// clone copies c deeply, so that changing the copy leaves c alone.
func clone(c pricing.PricedCharge) pricing.PricedCharge {
	c.Extras = slices.Clone(c.Extras)
	for i := range c.Extras {
		if e := c.Extras[i].Entry; e != nil {
			x := *e
			c.Extras[i].Entry = &x
		}
	}
	c.Trace.Considered, c.Trace.Rules = slices.Clone(c.Trace.Considered), slices.Clone(c.Trace.Rules)
	return c
}

// TestPricedChargeEqual_seesEveryField changes every field of a priced
// charge, down to those of its trace, entries and list elements, one at a
// time, and checks that Equal tells the copy apart: a field added to these
// types but not compared fails here.
func TestPricedChargeEqual_seesEveryField(t *testing.T) {
	base := fullCharge()
	if c := clone(base); !base.Equal(&c) {
		t.Fatal("a copy is not Equal")
	}
	other := map[reflect.Type]reflect.Value{ // fields whose own fields are not exported
		reflect.TypeFor[money.Rate]():   reflect.ValueOf(money.MustRate("9.99")),
		reflect.TypeFor[money.Amount](): reflect.ValueOf(money.MustNew(999, money.EUR)),
	}
	changed := clone(base)
	n := 0
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch {
		case other[v.Type()].IsValid():
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
			return
		case v.Kind() == reflect.Slice:
			walk(v.Index(0), path+"[0]")
			return
		case v.Kind() == reflect.Pointer:
			walk(v.Elem(), path)
			return
		}
		n++
		old := reflect.New(v.Type()).Elem()
		old.Set(v)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Int, reflect.Int32:
			v.SetInt(v.Int() + 1)
		case reflect.Uint8:
			v.SetUint(v.Uint() + 1)
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Struct:
			v.Set(other[v.Type()])
		default:
			t.Fatalf("%s: no other value for a %s", path, v.Type())
		}
		if base.Equal(&changed) {
			t.Errorf("%s changed, but Equal", path)
		}
		v.Set(old)
	}
	walk(reflect.ValueOf(&changed).Elem(), "PricedCharge")
	t.Logf("%d fields changed one at a time", n)
	c := clone(base)
	c.Trace.Considered = []pricing.Considered{}
	e := clone(base)
	e.Trace.Considered = nil
	if c.Equal(&e) {
		t.Error("an empty Considered (marshalled []) is Equal to a nil one (null)")
	}
}
