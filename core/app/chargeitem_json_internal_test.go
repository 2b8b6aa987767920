package app

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"pgregory.net/rapid"
)

// appendJSON writes exactly what json.Marshal writes, escapes included, for
// times of four-digit years (all FHIR can carry).
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
			When:    time.Unix(rapid.Int64Range(-1e10, 2.5e11).Draw(t, "when"), rapid.Int64Range(0, 1e9-1).Draw(t, "ns")).In(time.FixedZone("x", rapid.IntRange(-50000, 50000).Draw(t, "zone"))),
			Subject: str.Draw(t, "subject"), Encounter: str.Draw(t, "encounter"), Org: str.Draw(t, "org"), Artifact: str.Draw(t, "artifact"),
			Trace: json.RawMessage(rapid.SampledFrom([]string{"", `{"entry": "a<b", "steps": [1, 2]}`, `null`}).Draw(t, "trace"))}
		want, wantErr := json.Marshal(it)
		got, gotErr := appendJSON(nil, &it)
		if (wantErr != nil) != (gotErr != nil) || string(got) != string(want) {
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
		got, gotErr := appendJSON(nil, &j)
		if (wantErr != nil) != (gotErr != nil) || string(got) != string(want) {
			t.Fatalf("marshal: %s (%v)\njson.Marshal: %s (%v)", got, gotErr, want, wantErr)
		}
	})
}
