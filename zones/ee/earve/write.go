package earve

import (
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/zones/eu/en16931/xmlw"
)

const root = `<E_Invoice xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="e-invoice_ver1.2.xsd">`

// Extension ids this package writes into AdditionalInformation.
const (
	extVATEX  = "VATEX"  // exemption code (name) and reason (content) per exempt breakdown
	extTaxCur = "TAXCUR" // VAT total in the tax currency: currency (name), amount (content)
)

// vatID maps a VAT category to the e-arve vatId attribute.
func vatID(c invoicing.Category) string {
	switch c {
	case invoicing.StandardRate, invoicing.ZeroRated:
		return "TAX"
	case invoicing.OutsideTaxScope:
		return "NOTTAX"
	}
	return "TAXEX"
}

func appendEArve(dst []byte, inv *invoicing.Invoice, test bool) []byte {
	w := xmlw.Writer{B: dst}
	w.B = append(w.B, xmlw.Decl...)
	w.B = append(w.B, '\n')
	w.B = append(w.B, root...)
	w.Depth = 1
	w.Open("Header")
	if test {
		w.Leaf("Test", "YES")
	}
	w.IsoDate("Date", inv.IssueDate)
	w.Leaf("FileId", inv.Number)
	w.Leaf("Version", "1.2")
	w.Close("Header")

	w.Start("Invoice")
	w.Attr("invoiceId", inv.Number)
	w.Attr("regNumber", inv.Buyer.LegalID)
	w.Attr("sellerRegnumber", inv.Seller.LegalID)
	w.B = append(w.B, '>')
	w.Depth++
	w.Open("InvoiceParties")
	party(&w, "SellerParty", &inv.Seller, inv.Payment)
	party(&w, "BuyerParty", &inv.Buyer, nil)
	w.Close("InvoiceParties")

	w.Open("InvoiceInformation")
	typ, name := "DEB", "ARVE"
	switch inv.TypeCode {
	case invoicing.CreditNote:
		typ, name = "CRE", "KREEDITARVE"
	case invoicing.CorrectedInvoice:
		name = "KORRIGEERIV ARVE"
	}
	w.Start("Type")
	w.Attr("type", typ)
	if len(inv.Preceding) == 0 {
		w.B = append(w.B, "/>"...)
	} else {
		w.B = append(w.B, '>')
		w.Depth++
		w.Leaf("SourceInvoice", inv.Preceding[0].Number)
		w.Close("Type")
	}
	w.Leaf("DocumentName", name)
	w.Leaf("InvoiceNumber", inv.Number)
	if p := inv.Payment; p != nil {
		w.Opt("PaymentReferenceNumber", p.Reference)
	}
	w.IsoDate("InvoiceDate", inv.IssueDate)
	if !inv.DueDate.IsZero() {
		w.IsoDate("DueDate", inv.DueDate)
	}
	w.Opt("PaymentTerm", inv.PaymentTerms)
	w.Close("InvoiceInformation")

	t := &inv.Totals
	w.Open("InvoiceSumGroup")
	w.Amount("InvoiceSum", t.LineNet)
	for i := range inv.VAT {
		v := &inv.VAT[i]
		w.Start("VAT")
		w.Attr("vatId", vatID(v.Category))
		w.B = append(w.B, '>')
		w.Depth++
		w.Amount("SumBeforeVAT", v.Taxable)
		w.Rate("VATRate", v.Rate)
		w.Amount("VATSum", v.Tax)
		w.Close("VAT")
	}
	w.Amount("TotalVATSum", t.VAT)
	w.Amount("TotalSum", t.TaxInclusive)
	w.Amount("TotalToPay", t.Due)
	w.Leaf("Currency", string(inv.Currency))
	w.Close("InvoiceSumGroup")

	w.Open("InvoiceItem")
	w.Open("InvoiceItemGroup")
	for i := range inv.Lines {
		item(&w, &inv.Lines[i])
	}
	w.Close("InvoiceItemGroup")
	w.Close("InvoiceItem")

	for i := range inv.VAT {
		if v := &inv.VAT[i]; v.Category == invoicing.Exempt {
			extension(&w, extVATEX, v.ExemptionCode, v.ExemptionReason)
		}
	}
	if inv.HasTaxCurrency() {
		extension(&w, extTaxCur, string(inv.TaxCurrency), t.VATInTaxCur.Number())
	}
	payment(&w, inv)
	w.Close("Invoice")

	w.Open("Footer")
	w.Leaf("TotalNumberInvoices", "1")
	w.Amount("TotalAmount", t.TaxInclusive)
	w.Close("Footer")
	w.Depth = 0
	w.Nl()
	w.B = append(w.B, "</E_Invoice>\n"...)
	return w.B
}

func party(w *xmlw.Writer, tag string, p *invoicing.Party, pm *invoicing.PaymentMeans) {
	w.Open(tag)
	w.Leaf("Name", p.Name)
	w.Opt("RegNumber", p.LegalID)
	w.Opt("VATRegNumber", p.VATID)
	w.Open("ContactData")
	w.Opt("ContactName", p.Contact.Name)
	w.Opt("PhoneNumber", p.Contact.Phone)
	w.Opt("E-mailAddress", p.Contact.Email)
	a := &p.Address
	w.Open("LegalAddress")
	w.Leaf("PostalAddress1", a.Line1)
	w.Opt("PostalAddress2", a.Line2)
	w.Leaf("City", a.City)
	w.Opt("PostalCode", a.PostCode)
	w.Leaf("Country", a.Country)
	w.Close("LegalAddress")
	w.Close("ContactData")
	if pm != nil && pm.IBAN != "" {
		w.Open("AccountInfo")
		w.Leaf("AccountNumber", pm.IBAN)
		w.Leaf("IBAN", pm.IBAN)
		w.Opt("BIC", pm.BIC)
		w.Close("AccountInfo")
	}
	w.Close(tag)
}

func item(w *xmlw.Writer, l *invoicing.Line) {
	w.Open("ItemEntry")
	w.Leaf("RowNo", l.ID)
	w.Opt("SellerProductId", l.SellerItemID)
	w.Leaf("Description", l.Name)
	w.Open("ItemDetailInfo")
	w.Leaf("ItemUnit", l.Unit)
	w.Rate("ItemAmount", l.Quantity)
	w.Amount("ItemPrice", l.Price)
	w.Close("ItemDetailInfo")
	w.Amount("ItemSum", l.NetAmount)
	w.Start("VAT")
	w.Attr("vatId", vatID(l.Tax.Category))
	w.B = append(w.B, '>')
	w.Depth++
	w.Rate("VATRate", l.Tax.Rate)
	w.Amount("VATSum", rowVAT(l))
	w.Close("VAT")
	w.Close("ItemEntry")
}

func extension(w *xmlw.Writer, id, name, content string) {
	w.Start("AdditionalInformation")
	w.Attr("extensionId", id)
	w.B = append(w.B, '>')
	w.Depth++
	w.Opt("InformationName", name)
	w.Leaf("InformationContent", content)
	w.Close("AdditionalInformation")
}

func payment(w *xmlw.Writer, inv *invoicing.Invoice) {
	p := inv.Payment
	w.Open("PaymentInfo")
	w.Leaf("Currency", string(inv.Currency))
	w.Opt("PaymentRefId", p.Reference)
	w.Leaf("PaymentDescription", "Arve "+inv.Number)
	payable := "YES"
	if inv.TypeCode == invoicing.CreditNote {
		payable = "NO"
	}
	w.Leaf("Payable", payable)
	if !inv.DueDate.IsZero() {
		w.IsoDate("PayDueDate", inv.DueDate)
	}
	w.Amount("PaymentTotalSum", inv.Totals.Due)
	w.Leaf("PayerName", inv.Buyer.Name)
	w.Leaf("PaymentId", inv.Number)
	w.Leaf("PayToAccount", p.IBAN)
	name := p.AccountName
	if name == "" {
		name = inv.Seller.Name
	}
	w.Leaf("PayToName", name)
	w.Opt("PayToBIC", p.BIC)
	w.Close("PaymentInfo")
}

// rowVAT is the informative VAT of one row, rounded half-up (the EE zone's
// rounding); the binding VAT is stated per rate in InvoiceSumGroup.
func rowVAT(l *invoicing.Line) money.Amount {
	zero := money.Zero(l.NetAmount.Currency())
	if l.Tax.Category != invoicing.StandardRate {
		return zero
	}
	pct, err := money.Percent(l.Tax.Rate)
	if err != nil {
		return zero
	}
	v, err := l.NetAmount.Mul(pct, money.HalfUp)
	if err != nil {
		return zero
	}
	return v
}
