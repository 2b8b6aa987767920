package app

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	dayPkg "github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
	"pgregory.net/rapid"
)

// appendJSON writes exactly what json.Marshal writes, escapes included, for
// compact traces; like it, it fails for a time outside years 0-9999 or with
// a zone offset of a day or more.
func TestProperty_chargeItemAppendJSONMatchesMarshal(t *testing.T) {
	str := rapid.OneOf(rapid.String(), rapid.StringMatching(`[A-Za-z0-9/#:._-]{0,30}`), rapid.SampledFrom([]string{"", "a<b>&\"c\\", "\u2028\x00\xff", "Procedure/p-1"}))
	amount := func(t *rapid.T, label string) *money.Amount {
		if rapid.Bool().Draw(t, label+"?") {
			return nil
		}
		a := money.MustNew(rapid.Int64().Draw(t, label), rapid.SampledFrom([]money.Currency{money.EUR, money.JPY, money.BHD}).Draw(t, label+".cur"))
		return &a
	}
	rapid.Check(t, func(t *rapid.T) {
		q, _ := money.RateOf(rapid.Int64Range(-1e12, 1e12).Draw(t, "q"), rapid.IntRange(0, 6).Draw(t, "qs"))
		it := ChargeItem{ID: str.Draw(t, "id"), Key: str.Draw(t, "key"), Source: str.Draw(t, "source"),
			Version: rapid.Int64().Draw(t, "version"), Revision: rapid.Int().Draw(t, "revision"), Active: rapid.Bool().Draw(t, "active"),
			Service: str.Draw(t, "service"), Quantity: q, UnitPrice: money.MustRate("15.99"), Amount: amount(t, "amount"), Charge: amount(t, "charge"),
			When:    time.Unix(rapid.Int64Range(-1e11, 3e11).Draw(t, "when"), rapid.Int64Range(0, 1e9-1).Draw(t, "ns")).In(time.FixedZone("x", rapid.IntRange(-90000, 90000).Draw(t, "zone"))),
			Subject: str.Draw(t, "subject"), Encounter: str.Draw(t, "encounter"), Org: str.Draw(t, "org"), Artifact: str.Draw(t, "artifact"),
			TraceRef: rapid.SampledFrom([]string{"", "tr-00ff"}).Draw(t, "trace_ref"),
			Trace:    json.RawMessage(rapid.SampledFrom([]string{"", `{"entry":"a\u003cb","steps":[1,2]}`, `null`}).Draw(t, "trace"))}
		want, wantErr := json.Marshal(it)
		got, gotErr := it.appendJSON([]byte(prefix))
		if !sameAppend(got, gotErr, want, wantErr) {
			t.Fatalf("appendJSON: %s (%v)\njson.Marshal: %s (%v)", got, gotErr, want, wantErr)
		}
	})
}

// Journals and their adjustments too.
func TestProperty_journalMarshalMatchesMarshal(t *testing.T) {
	str := rapid.OneOf(rapid.String(), rapid.StringMatching(`[A-Za-z0-9/#:._ -]{0,30}`))
	rapid.Check(t, func(t *rapid.T) {
		j := Journal{ID: str.Draw(t, "id"), Number: rapid.Int64().Draw(t, "number"), Org: str.Draw(t, "org")}
		if n := rapid.IntRange(-1, 4).Draw(t, "lines"); n >= 0 {
			j.Lines = make([]Adjustment, n)
		}
		for i := range j.Lines {
			j.Lines[i] = Adjustment{ID: str.Draw(t, "aid"), ChargeItem: str.Draw(t, "ci"), Kind: str.Draw(t, "kind"),
				Revision: rapid.Int().Draw(t, "rev"), Version: rapid.Int64().Draw(t, "version"), Artifact: str.Draw(t, "art"), Reason: str.Draw(t, "reason")}
			if rapid.IntRange(0, 9).Draw(t, "valid") > 0 {
				j.Lines[i].Amount = money.MustNew(rapid.Int64().Draw(t, "minor"), money.EUR)
			}
		}
		want, wantErr := json.Marshal(j)
		got, gotErr := j.appendJSON([]byte(prefix))
		if !sameAppend(got, gotErr, want, wantErr) {
			t.Fatalf("marshal: %s (%v)\njson.Marshal: %s (%v)", got, gotErr, want, wantErr)
		}
	})
}

// Pricing traces too: capture stores appendJSON's bytes where json.Marshal's
// were stored before.
func TestProperty_traceAppendJSONMatchesMarshal(t *testing.T) {
	str := rapid.OneOf(rapid.String(), rapid.StringMatching(`[A-Za-z0-9/#:._ -]{0,30}`), rapid.SampledFrom([]string{"", "a<b>&\"c\\", "\u2028\x00\xff"}))
	rate := func(t *rapid.T, label string) money.Rate {
		r, _ := money.RateOf(rapid.Int64Range(-1e12, 1e12).Draw(t, label), rapid.IntRange(0, 6).Draw(t, label+".scale"))
		return r
	}
	amount := func(t *rapid.T, label string) money.Amount {
		return money.MustNew(rapid.Int64().Draw(t, label), rapid.SampledFrom([]money.Currency{money.EUR, money.JPY}).Draw(t, label+".cur"))
	}
	day := func(t *rapid.T, label string) dayPkg.Day {
		return dayPkg.Day(rapid.Int32Range(-1, 60000).Draw(t, label))
	}
	ref := func(t *rapid.T) pricing.EntryRef {
		return pricing.EntryRef{List: str.Draw(t, "list"), Kind: pricing.Kind(rapid.IntRange(0, 6).Draw(t, "kind")), Version: str.Draw(t, "v"),
			Service: str.Draw(t, "svc"), System: str.Draw(t, "sys"), Payer: str.Draw(t, "payer"), Org: str.Draw(t, "org"),
			UnitPrice: rate(t, "up"), Currency: money.EUR, Unit: str.Draw(t, "unit"),
			Period: dayPkg.Period{From: day(t, "from"), To: day(t, "to")}, Source: str.Draw(t, "src"), SourceSHA: str.Draw(t, "sha")}
	}
	rapid.Check(t, func(t *rapid.T) {
		pc := pricing.PricedCharge{Service: str.Draw(t, "service"), Quantity: rate(t, "q"), UnitPrice: rate(t, "unit"), Amount: amount(t, "amount"),
			NotBillable: rapid.Bool().Draw(t, "nb"),
			Trace: pricing.Trace{Date: day(t, "date"), Entry: ref(t), Step: rapid.IntRange(0, 5).Draw(t, "step"), Why: str.Draw(t, "why"),
				Rounding: money.Rounding(rapid.IntRange(0, 7).Draw(t, "rounding")), Base: amount(t, "base")}}
		for range rapid.IntRange(0, 3).Draw(t, "considered") {
			pc.Trace.Considered = append(pc.Trace.Considered, pricing.Considered{List: str.Draw(t, "cl"), Kind: pricing.Kind(rapid.IntRange(1, 5).Draw(t, "ck")), Plan: str.Draw(t, "cpl"), Version: str.Draw(t, "cv"), Outcome: str.Draw(t, "out"), Payer: str.Draw(t, "cp")})
		}
		for range rapid.IntRange(0, 3).Draw(t, "rules") {
			pc.Trace.Rules = append(pc.Trace.Rules, rules.Applied{Rule: str.Draw(t, "rule"), Version: str.Draw(t, "rv"), Action: rules.ActionKind(rapid.IntRange(0, 6).Draw(t, "action")),
				Service: str.Draw(t, "rs"), FromTariff: rapid.Bool().Draw(t, "ft"), Charge: amount(t, "charge"), Reason: str.Draw(t, "reason"), Before: amount(t, "before"), After: amount(t, "after"), Quantity: rate(t, "rq")})
		}
		if rapid.Bool().Draw(t, "extra") {
			r := ref(t)
			pc.Extras = []pricing.ExtraCharge{{Rule: str.Draw(t, "xr"), Service: str.Draw(t, "xs"), Quantity: rate(t, "xq"), Amount: amount(t, "xa"), Entry: &r}}
		}
		want, wantErr := json.Marshal(pc)
		got, gotErr := pc.AppendJSON([]byte(prefix))
		if !sameAppend(got, gotErr, want, wantErr) {
			t.Fatalf("appendJSON: %s (%v)\njson.Marshal: %s (%v)", got, gotErr, want, wantErr)
		}
	})
}

// prefix is what the buffer holds before an encoder appends to it.
const prefix = `{"earlier":1},`

// sameAppend reports whether an encoder given prefix did what json.Marshal
// did: appended the same bytes, or failed where it failed, appending nothing.
func sameAppend(got []byte, gotErr error, want []byte, wantErr error) bool {
	if wantErr != nil || gotErr != nil {
		return wantErr != nil && gotErr != nil && string(got) == prefix
	}
	return string(got) == prefix+string(want)
}
