package invoicing_test

import (
	"errors"
	"testing"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

func eur(minor int64) money.Amount { return money.MustNew(minor, money.EUR) }

func base() invoicing.Invoice {
	d, _ := invoicing.ParseDate("2025-03-14")
	return invoicing.Invoice{
		Number: "INV-1", TypeCode: invoicing.CommercialInvoice, IssueDate: d, Currency: money.EUR,
		Seller: invoicing.Party{Name: "Clinic", VATID: "DE123456789", Address: invoicing.Address{Country: "DE"}},
		Buyer:  invoicing.Party{Name: "Payer", Address: invoicing.Address{Country: "DE"}},
	}
}

func line(id string, qty string, price int64, tax invoicing.Tax) invoicing.Line {
	return invoicing.Line{ID: id, Name: "item " + id, Quantity: money.MustRate(qty), Unit: "C62", Price: eur(price), Tax: tax}
}

var (
	s19    = invoicing.Tax{Category: invoicing.StandardRate, Rate: money.Int(19)}
	s7     = invoicing.Tax{Category: invoicing.StandardRate, Rate: money.Int(7)}
	exempt = invoicing.Tax{Category: invoicing.Exempt, Rate: money.Int(0), ExemptionCode: "VATEX-EU-132-1C"}
)

func TestCalculate(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		lines                     []invoicing.Line
		allow, charge             []invoicing.Adjustment
		wantNet, wantVAT, wantDue int64
		wantBreakdowns            int
	}{
		{name: "exempt medical", lines: []invoicing.Line{line("1", "1", 12000, exempt), line("2", "2", 1550, exempt)},
			wantNet: 15100, wantVAT: 0, wantDue: 15100, wantBreakdowns: 1},
		{name: "VAT per breakdown, not per line", // 3 × 0.05 at 19%: per line 0.01 each = 0.03; per breakdown 0.15 × 19% = 0.03
			lines:   []invoicing.Line{line("1", "1", 5, s19), line("2", "1", 5, s19), line("3", "1", 5, s19)},
			wantNet: 15, wantVAT: 3, wantDue: 18, wantBreakdowns: 1},
		{name: "half-up on breakdown", lines: []invoicing.Line{line("1", "1", 1050, s19)}, // 10.50 × 19% = 1.995 → 2.00
			wantNet: 1050, wantVAT: 200, wantDue: 1250, wantBreakdowns: 1},
		{name: "fractional quantity", lines: []invoicing.Line{line("1", "1.5", 333, s7)}, // 4.995 → 5.00; VAT 0.35
			wantNet: 500, wantVAT: 35, wantDue: 535, wantBreakdowns: 1},
		{name: "multi-rate with allowance and charge",
			lines:  []invoicing.Line{line("1", "1", 10000, s19), line("2", "1", 5000, s7), line("3", "1", 2000, exempt)},
			allow:  []invoicing.Adjustment{{Amount: eur(1000), Reason: "discount", Tax: s19}},
			charge: []invoicing.Adjustment{{Amount: eur(500), Reason: "postage", Tax: s7}},
			// S19: 90.00 → 17.10; S7: 55.00 → 3.85; E: 20.00
			wantNet: 17000, wantVAT: 2095, wantDue: 18595, wantBreakdowns: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := base()
			inv.Lines, inv.Allowances, inv.Charges = tc.lines, tc.allow, tc.charge
			if err := inv.Calculate(money.HalfUp); err != nil {
				t.Fatal(err)
			}
			if got := inv.Totals.LineNet.Minor(); got != tc.wantNet {
				t.Errorf("line net = %d, want %d", got, tc.wantNet)
			}
			if got := inv.Totals.VAT.Minor(); got != tc.wantVAT {
				t.Errorf("VAT = %d, want %d", got, tc.wantVAT)
			}
			if got := inv.Totals.Due.Minor(); got != tc.wantDue {
				t.Errorf("due = %d, want %d", got, tc.wantDue)
			}
			if len(inv.VAT) != tc.wantBreakdowns {
				t.Errorf("breakdowns = %d, want %d", len(inv.VAT), tc.wantBreakdowns)
			}
			if err := inv.Validate(); err != nil {
				t.Errorf("calculated invoice does not validate: %v", err)
			}
		})
	}
}

func TestCalculate_taxCurrency(t *testing.T) {
	inv := base()
	inv.Currency, inv.TaxCurrency, inv.FXRate = money.USD, money.EUR, money.MustRate("0.9215")
	inv.Lines = []invoicing.Line{{ID: "1", Name: "x", Quantity: money.Int(1), Unit: "C62",
		Price: money.MustNew(10000, money.USD), Tax: s19}}
	if err := inv.Calculate(money.HalfUp); err != nil {
		t.Fatal(err)
	}
	// VAT 19.00 USD × 0.9215 = 17.5085 → 17.51 EUR
	if got := inv.Totals.VATInTaxCur; got.Currency() != money.EUR || got.Minor() != 1751 {
		t.Fatalf("VAT in tax currency = %v, want 17.51 EUR", got)
	}
}

func TestValidate_errors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mutate   func(*invoicing.Invoice)
		wantPath string
		wantCode string
	}{
		{"missing number", func(i *invoicing.Invoice) { i.Number = "" }, "number", "required"},
		{"credit note without reference", func(i *invoicing.Invoice) { i.TypeCode = invoicing.CreditNote }, "preceding", "required"},
		{"exempt without reason", func(i *invoicing.Invoice) { i.Lines[0].Tax.ExemptionCode = "" }, "lines[0].tax.exemption_reason", "required"},
		{"standard with reason", func(i *invoicing.Invoice) { i.Lines[0].Tax = s19; i.Lines[0].Tax.ExemptionReason = "x" }, "lines[0].tax.exemption_reason", "not_allowed"},
		{"negative price", func(i *invoicing.Invoice) { i.Lines[0].Price = eur(-1) }, "lines[0].price", "negative"},
		{"foreign price", func(i *invoicing.Invoice) { i.Lines[0].Price = money.MustNew(1, money.USD) }, "lines[0].price", "currency_mismatch"},
		{"tax currency without rate", func(i *invoicing.Invoice) { i.TaxCurrency = money.USD }, "fx_rate", "required"},
		{"unknown category", func(i *invoicing.Invoice) { i.Lines[0].Tax.Category = "X" }, "lines[0].tax.category", "unknown_code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := base()
			inv.Lines = []invoicing.Line{line("1", "1", 100, exempt)}
			tc.mutate(&inv)
			err := inv.Calculate(money.HalfUp)
			var errs validate.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want validate.Errors, got %v", err)
			}
			for _, fe := range errs {
				if fe.Path == tc.wantPath && fe.Code == tc.wantCode {
					return
				}
			}
			t.Fatalf("no %s at %s in %v", tc.wantCode, tc.wantPath, err)
		})
	}
}

func TestValidate_detectsTamperedTotals(t *testing.T) {
	inv := base()
	inv.Lines = []invoicing.Line{line("1", "1", 100, s19)}
	if err := inv.Calculate(money.HalfUp); err != nil {
		t.Fatal(err)
	}
	inv.Totals.Due = eur(1)
	var fe *validate.FieldError
	if err := inv.Validate(); !errors.As(err, &fe) || fe.Path != "totals.due" {
		t.Fatalf("want inconsistent totals.due, got %v", err)
	}
}

func TestMaskAccount(t *testing.T) {
	pm := invoicing.PaymentMeans{Code: "58", IBAN: "DE02120300000000202051"}
	if got, want := pm.String(), "payment means 58 account DE****************2051"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"valid", "2024-02-29", true}, {"not leap", "2025-02-29", false}, {"month 13", "2025-13-01", false},
		{"short", "2025-1-01", false}, {"letters", "20x5-01-01", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := invoicing.ParseDate(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseDate(%q) error = %v", tc.in, err)
			}
			if tc.ok && d.String() != tc.in {
				t.Fatalf("round trip %q -> %q", tc.in, d)
			}
		})
	}
}
