package earve

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// MaxFile is the largest e-arve file Parse reads.
const MaxFile = 16 << 20

type partyX struct {
	Name    string `xml:"Name"`
	Reg     string `xml:"RegNumber"`
	VAT     string `xml:"VATRegNumber"`
	Contact struct {
		Name  string `xml:"ContactName"`
		Phone string `xml:"PhoneNumber"`
		Email string `xml:"E-mailAddress"`
		Addr  struct {
			Line1    string `xml:"PostalAddress1"`
			Line2    string `xml:"PostalAddress2"`
			City     string `xml:"City"`
			PostCode string `xml:"PostalCode"`
			Country  string `xml:"Country"`
		} `xml:"LegalAddress"`
	} `xml:"ContactData"`
	Account []struct {
		IBAN string `xml:"IBAN"`
		BIC  string `xml:"BIC"`
	} `xml:"AccountInfo"`
}

type vatX struct {
	ID     string `xml:"vatId,attr"`
	Before string `xml:"SumBeforeVAT"`
	Rate   string `xml:"VATRate"`
	Sum    string `xml:"VATSum"`
}

type fileX struct {
	XMLName  xml.Name `xml:"E_Invoice"`
	Invoices []struct {
		Seller partyX `xml:"InvoiceParties>SellerParty"`
		Buyer  partyX `xml:"InvoiceParties>BuyerParty"`
		Info   struct {
			Type struct {
				Type   string `xml:"type,attr"`
				Source string `xml:"SourceInvoice"`
			} `xml:"Type"`
			Number  string `xml:"InvoiceNumber"`
			RefNo   string `xml:"PaymentReferenceNumber"`
			Date    string `xml:"InvoiceDate"`
			Due     string `xml:"DueDate"`
			Terms   string `xml:"PaymentTerm"`
			DocName string `xml:"DocumentName"`
		} `xml:"InvoiceInformation"`
		Sum struct {
			LineNet  string `xml:"InvoiceSum"`
			VAT      []vatX `xml:"VAT"`
			TotalVAT string `xml:"TotalVATSum"`
			Total    string `xml:"TotalSum"`
			ToPay    string `xml:"TotalToPay"`
			Currency string `xml:"Currency"`
		} `xml:"InvoiceSumGroup"`
		Items []struct {
			Row     string `xml:"RowNo"`
			Product string `xml:"SellerProductId"`
			Desc    string `xml:"Description"`
			Unit    string `xml:"ItemDetailInfo>ItemUnit"`
			Amount  string `xml:"ItemDetailInfo>ItemAmount"`
			Price   string `xml:"ItemDetailInfo>ItemPrice"`
			Sum     string `xml:"ItemSum"`
			VAT     vatX   `xml:"VAT"`
		} `xml:"InvoiceItem>InvoiceItemGroup>ItemEntry"`
		Extra []struct {
			ID      string `xml:"extensionId,attr"`
			Name    string `xml:"InformationName"`
			Content string `xml:"InformationContent"`
		} `xml:"AdditionalInformation"`
		Pay struct {
			RefID   string `xml:"PaymentRefId"`
			Account string `xml:"PayToAccount"`
			Name    string `xml:"PayToName"`
			BIC     string `xml:"PayToBIC"`
		} `xml:"PaymentInfo"`
	} `xml:"Invoice"`
	Count string `xml:"Footer>TotalNumberInvoices"`
}

// Parse reads an e-arve 1.2 file holding exactly one invoice, as Format
// writes it, rejecting DTDs, files over MaxFile and inconsistent sums.
func Parse(r io.Reader) (*invoicing.Invoice, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, &ports.ParseError{File: "e_arve", Err: err}
	}
	if len(b) > MaxFile {
		return nil, &ports.ParseError{File: "e_arve", Err: fmt.Errorf("file larger than %d bytes", MaxFile)}
	}
	if bytes.Contains(b, []byte("<!DOCTYPE")) || bytes.Contains(b, []byte("<!ENTITY")) {
		return nil, &ports.ParseError{File: "e_arve", Err: errors.New("DOCTYPE declarations are not accepted")}
	}
	var f fileX
	d := xml.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(&f); err != nil {
		line := 0
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			line = se.Line
		}
		return nil, &ports.ParseError{File: "e_arve", Line: line, Err: err}
	}
	if len(f.Invoices) != 1 || f.Count != "1" {
		return nil, &ports.ParseError{File: "e_arve", Segment: "Footer", Element: "TotalNumberInvoices",
			Err: errors.New("want exactly one invoice per file")}
	}
	return toInvoice(&f)
}

type conv struct {
	cur money.Currency
	err error
}

func (c *conv) fail(elem string, err error) {
	if c.err == nil {
		c.err = &ports.ParseError{File: "e_arve", Element: elem, Err: err}
	}
}

func (c *conv) amount(elem, s string, cur money.Currency) money.Amount {
	a, err := money.Parse(s, cur)
	if err != nil {
		c.fail(elem, err)
	}
	return a
}

func (c *conv) rate(elem, s string) money.Rate {
	r, err := money.ParseRate(s)
	if err != nil {
		c.fail(elem, err)
	}
	return r
}

func (c *conv) date(elem, s string) invoicing.Date {
	if s == "" {
		return invoicing.Date{}
	}
	d, err := invoicing.ParseDate(s)
	if err != nil {
		c.fail(elem, err)
	}
	return d
}

func category(vatID string, rate money.Rate) invoicing.Category {
	switch {
	case vatID == "TAX" && rate.Sign() > 0:
		return invoicing.StandardRate
	case vatID == "TAX":
		return invoicing.ZeroRated
	case vatID == "NOTTAX":
		return invoicing.OutsideTaxScope
	}
	return invoicing.Exempt
}

func toParty(x *partyX) invoicing.Party {
	a := x.Contact.Addr
	return invoicing.Party{Name: x.Name, LegalID: x.Reg, VATID: x.VAT,
		Contact: invoicing.Contact{Name: x.Contact.Name, Phone: x.Contact.Phone, Email: x.Contact.Email},
		Address: invoicing.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, PostCode: a.PostCode, Country: a.Country}}
}

func toInvoice(f *fileX) (*invoicing.Invoice, error) {
	x := &f.Invoices[0]
	cur := money.Currency(x.Sum.Currency)
	c := conv{cur: cur}
	inv := &invoicing.Invoice{Number: x.Info.Number, TypeCode: invoicing.CommercialInvoice,
		IssueDate: c.date("InvoiceDate", x.Info.Date), DueDate: c.date("DueDate", x.Info.Due),
		Currency: cur, PaymentTerms: x.Info.Terms, Seller: toParty(&x.Seller), Buyer: toParty(&x.Buyer),
		Payment: &invoicing.PaymentMeans{Code: "58", Reference: x.Info.RefNo, IBAN: x.Pay.Account,
			AccountName: x.Pay.Name, BIC: x.Pay.BIC}}
	switch {
	case x.Info.Type.Type == "CRE":
		inv.TypeCode = invoicing.CreditNote
	case x.Info.Type.Source != "":
		inv.TypeCode = invoicing.CorrectedInvoice
	}
	if x.Info.Type.Source != "" {
		inv.Preceding = []invoicing.Reference{{Number: x.Info.Type.Source}}
	}
	for _, it := range x.Items {
		r := c.rate("VATRate", it.VAT.Rate)
		inv.Lines = append(inv.Lines, invoicing.Line{ID: it.Row, SellerItemID: it.Product, Name: it.Desc,
			Unit: it.Unit, Quantity: c.rate("ItemAmount", it.Amount), Price: c.amount("ItemPrice", it.Price, cur),
			NetAmount: c.amount("ItemSum", it.Sum, cur), Tax: invoicing.Tax{Category: category(it.VAT.ID, r), Rate: r}})
	}
	for _, v := range x.Sum.VAT {
		r := c.rate("VATRate", v.Rate)
		inv.VAT = append(inv.VAT, invoicing.VATBreakdown{Category: category(v.ID, r), Rate: r,
			Taxable: c.amount("SumBeforeVAT", v.Before, cur), Tax: c.amount("VATSum", v.Sum, cur)})
	}
	t := &inv.Totals
	t.LineNet = c.amount("InvoiceSum", x.Sum.LineNet, cur)
	t.Allowances, t.Charges = money.Zero(cur), money.Zero(cur)
	t.VAT = c.amount("TotalVATSum", x.Sum.TotalVAT, cur)
	t.TaxInclusive = c.amount("TotalSum", x.Sum.Total, cur)
	t.Due = c.amount("TotalToPay", x.Sum.ToPay, cur)
	t.Prepaid, t.Rounding = money.Zero(cur), money.Zero(cur)
	t.TaxExclusive, _ = t.TaxInclusive.Sub(t.VAT)
	for _, e := range x.Extra {
		switch e.ID {
		case extVATEX:
			for i := range inv.VAT {
				if inv.VAT[i].Category == invoicing.Exempt {
					inv.VAT[i].ExemptionCode, inv.VAT[i].ExemptionReason = e.Name, e.Content
				}
			}
		case extTaxCur:
			inv.TaxCurrency = money.Currency(e.Name)
			t.VATInTaxCur = c.amount("InformationContent", e.Content, inv.TaxCurrency)
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	fill := func(tx *invoicing.Tax) {
		for _, v := range inv.VAT {
			if v.Category == tx.Category && v.Rate.Cmp(tx.Rate) == 0 {
				tx.ExemptionReason, tx.ExemptionCode = v.ExemptionReason, v.ExemptionCode
			}
		}
	}
	for i := range inv.Lines {
		fill(&inv.Lines[i].Tax)
	}
	if err := inv.Validate(); err != nil {
		return nil, &ports.ParseError{File: "e_arve", Err: err}
	}
	return inv, nil
}
