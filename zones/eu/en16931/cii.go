package en16931

import (
	"github.com/revhub/revhub/core/invoicing"
)

const ciiRoot = `<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"` +
	` xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"` +
	` xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"` +
	` xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">`

// AppendCII appends inv as a CII D16B document under profile p. inv must be
// calculated and valid (see invoicing.Invoice.Validate); AppendCII does not check.
func AppendCII(dst []byte, inv *invoicing.Invoice, p Profile) []byte {
	w := xw{b: dst}
	w.b = append(w.b, xmlDecl...)
	w.b = append(w.b, '\n')
	w.b = append(w.b, ciiRoot...)
	w.depth = 1
	w.open("rsm:ExchangedDocumentContext")
	if p.ProcessID != "" {
		w.open("ram:BusinessProcessSpecifiedDocumentContextParameter")
		w.leaf("ram:ID", p.ProcessID)
		w.close("ram:BusinessProcessSpecifiedDocumentContextParameter")
	}
	w.open("ram:GuidelineSpecifiedDocumentContextParameter")
	w.leaf("ram:ID", p.SpecID)
	w.close("ram:GuidelineSpecifiedDocumentContextParameter")
	w.close("rsm:ExchangedDocumentContext")

	w.open("rsm:ExchangedDocument")
	w.leaf("ram:ID", inv.Number)
	w.leaf("ram:TypeCode", string(inv.TypeCode))
	w.ciiDate("ram:IssueDateTime", "udt:DateTimeString", inv.IssueDate)
	if p.Level != Minimum {
		for _, n := range inv.Notes {
			w.open("ram:IncludedNote")
			w.leaf("ram:Content", n)
			w.close("ram:IncludedNote")
		}
	}
	w.close("rsm:ExchangedDocument")

	w.open("rsm:SupplyChainTradeTransaction")
	if p.Level != Minimum {
		for i := range inv.Lines {
			ciiLine(&w, &inv.Lines[i], p.Level)
		}
	}
	ciiAgreement(&w, inv, p.Level)
	if p.Level == Minimum || inv.DeliveryDate.IsZero() {
		w.nl()
		w.b = append(w.b, "<ram:ApplicableHeaderTradeDelivery/>"...)
	} else {
		w.open("ram:ApplicableHeaderTradeDelivery")
		w.open("ram:ActualDeliverySupplyChainEvent")
		w.ciiDate("ram:OccurrenceDateTime", "udt:DateTimeString", inv.DeliveryDate)
		w.close("ram:ActualDeliverySupplyChainEvent")
		w.close("ram:ApplicableHeaderTradeDelivery")
	}
	ciiSettlement(&w, inv, p.Level)
	w.close("rsm:SupplyChainTradeTransaction")
	w.depth = 0
	w.nl()
	w.b = append(w.b, "</rsm:CrossIndustryInvoice>\n"...)
	return w.b
}

func ciiLine(w *xw, l *invoicing.Line, lv Level) {
	w.open("ram:IncludedSupplyChainTradeLineItem")
	w.open("ram:AssociatedDocumentLineDocument")
	w.leaf("ram:LineID", l.ID)
	if l.Note != "" {
		w.open("ram:IncludedNote")
		w.leaf("ram:Content", l.Note)
		w.close("ram:IncludedNote")
	}
	w.close("ram:AssociatedDocumentLineDocument")
	w.open("ram:SpecifiedTradeProduct")
	if lv == Full {
		w.opt("ram:SellerAssignedID", l.SellerItemID)
	}
	w.leaf("ram:Name", l.Name)
	if lv == Full {
		for _, c := range l.Classifications {
			w.open("ram:DesignatedProductClassification")
			w.start("ram:ClassCode")
			w.attr("listID", c.ListID)
			if c.Version != "" {
				w.attr("listVersionID", c.Version)
			}
			w.b = append(w.b, '>')
			w.b = escape(w.b, c.Code, false)
			w.end("ram:ClassCode")
			w.close("ram:DesignatedProductClassification")
		}
	}
	w.close("ram:SpecifiedTradeProduct")
	w.open("ram:SpecifiedLineTradeAgreement")
	w.open("ram:NetPriceProductTradePrice")
	w.amount("ram:ChargeAmount", l.Price)
	w.close("ram:NetPriceProductTradePrice")
	w.close("ram:SpecifiedLineTradeAgreement")
	w.open("ram:SpecifiedLineTradeDelivery")
	w.start("ram:BilledQuantity")
	w.attr("unitCode", l.Unit)
	w.b = append(w.b, '>')
	w.b = append(w.b, l.Quantity.String()...)
	w.end("ram:BilledQuantity")
	w.close("ram:SpecifiedLineTradeDelivery")
	w.open("ram:SpecifiedLineTradeSettlement")
	ciiTax(w, "ram:ApplicableTradeTax", l.Tax)
	w.open("ram:SpecifiedTradeSettlementLineMonetarySummation")
	w.amount("ram:LineTotalAmount", l.NetAmount)
	w.close("ram:SpecifiedTradeSettlementLineMonetarySummation")
	w.close("ram:SpecifiedLineTradeSettlement")
	w.close("ram:IncludedSupplyChainTradeLineItem")
}

func ciiTax(w *xw, tag string, t invoicing.Tax) {
	w.open(tag)
	w.leaf("ram:TypeCode", "VAT")
	w.leaf("ram:CategoryCode", string(t.Category))
	if t.Category != invoicing.OutsideTaxScope {
		w.rate("ram:RateApplicablePercent", t.Rate)
	}
	w.close(tag)
}

func ciiAgreement(w *xw, inv *invoicing.Invoice, lv Level) {
	w.open("ram:ApplicableHeaderTradeAgreement")
	w.opt("ram:BuyerReference", inv.BuyerReference)
	ciiParty(w, "ram:SellerTradeParty", &inv.Seller, lv, true)
	ciiParty(w, "ram:BuyerTradeParty", &inv.Buyer, lv, false)
	if inv.OrderReference != "" {
		w.open("ram:BuyerOrderReferencedDocument")
		w.leaf("ram:IssuerAssignedID", inv.OrderReference)
		w.close("ram:BuyerOrderReferencedDocument")
	}
	w.close("ram:ApplicableHeaderTradeAgreement")
}

func ciiParty(w *xw, tag string, p *invoicing.Party, lv Level, seller bool) {
	w.open(tag)
	if lv != Minimum {
		w.opt("ram:ID", p.ID)
	}
	w.leaf("ram:Name", p.Name)
	if p.LegalID != "" {
		w.open("ram:SpecifiedLegalOrganization")
		w.leaf("ram:ID", p.LegalID)
		w.close("ram:SpecifiedLegalOrganization")
	}
	if lv == Full && p.Contact != (invoicing.Contact{}) {
		w.open("ram:DefinedTradeContact")
		w.opt("ram:PersonName", p.Contact.Name)
		if p.Contact.Phone != "" {
			w.open("ram:TelephoneUniversalCommunication")
			w.leaf("ram:CompleteNumber", p.Contact.Phone)
			w.close("ram:TelephoneUniversalCommunication")
		}
		if p.Contact.Email != "" {
			w.open("ram:EmailURIUniversalCommunication")
			w.leaf("ram:URIID", p.Contact.Email)
			w.close("ram:EmailURIUniversalCommunication")
		}
		w.close("ram:DefinedTradeContact")
	}
	if lv != Minimum || seller {
		a := &p.Address
		w.open("ram:PostalTradeAddress")
		if lv != Minimum {
			w.opt("ram:PostcodeCode", a.PostCode)
			w.opt("ram:LineOne", a.Line1)
			w.opt("ram:LineTwo", a.Line2)
			w.opt("ram:CityName", a.City)
		}
		w.leaf("ram:CountryID", a.Country)
		if lv != Minimum {
			w.opt("ram:CountrySubDivisionName", a.Subdivision)
		}
		w.close("ram:PostalTradeAddress")
	}
	if lv != Minimum && p.Endpoint.ID != "" {
		w.open("ram:URIUniversalCommunication")
		w.leafAttr("ram:URIID", "schemeID", p.Endpoint.Scheme, p.Endpoint.ID)
		w.close("ram:URIUniversalCommunication")
	}
	if p.VATID != "" && (lv != Minimum || seller) {
		w.open("ram:SpecifiedTaxRegistration")
		w.leafAttr("ram:ID", "schemeID", "VA", p.VATID)
		w.close("ram:SpecifiedTaxRegistration")
	}
	if p.TaxID != "" && lv != Minimum {
		w.open("ram:SpecifiedTaxRegistration")
		w.leafAttr("ram:ID", "schemeID", "FC", p.TaxID)
		w.close("ram:SpecifiedTaxRegistration")
	}
	w.close(tag)
}

func ciiSettlement(w *xw, inv *invoicing.Invoice, lv Level) {
	w.open("ram:ApplicableHeaderTradeSettlement")
	pm := inv.Payment
	if lv != Minimum {
		if pm != nil {
			w.opt("ram:PaymentReference", pm.Reference)
		}
		if inv.HasTaxCurrency() {
			w.leaf("ram:TaxCurrencyCode", string(inv.TaxCurrency))
		}
	}
	w.leaf("ram:InvoiceCurrencyCode", string(inv.Currency))
	if lv != Minimum {
		if pm != nil {
			w.open("ram:SpecifiedTradeSettlementPaymentMeans")
			w.leaf("ram:TypeCode", pm.Code)
			if pm.IBAN != "" {
				w.open("ram:PayeePartyCreditorFinancialAccount")
				w.leaf("ram:IBANID", pm.IBAN)
				if lv == Full {
					w.opt("ram:AccountName", pm.AccountName)
				}
				w.close("ram:PayeePartyCreditorFinancialAccount")
				if lv == Full && pm.BIC != "" {
					w.open("ram:PayeeSpecifiedCreditorFinancialInstitution")
					w.leaf("ram:BICID", pm.BIC)
					w.close("ram:PayeeSpecifiedCreditorFinancialInstitution")
				}
			}
			w.close("ram:SpecifiedTradeSettlementPaymentMeans")
		}
		for i := range inv.VAT {
			v := &inv.VAT[i]
			w.open("ram:ApplicableTradeTax")
			w.amount("ram:CalculatedAmount", v.Tax)
			w.leaf("ram:TypeCode", "VAT")
			w.opt("ram:ExemptionReason", v.ExemptionReason)
			w.amount("ram:BasisAmount", v.Taxable)
			w.leaf("ram:CategoryCode", string(v.Category))
			w.opt("ram:ExemptionReasonCode", v.ExemptionCode)
			if v.Category != invoicing.OutsideTaxScope {
				w.rate("ram:RateApplicablePercent", v.Rate)
			}
			w.close("ram:ApplicableTradeTax")
		}
		ciiAdjustments(w, inv.Allowances, "false")
		ciiAdjustments(w, inv.Charges, "true")
		if inv.PaymentTerms != "" || !inv.DueDate.IsZero() {
			w.open("ram:SpecifiedTradePaymentTerms")
			w.opt("ram:Description", inv.PaymentTerms)
			if !inv.DueDate.IsZero() {
				w.ciiDate("ram:DueDateDateTime", "udt:DateTimeString", inv.DueDate)
			}
			w.close("ram:SpecifiedTradePaymentTerms")
		}
	}
	t := &inv.Totals
	w.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
	if lv != Minimum {
		w.amount("ram:LineTotalAmount", t.LineNet)
		if len(inv.Charges) > 0 {
			w.amount("ram:ChargeTotalAmount", t.Charges)
		}
		if len(inv.Allowances) > 0 {
			w.amount("ram:AllowanceTotalAmount", t.Allowances)
		}
	}
	w.amount("ram:TaxBasisTotalAmount", t.TaxExclusive)
	w.amountCur("ram:TaxTotalAmount", t.VAT)
	if lv != Minimum && inv.HasTaxCurrency() {
		w.amountCur("ram:TaxTotalAmount", t.VATInTaxCur)
	}
	if lv == Full && !t.Rounding.IsZero() {
		w.amount("ram:RoundingAmount", t.Rounding)
	}
	w.amount("ram:GrandTotalAmount", t.TaxInclusive)
	if lv != Minimum && !t.Prepaid.IsZero() {
		w.amount("ram:TotalPrepaidAmount", t.Prepaid)
	}
	w.amount("ram:DuePayableAmount", t.Due)
	w.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
	if lv != Minimum {
		for _, r := range inv.Preceding {
			w.open("ram:InvoiceReferencedDocument")
			w.leaf("ram:IssuerAssignedID", r.Number)
			if !r.IssueDate.IsZero() {
				w.ciiDate("ram:FormattedIssueDateTime", "qdt:DateTimeString", r.IssueDate)
			}
			w.close("ram:InvoiceReferencedDocument")
		}
	}
	w.close("ram:ApplicableHeaderTradeSettlement")
}

func ciiAdjustments(w *xw, list []invoicing.Adjustment, charge string) {
	for i := range list {
		a := &list[i]
		w.open("ram:SpecifiedTradeAllowanceCharge")
		w.open("ram:ChargeIndicator")
		w.leaf("udt:Indicator", charge)
		w.close("ram:ChargeIndicator")
		w.amount("ram:ActualAmount", a.Amount)
		w.opt("ram:ReasonCode", a.ReasonCode)
		w.opt("ram:Reason", a.Reason)
		ciiTax(w, "ram:CategoryTradeTax", a.Tax)
		w.close("ram:SpecifiedTradeAllowanceCharge")
	}
}
