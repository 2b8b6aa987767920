package einvoicetest

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

// Synth returns a calculated synthetic invoice of the given type with two
// exempt medical lines and one standard-rated line, in f.Currency (EUR when
// unset; VAT accounted in EUR when another currency is asked for).
func Synth(t testing.TB, f Features, tc invoicing.TypeCode) invoicing.Invoice {
	t.Helper()
	cur, country := f.Currency, f.Country
	if cur == "" {
		cur = money.EUR
	}
	if country == "" {
		country = "DE"
	}
	d := func(s string) invoicing.Date {
		v, err := invoicing.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	exempt := invoicing.Tax{Category: invoicing.Exempt, Rate: money.Int(0),
		ExemptionReason: "Medical care", ExemptionCode: "VATEX-EU-132-1C"}
	inv := invoicing.Invoice{
		Number: "SYN-0001", TypeCode: tc, IssueDate: d("2025-03-14"), DueDate: d("2025-04-13"),
		DeliveryDate: d("2025-03-03"), Currency: cur, BuyerReference: "991-12345-67",
		Seller: invoicing.Party{Name: "Synthetic Clinic", LegalID: "REG-1", VATID: country + "123456789",
			Endpoint: invoicing.Endpoint{Scheme: "EM", ID: "billing@clinic.example"},
			Address:  invoicing.Address{Line1: "Street 1", City: "City", PostCode: "10115", Country: country},
			Contact:  invoicing.Contact{Name: "Billing", Phone: "+49 30 123456", Email: "billing@clinic.example"}},
		Buyer: invoicing.Party{Name: "Synthetic Payer", LegalID: "REG-2",
			Endpoint: invoicing.Endpoint{Scheme: "EM", ID: "ap@payer.example"},
			Address:  invoicing.Address{Line1: "Road 2", City: "Town", PostCode: "20095", Country: country}},
		Payment: &invoicing.PaymentMeans{Code: "58", IBAN: "DE02120300000000202051", Reference: "20250018"},
		Lines: []invoicing.Line{
			{ID: "1", Name: "Consultation", Quantity: money.Int(1), Unit: "C62", Price: money.MustNew(12000, cur), Tax: exempt},
			{ID: "2", Name: "Lab test <A&B>", Quantity: money.MustRate("2"), Unit: "C62", Price: money.MustNew(1550, cur), Tax: exempt},
			{ID: "3", Name: "Certificate", Quantity: money.Int(1), Unit: "C62", Price: money.MustNew(2000, cur),
				Tax: invoicing.Tax{Category: invoicing.StandardRate, Rate: money.Int(19)}},
		},
	}
	if cur != money.EUR {
		inv.TaxCurrency, inv.FXRate = money.EUR, money.MustRate("0.92")
	}
	if tc != invoicing.CommercialInvoice {
		inv.Preceding = []invoicing.Reference{{Number: "SYN-0000", IssueDate: d("2025-03-01")}}
	}
	if err := inv.Calculate(money.HalfUp); err != nil {
		t.Fatal(err)
	}
	return inv
}

// LoadInput reads a *.input.json fixture and calculates it under rnd.
func LoadInput(t testing.TB, path string, rnd money.Rounding) invoicing.Invoice {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var inv invoicing.Invoice
	if err := json.Unmarshal(b, &inv); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := inv.Calculate(rnd); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return inv
}
