package settlement_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
)

func dollars(minor int64) money.Amount { return money.MustNew(minor, money.USD) }

func item(id, npi string, approved money.Amount) settlement.RunItem {
	return settlement.RunItem{ClaimID: id, Version: 1, NPI: npi, TIN: "123456789", PayeeRef: "bank/" + npi, Approved: approved}
}

func TestRunBuilder_feesAndBuckets(t *testing.T) {
	for _, tc := range []struct {
		name              string
		fees              settlement.Fees
		items             []settlement.RunItem
		total, fees0, net int64 // first remittance
		buckets           map[settlement.ExceptionKind]int
	}{
		{"half percent rounds half up", settlement.Fees{Percent: money.MustRate("0.5"), Rounding: money.HalfUp},
			[]settlement.RunItem{item("a", "1", dollars(10099)), item("b", "1", dollars(1))}, 10100, 51, 10049, map[settlement.ExceptionKind]int{}},
		{"half even keeps the even cent", settlement.Fees{Percent: money.MustRate("0.5"), Rounding: money.HalfEven},
			[]settlement.RunItem{item("a", "1", dollars(10100))}, 10100, 50, 10050, map[settlement.ExceptionKind]int{}},
		{"per claim fee capped at the total", settlement.Fees{PerClaim: dollars(300), Rounding: money.HalfUp},
			[]settlement.RunItem{item("a", "1", dollars(250))}, 250, 250, 0, map[settlement.ExceptionKind]int{}},
		{"exceptions are bucketed, not failed", settlement.Fees{Rounding: money.HalfUp}, []settlement.RunItem{
			item("a", "1", dollars(500)),
			{ClaimID: "paid", NPI: "1", PayeeRef: "x", Approved: dollars(1), PaidBefore: true},
			{ClaimID: "noamt", NPI: "1", PayeeRef: "x"},
			{ClaimID: "nobank", NPI: "1", Approved: dollars(1)},
			item("held", "9", dollars(700)),
			{ClaimID: "prenote", NPI: "1", PayeeRef: "new", Approved: dollars(1)},
		}, 500, 0, 500, map[settlement.ExceptionKind]int{settlement.AlreadyPaid: 1, settlement.MissingApproved: 1, settlement.NoBankAccount: 1, settlement.OnHold: 1,
			settlement.PrenotePending: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := settlement.NewRunBuilder(settlement.RunConfig{RunID: "r1", Currency: money.USD, Fees: tc.fees,
				Held: func(npi string, _ settlement.TIN) bool { return npi == "9" }, Pending: func(ref string) bool { return ref == "new" }})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range tc.items {
				if _, err := b.Add(it); err != nil {
					t.Fatal(err)
				}
			}
			res, err := b.Result()
			if err != nil {
				t.Fatal(err)
			}
			r := res.Remittances[0]
			if r.TotalApproved != dollars(tc.total) || r.Fees != dollars(tc.fees0) || r.NetPayable != dollars(tc.net) || r.ID != "r1-1" {
				t.Fatalf("remittance %s: total %s fees %s net %s", r.ID, r.TotalApproved, r.Fees, r.NetPayable)
			}
			for k, v := range tc.buckets {
				if res.Buckets()[k] != v {
					t.Fatalf("buckets %v, want %v", res.Buckets(), tc.buckets)
				}
			}
			if res.Paid+len(res.Exceptions) != res.Claims {
				t.Fatalf("paid %d + exceptions %d != claims %d", res.Paid, len(res.Exceptions), res.Claims)
			}
		})
	}
}

func TestRemittance_disputeKeepsOriginal(t *testing.T) {
	r := settlement.Remittance{ID: "r1-1", Status: settlement.RemitGenerated, TotalApproved: dollars(10000), Fees: dollars(50), NetPayable: dollars(9950),
		Lines: []settlement.LineRef{{ClaimID: "C1", Version: 1}, {ClaimID: "C2", Version: 2}}}
	d := settlement.Dispute{ID: "D1", RemittanceID: "r1-1", ClaimID: "C2", Reason: "underpaid", RaisedBy: "provider"}
	if err := r.Open(&d); !errors.Is(err, settlement.ErrTransition) {
		t.Fatalf("dispute before payment: %v", err)
	}
	if err := r.MarkPaid("proof-1", time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	bad := d
	bad.ClaimID = "C9"
	var fes validate.Errors
	if err := r.Open(&bad); !errors.As(err, &fes) || fes[0].Code != "not_on_remittance" {
		t.Fatalf("dispute on a foreign claim: %v", err)
	}
	if err := r.Open(&d); err != nil || r.Status != settlement.RemitDisputed {
		t.Fatalf("open: %v, %s", err, r.Status)
	}
	if err := r.Resolve(&d, settlement.Decision{Outcome: settlement.Partial, Adjustment: dollars(1234), By: "finance"}); err != nil {
		t.Fatal(err)
	}
	if r.NetPayable != dollars(11184) || r.TotalApproved != dollars(10000) || r.Status != settlement.RemitResolved || d.Status != settlement.DisputeResolved {
		t.Fatalf("after resolve: %+v", r)
	}
	if err := r.Resolve(&d, settlement.Decision{Outcome: settlement.Upheld, Adjustment: dollars(1), By: "f"}); !errors.Is(err, settlement.ErrTransition) {
		t.Fatalf("resolving twice: %v", err)
	}
}

func TestPlanFFS_offsetsHoldsAndPromptPay(t *testing.T) {
	asOf := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ffs := func(id string, tin settlement.TIN, minor int64, received time.Time) settlement.RunItem {
		return settlement.RunItem{ClaimID: id, Version: 1, NPI: "n" + string(tin), TIN: tin, PayeeRef: "ref-" + string(tin), LOB: "medicaid",
			Approved: dollars(minor), Received: received}
	}
	old := asOf.AddDate(0, 0, -28) // deadline 30 days: 2 days left, within the 5-day warning
	res, err := settlement.PlanFFS(settlement.FFSInput{RunID: "f1", AsOf: asOf, Currency: money.USD,
		Claims: []settlement.RunItem{ffs("a1", "111111111", 10000, asOf), ffs("a2", "111111111", 5050, asOf), ffs("b1", "222222222", 2000, old),
			ffs("h1", "333333333", 999, old)},
		Held:        func(_ string, tin settlement.TIN) bool { return tin == "333333333" },
		EFT:         func(ref string) bool { return ref == "ref-111111111" },
		Recoupments: []settlement.Recoupment{{ID: "R1", TIN: "222222222", Remaining: dollars(2500)}, {ID: "R2", TIN: "111111111", Remaining: dollars(3000)}},
		PromptPay:   settlement.PromptPay{Days: map[string]int{"medicaid": 30}, WarnDays: 5}})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		tin             settlement.TIN
		method          settlement.Method
		gross, off, net int64
		urgent          bool
	}{
		{"222222222", settlement.Check, 2000, 2000, 0, true},
		{"111111111", settlement.EFT, 15050, 3000, 12050, false},
	}
	if len(res.Payments) != len(want) {
		t.Fatalf("payments %+v", res.Payments)
	}
	for i, w := range want {
		p := res.Payments[i]
		if p.TIN != w.tin || p.Method != w.method || p.Gross != dollars(w.gross) || p.Offset != dollars(w.off) || p.Net != dollars(w.net) || p.Urgent != w.urgent {
			t.Fatalf("payment %d = %+v, want %+v", i, p, w)
		}
	}
	if res.Recoupments[0].Remaining != dollars(500) || res.Recoupments[1].Remaining != dollars(0) {
		t.Fatalf("recoupments left %+v: want 5.00 carried for R1, R2 closed", res.Recoupments)
	}
	if res.Net != dollars(12050) || res.Gross != dollars(17050) || len(res.Carry) != 1 || res.Carry[0].ClaimID != "h1" || res.Flagged != 1 {
		t.Fatalf("totals %s/%s carry %+v flagged %d", res.Gross, res.Net, res.Carry, res.Flagged)
	}
}

func TestDisbursement_separationOfDuties(t *testing.T) {
	d := settlement.DefaultDuties()
	at := time.Unix(0, 0)
	clerk := settlement.Actor{ID: "ann", Roles: []string{"settlement_clerk", "finance_approver"}}
	x, err := settlement.NewDisbursement("d1", "r1", dollars(100), at, clerk, d, at)
	if err != nil {
		t.Fatal(err)
	}
	var de *settlement.DutyError
	for _, tc := range []struct {
		name string
		step func() error
		ok   bool
	}{
		{"creator may not approve", func() error { return x.Approve(clerk, d, at) }, false},
		{"approver needs the role", func() error { return x.Approve(settlement.Actor{ID: "bob", Roles: []string{"treasury"}}, d, at) }, false},
		{"release before approval", func() error { return x.Release(settlement.Actor{ID: "tom", Roles: []string{"treasury"}}, d, at) }, false},
		{"approve", func() error {
			return x.Approve(settlement.Actor{ID: "bob", Roles: []string{"finance_approver"}}, d, at)
		}, true},
		{"approver may not release", func() error {
			return x.Release(settlement.Actor{ID: "bob", Roles: []string{"treasury", "finance_approver"}}, d, at)
		}, false},
		{"release", func() error { return x.Release(settlement.Actor{ID: "tom", Roles: []string{"treasury"}}, d, at) }, true},
		{"delivery timed out", func() error { return x.Delivered(settlement.DisbOutcomeUnknown, "timeout", at) }, true},
		{"releaser may not record the outcome", func() error {
			return x.RecordOutcome(settlement.Actor{ID: "tom", Roles: []string{"finance_recorder"}}, d, settlement.DisbSettled, "", at)
		}, false},
		{"a fourth person records it", func() error {
			return x.RecordOutcome(settlement.Actor{ID: "rae", Roles: []string{"finance_recorder"}}, d, settlement.DisbSettled, "bank: paid", at)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.step()
			if (err == nil) != tc.ok || (!tc.ok && !errors.As(err, &de) && !errors.Is(err, settlement.ErrTransition)) {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
	if x.State != settlement.DisbSettled || settlement.AutoRetry(settlement.DisbOutcomeUnknown) || len(x.History) != 5 {
		t.Fatalf("state %s, history %d", x.State, len(x.History))
	}
}

func TestHolidays_effectiveDate(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	h := settlement.Holidays{day(time.December, 25): true, day(time.January, 1): true}
	for _, tc := range []struct {
		name      string
		requested time.Time
		lead      int
		want      time.Time
	}{
		{"business day", day(time.March, 3), 0, day(time.March, 3)},
		{"saturday to monday", day(time.March, 7), 0, day(time.March, 9)},
		{"one day over christmas", day(time.December, 24), 1, day(time.December, 28)},
		{"new year", day(time.January, 1), 0, day(time.January, 2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.EffectiveDate(tc.requested, tc.lead); !got.Equal(tc.want) {
				t.Fatalf("got %s, want %s", got.Format("2006-01-02 Mon"), tc.want.Format("2006-01-02 Mon"))
			}
		})
	}
}

func TestDecodeClaim(t *testing.T) {
	good := `{"id":"C1","version":1,"status":"APPROVED","member":"M1","provider":{"npi":"1234567893","tin":"123456789"},
		"lob":"commercial","received":"2026-01-03","lines":[{"code":"99213","service_date":"2026-01-01",
		"billed":{"amount":"120.00","currency":"USD"},"allowed":{"amount":"100.00","currency":"USD"},"approved":{"amount":"80.00","currency":"USD"},
		"adjustments":[{"group":"PR","code":"2","amount":{"amount":"20.00","currency":"USD"}}]}]}`
	c, err := settlement.DecodeClaim([]byte(good))
	if err != nil || c.Approved != dollars(8000) || c.Billed != dollars(12000) {
		t.Fatalf("decode: %v, %v", c, err)
	}
	if s := c.String(); !strings.Contains(s, "tin *****6789") || strings.Contains(s, "M1") {
		t.Fatalf("String leaks TIN or member: %s", s)
	}
	for _, tc := range []struct{ name, edit, path, code string }{
		{"bad npi", `"1234567893"→"1234567890"`, "provider.npi", "check_digit"},
		{"approved above allowed", `"80.00"→"180.00"`, "lines[0].approved", "exceeds_allowed"},
		{"bad date", `"2026-01-03"→"03.01.2026"`, "received", "invalid_date"},
		{"unknown status", `"APPROVED"→"PAID"`, "status", "unknown_code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to, _ := strings.Cut(tc.edit, "→")
			_, err := settlement.DecodeClaim([]byte(strings.Replace(good, from, to, 1)))
			var fes validate.Errors
			if !errors.As(err, &fes) {
				t.Fatalf("err = %v", err)
			}
			for _, fe := range fes {
				if fe.Path == tc.path && fe.Code == tc.code {
					return
				}
			}
			t.Fatalf("errors %v, want %s %s", fes, tc.path, tc.code)
		})
	}
}

func TestFromFHIR(t *testing.T) {
	claim := `{"resourceType":"Claim","id":"C7","status":"active","created":"2026-01-05T10:00:00Z","patient":{"reference":"Patient/M7"},
		"provider":{"identifier":{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234567893"}},
		"payee":{"party":{"identifier":{"system":"urn:oid:2.16.840.1.113883.4.4","value":"12-3456789"}}},
		"insurance":[{"coverage":{"display":"medicaid"}}],
		"item":[{"sequence":1,"productOrService":{"coding":[{"code":"99213"}]},"servicedDate":"2026-01-04","net":{"value":150.00,"currency":"USD"},
		"encounter":[{"reference":"Encounter/E7"}]}]}`
	resp := `{"resourceType":"ClaimResponse","meta":{"versionId":"2"},"status":"active","outcome":"complete","request":{"reference":"Claim/C7"},
		"item":[{"itemSequence":1,"adjudication":[{"category":{"coding":[{"code":"eligible"}]},"amount":{"value":110.5,"currency":"USD"}},
		{"category":{"coding":[{"code":"benefit"}]},"amount":{"value":99.95,"currency":"USD"}}]}]}`
	c, err := settlement.FromFHIR([]byte(claim), []byte(resp), settlement.FHIROptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "C7" || c.Version != 2 || c.Status != settlement.ClaimApproved || c.Member != "M7" || c.Encounter != "E7" || c.LOB != "medicaid" ||
		c.Provider.TIN != "123456789" || c.Approved != dollars(9995) || c.Allowed != dollars(11050) || c.Billed != dollars(15000) {
		t.Fatalf("claim %+v", c)
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    settlement.Ratio
		want string
	}{{"third", settlement.Ratio{Num: 1, Den: 3}, "33.33"}, {"two thirds rounds up", settlement.Ratio{Num: 2, Den: 3}, "66.67"},
		{"whole", settlement.Ratio{Num: 5, Den: 5}, "100.00"}, {"empty", settlement.Ratio{}, ""}} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.String(); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}
