package pricing_test

import (
	"errors"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/validate"
)

const sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func entry(list string, kind pricing.Kind, payer, plan, org, price, from, to, version string) pricing.Entry {
	e := pricing.Entry{Service: "03000", List: list, Kind: kind, Payer: payer, Plan: plan, Org: org,
		Currency: money.EUR, UnitPrice: money.MustRate(price), Unit: "service",
		From: day.MustParse(from), To: day.Open, Version: version, Source: list + "-" + version + ".csv", SourceSHA: sha}
	if to != "" {
		e.To = day.MustParse(to)
	}
	return e
}

// fixture: a national EBM price that changes mid-quarter, an AOK contract
// with a plan-specific price, a corporate contract, a cash price and an org override.
func fixture() []pricing.Entry {
	return []pricing.Entry{
		entry("ebm", pricing.National, "", "", "", "14.8721", "2025-01-01", "2025-02-15", "2025Q1"),
		entry("ebm", pricing.National, "", "", "", "15.1200", "2025-02-15", "2025-07-01", "2025Q1a"),
		entry("ebm", pricing.National, "", "", "", "15.5000", "2025-08-01", "", "2025Q3"), // gap in July
		entry("aok", pricing.Contract, "aok", "", "", "16.00", "2025-01-01", "", "v1"),
		entry("aok-plus", pricing.Contract, "aok", "plus", "", "18.00", "2025-01-01", "", "v1"),
		entry("acme-staff", pricing.Corporate, "acme", "", "", "12.00", "2025-01-01", "", "v1"),
		entry("cash", pricing.Cash, "", "", "", "25.00", "2025-01-01", "", "v1"),
		entry("berlin", pricing.Override, "", "", "berlin", "20.00", "2025-03-01", "2025-04-01", "v1"),
	}
}

func TestResolve(t *testing.T) {
	tf, err := pricing.Build(pricing.StandardPrecedence, fixture())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                   string
		payer, plan, org, date string
		wantList, wantPrice    string
		wantVersion            string
		wantStep               int
		wantOK                 bool
	}{
		{name: "national before mid-quarter change", date: "2025-02-14", wantList: "ebm", wantPrice: "14.8721", wantVersion: "2025Q1", wantStep: 3, wantOK: true},
		{name: "national on the day of the change", date: "2025-02-15", wantList: "ebm", wantPrice: "15.1200", wantVersion: "2025Q1a", wantStep: 3, wantOK: true},
		{name: "gap in national falls through to cash", date: "2025-07-15", wantList: "cash", wantPrice: "25.00", wantVersion: "v1", wantStep: 4, wantOK: true},
		{name: "payer contract beats national", payer: "aok", date: "2025-02-01", wantList: "aok", wantPrice: "16.00", wantVersion: "v1", wantStep: 1, wantOK: true},
		{name: "plan contract beats payer contract", payer: "aok", plan: "plus", date: "2025-02-01", wantList: "aok-plus", wantPrice: "18.00", wantVersion: "v1", wantStep: 1, wantOK: true},
		{name: "unknown plan uses payer contract", payer: "aok", plan: "gold", date: "2025-02-01", wantList: "aok", wantPrice: "16.00", wantVersion: "v1", wantStep: 1, wantOK: true},
		{name: "corporate", payer: "acme", date: "2025-02-01", wantList: "acme-staff", wantPrice: "12.00", wantVersion: "v1", wantStep: 2, wantOK: true},
		{name: "org override wins in its period", payer: "aok", plan: "plus", org: "berlin", date: "2025-03-31", wantList: "berlin", wantPrice: "20.00", wantVersion: "v1", wantStep: 0, wantOK: true},
		{name: "org override ended", payer: "aok", org: "berlin", date: "2025-04-01", wantList: "aok", wantPrice: "16.00", wantVersion: "v1", wantStep: 1, wantOK: true},
		{name: "other org", org: "hamburg", date: "2025-03-15", wantList: "ebm", wantPrice: "15.1200", wantVersion: "2025Q1a", wantStep: 3, wantOK: true},
		{name: "before any version", date: "2024-12-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := tf.Resolve(pricing.Query{Service: "03000", Payer: tc.payer, Plan: tc.plan, Org: tc.org, Date: day.MustParse(tc.date)})
			if ok != tc.wantOK {
				t.Fatalf("ok = %v", ok)
			}
			if !ok {
				return
			}
			if r.Entry.List != tc.wantList || r.Entry.UnitPrice.String() != tc.wantPrice || r.Entry.Version != tc.wantVersion || r.Step != tc.wantStep {
				t.Fatalf("got %s %s %s step %d (%s)", r.Entry.List, r.Entry.UnitPrice, r.Entry.Version, r.Step, r.Why)
			}
		})
	}
	if _, ok := tf.Resolve(pricing.Query{Service: "99999", Date: day.MustParse("2025-03-01")}); ok {
		t.Fatal("unknown service resolved")
	}
}

func TestResolve_precedenceIsPerTenant(t *testing.T) {
	// a tenant without cash prices and with national above contracts
	tf, err := pricing.Build(pricing.Precedence{pricing.National, pricing.Contract}, fixture())
	if err != nil {
		t.Fatal(err)
	}
	r, ok := tf.Resolve(pricing.Query{Service: "03000", Payer: "aok", Date: day.MustParse("2025-03-01")})
	if !ok || r.Entry.List != "ebm" || r.Step != 0 {
		t.Fatalf("got %+v", r)
	}
	if r, ok := tf.Resolve(pricing.Query{Service: "03000", Payer: "aok", Date: day.MustParse("2025-07-15")}); !ok || r.Entry.List != "aok" {
		t.Fatalf("gap: got %+v", r)
	}
	if _, ok := tf.Resolve(pricing.Query{Service: "03000", Date: day.MustParse("2025-07-15")}); ok {
		t.Fatal("cash must not be used")
	}
}

func TestExplain(t *testing.T) {
	tf, _ := pricing.Build(pricing.StandardPrecedence, fixture())
	got := tf.Explain(pricing.Query{Service: "03000", Payer: "aok", Date: day.MustParse("2025-07-15")})
	want := []string{"berlin:scope_mismatch", "aok-plus:scope_mismatch", "aok:won", "acme-staff:scope_mismatch", "ebm:lower_precedence", "cash:lower_precedence"}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, c := range got {
		if c.List+":"+c.Outcome != want[i] {
			t.Errorf("[%d] = %s:%s, want %s", i, c.List, c.Outcome, want[i])
		}
	}
}

func TestBuild_rejects(t *testing.T) {
	overlap := fixture()
	overlap = append(overlap, entry("ebm", pricing.National, "", "", "", "1", "2025-06-01", "2025-06-02", "bad"))
	noPayer := entry("x", pricing.Contract, "", "", "", "1", "2025-01-01", "", "v1")
	backwards := entry("x", pricing.National, "", "", "", "1", "2025-02-01", "2025-01-01", "v1")
	negative := entry("x", pricing.National, "", "", "", "-1", "2025-01-01", "", "v1")
	badSHA := entry("x", pricing.National, "", "", "", "1", "2025-01-01", "", "v1")
	badSHA.SourceSHA = "ABC"
	for _, tc := range []struct {
		name       string
		entries    []pricing.Entry
		path, code string
	}{
		{"overlapping versions", overlap, "entries[8]", "overlap"},
		{"contract without payer", []pricing.Entry{noPayer}, "entries[0].payer", "required"},
		{"period backwards", []pricing.Entry{backwards}, "entries[0].valid_to", "invalid"},
		{"negative price", []pricing.Entry{negative}, "entries[0].unit_price", "negative"},
		{"bad hash", []pricing.Entry{badSHA}, "entries[0].source_sha256", "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pricing.Build(pricing.StandardPrecedence, tc.entries)
			var fe *validate.FieldError
			if !errors.As(err, &fe) || fe.Path != tc.path || fe.Code != tc.code {
				t.Fatalf("got %v", err)
			}
		})
	}
	if _, err := pricing.Build(pricing.Precedence{pricing.Cash, pricing.Cash}, nil); err == nil {
		t.Fatal("duplicate precedence accepted")
	}
}

func TestResolve_doesNotAllocate(t *testing.T) {
	tf, _ := pricing.Build(pricing.StandardPrecedence, fixture())
	q := pricing.Query{Service: "03000", Payer: "aok", Plan: "plus", Org: "hamburg", Date: day.MustParse("2025-03-01")}
	if n := testing.AllocsPerRun(100, func() { tf.Resolve(q) }); n != 0 {
		t.Fatalf("%v allocs", n)
	}
}

func TestEntries_roundTrip(t *testing.T) {
	tf, _ := pricing.Build(pricing.StandardPrecedence, fixture())
	again, err := pricing.Build(pricing.StandardPrecedence, tf.Entries())
	if err != nil || again.Len() != len(fixture()) || tf.Services() != 1 {
		t.Fatalf("%v %d", err, again.Len())
	}
}
