package en16931

import (
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/zones/eu/en16931/xmlw"
)

const (
	ublNS = ` xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"` +
		` xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">`
	ublInvoiceRoot    = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"` + ublNS
	ublCreditNoteRoot = `<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"` + ublNS
)

// AppendUBL appends inv as a UBL 2.1 Invoice, or CreditNote for type code
// 381, under profile p (Level is ignored). inv must be calculated and valid.
func AppendUBL(dst []byte, inv *invoicing.Invoice, p Profile) []byte {
	credit := inv.TypeCode == invoicing.CreditNote
	w := xmlw.Writer{B: dst}
	w.B = append(w.B, xmlw.Decl...)
	w.B = append(w.B, '\n')
	if credit {
		w.B = append(w.B, ublCreditNoteRoot...)
	} else {
		w.B = append(w.B, ublInvoiceRoot...)
	}
	w.Depth = 1
	w.Leaf("cbc:CustomizationID", p.SpecID)
	w.Opt("cbc:ProfileID", p.ProcessID)
	w.Leaf("cbc:ID", inv.Number)
	w.IsoDate("cbc:IssueDate", inv.IssueDate)
	if credit {
		w.Leaf("cbc:CreditNoteTypeCode", string(inv.TypeCode))
	} else {
		if !inv.DueDate.IsZero() {
			w.IsoDate("cbc:DueDate", inv.DueDate)
		}
		w.Leaf("cbc:InvoiceTypeCode", string(inv.TypeCode))
	}
	for _, n := range inv.Notes {
		w.Leaf("cbc:Note", n)
	}
	w.Leaf("cbc:DocumentCurrencyCode", string(inv.Currency))
	if inv.HasTaxCurrency() {
		w.Leaf("cbc:TaxCurrencyCode", string(inv.TaxCurrency))
	}
	w.Opt("cbc:BuyerReference", inv.BuyerReference)
	if inv.OrderReference != "" {
		w.Open("cac:OrderReference")
		w.Leaf("cbc:ID", inv.OrderReference)
		w.Close("cac:OrderReference")
	}
	for _, r := range inv.Preceding {
		w.Open("cac:BillingReference")
		w.Open("cac:InvoiceDocumentReference")
		w.Leaf("cbc:ID", r.Number)
		if !r.IssueDate.IsZero() {
			w.IsoDate("cbc:IssueDate", r.IssueDate)
		}
		w.Close("cac:InvoiceDocumentReference")
		w.Close("cac:BillingReference")
	}
	ublParty(&w, "cac:AccountingSupplierParty", &inv.Seller)
	ublParty(&w, "cac:AccountingCustomerParty", &inv.Buyer)
	if !inv.DeliveryDate.IsZero() {
		w.Open("cac:Delivery")
		w.IsoDate("cbc:ActualDeliveryDate", inv.DeliveryDate)
		w.Close("cac:Delivery")
	}
	if pm := inv.Payment; pm != nil {
		w.Open("cac:PaymentMeans")
		w.Leaf("cbc:PaymentMeansCode", pm.Code)
		if credit && !inv.DueDate.IsZero() {
			w.IsoDate("cbc:PaymentDueDate", inv.DueDate)
		}
		w.Opt("cbc:PaymentID", pm.Reference)
		if pm.IBAN != "" {
			w.Open("cac:PayeeFinancialAccount")
			w.Leaf("cbc:ID", pm.IBAN)
			w.Opt("cbc:Name", pm.AccountName)
			if pm.BIC != "" {
				w.Open("cac:FinancialInstitutionBranch")
				w.Leaf("cbc:ID", pm.BIC)
				w.Close("cac:FinancialInstitutionBranch")
			}
			w.Close("cac:PayeeFinancialAccount")
		}
		w.Close("cac:PaymentMeans")
	}
	if inv.PaymentTerms != "" {
		w.Open("cac:PaymentTerms")
		w.Leaf("cbc:Note", inv.PaymentTerms)
		w.Close("cac:PaymentTerms")
	}
	ublAdjustments(&w, inv.Allowances, "false")
	ublAdjustments(&w, inv.Charges, "true")
	t := &inv.Totals
	w.Open("cac:TaxTotal")
	w.AmountCur("cbc:TaxAmount", t.VAT)
	for i := range inv.VAT {
		v := &inv.VAT[i]
		w.Open("cac:TaxSubtotal")
		w.AmountCur("cbc:TaxableAmount", v.Taxable)
		w.AmountCur("cbc:TaxAmount", v.Tax)
		ublTaxCategory(&w, "cac:TaxCategory", invoicing.Tax{Category: v.Category, Rate: v.Rate,
			ExemptionReason: v.ExemptionReason, ExemptionCode: v.ExemptionCode})
		w.Close("cac:TaxSubtotal")
	}
	w.Close("cac:TaxTotal")
	if inv.HasTaxCurrency() {
		w.Open("cac:TaxTotal")
		w.AmountCur("cbc:TaxAmount", t.VATInTaxCur)
		w.Close("cac:TaxTotal")
	}
	w.Open("cac:LegalMonetaryTotal")
	w.AmountCur("cbc:LineExtensionAmount", t.LineNet)
	w.AmountCur("cbc:TaxExclusiveAmount", t.TaxExclusive)
	w.AmountCur("cbc:TaxInclusiveAmount", t.TaxInclusive)
	if len(inv.Allowances) > 0 {
		w.AmountCur("cbc:AllowanceTotalAmount", t.Allowances)
	}
	if len(inv.Charges) > 0 {
		w.AmountCur("cbc:ChargeTotalAmount", t.Charges)
	}
	if !t.Prepaid.IsZero() {
		w.AmountCur("cbc:PrepaidAmount", t.Prepaid)
	}
	if !t.Rounding.IsZero() {
		w.AmountCur("cbc:PayableRoundingAmount", t.Rounding)
	}
	w.AmountCur("cbc:PayableAmount", t.Due)
	w.Close("cac:LegalMonetaryTotal")
	lineTag, qtyTag := "cac:InvoiceLine", "cbc:InvoicedQuantity"
	if credit {
		lineTag, qtyTag = "cac:CreditNoteLine", "cbc:CreditedQuantity"
	}
	for i := range inv.Lines {
		ublLine(&w, &inv.Lines[i], lineTag, qtyTag)
	}
	w.Depth = 0
	w.Nl()
	if credit {
		w.B = append(w.B, "</CreditNote>\n"...)
	} else {
		w.B = append(w.B, "</Invoice>\n"...)
	}
	return w.B
}

func ublParty(w *xmlw.Writer, tag string, p *invoicing.Party) {
	w.Open(tag)
	w.Open("cac:Party")
	if p.Endpoint.ID != "" {
		w.LeafAttr("cbc:EndpointID", "schemeID", p.Endpoint.Scheme, p.Endpoint.ID)
	}
	if p.ID != "" {
		w.Open("cac:PartyIdentification")
		w.Leaf("cbc:ID", p.ID)
		w.Close("cac:PartyIdentification")
	}
	a := &p.Address
	w.Open("cac:PostalAddress")
	w.Opt("cbc:StreetName", a.Line1)
	w.Opt("cbc:AdditionalStreetName", a.Line2)
	w.Opt("cbc:CityName", a.City)
	w.Opt("cbc:PostalZone", a.PostCode)
	w.Opt("cbc:CountrySubentity", a.Subdivision)
	w.Open("cac:Country")
	w.Leaf("cbc:IdentificationCode", a.Country)
	w.Close("cac:Country")
	w.Close("cac:PostalAddress")
	for _, tx := range [2][2]string{{p.VATID, "VAT"}, {p.TaxID, "FC"}} {
		if tx[0] == "" {
			continue
		}
		w.Open("cac:PartyTaxScheme")
		w.Leaf("cbc:CompanyID", tx[0])
		w.Open("cac:TaxScheme")
		w.Leaf("cbc:ID", tx[1])
		w.Close("cac:TaxScheme")
		w.Close("cac:PartyTaxScheme")
	}
	w.Open("cac:PartyLegalEntity")
	w.Leaf("cbc:RegistrationName", p.Name)
	w.Opt("cbc:CompanyID", p.LegalID)
	w.Close("cac:PartyLegalEntity")
	if p.Contact != (invoicing.Contact{}) {
		w.Open("cac:Contact")
		w.Opt("cbc:Name", p.Contact.Name)
		w.Opt("cbc:Telephone", p.Contact.Phone)
		w.Opt("cbc:ElectronicMail", p.Contact.Email)
		w.Close("cac:Contact")
	}
	w.Close("cac:Party")
	w.Close(tag)
}

func ublTaxCategory(w *xmlw.Writer, tag string, t invoicing.Tax) {
	w.Open(tag)
	w.Leaf("cbc:ID", string(t.Category))
	if t.Category != invoicing.OutsideTaxScope {
		w.Rate("cbc:Percent", t.Rate)
	}
	w.Opt("cbc:TaxExemptionReasonCode", t.ExemptionCode)
	w.Opt("cbc:TaxExemptionReason", t.ExemptionReason)
	w.Open("cac:TaxScheme")
	w.Leaf("cbc:ID", "VAT")
	w.Close("cac:TaxScheme")
	w.Close(tag)
}

func ublAdjustments(w *xmlw.Writer, list []invoicing.Adjustment, charge string) {
	for i := range list {
		a := &list[i]
		w.Open("cac:AllowanceCharge")
		w.Leaf("cbc:ChargeIndicator", charge)
		w.Opt("cbc:AllowanceChargeReasonCode", a.ReasonCode)
		w.Opt("cbc:AllowanceChargeReason", a.Reason)
		w.AmountCur("cbc:Amount", a.Amount)
		ublTaxCategory(w, "cac:TaxCategory", invoicing.Tax{Category: a.Tax.Category, Rate: a.Tax.Rate})
		w.Close("cac:AllowanceCharge")
	}
}

func ublLine(w *xmlw.Writer, l *invoicing.Line, tag, qtyTag string) {
	w.Open(tag)
	w.Leaf("cbc:ID", l.ID)
	w.Opt("cbc:Note", l.Note)
	w.Start(qtyTag)
	w.Attr("unitCode", l.Unit)
	w.B = append(w.B, '>')
	w.B = append(w.B, l.Quantity.String()...)
	w.End(qtyTag)
	w.AmountCur("cbc:LineExtensionAmount", l.NetAmount)
	w.Open("cac:Item")
	w.Leaf("cbc:Name", l.Name)
	if l.SellerItemID != "" {
		w.Open("cac:SellersItemIdentification")
		w.Leaf("cbc:ID", l.SellerItemID)
		w.Close("cac:SellersItemIdentification")
	}
	for _, c := range l.Classifications {
		w.Open("cac:CommodityClassification")
		w.Start("cbc:ItemClassificationCode")
		w.Attr("listID", c.ListID)
		if c.Version != "" {
			w.Attr("listVersionID", c.Version)
		}
		w.B = append(w.B, '>')
		w.B = xmlw.Escape(w.B, c.Code, false)
		w.End("cbc:ItemClassificationCode")
		w.Close("cac:CommodityClassification")
	}
	ublTaxCategory(w, "cac:ClassifiedTaxCategory", invoicing.Tax{Category: l.Tax.Category, Rate: l.Tax.Rate})
	w.Close("cac:Item")
	w.Open("cac:Price")
	w.AmountCur("cbc:PriceAmount", l.Price)
	w.Close("cac:Price")
	w.Close(tag)
}
