package nacha_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/moov-io/ach"

	"github.com/revhub/revhub/adapters/nacha"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/golden"
)

func testConfig() nacha.Config {
	return nacha.Config{
		ImmediateDestination: "231380104", ImmediateDestinationName: "DEST BANK",
		ImmediateOrigin: "1123456789", ImmediateOriginName: "ACME HEALTH PLAN",
		EntryDescription: "HCCLAIMPMT", Cutoff: "15:00", Timezone: "America/New_York", LineEnding: "lf",
	}
}

func originator() settlement.Originator {
	return settlement.Originator{
		CompanyName: "ACME HEALTH PLAN", CompanyID: "1123456789", ODFIRouting: "121042882",
		Account: "5550001111", AccountType: settlement.Checking,
	}
}

func usd(minor int64) money.Amount { return money.MustNew(minor, money.USD) }

// x12_820 is a synthetic premium payment interchange sent in CTX addenda.
const x12_820 = `ISA*00*          *00*          *ZZ*ACMEHP         *ZZ*NORTHCLINIC    *260115*0930*^*00501*000000045*0*P*:\` +
	`GS*RA*ACMEHP*NORTHCLINIC*20260115*0930*45*X*005010X218\ST*820*0001*005010X218\` +
	`BPR*C*720*C*ACH*CTX*01*121042882*DA*5550001111*1123456789**01*231380104*DA*987654321*20260116\` +
	`TRN*1*CTX0000000045*1123456789\REF*38*POL1002\N1*PE*NORTH CLINIC*FI*999999999\` +
	`ENT*1\RMR*AZ*POL1002**720*750\SE*8*0001\GE*1*45\IEA*1*000000045\`

func requests() map[string]settlement.DisbursementFile {
	return map[string]settlement.DisbursementFile{
		"ccd-healthcare-eft": {
			RunID: "run-2026-w03", Originator: originator(), FileIDModifier: "A",
			Entries: []settlement.DisbursementEntry{
				{PayeeName: "North Clinic", PayeeID: "1234567893", Routing: "231380104", Account: "987654321",
					AccountType: settlement.Checking, Amount: usd(17000), TraceRef: "EFT0000012345"},
				{PayeeName: "Lakeside Family Medicine Group", PayeeID: "1659357900", Routing: "021000021",
					Account: "000123456789", AccountType: settlement.Savings, Amount: usd(1234567), TraceRef: "EFT0000012346"},
				{PayeeName: "Hill Radiology", PayeeID: "1447266935", Routing: "011000015", Account: "44-0001",
					AccountType: settlement.Checking, Amount: usd(99), TraceRef: "EFT0000012347", PayerID: "1999999999"},
			},
		},
		"ctx-x12": {
			RunID: "run-2026-premium", Originator: originator(), FileIDModifier: "B",
			EffectiveDate: time.Date(2026, 1, 19, 0, 0, 0, 0, time.UTC), // MLK day: moves to Tuesday
			Entries: []settlement.DisbursementEntry{
				{PayeeName: "North Clinic", PayeeID: "1234567893", Routing: "231380104", Account: "987654321",
					AccountType: settlement.Checking, Amount: usd(72000), TraceRef: "CTX0000000045", Remittance: []byte(x12_820)},
			},
		},
		"prenote": {
			RunID: "run-2026-prenote", Originator: originator(), FileIDModifier: "C",
			Entries: []settlement.DisbursementEntry{
				{PayeeName: "North Clinic", PayeeID: "1234567893", Routing: "231380104", Account: "987654321",
					AccountType: settlement.Checking, Amount: usd(0), TraceRef: "PRE-1", Prenote: true},
				{PayeeName: "Lakeside Family Medicine", PayeeID: "1659357900", Routing: "021000021", Account: "000123456789",
					AccountType: settlement.Savings, Amount: usd(0), TraceRef: "PRE-2", Prenote: true},
			},
		},
	}
}

func TestBuild_Golden(t *testing.T) {
	for _, tc := range []struct {
		name     string
		request  string
		balanced bool
	}{
		{name: "ccd-healthcare-eft", request: "ccd-healthcare-eft"},
		{name: "ccd-healthcare-eft-balanced", request: "ccd-healthcare-eft", balanced: true},
		{name: "ctx-x12", request: "ctx-x12", balanced: true},
		{name: "prenote", request: "prenote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Balanced = tc.balanced
			b, err := nacha.New(cfg, testharness.Deps(t))
			if err != nil {
				t.Fatal(err)
			}
			out, err := b.Build(context.Background(), requests()[tc.request])
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, tc.name+".golden.ach", out.Body)
			assertRoundTrip(t, out.Body)
			for i, tr := range out.Traces {
				if len(tr.Number) != 15 || !strings.HasPrefix(tr.Number, "12104288") {
					t.Errorf("traces[%d] = %q, want the ODFI prefix and 15 digits", i, tr.Number)
				}
			}
		})
	}
}

// assertRoundTrip reads body with moov's reader, writes it again and wants the same bytes.
func assertRoundTrip(t *testing.T, body []byte) {
	t.Helper()
	r := ach.NewReader(bytes.NewReader(body))
	r.SetValidation(&ach.ValidateOpts{BypassOriginValidation: true})
	f, err := r.Read()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	var again bytes.Buffer
	if err := ach.NewWriter(&again).Write(&f); err != nil {
		t.Fatalf("write again: %v", err)
	}
	if !bytes.Equal(again.Bytes(), body) {
		t.Fatalf("round trip differs:\n%s\nvs\n%s", again.Bytes(), body)
	}
}

func TestBuild_contents(t *testing.T) {
	b, err := nacha.New(testConfig(), testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	out, err := b.Build(context.Background(), requests()["ccd-healthcare-eft"])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out.Body), "\n"), "\n")
	for i, l := range lines {
		if len(l) != 94 {
			t.Fatalf("line %d has %d characters", i+1, len(l))
		}
	}
	for _, want := range []string{
		"705TRN*1*EFT0000012345*1123456789\\",
		"705TRN*1*EFT0000012347*1999999999\\",
		"CCDHCCLAIMPMT",
		"LAKESIDE FAMILY MEDICI", // cut to the 22-character name field
	} {
		if !strings.Contains(string(out.Body), want) {
			t.Errorf("missing %q", want)
		}
	}
	if got := out.EffectiveDate.Format(time.DateOnly); got != "2026-01-16" {
		t.Errorf("effective date %s, want the next banking day 2026-01-16", got)
	}
	if out.ID != "run-2026-w03_"+out.ID[len(out.ID)-8:] || out.Name != string(out.ID)+".ach" {
		t.Errorf("id %q name %q", out.ID, out.Name)
	}
	if len(out.SHA256) != 64 {
		t.Errorf("sha256 %q", out.SHA256)
	}
}

func TestBuild_rejectsInvalid(t *testing.T) {
	b, err := nacha.New(testConfig(), testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	f := requests()["ccd-healthcare-eft"]
	f.Entries[1].Routing = "021000022"
	f.Entries[2].Amount = money.MustNew(100, money.EUR)
	_, err = b.Build(context.Background(), f)
	if !ports.Is(ports.Invalid, err) {
		t.Fatalf("want Kind Invalid, got %v", err)
	}
	var errs validate.Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("want 2 field errors, got %v", err)
	}
	if errs[0].Path != "entries[1].routing" || errs[1].Path != "entries[2].amount" {
		t.Fatalf("paths: %v", err)
	}
}

func TestBuild_sameDayLimit(t *testing.T) {
	cfg := testConfig()
	cfg.SameDay = true
	b, err := nacha.New(cfg, testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	f := requests()["ccd-healthcare-eft"]
	f.Entries[0].Amount = usd(100_000_001)
	if _, err := b.Build(context.Background(), f); !ports.Is(ports.Invalid, err) {
		t.Fatalf("want Kind Invalid over the Same Day limit, got %v", err)
	}
	f.EffectiveDate = time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC) // next day: not Same Day
	if _, err := b.Build(context.Background(), f); err != nil {
		t.Fatalf("next-day file: %v", err)
	}
}

func TestNew_rejectsBadConfig(t *testing.T) {
	cfg := testConfig()
	cfg.ImmediateDestination = "231380105"
	cfg.Cutoff = "3pm"
	cfg.Timezone = "Mars/Olympus"
	_, err := nacha.New(cfg, testharness.Deps(t))
	var errs validate.Errors
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Fatalf("want 3 field errors, got %v", err)
	}
}
