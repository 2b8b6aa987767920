package pdfa3

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

// words of the visual page: title, credit note, number, date, due, service date,
// item, qty, unit price, net, VAT, VAT breakdown, net total, VAT total, total, due, IBAN line
var words = map[string][17]string{
	"de": {"Rechnung", "Gutschrift", "Nummer", "Datum", "Fällig am", "Leistungsdatum", "Leistung", "Menge", "Einzelpreis",
		"Netto", "USt.", "Umsatzsteuer", "Summe netto", "Summe USt.", "Gesamtbetrag", "Zahlbetrag", "Bankverbindung"},
	"fr": {"Facture", "Avoir", "Numéro", "Date", "Échéance", "Date de prestation", "Désignation", "Qté", "Prix unitaire",
		"HT", "TVA", "Détail de la TVA", "Total HT", "Total TVA", "Total TTC", "Net à payer", "Coordonnées bancaires"},
	"et": {"Arve", "Kreeditarve", "Number", "Kuupäev", "Maksetähtaeg", "Teenuse kuupäev", "Teenus", "Kogus", "Ühikuhind",
		"Neto", "KM", "Käibemaks", "Kokku neto", "Käibemaks kokku", "Kokku", "Tasuda", "Pangarekvisiidid"},
	"en": {"Invoice", "Credit note", "Number", "Date", "Due date", "Date of service", "Item", "Qty", "Unit price",
		"Net", "VAT", "VAT breakdown", "Total net", "Total VAT", "Total", "Amount due", "Bank details"},
}

// Visual draws the human-readable page of a calculated invoice, the part
// of the hybrid a person reads. It shows what the XML says: parties, lines,
// VAT breakdown, totals and payment details.
func Visual(inv *invoicing.Invoice, lang string) ([]byte, error) {
	W, ok := words[lang]
	if !ok {
		W, lang = words["en"], "en"
	}
	f := fpdf.New("P", "mm", "A4", "")
	at := dateOf(inv.IssueDate)
	f.SetCatalogSort(true)
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.AddUTF8FontFromBytes("go", "", goregular.TTF)
	f.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	f.SetMargins(15, 15, 15)
	f.SetAutoPageBreak(true, 18)
	f.AddPage()
	cell := func(w, h float64, s, style string, size float64, ln int, align string) {
		f.SetFont("go", style, size)
		f.CellFormat(w, h, s, "", ln, align, false, 0, "")
	}
	title := W[0]
	if inv.TypeCode == invoicing.CreditNote {
		title = W[1]
	}
	cell(180, 10, title+" "+inv.Number, "B", 18, 1, "L")
	for _, kv := range [][2]string{{W[3], inv.IssueDate.String()}, {W[4], dateOr(inv.DueDate)}, {W[5], dateOr(inv.DeliveryDate)}} {
		if kv[1] != "" {
			cell(40, 5, kv[0], "", 9, 0, "L")
			cell(140, 5, kv[1], "", 9, 1, "L")
		}
	}
	f.Ln(4)
	y := f.GetY()
	for i, p := range []invoicing.Party{inv.Seller, inv.Buyer} {
		f.SetXY(15+float64(i)*95, y)
		a := p.Address
		for j, l := range []string{p.Name, a.Line1, a.Line2, strings.TrimSpace(a.PostCode + " " + a.City + " " + a.Country), p.VATID} {
			if l == "" {
				continue
			}
			style := ""
			if j == 0 {
				style = "B"
			}
			f.SetX(15 + float64(i)*95)
			cell(90, 5, l, style, 9, 2, "L")
		}
	}
	f.SetY(y + 30)
	cols := []float64{80, 20, 30, 30, 20}
	for i, h := range []string{W[6], W[7], W[8], W[9], W[10]} {
		f.SetFont("go", "B", 9)
		f.CellFormat(cols[i], 6, h, "B", 0, alignOf(i), false, 0, "")
	}
	f.Ln(-1)
	for _, l := range inv.Lines {
		vals := []string{l.Name, l.Quantity.String() + " " + l.Unit, l.Price.Number(), l.NetAmount.Number(), string(l.Tax.Category) + " " + l.Tax.Rate.String() + "%"}
		for i, v := range vals {
			f.SetFont("go", "", 9)
			f.CellFormat(cols[i], 5, fit(f, v, cols[i]), "", 0, alignOf(i), false, 0, "")
		}
		f.Ln(-1)
	}
	f.Ln(3)
	cell(180, 6, W[11], "B", 9, 1, "L")
	for _, v := range inv.VAT {
		cell(100, 5, fmt.Sprintf("%s %s%%  %s", v.Category, v.Rate, v.ExemptionReason), "", 8, 0, "L")
		cell(40, 5, v.Taxable.Number(), "", 8, 0, "R")
		cell(40, 5, v.Tax.Number(), "", 8, 1, "R")
	}
	f.Ln(3)
	t := inv.Totals
	for i, kv := range []struct {
		k string
		v money.Amount
	}{{W[12], t.TaxExclusive}, {W[13], t.VAT}, {W[14], t.TaxInclusive}, {W[15], t.Due}} {
		style := ""
		if i == 3 {
			style = "B"
		}
		f.SetX(105)
		cell(50, 6, kv.k, style, 10, 0, "L")
		cell(40, 6, kv.v.Number()+" "+string(kv.v.Currency()), style, 10, 1, "R")
	}
	if p := inv.Payment; p != nil && p.IBAN != "" {
		f.Ln(4)
		cell(180, 5, W[16], "B", 9, 1, "L")
		cell(180, 5, strings.TrimSpace(p.AccountName+"  IBAN "+p.IBAN+"  BIC "+p.BIC), "", 9, 1, "L")
		if p.Reference != "" {
			cell(180, 5, p.Reference, "", 9, 1, "L")
		}
	}
	f.Ln(4)
	for _, n := range append(append([]string(nil), inv.Notes...), inv.PaymentTerms) {
		if n != "" {
			f.SetFont("go", "", 8)
			f.MultiCell(180, 4, n, "", "L", false)
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdfa3: draw: %w", err)
	}
	return buf.Bytes(), nil
}

func dateOr(d invoicing.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func alignOf(col int) string {
	if col == 0 {
		return "L"
	}
	return "R"
}

// fit shortens s with an ellipsis until it fits w millimetres.
func fit(f *fpdf.Fpdf, s string, w float64) string {
	r := []rune(s)
	for len(r) > 1 && f.GetStringWidth(string(r)) > w-2 {
		r = append(r[:len(r)-2], '…')
	}
	return string(r)
}
