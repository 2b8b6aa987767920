package settlement

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

func validDisbursement() DisbursementFile {
	return DisbursementFile{
		RunID: "run-2026-01",
		Originator: Originator{
			CompanyName: "ACME HEALTH PLAN", CompanyID: "1123456789", ODFIRouting: "121042882",
			Account: "5550001111", AccountType: Checking,
		},
		EffectiveDate: time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC),
		Entries: []DisbursementEntry{{
			PayeeName: "NORTH CLINIC", PayeeID: "1234567893", Routing: "231380104",
			Account: "987654321", AccountType: Checking, Amount: money.MustNew(17000, money.USD),
			TraceRef: "EFT0000012345",
		}},
	}
}

func TestDisbursementFile_Validate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(*DisbursementFile)
		path   string
		code   string
		nofail bool
	}{
		{name: "valid", edit: func(*DisbursementFile) {}, nofail: true},
		{name: "prenote zero amount ok", edit: func(f *DisbursementFile) {
			f.Entries[0].Prenote, f.Entries[0].Amount = true, money.Zero(money.USD)
		}, nofail: true},
		{name: "run id required", edit: func(f *DisbursementFile) { f.RunID = "" }, path: "run_id", code: "required"},
		{name: "bad odfi check digit", edit: func(f *DisbursementFile) { f.Originator.ODFIRouting = "121042883" },
			path: "originator.odfi_routing", code: "check_digit"},
		{name: "bad payee check digit", edit: func(f *DisbursementFile) { f.Entries[0].Routing = "231380105" },
			path: "entries[0].routing", code: "check_digit"},
		{name: "euro refused", edit: func(f *DisbursementFile) { f.Entries[0].Amount = money.MustNew(1, money.EUR) },
			path: "entries[0].amount", code: "currency"},
		{name: "zero payment", edit: func(f *DisbursementFile) { f.Entries[0].Amount = money.Zero(money.USD) },
			path: "entries[0].amount", code: "not_positive"},
		{name: "negative payment", edit: func(f *DisbursementFile) { f.Entries[0].Amount = money.MustNew(-5, money.USD) },
			path: "entries[0].amount", code: "not_positive"},
		{name: "prenote with amount", edit: func(f *DisbursementFile) { f.Entries[0].Prenote = true },
			path: "entries[0].amount", code: "prenote_amount"},
		{name: "too large", edit: func(f *DisbursementFile) {
			f.Entries[0].Amount = money.MustNew(MaxEntryMinor+1, money.USD)
		}, path: "entries[0].amount", code: "too_large"},
		{name: "missing amount", edit: func(f *DisbursementFile) { f.Entries[0].Amount = money.Amount{} },
			path: "entries[0].amount", code: "required"},
		{name: "trace ref with delimiter", edit: func(f *DisbursementFile) { f.Entries[0].TraceRef = "A*B" },
			path: "entries[0].trace_ref", code: "invalid"},
		{name: "duplicate trace ref", edit: func(f *DisbursementFile) { f.Entries = append(f.Entries, f.Entries[0]) },
			path: "entries[1].trace_ref", code: "duplicate"},
		{name: "no entries", edit: func(f *DisbursementFile) { f.Entries = nil }, path: "entries", code: "required"},
		{name: "bad modifier", edit: func(f *DisbursementFile) { f.FileIDModifier = "a" }, path: "file_id_modifier", code: "invalid"},
		{name: "long company name", edit: func(f *DisbursementFile) { f.Originator.CompanyName = strings.Repeat("X", 17) },
			path: "originator.company_name", code: "too_long"},
		{name: "account type", edit: func(f *DisbursementFile) { f.Entries[0].AccountType = 0 },
			path: "entries[0].account_type", code: "invalid"},
		{name: "account too long", edit: func(f *DisbursementFile) { f.Entries[0].Account = AccountNumber(strings.Repeat("1", 18)) },
			path: "entries[0].account", code: "invalid"},
		{name: "prenote with remittance", edit: func(f *DisbursementFile) {
			f.Entries[0].Prenote, f.Entries[0].Amount = true, money.Zero(money.USD)
			f.Entries[0].Remittance = []byte("ISA*")
		}, path: "entries[0].remittance", code: "prenote_remittance"},
		{name: "non-ascii payee", edit: func(f *DisbursementFile) { f.Entries[0].PayeeName = "KLINIK MÜNCHEN" },
			path: "entries[0].payee_name", code: "charset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := validDisbursement()
			tc.edit(&f)
			err := f.Validate()
			if tc.nofail {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var errs validate.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want validate.Errors, got %v", err)
			}
			for _, fe := range errs {
				if fe.Path == tc.path && fe.Code == tc.code {
					return
				}
			}
			t.Fatalf("want %s %s, got %v", tc.path, tc.code, err)
		})
	}
}

func TestRoutingValid(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want bool
	}{
		{"wells fargo", "121042882", true},
		{"dest bank", "231380104", true},
		{"wrong check digit", "121042881", false},
		{"short", "12104288", false},
		{"letters", "12104288X", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := RoutingValid(tc.in); got != tc.want {
				t.Fatalf("RoutingValid(%q) = %v", tc.in, got)
			}
		})
	}
}

func TestAccountNumber_masked(t *testing.T) {
	e := validDisbursement().Entries[0]
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
		if s := fmt.Sprintf(verb, e); strings.Contains(s, "987654321") {
			t.Errorf("%s leaks the account number: %s", verb, s)
		}
	}
	if got := AccountNumber("987654321").String(); got != "*****4321" {
		t.Fatalf("String() = %q", got)
	}
	if got := AccountNumber("12").String(); got != "****" {
		t.Fatalf("short String() = %q", got)
	}
}
