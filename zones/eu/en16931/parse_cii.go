package en16931

import (
	"io"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

type ciiID struct {
	ID string `xml:"ID"`
}

type ciiDate struct {
	S string `xml:"DateTimeString"`
}

type schemed struct {
	Scheme string `xml:"schemeID,attr"`
	Value  string `xml:",chardata"`
}

type ciiTaxX struct {
	Calculated      string `xml:"CalculatedAmount"`
	ExemptionReason string `xml:"ExemptionReason"`
	Basis           string `xml:"BasisAmount"`
	Category        string `xml:"CategoryCode"`
	ExemptionCode   string `xml:"ExemptionReasonCode"`
	Rate            string `xml:"RateApplicablePercent"`
}

type ciiPartyX struct {
	ID      string `xml:"ID"`
	Name    string `xml:"Name"`
	Legal   *ciiID `xml:"SpecifiedLegalOrganization"`
	Contact *struct {
		Name  string `xml:"PersonName"`
		Phone string `xml:"TelephoneUniversalCommunication>CompleteNumber"`
		Email string `xml:"EmailURIUniversalCommunication>URIID"`
	} `xml:"DefinedTradeContact"`
	Address struct {
		PostCode    string `xml:"PostcodeCode"`
		Line1       string `xml:"LineOne"`
		Line2       string `xml:"LineTwo"`
		City        string `xml:"CityName"`
		Country     string `xml:"CountryID"`
		Subdivision string `xml:"CountrySubDivisionName"`
	} `xml:"PostalTradeAddress"`
	URI *schemed  `xml:"URIUniversalCommunication>URIID"`
	Tax []schemed `xml:"SpecifiedTaxRegistration>ID"`
}

type ciiAdjX struct {
	Indicator  string  `xml:"ChargeIndicator>Indicator"`
	Amount     string  `xml:"ActualAmount"`
	ReasonCode string  `xml:"ReasonCode"`
	Reason     string  `xml:"Reason"`
	Tax        ciiTaxX `xml:"CategoryTradeTax"`
}

type ciiDoc struct {
	Process   *ciiID `xml:"ExchangedDocumentContext>BusinessProcessSpecifiedDocumentContextParameter"`
	Guideline ciiID  `xml:"ExchangedDocumentContext>GuidelineSpecifiedDocumentContextParameter"`
	Doc       struct {
		ID       string   `xml:"ID"`
		TypeCode string   `xml:"TypeCode"`
		Issue    ciiDate  `xml:"IssueDateTime"`
		Notes    []string `xml:"IncludedNote>Content"`
	} `xml:"ExchangedDocument"`
	Lines []struct {
		LineID  string `xml:"AssociatedDocumentLineDocument>LineID"`
		Note    string `xml:"AssociatedDocumentLineDocument>IncludedNote>Content"`
		Product struct {
			SellerID string `xml:"SellerAssignedID"`
			Name     string `xml:"Name"`
			Classes  []struct {
				ListID  string `xml:"listID,attr"`
				Version string `xml:"listVersionID,attr"`
				Code    string `xml:",chardata"`
			} `xml:"DesignatedProductClassification>ClassCode"`
		} `xml:"SpecifiedTradeProduct"`
		Price string `xml:"SpecifiedLineTradeAgreement>NetPriceProductTradePrice>ChargeAmount"`
		Qty   struct {
			Unit  string `xml:"unitCode,attr"`
			Value string `xml:",chardata"`
		} `xml:"SpecifiedLineTradeDelivery>BilledQuantity"`
		Tax   ciiTaxX `xml:"SpecifiedLineTradeSettlement>ApplicableTradeTax"`
		Total string  `xml:"SpecifiedLineTradeSettlement>SpecifiedTradeSettlementLineMonetarySummation>LineTotalAmount"`
	} `xml:"SupplyChainTradeTransaction>IncludedSupplyChainTradeLineItem"`
	Agreement struct {
		BuyerReference string    `xml:"BuyerReference"`
		Seller         ciiPartyX `xml:"SellerTradeParty"`
		Buyer          ciiPartyX `xml:"BuyerTradeParty"`
		Order          string    `xml:"BuyerOrderReferencedDocument>IssuerAssignedID"`
	} `xml:"SupplyChainTradeTransaction>ApplicableHeaderTradeAgreement"`
	Delivery   ciiDate `xml:"SupplyChainTradeTransaction>ApplicableHeaderTradeDelivery>ActualDeliverySupplyChainEvent>OccurrenceDateTime"`
	Settlement struct {
		PaymentReference string `xml:"PaymentReference"`
		TaxCurrency      string `xml:"TaxCurrencyCode"`
		Currency         string `xml:"InvoiceCurrencyCode"`
		Means            *struct {
			Code        string `xml:"TypeCode"`
			IBAN        string `xml:"PayeePartyCreditorFinancialAccount>IBANID"`
			AccountName string `xml:"PayeePartyCreditorFinancialAccount>AccountName"`
			BIC         string `xml:"PayeeSpecifiedCreditorFinancialInstitution>BICID"`
		} `xml:"SpecifiedTradeSettlementPaymentMeans"`
		Taxes []ciiTaxX `xml:"ApplicableTradeTax"`
		Adjs  []ciiAdjX `xml:"SpecifiedTradeAllowanceCharge"`
		Terms *struct {
			Description string  `xml:"Description"`
			Due         ciiDate `xml:"DueDateDateTime"`
		} `xml:"SpecifiedTradePaymentTerms"`
		Sum struct {
			LineTotal      string `xml:"LineTotalAmount"`
			ChargeTotal    string `xml:"ChargeTotalAmount"`
			AllowanceTotal string `xml:"AllowanceTotalAmount"`
			TaxBasis       string `xml:"TaxBasisTotalAmount"`
			TaxTotals      []struct {
				Currency string `xml:"currencyID,attr"`
				Value    string `xml:",chardata"`
			} `xml:"TaxTotalAmount"`
			Rounding string `xml:"RoundingAmount"`
			Grand    string `xml:"GrandTotalAmount"`
			Prepaid  string `xml:"TotalPrepaidAmount"`
			Due      string `xml:"DuePayableAmount"`
		} `xml:"SpecifiedTradeSettlementHeaderMonetarySummation"`
		Refs []struct {
			ID   string  `xml:"IssuerAssignedID"`
			Date ciiDate `xml:"FormattedIssueDateTime"`
		} `xml:"InvoiceReferencedDocument"`
	} `xml:"SupplyChainTradeTransaction>ApplicableHeaderTradeSettlement"`
}

// ParseCII reads a CII D16B invoice at the EN 16931 (or BASIC) level and
// returns the invoice with its totals as stated, plus the profile it declares.
// It rejects DTDs and documents whose sums break the EN 16931 rules.
func ParseCII(r io.Reader) (*invoicing.Invoice, Profile, error) {
	const file = "cii"
	b, err := readDoc(r, file)
	if err != nil {
		return nil, Profile{}, err
	}
	var d ciiDoc
	if err := unmarshal(b, &d, file); err != nil {
		return nil, Profile{}, err
	}
	cur := money.Currency(d.Settlement.Currency)
	p := fieldParser{file: file, cur: cur}
	prof := Profile{SpecID: d.Guideline.ID}
	if d.Process != nil {
		prof.ProcessID = d.Process.ID
	}
	if prof.SpecID == SpecFXBasic {
		prof.Level = Basic
	}
	s := &d.Settlement
	inv := &invoicing.Invoice{
		Number:         d.Doc.ID,
		TypeCode:       invoicing.TypeCode(d.Doc.TypeCode),
		IssueDate:      p.date("IssueDateTime", d.Doc.Issue.S, true),
		DeliveryDate:   p.date("OccurrenceDateTime", d.Delivery.S, true),
		Currency:       cur,
		TaxCurrency:    money.Currency(s.TaxCurrency),
		BuyerReference: d.Agreement.BuyerReference,
		OrderReference: d.Agreement.Order,
		Notes:          d.Doc.Notes,
		Seller:         partyFromCII(&d.Agreement.Seller),
		Buyer:          partyFromCII(&d.Agreement.Buyer),
	}
	if s.Terms != nil {
		inv.PaymentTerms = s.Terms.Description
		inv.DueDate = p.date("DueDateDateTime", s.Terms.Due.S, true)
	}
	if m := s.Means; m != nil {
		inv.Payment = &invoicing.PaymentMeans{Code: m.Code, Reference: s.PaymentReference,
			IBAN: m.IBAN, AccountName: m.AccountName, BIC: m.BIC}
	}
	for _, r := range s.Refs {
		inv.Preceding = append(inv.Preceding, invoicing.Reference{Number: r.ID,
			IssueDate: p.date("FormattedIssueDateTime", r.Date.S, true)})
	}
	for _, l := range d.Lines {
		line := invoicing.Line{ID: l.LineID, Note: l.Note, Name: l.Product.Name, SellerItemID: l.Product.SellerID,
			Quantity: p.rate("BilledQuantity", l.Qty.Value), Unit: l.Qty.Unit,
			Price: p.amount("ChargeAmount", l.Price), Tax: ciiLineTax(&p, l.Tax),
			NetAmount: p.amount("LineTotalAmount", l.Total)}
		for _, c := range l.Product.Classes {
			line.Classifications = append(line.Classifications,
				invoicing.Classification{Code: c.Code, ListID: c.ListID, Version: c.Version})
		}
		inv.Lines = append(inv.Lines, line)
	}
	for _, a := range s.Adjs {
		adj := invoicing.Adjustment{Amount: p.amount("ActualAmount", a.Amount), Reason: a.Reason,
			ReasonCode: a.ReasonCode, Tax: ciiLineTax(&p, a.Tax)}
		if a.Indicator == "true" {
			inv.Charges = append(inv.Charges, adj)
		} else {
			inv.Allowances = append(inv.Allowances, adj)
		}
	}
	for _, t := range s.Taxes {
		inv.VAT = append(inv.VAT, invoicing.VATBreakdown{Category: invoicing.Category(t.Category),
			Rate: p.rate("RateApplicablePercent", orZero(t.Rate)), Taxable: p.amount("BasisAmount", t.Basis),
			Tax: p.amount("CalculatedAmount", t.Calculated), ExemptionReason: t.ExemptionReason,
			ExemptionCode: t.ExemptionCode})
	}
	m := &s.Sum
	tot := &inv.Totals
	tot.LineNet = p.amount("LineTotalAmount", m.LineTotal)
	tot.Charges = p.amount("ChargeTotalAmount", orZero(m.ChargeTotal))
	tot.Allowances = p.amount("AllowanceTotalAmount", orZero(m.AllowanceTotal))
	tot.TaxExclusive = p.amount("TaxBasisTotalAmount", m.TaxBasis)
	tot.Rounding = p.amount("RoundingAmount", orZero(m.Rounding))
	tot.TaxInclusive = p.amount("GrandTotalAmount", m.Grand)
	tot.Prepaid = p.amount("TotalPrepaidAmount", orZero(m.Prepaid))
	tot.Due = p.amount("DuePayableAmount", m.Due)
	for _, tt := range m.TaxTotals {
		switch money.Currency(tt.Currency) {
		case cur:
			tot.VAT = p.amount("TaxTotalAmount", tt.Value)
		case inv.TaxCurrency:
			tot.VATInTaxCur = p.amountIn("TaxTotalAmount", tt.Value, inv.TaxCurrency)
		default:
			p.fail("TaxTotalAmount", errCurrency(tt.Currency))
		}
	}
	if p.err != nil {
		return nil, Profile{}, p.err
	}
	if err := finish(inv, file); err != nil {
		return nil, Profile{}, err
	}
	return inv, prof, nil
}

func ciiLineTax(p *fieldParser, t ciiTaxX) invoicing.Tax {
	return invoicing.Tax{Category: invoicing.Category(t.Category), Rate: p.rate("RateApplicablePercent", orZero(t.Rate))}
}

func partyFromCII(x *ciiPartyX) invoicing.Party {
	p := invoicing.Party{Name: x.Name, ID: x.ID, Address: invoicing.Address{Line1: x.Address.Line1,
		Line2: x.Address.Line2, City: x.Address.City, PostCode: x.Address.PostCode,
		Subdivision: x.Address.Subdivision, Country: x.Address.Country}}
	if x.Legal != nil {
		p.LegalID = x.Legal.ID
	}
	if c := x.Contact; c != nil {
		p.Contact = invoicing.Contact{Name: c.Name, Phone: c.Phone, Email: c.Email}
	}
	if x.URI != nil {
		p.Endpoint = invoicing.Endpoint{Scheme: x.URI.Scheme, ID: x.URI.Value}
	}
	for _, t := range x.Tax {
		switch t.Scheme {
		case "VA":
			p.VATID = t.Value
		case "FC":
			p.TaxID = t.Value
		}
	}
	return p
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}
