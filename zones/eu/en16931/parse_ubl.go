package en16931

import (
	"io"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

type ublAmount struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type ublTaxCat struct {
	ID     string `xml:"ID"`
	Rate   string `xml:"Percent"`
	Code   string `xml:"TaxExemptionReasonCode"`
	Reason string `xml:"TaxExemptionReason"`
}

type ublPartyX struct {
	Endpoint *schemed `xml:"Party>EndpointID"`
	ID       string   `xml:"Party>PartyIdentification>ID"`
	Address  struct {
		Line1       string `xml:"StreetName"`
		Line2       string `xml:"AdditionalStreetName"`
		City        string `xml:"CityName"`
		PostCode    string `xml:"PostalZone"`
		Subdivision string `xml:"CountrySubentity"`
		Country     string `xml:"Country>IdentificationCode"`
	} `xml:"Party>PostalAddress"`
	TaxSchemes []struct {
		CompanyID string `xml:"CompanyID"`
		Scheme    string `xml:"TaxScheme>ID"`
	} `xml:"Party>PartyTaxScheme"`
	Name    string `xml:"Party>PartyLegalEntity>RegistrationName"`
	LegalID string `xml:"Party>PartyLegalEntity>CompanyID"`
	Contact *struct {
		Name  string `xml:"Name"`
		Phone string `xml:"Telephone"`
		Email string `xml:"ElectronicMail"`
	} `xml:"Party>Contact"`
}

type ublLineX struct {
	ID       string    `xml:"ID"`
	Note     string    `xml:"Note"`
	Qty      *ublQty   `xml:"InvoicedQuantity"`
	CQty     *ublQty   `xml:"CreditedQuantity"`
	Net      ublAmount `xml:"LineExtensionAmount"`
	Name     string    `xml:"Item>Name"`
	SellerID string    `xml:"Item>SellersItemIdentification>ID"`
	Classes  []struct {
		ListID  string `xml:"listID,attr"`
		Version string `xml:"listVersionID,attr"`
		Code    string `xml:",chardata"`
	} `xml:"Item>CommodityClassification>ItemClassificationCode"`
	Tax   ublTaxCat `xml:"Item>ClassifiedTaxCategory"`
	Price ublAmount `xml:"Price>PriceAmount"`
}

type ublQty struct {
	Unit  string `xml:"unitCode,attr"`
	Value string `xml:",chardata"`
}

type ublDoc struct {
	Customization string   `xml:"CustomizationID"`
	Profile       string   `xml:"ProfileID"`
	ID            string   `xml:"ID"`
	IssueDate     string   `xml:"IssueDate"`
	DueDate       string   `xml:"DueDate"`
	TypeCode      string   `xml:"InvoiceTypeCode"`
	CNTypeCode    string   `xml:"CreditNoteTypeCode"`
	Notes         []string `xml:"Note"`
	Currency      string   `xml:"DocumentCurrencyCode"`
	TaxCurrency   string   `xml:"TaxCurrencyCode"`
	BuyerRef      string   `xml:"BuyerReference"`
	Order         string   `xml:"OrderReference>ID"`
	Refs          []struct {
		ID   string `xml:"ID"`
		Date string `xml:"IssueDate"`
	} `xml:"BillingReference>InvoiceDocumentReference"`
	Seller   ublPartyX `xml:"AccountingSupplierParty"`
	Buyer    ublPartyX `xml:"AccountingCustomerParty"`
	Delivery string    `xml:"Delivery>ActualDeliveryDate"`
	Means    *struct {
		Code        string `xml:"PaymentMeansCode"`
		Due         string `xml:"PaymentDueDate"`
		Reference   string `xml:"PaymentID"`
		IBAN        string `xml:"PayeeFinancialAccount>ID"`
		AccountName string `xml:"PayeeFinancialAccount>Name"`
		BIC         string `xml:"PayeeFinancialAccount>FinancialInstitutionBranch>ID"`
	} `xml:"PaymentMeans"`
	Terms string `xml:"PaymentTerms>Note"`
	Adjs  []struct {
		Indicator  string    `xml:"ChargeIndicator"`
		ReasonCode string    `xml:"AllowanceChargeReasonCode"`
		Reason     string    `xml:"AllowanceChargeReason"`
		Amount     ublAmount `xml:"Amount"`
		Tax        ublTaxCat `xml:"TaxCategory"`
	} `xml:"AllowanceCharge"`
	TaxTotals []struct {
		Amount    ublAmount `xml:"TaxAmount"`
		Subtotals []struct {
			Taxable ublAmount `xml:"TaxableAmount"`
			Tax     ublAmount `xml:"TaxAmount"`
			Cat     ublTaxCat `xml:"TaxCategory"`
		} `xml:"TaxSubtotal"`
	} `xml:"TaxTotal"`
	Sum struct {
		LineNet    ublAmount  `xml:"LineExtensionAmount"`
		TaxExcl    ublAmount  `xml:"TaxExclusiveAmount"`
		TaxIncl    ublAmount  `xml:"TaxInclusiveAmount"`
		Allowances *ublAmount `xml:"AllowanceTotalAmount"`
		Charges    *ublAmount `xml:"ChargeTotalAmount"`
		Prepaid    *ublAmount `xml:"PrepaidAmount"`
		Rounding   *ublAmount `xml:"PayableRoundingAmount"`
		Payable    ublAmount  `xml:"PayableAmount"`
	} `xml:"LegalMonetaryTotal"`
	Lines   []ublLineX `xml:"InvoiceLine"`
	CNLines []ublLineX `xml:"CreditNoteLine"`
}

// amt parses a UBL amount, which must be in cur.
func (p *fieldParser) ublAmt(elem string, a ublAmount, cur money.Currency) money.Amount {
	if money.Currency(a.Currency) != cur {
		p.fail(elem+"@currencyID", errCurrency(a.Currency))
	}
	return p.amountIn(elem, a.Value, cur)
}

func (p *fieldParser) ublOpt(elem string, a *ublAmount) money.Amount {
	if a == nil {
		return money.Zero(p.cur)
	}
	return p.ublAmt(elem, *a, p.cur)
}

// ParseUBL reads a UBL 2.1 Invoice or CreditNote and returns the invoice with
// its totals as stated, plus the profile it declares. It rejects DTDs and
// documents whose sums break the EN 16931 rules.
func ParseUBL(r io.Reader) (*invoicing.Invoice, Profile, error) {
	const file = "ubl"
	b, err := readDoc(r, file)
	if err != nil {
		return nil, Profile{}, err
	}
	var d ublDoc
	if err := unmarshal(b, &d, file); err != nil {
		return nil, Profile{}, err
	}
	cur := money.Currency(d.Currency)
	p := fieldParser{file: file, cur: cur}
	prof := Profile{SpecID: d.Customization, ProcessID: d.Profile}
	inv := &invoicing.Invoice{
		Number:         d.ID,
		TypeCode:       invoicing.TypeCode(d.TypeCode + d.CNTypeCode),
		IssueDate:      p.date("IssueDate", d.IssueDate, false),
		DueDate:        p.date("DueDate", d.DueDate, false),
		DeliveryDate:   p.date("ActualDeliveryDate", d.Delivery, false),
		Currency:       cur,
		TaxCurrency:    money.Currency(d.TaxCurrency),
		BuyerReference: d.BuyerRef,
		OrderReference: d.Order,
		Notes:          d.Notes,
		PaymentTerms:   d.Terms,
		Seller:         partyFromUBL(&d.Seller),
		Buyer:          partyFromUBL(&d.Buyer),
	}
	if m := d.Means; m != nil {
		inv.Payment = &invoicing.PaymentMeans{Code: m.Code, Reference: m.Reference, IBAN: m.IBAN,
			AccountName: m.AccountName, BIC: m.BIC}
		if m.Due != "" {
			inv.DueDate = p.date("PaymentDueDate", m.Due, false)
		}
	}
	for _, r := range d.Refs {
		inv.Preceding = append(inv.Preceding, invoicing.Reference{Number: r.ID, IssueDate: p.date("IssueDate", r.Date, false)})
	}
	for _, l := range append(d.Lines, d.CNLines...) {
		q := l.Qty
		if q == nil {
			q = l.CQty
		}
		if q == nil {
			q = &ublQty{}
		}
		line := invoicing.Line{ID: l.ID, Note: l.Note, Name: l.Name, SellerItemID: l.SellerID,
			Quantity: p.rate("InvoicedQuantity", q.Value), Unit: q.Unit,
			Price: p.ublAmt("PriceAmount", l.Price, cur), NetAmount: p.ublAmt("LineExtensionAmount", l.Net, cur),
			Tax: invoicing.Tax{Category: invoicing.Category(l.Tax.ID), Rate: p.rate("Percent", orZero(l.Tax.Rate))}}
		for _, c := range l.Classes {
			line.Classifications = append(line.Classifications,
				invoicing.Classification{Code: c.Code, ListID: c.ListID, Version: c.Version})
		}
		inv.Lines = append(inv.Lines, line)
	}
	for _, a := range d.Adjs {
		adj := invoicing.Adjustment{Amount: p.ublAmt("Amount", a.Amount, cur), Reason: a.Reason, ReasonCode: a.ReasonCode,
			Tax: invoicing.Tax{Category: invoicing.Category(a.Tax.ID), Rate: p.rate("Percent", orZero(a.Tax.Rate))}}
		if a.Indicator == "true" {
			inv.Charges = append(inv.Charges, adj)
		} else {
			inv.Allowances = append(inv.Allowances, adj)
		}
	}
	tot := &inv.Totals
	for _, tt := range d.TaxTotals {
		switch money.Currency(tt.Amount.Currency) {
		case cur:
			tot.VAT = p.ublAmt("TaxAmount", tt.Amount, cur)
			for _, s := range tt.Subtotals {
				inv.VAT = append(inv.VAT, invoicing.VATBreakdown{Category: invoicing.Category(s.Cat.ID),
					Rate: p.rate("Percent", orZero(s.Cat.Rate)), Taxable: p.ublAmt("TaxableAmount", s.Taxable, cur),
					Tax: p.ublAmt("TaxAmount", s.Tax, cur), ExemptionReason: s.Cat.Reason, ExemptionCode: s.Cat.Code})
			}
		case inv.TaxCurrency:
			tot.VATInTaxCur = p.ublAmt("TaxAmount", tt.Amount, inv.TaxCurrency)
		default:
			p.fail("TaxAmount", errCurrency(tt.Amount.Currency))
		}
	}
	tot.LineNet = p.ublAmt("LineExtensionAmount", d.Sum.LineNet, cur)
	tot.TaxExclusive = p.ublAmt("TaxExclusiveAmount", d.Sum.TaxExcl, cur)
	tot.TaxInclusive = p.ublAmt("TaxInclusiveAmount", d.Sum.TaxIncl, cur)
	tot.Allowances = p.ublOpt("AllowanceTotalAmount", d.Sum.Allowances)
	tot.Charges = p.ublOpt("ChargeTotalAmount", d.Sum.Charges)
	tot.Prepaid = p.ublOpt("PrepaidAmount", d.Sum.Prepaid)
	tot.Rounding = p.ublOpt("PayableRoundingAmount", d.Sum.Rounding)
	tot.Due = p.ublAmt("PayableAmount", d.Sum.Payable, cur)
	if p.err != nil {
		return nil, Profile{}, p.err
	}
	if err := finish(inv, file); err != nil {
		return nil, Profile{}, err
	}
	return inv, prof, nil
}

func partyFromUBL(x *ublPartyX) invoicing.Party {
	p := invoicing.Party{Name: x.Name, ID: x.ID, LegalID: x.LegalID, Address: invoicing.Address{
		Line1: x.Address.Line1, Line2: x.Address.Line2, City: x.Address.City, PostCode: x.Address.PostCode,
		Subdivision: x.Address.Subdivision, Country: x.Address.Country}}
	if x.Endpoint != nil {
		p.Endpoint = invoicing.Endpoint{Scheme: x.Endpoint.Scheme, ID: x.Endpoint.Value}
	}
	for _, t := range x.TaxSchemes {
		if t.Scheme == "VAT" {
			p.VATID = t.CompanyID
		} else {
			p.TaxID = t.CompanyID
		}
	}
	if c := x.Contact; c != nil {
		p.Contact = invoicing.Contact{Name: c.Name, Phone: c.Phone, Email: c.Email}
	}
	return p
}
