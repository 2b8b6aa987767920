package settlement_test

import (
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
)

func usd(m int64) money.Amount { return money.MustNew(m, money.USD) }

func validAdvice() settlement.PaymentAdvice {
	return settlement.PaymentAdvice{
		Payer: settlement.Payer{Name: "ACME", ID: "1123456789",
			Address: settlement.Address{Line1: "PO BOX 1", City: "HARTFORD", State: "CT", PostalCode: "06101"},
			Contact: settlement.Contact{Phone: "8005550100"}},
		Payee:  settlement.Payee{Name: "NORTH", NPI: "1234567893"},
		Method: settlement.MethodCheck, Total: usd(16500), Date: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC), TraceNumber: "CHK1",
		Claims: []settlement.ClaimPayment{{PatientControlNumber: "P1", Status: settlement.StatusPrimary,
			Charge: usd(25000), Paid: usd(17000), PatientResponsibility: usd(3000), FilingIndicator: "12", PayerControlNumber: "ICN1",
			Adjustments: []settlement.Adjustment{{Group: settlement.GroupContractual, Reason: "45", Amount: usd(1000)}},
			Lines: []settlement.ServiceLine{{Procedure: settlement.Procedure{Qualifier: "HC", Code: "99214"},
				Charge: usd(25000), Paid: usd(18000), Adjustments: []settlement.Adjustment{
					{Group: settlement.GroupPatient, Reason: "2", Amount: usd(3000)},
					{Group: settlement.GroupContractual, Reason: "45", Amount: usd(4000)}}}}}},
		ProviderAdjustments: []settlement.ProviderAdjustment{{Reason: "WO", FiscalPeriod: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), Amount: usd(500)}},
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
		{"currency", func(a *settlement.PaymentAdvice) { a.Claims[0].Charge = money.MustNew(25000, money.EUR) }, "claims[0].charge", "currency_mismatch"},
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
