package settlement_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
)

func usd(m int64) int64 { return m }

func day(y, m, d int) settlement.Date {
	v, ok := settlement.NewDate(y, m, d)
	if !ok {
		panic("no such day")
	}
	return v
}

func validAdvice() settlement.PaymentAdvice {
	return settlement.PaymentAdvice{
		Payer: settlement.Payer{Name: "ACME", ID: "1123456789",
			Address: settlement.Address{Line1: "PO BOX 1", City: "HARTFORD", State: "CT", PostalCode: "06101"},
			Contact: settlement.Contact{Phone: "8005550100"}},
		Payee:  settlement.Payee{Name: "NORTH", NPI: "1234567893"},
		Method: settlement.MethodCheck, Currency: money.USD, Total: usd(16500), Date: day(2025, 3, 14), TraceNumber: "CHK1",
		Claims: []settlement.ClaimPayment{{PatientControlNumber: "P1", Status: settlement.StatusPrimary,
			Charge: usd(25000), Paid: usd(17000), PatientResponsibility: usd(3000), FilingIndicator: "12", PayerControlNumber: "ICN1",
			Adjustments: []settlement.Adjustment{{Group: settlement.GroupContractual, Reason: "45", Amount: usd(1000)}},
			Lines: []settlement.ServiceLine{{Procedure: settlement.Procedure{Qualifier: "HC", Code: "99214"},
				Charge: usd(25000), Paid: usd(18000), Adjustments: []settlement.Adjustment{
					{Group: settlement.GroupPatient, Reason: "2", Amount: usd(3000)},
					{Group: settlement.GroupContractual, Reason: "45", Amount: usd(4000)}}}}}},
		ProviderAdjustments: []settlement.ProviderAdjustment{{Reason: "WO", FiscalPeriod: day(2025, 12, 31), Amount: usd(500)}},
	}
}

func TestPaymentAdvice_Validate(t *testing.T) {
	for _, tc := range []struct {
		name       string
		edit       func(*settlement.PaymentAdvice)
		path, code string
	}{
		{"valid", func(*settlement.PaymentAdvice) {}, "", ""},
		{"total off by plb sign", func(a *settlement.PaymentAdvice) { a.Total = usd(17500) }, "total", "unbalanced"},
		{"claim vs adjustments", func(a *settlement.PaymentAdvice) { a.Claims[0].Adjustments[0].Amount = usd(900) }, "claims[0].paid", "unbalanced"},
		{"line", func(a *settlement.PaymentAdvice) { a.Claims[0].Lines[0].Paid = usd(17900) }, "claims[0].lines[0].paid", "unbalanced"},
		{"currency", func(a *settlement.PaymentAdvice) { a.Currency = "XXY" }, "currency", "invalid"},
		{"no such day", func(a *settlement.PaymentAdvice) {
			a.Claims[0].Lines[0].Date = settlement.Date{Year: 2025, Month: 2, Day: 29}
		}, "claims[0].lines[0].date", "invalid"},
		{"modifier gap", func(a *settlement.PaymentAdvice) {
			a.Claims[0].Lines[0].Procedure.Modifiers[1] = settlement.Modifier{'2', '5'}
		}, "claims[0].lines[0].procedure.modifiers[1]", "gap"},
		{"status", func(a *settlement.PaymentAdvice) { a.Claims[0].Status = "9" }, "claims[0].status", "unknown_code"},
		{"npi check digit", func(a *settlement.PaymentAdvice) { a.Payee.NPI = "1234567890" }, "payee.npi", "check_digit"},
		{"non with money", func(a *settlement.PaymentAdvice) { a.Method = settlement.MethodNone }, "total", "not_zero"},
		{"ach without banks", func(a *settlement.PaymentAdvice) { a.Method = settlement.MethodACH }, "payer_bank.routing", "check_digit"},
		{"group", func(a *settlement.PaymentAdvice) { a.Claims[0].Adjustments[0].Group = "XX" }, "claims[0].adjustments[0].group", "unknown_code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := validAdvice()
			tc.edit(&a)
			err := a.Validate()
			if tc.path == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var es validate.Errors
			if !errors.As(err, &es) {
				t.Fatalf("want validate.Errors, got %v", err)
			}
			for _, fe := range es {
				if fe.Path == tc.path && fe.Code == tc.code {
					return
				}
			}
			t.Fatalf("no %s at %s in %v", tc.code, tc.path, err)
		})
	}
}

func TestNPIValid(t *testing.T) {
	for _, tc := range []struct {
		name string
		npi  string
		ok   bool
	}{{"valid", "1234567893", true}, {"bad digit", "1234567894", false}, {"short", "123456789", false}, {"letters", "12345678X3", false}} {
		t.Run(tc.name, func(t *testing.T) {
			if settlement.NPIValid(tc.npi) != tc.ok {
				t.Fatalf("NPIValid(%q) != %v", tc.npi, tc.ok)
			}
		})
	}
}

func TestDate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		y, m, d int
		ok      bool
		text    string
	}{
		{"plain", 2025, 3, 14, true, "2025-03-14"},
		{"leap day", 2024, 2, 29, true, "2024-02-29"},
		{"not leap", 2100, 2, 29, false, ""},
		{"april 31", 2025, 4, 31, false, ""},
		{"year 0", 0, 1, 1, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := settlement.NewDate(tc.y, tc.m, tc.d)
			if ok != tc.ok || d.String() != tc.text {
				t.Fatalf("got %v %q", ok, d.String())
			}
			if ok && (settlement.DateOf(d.Time()) != d || string(d.AppendBasic(nil)) != strings.ReplaceAll(tc.text, "-", "")) {
				t.Fatalf("round trip of %v", d)
			}
		})
	}
	if !day(2025, 1, 31).Before(day(2025, 2, 1)) || day(2025, 2, 1).Before(day(2025, 2, 1)) {
		t.Fatal("Before")
	}
}
