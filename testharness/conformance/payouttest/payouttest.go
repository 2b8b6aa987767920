// Package payouttest is the conformance suite of the payout ports: every
// ports.PayoutFileBuilder runs RunBuilder and every ports.FileDropper runs
// RunDropper from its conformance_test.go.
package payouttest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// BuilderConstructor returns a fresh builder for one test.
type BuilderConstructor func(t *testing.T) ports.PayoutFileBuilder

// Sample is a valid two-entry disbursement (a CCD+ payment and a prenote).
func Sample() settlement.DisbursementFile {
	return settlement.DisbursementFile{
		RunID: "conformance-1",
		Originator: settlement.Originator{CompanyName: "ACME HEALTH PLAN", CompanyID: "1123456789",
			ODFIRouting: "121042882", Account: "5550001111", AccountType: settlement.Checking},
		CreatedAt:      time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC),
		FileIDModifier: "A",
		Entries: []settlement.DisbursementEntry{
			{PayeeName: "NORTH CLINIC", PayeeID: "1234567893", Routing: "231380104", Account: "987654321",
				AccountType: settlement.Checking, Amount: money.MustNew(17000, money.USD), TraceRef: "EFT-1"},
			{PayeeName: "SOUTH CLINIC", PayeeID: "1659357900", Routing: "021000021", Account: "000123456789",
				AccountType: settlement.Savings, Amount: money.Zero(money.USD), TraceRef: "PRE-1", Prenote: true},
		},
	}
}

// RunBuilder runs the builder suite.
func RunBuilder(t *testing.T, newBuilder BuilderConstructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, BuilderConstructor)
	}{
		{"BuildsOneFileWithATracePerEntry", testBuilds},
		{"SameRequestSameBytes", testDeterministic},
		{"RejectsInvalidAsInvalid", testRejectsInvalid},
		{"EffectiveDateIsAWeekdayNotBeforeRequested", testEffectiveDate},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); tc.fn(t, newBuilder) })
	}
}

func testBuilds(t *testing.T, nb BuilderConstructor) {
	req := Sample()
	f, err := nb(t).Build(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(f.Body)
	if f.ID == "" || f.Name == "" || len(f.Body) == 0 || f.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("incomplete file: id %q name %q %d bytes sha %q", f.ID, f.Name, len(f.Body), f.SHA256)
	}
	if len(f.Traces) != len(req.Entries) {
		t.Fatalf("%d traces for %d entries", len(f.Traces), len(req.Entries))
	}
	seen := map[string]bool{}
	for i, tr := range f.Traces {
		if tr.TraceRef != req.Entries[i].TraceRef || tr.Number == "" || seen[tr.Number] {
			t.Fatalf("traces[%d] = %+v", i, tr)
		}
		seen[tr.Number] = true
	}
}

func testDeterministic(t *testing.T, nb BuilderConstructor) {
	b := nb(t)
	f1, err1 := b.Build(context.Background(), Sample())
	f2, err2 := b.Build(context.Background(), Sample())
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if f1.ID != f2.ID || f1.SHA256 != f2.SHA256 {
		t.Fatalf("same request built differently: %s/%s vs %s/%s", f1.ID, f1.SHA256, f2.ID, f2.SHA256)
	}
}

func testRejectsInvalid(t *testing.T, nb BuilderConstructor) {
	req := Sample()
	req.Entries[0].Routing = "231380105"
	_, err := nb(t).Build(context.Background(), req)
	var errs validate.Errors
	if !ports.Is(ports.Invalid, err) || !errors.As(err, &errs) || errs[0].Path != "entries[0].routing" {
		t.Fatalf("want Kind Invalid with entries[0].routing, got %v", err)
	}
}

func testEffectiveDate(t *testing.T, nb BuilderConstructor) {
	req := Sample()
	req.EffectiveDate = time.Date(2026, 2, 7, 0, 0, 0, 0, time.UTC) // a Saturday
	f, err := nb(t).Build(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	d := f.EffectiveDate
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday || d.Before(req.EffectiveDate) {
		t.Fatalf("effective date %s for requested %s", d.Format(time.DateOnly), req.EffectiveDate.Format(time.DateOnly))
	}
}
