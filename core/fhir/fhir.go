// Package fhir renders the hub's billing records as FHIR R4 resources:
// Invoice (the canonical form of an issued invoice) and ChargeItem.
package fhir

import (
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

// Money is FHIR Money: the value is a JSON number written from the exact
// decimal digits, never through a float.
type Money struct {
	Value    Decimal        `json:"value"`
	Currency money.Currency `json:"currency"`
}

// Decimal is an exact decimal written as a bare JSON number, never a float.
type Decimal string

// MarshalJSON writes the digits as a JSON number.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d), nil }

// MoneyOf renders an amount.
func MoneyOf(a money.Amount) Money { return Money{Value: Decimal(a.Number()), Currency: a.Currency()} }

// Identifier is a FHIR Identifier.
type Identifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

// Reference is a FHIR Reference.
type Reference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

// Coding is a FHIR Coding.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is a FHIR CodeableConcept.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// PriceComponent is Invoice.lineItem.priceComponent.
type PriceComponent struct {
	Type   string           `json:"type"` // base | surcharge | deduction | discount | tax | informational
	Code   *CodeableConcept `json:"code,omitempty"`
	Factor *Decimal         `json:"factor,omitempty"`
	Amount Money            `json:"amount"`
}

// LineItem is Invoice.lineItem.
type LineItem struct {
	Sequence                  int              `json:"sequence"`
	ChargeItemCodeableConcept CodeableConcept  `json:"chargeItemCodeableConcept"`
	PriceComponent            []PriceComponent `json:"priceComponent"`
}

// Invoice is a FHIR R4 Invoice.
type Invoice struct {
	ResourceType        string           `json:"resourceType"`
	ID                  string           `json:"id,omitempty"`
	Identifier          []Identifier     `json:"identifier"`
	Status              string           `json:"status"`
	Type                CodeableConcept  `json:"type"`
	Recipient           Reference        `json:"recipient"`
	Issuer              Reference        `json:"issuer"`
	Date                string           `json:"date"`
	LineItem            []LineItem       `json:"lineItem"`
	TotalPriceComponent []PriceComponent `json:"totalPriceComponent,omitempty"`
	TotalNet            Money            `json:"totalNet"`
	TotalGross          Money            `json:"totalGross"`
	PaymentTerms        string           `json:"paymentTerms,omitempty"`
	Note                []Annotation     `json:"note,omitempty"`
}

// Annotation is a FHIR Annotation.
type Annotation struct {
	Text string `json:"text"`
}

// InvoiceSystem is the identifier system of hub invoice numbers.
const InvoiceSystem = "urn:revhub:invoice-number"

// InvoiceOf renders a calculated invoice as FHIR Invoice (status issued).
func InvoiceOf(inv *invoicing.Invoice) Invoice {
	out := Invoice{
		ResourceType: "Invoice",
		Identifier:   []Identifier{{System: InvoiceSystem, Value: inv.Number}},
		Status:       "issued",
		Type:         CodeableConcept{Coding: []Coding{{System: "urn:un:unece:uncefact:codelist:1001", Code: string(inv.TypeCode)}}},
		Recipient:    Reference{Display: inv.Buyer.Name},
		Issuer:       Reference{Display: inv.Seller.Name},
		Date:         inv.IssueDate.String(),
		TotalNet:     MoneyOf(inv.Totals.TaxExclusive),
		TotalGross:   MoneyOf(inv.Totals.TaxInclusive),
		PaymentTerms: inv.PaymentTerms,
	}
	for _, n := range inv.Notes {
		out.Note = append(out.Note, Annotation{Text: n})
	}
	for i, l := range inv.Lines {
		code := CodeableConcept{Text: l.Name}
		if l.SellerItemID != "" {
			code.Coding = []Coding{{Code: l.SellerItemID, Display: l.Name}}
		}
		q := Decimal(l.Quantity.String())
		out.LineItem = append(out.LineItem, LineItem{Sequence: i + 1, ChargeItemCodeableConcept: code,
			PriceComponent: []PriceComponent{{Type: "base", Factor: &q, Amount: MoneyOf(l.NetAmount)}}})
	}
	for _, v := range inv.VAT {
		out.TotalPriceComponent = append(out.TotalPriceComponent, PriceComponent{Type: "tax",
			Code:   &CodeableConcept{Coding: []Coding{{System: "urn:un:unece:uncefact:codelist:5305", Code: string(v.Category)}}, Text: v.Rate.String() + "%"},
			Amount: MoneyOf(v.Tax)})
	}
	return out
}
