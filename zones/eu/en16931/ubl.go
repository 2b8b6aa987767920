package en16931

import (
	"github.com/revhub/revhub/core/invoicing"
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
	w := xw{b: dst}
	w.b = append(w.b, xmlDecl...)
	w.b = append(w.b, '\n')
	if credit {
		w.b = append(w.b, ublCreditNoteRoot...)
	} else {
		w.b = append(w.b, ublInvoiceRoot...)
	}
	w.depth = 1
	w.leaf("cbc:CustomizationID", p.SpecID)
	w.opt("cbc:ProfileID", p.ProcessID)
	w.leaf("cbc:ID", inv.Number)
	w.isoDate("cbc:IssueDate", inv.IssueDate)
	if credit {
		w.leaf("cbc:CreditNoteTypeCode", string(inv.TypeCode))
	} else {
		if !inv.DueDate.IsZero() {
			w.isoDate("cbc:DueDate", inv.DueDate)
		}
		w.leaf("cbc:InvoiceTypeCode", string(inv.TypeCode))
	}
	for _, n := range inv.Notes {
		w.leaf("cbc:Note", n)
	}
	w.leaf("cbc:DocumentCurrencyCode", string(inv.Currency))
	if inv.HasTaxCurrency() {
		w.leaf("cbc:TaxCurrencyCode", string(inv.TaxCurrency))
	}
	w.opt("cbc:BuyerReference", inv.BuyerReference)
	if inv.OrderReference != "" {
		w.open("cac:OrderReference")
		w.leaf("cbc:ID", inv.OrderReference)
		w.close("cac:OrderReference")
	}
	for _, r := range inv.Preceding {
		w.open("cac:BillingReference")
		w.open("cac:InvoiceDocumentReference")
		w.leaf("cbc:ID", r.Number)
		if !r.IssueDate.IsZero() {
			w.isoDate("cbc:IssueDate", r.IssueDate)
		}
		w.close("cac:InvoiceDocumentReference")
		w.close("cac:BillingReference")
	}
	ublParty(&w, "cac:AccountingSupplierParty", &inv.Seller)
	ublParty(&w, "cac:AccountingCustomerParty", &inv.Buyer)
	if !inv.DeliveryDate.IsZero() {
		w.open("cac:Delivery")
		w.isoDate("cbc:ActualDeliveryDate", inv.DeliveryDate)
		w.close("cac:Delivery")
	}
	if pm := inv.Payment; pm != nil {
		w.open("cac:PaymentMeans")
		w.leaf("cbc:PaymentMeansCode", pm.Code)
		if credit && !inv.DueDate.IsZero() {
			w.isoDate("cbc:PaymentDueDate", inv.DueDate)
		}
		w.opt("cbc:PaymentID", pm.Reference)
		if pm.IBAN != "" {
			w.open("cac:PayeeFinancialAccount")
			w.leaf("cbc:ID", pm.IBAN)
			w.opt("cbc:Name", pm.AccountName)
			if pm.BIC != "" {
				w.open("cac:FinancialInstitutionBranch")
				w.leaf("cbc:ID", pm.BIC)
				w.close("cac:FinancialInstitutionBranch")
			}
			w.close("cac:PayeeFinancialAccount")
		}
		w.close("cac:PaymentMeans")
	}
	if inv.PaymentTerms != "" {
		w.open("cac:PaymentTerms")
		w.leaf("cbc:Note", inv.PaymentTerms)
		w.close("cac:PaymentTerms")
	}
	ublAdjustments(&w, inv.Allowances, "false")
	ublAdjustments(&w, inv.Charges, "true")
	t := &inv.Totals
	w.open("cac:TaxTotal")
	w.amountCur("cbc:TaxAmount", t.VAT)
	for i := range inv.VAT {
		v := &inv.VAT[i]
		w.open("cac:TaxSubtotal")
		w.amountCur("cbc:TaxableAmount", v.Taxable)
		w.amountCur("cbc:TaxAmount", v.Tax)
		ublTaxCategory(&w, "cac:TaxCategory", invoicing.Tax{Category: v.Category, Rate: v.Rate,
			ExemptionReason: v.ExemptionReason, ExemptionCode: v.ExemptionCode})
		w.close("cac:TaxSubtotal")
	}
	w.close("cac:TaxTotal")
	if inv.HasTaxCurrency() {
		w.open("cac:TaxTotal")
		w.amountCur("cbc:TaxAmount", t.VATInTaxCur)
		w.close("cac:TaxTotal")
	}
	w.open("cac:LegalMonetaryTotal")
	w.amountCur("cbc:LineExtensionAmount", t.LineNet)
	w.amountCur("cbc:TaxExclusiveAmount", t.TaxExclusive)
	w.amountCur("cbc:TaxInclusiveAmount", t.TaxInclusive)
	if len(inv.Allowances) > 0 {
		w.amountCur("cbc:AllowanceTotalAmount", t.Allowances)
	}
	if len(inv.Charges) > 0 {
		w.amountCur("cbc:ChargeTotalAmount", t.Charges)
	}
	if !t.Prepaid.IsZero() {
		w.amountCur("cbc:PrepaidAmount", t.Prepaid)
	}
	if !t.Rounding.IsZero() {
		w.amountCur("cbc:PayableRoundingAmount", t.Rounding)
	}
	w.amountCur("cbc:PayableAmount", t.Due)
	w.close("cac:LegalMonetaryTotal")
	lineTag, qtyTag := "cac:InvoiceLine", "cbc:InvoicedQuantity"
	if credit {
		lineTag, qtyTag = "cac:CreditNoteLine", "cbc:CreditedQuantity"
	}
	for i := range inv.Lines {
		ublLine(&w, &inv.Lines[i], lineTag, qtyTag)
	}
	w.depth = 0
	w.nl()
	if credit {
		w.b = append(w.b, "</CreditNote>\n"...)
	} else {
		w.b = append(w.b, "</Invoice>\n"...)
	}
	return w.b
}

func ublParty(w *xw, tag string, p *invoicing.Party) {
	w.open(tag)
	w.open("cac:Party")
	if p.Endpoint.ID != "" {
		w.leafAttr("cbc:EndpointID", "schemeID", p.Endpoint.Scheme, p.Endpoint.ID)
	}
	if p.ID != "" {
		w.open("cac:PartyIdentification")
		w.leaf("cbc:ID", p.ID)
		w.close("cac:PartyIdentification")
	}
	a := &p.Address
	w.open("cac:PostalAddress")
	w.opt("cbc:StreetName", a.Line1)
	w.opt("cbc:AdditionalStreetName", a.Line2)
	w.opt("cbc:CityName", a.City)
	w.opt("cbc:PostalZone", a.PostCode)
	w.opt("cbc:CountrySubentity", a.Subdivision)
	w.open("cac:Country")
	w.leaf("cbc:IdentificationCode", a.Country)
	w.close("cac:Country")
	w.close("cac:PostalAddress")
	for _, tx := range [2][2]string{{p.VATID, "VAT"}, {p.TaxID, "FC"}} {
		if tx[0] == "" {
			continue
		}
		w.open("cac:PartyTaxScheme")
		w.leaf("cbc:CompanyID", tx[0])
		w.open("cac:TaxScheme")
		w.leaf("cbc:ID", tx[1])
		w.close("cac:TaxScheme")
		w.close("cac:PartyTaxScheme")
	}
	w.open("cac:PartyLegalEntity")
	w.leaf("cbc:RegistrationName", p.Name)
	w.opt("cbc:CompanyID", p.LegalID)
	w.close("cac:PartyLegalEntity")
	if p.Contact != (invoicing.Contact{}) {
		w.open("cac:Contact")
		w.opt("cbc:Name", p.Contact.Name)
		w.opt("cbc:Telephone", p.Contact.Phone)
		w.opt("cbc:ElectronicMail", p.Contact.Email)
		w.close("cac:Contact")
	}
	w.close("cac:Party")
	w.close(tag)
}

func ublTaxCategory(w *xw, tag string, t invoicing.Tax) {
	w.open(tag)
	w.leaf("cbc:ID", string(t.Category))
	if t.Category != invoicing.OutsideTaxScope {
		w.rate("cbc:Percent", t.Rate)
	}
	w.opt("cbc:TaxExemptionReasonCode", t.ExemptionCode)
	w.opt("cbc:TaxExemptionReason", t.ExemptionReason)
	w.open("cac:TaxScheme")
	w.leaf("cbc:ID", "VAT")
	w.close("cac:TaxScheme")
	w.close(tag)
}

func ublAdjustments(w *xw, list []invoicing.Adjustment, charge string) {
	for i := range list {
		a := &list[i]
		w.open("cac:AllowanceCharge")
		w.leaf("cbc:ChargeIndicator", charge)
		w.opt("cbc:AllowanceChargeReasonCode", a.ReasonCode)
		w.opt("cbc:AllowanceChargeReason", a.Reason)
		w.amountCur("cbc:Amount", a.Amount)
		ublTaxCategory(w, "cac:TaxCategory", invoicing.Tax{Category: a.Tax.Category, Rate: a.Tax.Rate})
		w.close("cac:AllowanceCharge")
	}
}

func ublLine(w *xw, l *invoicing.Line, tag, qtyTag string) {
	w.open(tag)
	w.leaf("cbc:ID", l.ID)
	w.opt("cbc:Note", l.Note)
	w.start(qtyTag)
	w.attr("unitCode", l.Unit)
	w.b = append(w.b, '>')
	w.b = append(w.b, l.Quantity.String()...)
	w.end(qtyTag)
	w.amountCur("cbc:LineExtensionAmount", l.NetAmount)
	w.open("cac:Item")
	w.leaf("cbc:Name", l.Name)
	if l.SellerItemID != "" {
		w.open("cac:SellersItemIdentification")
		w.leaf("cbc:ID", l.SellerItemID)
		w.close("cac:SellersItemIdentification")
	}
	for _, c := range l.Classifications {
		w.open("cac:CommodityClassification")
		w.start("cbc:ItemClassificationCode")
		w.attr("listID", c.ListID)
		if c.Version != "" {
			w.attr("listVersionID", c.Version)
		}
		w.b = append(w.b, '>')
		w.b = escape(w.b, c.Code, false)
		w.end("cbc:ItemClassificationCode")
		w.close("cac:CommodityClassification")
	}
	ublTaxCategory(w, "cac:ClassifiedTaxCategory", invoicing.Tax{Category: l.Tax.Category, Rate: l.Tax.Rate})
	w.close("cac:Item")
	w.open("cac:Price")
	w.amountCur("cbc:PriceAmount", l.Price)
	w.close("cac:Price")
	w.close(tag)
}
