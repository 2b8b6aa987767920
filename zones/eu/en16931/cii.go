package en16931

import (
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/zones/eu/en16931/xmlw"
)

const ciiRoot = `<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"` +
	` xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"` +
	` xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"` +
	` xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">`

// AppendCII appends inv as a CII D16B document under profile p. inv must be
// calculated and valid (see invoicing.Invoice.Validate); AppendCII does not check.
func AppendCII(dst []byte, inv *invoicing.Invoice, p Profile) []byte {
	w := xmlw.Writer{B: dst}
	w.B = append(w.B, xmlw.Decl...)
	w.B = append(w.B, '\n')
	w.B = append(w.B, ciiRoot...)
	w.Depth = 1
	w.Open("rsm:ExchangedDocumentContext")
	if p.ProcessID != "" {
		w.Open("ram:BusinessProcessSpecifiedDocumentContextParameter")
		w.Leaf("ram:ID", p.ProcessID)
		w.Close("ram:BusinessProcessSpecifiedDocumentContextParameter")
	}
	w.Open("ram:GuidelineSpecifiedDocumentContextParameter")
	w.Leaf("ram:ID", p.SpecID)
	w.Close("ram:GuidelineSpecifiedDocumentContextParameter")
	w.Close("rsm:ExchangedDocumentContext")

	w.Open("rsm:ExchangedDocument")
	w.Leaf("ram:ID", inv.Number)
	w.Leaf("ram:TypeCode", string(inv.TypeCode))
	w.CiiDate("ram:IssueDateTime", "udt:DateTimeString", inv.IssueDate)
	if p.Level != Minimum {
		for _, n := range inv.Notes {
			w.Open("ram:IncludedNote")
			w.Leaf("ram:Content", n)
			w.Close("ram:IncludedNote")
		}
	}
	w.Close("rsm:ExchangedDocument")

	w.Open("rsm:SupplyChainTradeTransaction")
	if p.Level != Minimum {
		for i := range inv.Lines {
			ciiLine(&w, &inv.Lines[i], p.Level)
		}
	}
	ciiAgreement(&w, inv, p.Level)
	if p.Level == Minimum || inv.DeliveryDate.IsZero() {
		w.Nl()
		w.B = append(w.B, "<ram:ApplicableHeaderTradeDelivery/>"...)
	} else {
		w.Open("ram:ApplicableHeaderTradeDelivery")
		w.Open("ram:ActualDeliverySupplyChainEvent")
		w.CiiDate("ram:OccurrenceDateTime", "udt:DateTimeString", inv.DeliveryDate)
		w.Close("ram:ActualDeliverySupplyChainEvent")
		w.Close("ram:ApplicableHeaderTradeDelivery")
	}
	ciiSettlement(&w, inv, p.Level)
	w.Close("rsm:SupplyChainTradeTransaction")
	w.Depth = 0
	w.Nl()
	w.B = append(w.B, "</rsm:CrossIndustryInvoice>\n"...)
	return w.B
}

func ciiLine(w *xmlw.Writer, l *invoicing.Line, lv Level) {
	w.Open("ram:IncludedSupplyChainTradeLineItem")
	w.Open("ram:AssociatedDocumentLineDocument")
	w.Leaf("ram:LineID", l.ID)
	if l.Note != "" {
		w.Open("ram:IncludedNote")
		w.Leaf("ram:Content", l.Note)
		w.Close("ram:IncludedNote")
	}
	w.Close("ram:AssociatedDocumentLineDocument")
	w.Open("ram:SpecifiedTradeProduct")
	if lv == Full {
		w.Opt("ram:SellerAssignedID", l.SellerItemID)
	}
	w.Leaf("ram:Name", l.Name)
	if lv == Full {
		for _, c := range l.Classifications {
			w.Open("ram:DesignatedProductClassification")
			w.Start("ram:ClassCode")
			w.Attr("listID", c.ListID)
			if c.Version != "" {
				w.Attr("listVersionID", c.Version)
			}
			w.B = append(w.B, '>')
			w.B = xmlw.Escape(w.B, c.Code, false)
			w.End("ram:ClassCode")
			w.Close("ram:DesignatedProductClassification")
		}
	}
	w.Close("ram:SpecifiedTradeProduct")
	w.Open("ram:SpecifiedLineTradeAgreement")
	w.Open("ram:NetPriceProductTradePrice")
	w.Amount("ram:ChargeAmount", l.Price)
	w.Close("ram:NetPriceProductTradePrice")
	w.Close("ram:SpecifiedLineTradeAgreement")
	w.Open("ram:SpecifiedLineTradeDelivery")
	w.Start("ram:BilledQuantity")
	w.Attr("unitCode", l.Unit)
	w.B = append(w.B, '>')
	w.B = append(w.B, l.Quantity.String()...)
	w.End("ram:BilledQuantity")
	w.Close("ram:SpecifiedLineTradeDelivery")
	w.Open("ram:SpecifiedLineTradeSettlement")
	ciiTax(w, "ram:ApplicableTradeTax", l.Tax)
	w.Open("ram:SpecifiedTradeSettlementLineMonetarySummation")
	w.Amount("ram:LineTotalAmount", l.NetAmount)
	w.Close("ram:SpecifiedTradeSettlementLineMonetarySummation")
	w.Close("ram:SpecifiedLineTradeSettlement")
	w.Close("ram:IncludedSupplyChainTradeLineItem")
}

func ciiTax(w *xmlw.Writer, tag string, t invoicing.Tax) {
	w.Open(tag)
	w.Leaf("ram:TypeCode", "VAT")
	w.Leaf("ram:CategoryCode", string(t.Category))
	if t.Category != invoicing.OutsideTaxScope {
		w.Rate("ram:RateApplicablePercent", t.Rate)
	}
	w.Close(tag)
}

func ciiAgreement(w *xmlw.Writer, inv *invoicing.Invoice, lv Level) {
	w.Open("ram:ApplicableHeaderTradeAgreement")
	w.Opt("ram:BuyerReference", inv.BuyerReference)
	ciiParty(w, "ram:SellerTradeParty", &inv.Seller, lv, true)
	ciiParty(w, "ram:BuyerTradeParty", &inv.Buyer, lv, false)
	if inv.OrderReference != "" {
		w.Open("ram:BuyerOrderReferencedDocument")
		w.Leaf("ram:IssuerAssignedID", inv.OrderReference)
		w.Close("ram:BuyerOrderReferencedDocument")
	}
	w.Close("ram:ApplicableHeaderTradeAgreement")
}

func ciiParty(w *xmlw.Writer, tag string, p *invoicing.Party, lv Level, seller bool) {
	w.Open(tag)
	if lv != Minimum {
		w.Opt("ram:ID", p.ID)
	}
	w.Leaf("ram:Name", p.Name)
	if p.LegalID != "" {
		w.Open("ram:SpecifiedLegalOrganization")
		w.Leaf("ram:ID", p.LegalID)
		w.Close("ram:SpecifiedLegalOrganization")
	}
	if lv == Full && p.Contact != (invoicing.Contact{}) {
		w.Open("ram:DefinedTradeContact")
		w.Opt("ram:PersonName", p.Contact.Name)
		if p.Contact.Phone != "" {
			w.Open("ram:TelephoneUniversalCommunication")
			w.Leaf("ram:CompleteNumber", p.Contact.Phone)
			w.Close("ram:TelephoneUniversalCommunication")
		}
		if p.Contact.Email != "" {
			w.Open("ram:EmailURIUniversalCommunication")
			w.Leaf("ram:URIID", p.Contact.Email)
			w.Close("ram:EmailURIUniversalCommunication")
		}
		w.Close("ram:DefinedTradeContact")
	}
	if lv != Minimum || seller {
		a := &p.Address
		w.Open("ram:PostalTradeAddress")
		if lv != Minimum {
			w.Opt("ram:PostcodeCode", a.PostCode)
			w.Opt("ram:LineOne", a.Line1)
			w.Opt("ram:LineTwo", a.Line2)
			w.Opt("ram:CityName", a.City)
		}
		w.Leaf("ram:CountryID", a.Country)
		if lv != Minimum {
			w.Opt("ram:CountrySubDivisionName", a.Subdivision)
		}
		w.Close("ram:PostalTradeAddress")
	}
	if lv != Minimum && p.Endpoint.ID != "" {
		w.Open("ram:URIUniversalCommunication")
		w.LeafAttr("ram:URIID", "schemeID", p.Endpoint.Scheme, p.Endpoint.ID)
		w.Close("ram:URIUniversalCommunication")
	}
	if p.VATID != "" && (lv != Minimum || seller) {
		w.Open("ram:SpecifiedTaxRegistration")
		w.LeafAttr("ram:ID", "schemeID", "VA", p.VATID)
		w.Close("ram:SpecifiedTaxRegistration")
	}
	if p.TaxID != "" && lv != Minimum {
		w.Open("ram:SpecifiedTaxRegistration")
		w.LeafAttr("ram:ID", "schemeID", "FC", p.TaxID)
		w.Close("ram:SpecifiedTaxRegistration")
	}
	w.Close(tag)
}

func ciiSettlement(w *xmlw.Writer, inv *invoicing.Invoice, lv Level) {
	w.Open("ram:ApplicableHeaderTradeSettlement")
	pm := inv.Payment
	if lv != Minimum {
		if pm != nil {
			w.Opt("ram:PaymentReference", pm.Reference)
		}
		if inv.HasTaxCurrency() {
			w.Leaf("ram:TaxCurrencyCode", string(inv.TaxCurrency))
		}
	}
	w.Leaf("ram:InvoiceCurrencyCode", string(inv.Currency))
	if lv != Minimum {
		if pm != nil {
			w.Open("ram:SpecifiedTradeSettlementPaymentMeans")
			w.Leaf("ram:TypeCode", pm.Code)
			if pm.IBAN != "" {
				w.Open("ram:PayeePartyCreditorFinancialAccount")
				w.Leaf("ram:IBANID", pm.IBAN)
				if lv == Full {
					w.Opt("ram:AccountName", pm.AccountName)
				}
				w.Close("ram:PayeePartyCreditorFinancialAccount")
				if lv == Full && pm.BIC != "" {
					w.Open("ram:PayeeSpecifiedCreditorFinancialInstitution")
					w.Leaf("ram:BICID", pm.BIC)
					w.Close("ram:PayeeSpecifiedCreditorFinancialInstitution")
				}
			}
			w.Close("ram:SpecifiedTradeSettlementPaymentMeans")
		}
		for i := range inv.VAT {
			v := &inv.VAT[i]
			w.Open("ram:ApplicableTradeTax")
			w.Amount("ram:CalculatedAmount", v.Tax)
			w.Leaf("ram:TypeCode", "VAT")
			w.Opt("ram:ExemptionReason", v.ExemptionReason)
			w.Amount("ram:BasisAmount", v.Taxable)
			w.Leaf("ram:CategoryCode", string(v.Category))
			w.Opt("ram:ExemptionReasonCode", v.ExemptionCode)
			if v.Category != invoicing.OutsideTaxScope {
				w.Rate("ram:RateApplicablePercent", v.Rate)
			}
			w.Close("ram:ApplicableTradeTax")
		}
		ciiAdjustments(w, inv.Allowances, "false")
		ciiAdjustments(w, inv.Charges, "true")
		if inv.PaymentTerms != "" || !inv.DueDate.IsZero() {
			w.Open("ram:SpecifiedTradePaymentTerms")
			w.Opt("ram:Description", inv.PaymentTerms)
			if !inv.DueDate.IsZero() {
				w.CiiDate("ram:DueDateDateTime", "udt:DateTimeString", inv.DueDate)
			}
			w.Close("ram:SpecifiedTradePaymentTerms")
		}
	}
	t := &inv.Totals
	w.Open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
	if lv != Minimum {
		w.Amount("ram:LineTotalAmount", t.LineNet)
		if len(inv.Charges) > 0 {
			w.Amount("ram:ChargeTotalAmount", t.Charges)
		}
		if len(inv.Allowances) > 0 {
			w.Amount("ram:AllowanceTotalAmount", t.Allowances)
		}
	}
	w.Amount("ram:TaxBasisTotalAmount", t.TaxExclusive)
	w.AmountCur("ram:TaxTotalAmount", t.VAT)
	if lv != Minimum && inv.HasTaxCurrency() {
		w.AmountCur("ram:TaxTotalAmount", t.VATInTaxCur)
	}
	if lv == Full && !t.Rounding.IsZero() {
		w.Amount("ram:RoundingAmount", t.Rounding)
	}
	w.Amount("ram:GrandTotalAmount", t.TaxInclusive)
	if lv != Minimum && !t.Prepaid.IsZero() {
		w.Amount("ram:TotalPrepaidAmount", t.Prepaid)
	}
	w.Amount("ram:DuePayableAmount", t.Due)
	w.Close("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
	if lv != Minimum {
		for _, r := range inv.Preceding {
			w.Open("ram:InvoiceReferencedDocument")
			w.Leaf("ram:IssuerAssignedID", r.Number)
			if !r.IssueDate.IsZero() {
				w.CiiDate("ram:FormattedIssueDateTime", "qdt:DateTimeString", r.IssueDate)
			}
			w.Close("ram:InvoiceReferencedDocument")
		}
	}
	w.Close("ram:ApplicableHeaderTradeSettlement")
}

func ciiAdjustments(w *xmlw.Writer, list []invoicing.Adjustment, charge string) {
	for i := range list {
		a := &list[i]
		w.Open("ram:SpecifiedTradeAllowanceCharge")
		w.Open("ram:ChargeIndicator")
		w.Leaf("udt:Indicator", charge)
		w.Close("ram:ChargeIndicator")
		w.Amount("ram:ActualAmount", a.Amount)
		w.Opt("ram:ReasonCode", a.ReasonCode)
		w.Opt("ram:Reason", a.Reason)
		ciiTax(w, "ram:CategoryTradeTax", a.Tax)
		w.Close("ram:SpecifiedTradeAllowanceCharge")
	}
}
