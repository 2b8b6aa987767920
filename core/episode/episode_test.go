package episode_test

import (
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/core/episode"
	"github.com/revhub/revhub/core/money"
	"pgregory.net/rapid"
)

func eur(c int64) money.Amount { return money.MustNew(c, money.EUR) }

var day = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

func charge(id, group string, cents int64) episode.Charge {
	return episode.Charge{ID: id, Service: "S-" + id, Group: group, Date: day, Amount: eur(cents)}
}

func TestSplit(t *testing.T) {
	primary := episode.Plan{ID: "gold", Payer: "payer-a", Deductible: eur(5000), Rules: []episode.Rule{
		{Groups: []string{"cosmetic"}, NotCovered: true},
		{Groups: []string{"lab"}, Copay: eur(500)},
		{Coinsurance: money.MustRate("20"), Deductible: true},
	}}
	secondary := episode.Plan{ID: "supp", Payer: "payer-b", Rules: []episode.Rule{{Coinsurance: money.MustRate("10")}}}
	type want struct {
		party string
		cents int64
		why   episode.Reason
	}
	for _, tc := range []struct {
		name   string
		plans  []episode.Plan
		charge episode.Charge
		met    int64
		want   []want
	}{
		{"copay", []episode.Plan{primary}, charge("c1", "lab", 3000),
			0, []want{{"payer-a", 2500, episode.Covered}, {"patient", 500, episode.Copay}}},
		{"deductible then coinsurance", []episode.Plan{primary}, charge("c2", "visit", 10000),
			0, []want{{"payer-a", 4000, episode.Covered}, {"patient", 5000, episode.Deductible}, {"patient", 1000, episode.Coinsurance}}},
		{"deductible partly met", []episode.Plan{primary}, charge("c3", "visit", 10000),
			4000, []want{{"payer-a", 7200, episode.Covered}, {"patient", 1000, episode.Deductible}, {"patient", 1800, episode.Coinsurance}}},
		{"coinsurance rounds half up", []episode.Plan{primary}, charge("c4", "visit", 333),
			5000, []want{{"payer-a", 266, episode.Covered}, {"patient", 67, episode.Coinsurance}}},
		{"not covered", []episode.Plan{primary}, charge("c5", "cosmetic", 12000),
			0, []want{{"patient", 12000, episode.NotCovered}}},
		{"no coverage", nil, charge("c6", "visit", 999),
			0, []want{{"patient", 999, episode.NoCoverage}}},
		{"secondary covers the patient's share", []episode.Plan{primary, secondary}, charge("c7", "lab", 3000),
			0, []want{{"payer-a", 2500, episode.Covered}, {"payer-b", 450, episode.Covered}, {"patient", 50, episode.Coinsurance}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acc := episode.Accumulators{}
			if tc.met > 0 {
				acc[episode.AccKey{Plan: "gold", Patient: "p1", Year: 2026}] = eur(tc.met)
			}
			lines, err := episode.Split([]episode.Charge{tc.charge}, tc.plans, "p1", acc, money.HalfUp)
			if err != nil {
				t.Fatal(err)
			}
			got := lines[0].Shares
			if len(got) != len(tc.want) {
				t.Fatalf("shares %v, want %v", got, tc.want)
			}
			for i, w := range tc.want {
				if got[i].Party != w.party || got[i].Amount.Minor() != w.cents || got[i].Reason != w.why {
					t.Fatalf("share %d = %v, want %v (all %v)", i, got[i], w, got)
				}
			}
		})
	}
}

func TestSplit_deductibleAccumulatesAcrossChargesInDateOrder(t *testing.T) {
	plan := episode.Plan{ID: "p", Payer: "x", Deductible: eur(5000), Rules: []episode.Rule{{Deductible: true}}}
	later := charge("b", "visit", 4000)
	later.Date = day.Add(time.Hour)
	acc := episode.Accumulators{}
	lines, err := episode.Split([]episode.Charge{later, charge("a", "visit", 4000)}, []episode.Plan{plan}, "p1", acc, money.HalfUp)
	if err != nil {
		t.Fatal(err)
	}
	if lines[0].Charge.ID != "a" || lines[0].Shares[0].Reason != episode.Deductible || lines[0].Shares[0].Amount.Minor() != 4000 {
		t.Fatalf("first: %v", lines[0].Shares)
	}
	if lines[1].Shares[0].Amount.Minor() != 3000 || lines[1].Shares[1].Amount.Minor() != 1000 {
		t.Fatalf("second: %v", lines[1].Shares)
	}
	if met := acc[episode.AccKey{Plan: "p", Patient: "p1", Year: 2026}]; met.Minor() != 5000 {
		t.Fatalf("accumulator %v", met)
	}
}

func TestProperty_sharesAlwaysSumToTheCharge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mk := func(name string) episode.Plan {
			return episode.Plan{ID: name, Payer: name, Deductible: eur(rapid.Int64Range(0, 100000).Draw(t, "ded")), Rules: []episode.Rule{{
				Groups:      rapid.SliceOfN(rapid.SampledFrom([]string{"lab", "visit"}), 0, 2).Draw(t, "groups"),
				NotCovered:  rapid.Bool().Draw(t, "nc"),
				Copay:       eur(rapid.Int64Range(0, 5000).Draw(t, "copay")),
				Coinsurance: money.Int(rapid.Int64Range(0, 100).Draw(t, "co")),
				Deductible:  rapid.Bool().Draw(t, "d"),
			}}}
		}
		plans := []episode.Plan{mk("a"), mk("b")}[:rapid.IntRange(0, 2).Draw(t, "n")]
		var charges []episode.Charge
		for i := range rapid.IntRange(1, 8).Draw(t, "charges") {
			charges = append(charges, charge(string(rune('a'+i)), rapid.SampledFrom([]string{"lab", "visit"}).Draw(t, "g"), rapid.Int64Range(0, 1e7).Draw(t, "amt")))
		}
		lines, err := episode.Split(charges, plans, "pt", episode.Accumulators{}, money.HalfEven)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := episode.NewVersion("e1", 1, lines, "test"); err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			for _, s := range l.Shares {
				if s.Amount.Sign() < 0 {
					t.Fatalf("negative share %v", s)
				}
			}
		}
	})
}

func TestVersion_diffAndApproval(t *testing.T) {
	plan := episode.Plan{ID: "p", Payer: "x", Rules: []episode.Rule{{Coinsurance: money.MustRate("10")}}}
	a := []episode.Charge{charge("c1", "visit", 1000), charge("c2", "lab", 2000)}
	l1, _ := episode.Split(a, []episode.Plan{plan}, "pt", episode.Accumulators{}, money.HalfUp)
	v1, err := episode.NewVersion("e1", 1, l1, "initial")
	if err != nil {
		t.Fatal(err)
	}
	b := []episode.Charge{charge("c1", "visit", 1500), charge("c3", "lab", 100)}
	b[1].Flag = "duplicate suspected"
	l2, _ := episode.Split(b, []episode.Plan{plan}, "pt", episode.Accumulators{}, money.HalfUp)
	v2, _ := episode.NewVersion("e1", 2, l2, "c1 re-priced")
	d := episode.Diff(v1, v2)
	want := []string{
		"~ c1 S-c1: 10.00 EUR [x 9.00 EUR (covered); patient 1.00 EUR (coinsurance)] -> 15.00 EUR [x 13.50 EUR (covered); patient 1.50 EUR (coinsurance)]",
		"+ c3 S-c3 1.00 EUR: x 0.90 EUR (covered); patient 0.10 EUR (coinsurance)",
		"- c2 S-c2 20.00 EUR",
	}
	if len(d) != len(want) {
		t.Fatalf("diff %q", d)
	}
	for i := range want {
		if d[i] != want[i] {
			t.Fatalf("diff[%d] = %q, want %q", i, d[i], want[i])
		}
	}
	if err := v2.CanApprove(); !errors.Is(err, episode.ErrUnresolvedFlags) {
		t.Fatalf("flagged version approved: %v", err)
	}
	if err := v1.CanApprove(); err != nil {
		t.Fatal(err)
	}
}

func TestAutoAssign(t *testing.T) {
	rules := []episode.AssignRule{{Name: "tk", Payers: []string{"tk"}, Biller: "anna"}, {Name: "rest", Biller: "ben"}}
	a := episode.AutoAssign(episode.Assignment{Episode: "e1", Payers: []string{"aok", "tk"}}, rules)
	if a.Biller != "anna" || a.ByRule != "tk" {
		t.Fatalf("%+v", a)
	}
	hand := episode.AutoAssign(episode.Assignment{Episode: "e2", Biller: "carl"}, rules)
	if hand.Biller != "carl" {
		t.Fatal("hand assignment overridden")
	}
}
