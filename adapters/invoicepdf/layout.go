package invoicepdf

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// Page is what goes on paper, in reading order. Render draws it; tests
// compare it as text (its String), so the golden files read like the page.
type Page struct {
	Lang      string
	Title     string      // "Rechnung"
	Seller    []string    // name, address, contact
	Recipient []string    // name and postal address
	Facts     [][2]string // label, value: number, dates, preceding invoice
	Columns   []string
	Rows      [][]string // one per line: service, code, qty, charge, covered, you pay
	Totals    [][2]string
	Payment   []string    // the instruction sentence
	Account   [][2]string // holder, IBAN, BIC, reference
	Notes     []string    // invoice notes, VAT exemption reasons, payers
	Footer    string
}

// String lays the page out as plain text, one block per section.
func (p *Page) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s\n", p.Lang, p.Title)
	section := func(name string, lines []string) {
		fmt.Fprintf(&b, "-- %s\n", name)
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
	}
	pairs := func(ps [][2]string) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p[0] + ": " + p[1]
		}
		return out
	}
	section("seller", p.Seller)
	section("recipient", p.Recipient)
	section("facts", pairs(p.Facts))
	rows := []string{strings.Join(p.Columns, " | ")}
	for _, r := range p.Rows {
		rows = append(rows, strings.Join(r, " | "))
	}
	section("lines", rows)
	section("totals", pairs(p.Totals))
	section("payment", append(append([]string(nil), p.Payment...), pairs(p.Account)...))
	section("notes", p.Notes)
	section("footer", []string{p.Footer})
	return b.String()
}

// Layout builds the page of a calculated invoice.
func Layout(p ports.InvoicePayload, cfgLang string) (*Page, error) {
	inv := &p.Invoice
	if !inv.Calculated() {
		return nil, errors.New("invoice is not calculated (no totals)")
	}
	lang := languageOf(p.Language, cfgLang, inv)
	L := labels[lang]
	cur := inv.Currency
	covered := map[string]ports.LineShare{}
	for i, s := range p.Shares {
		if s.Covered.Valid() && s.Covered.Currency() != cur {
			return nil, fmt.Errorf("shares[%d].covered: currency %s, want the invoice's %s", i, s.Covered.Currency(), cur)
		}
		covered[s.LineID] = s
	}
	pg := &Page{Lang: lang, Title: title(L, inv.TypeCode), Columns: []string{L[lService], L[lCode], L[lQty], L[lCharge], L[lCovered], L[lYouPay]}}
	pg.Seller = partyLines(inv.Seller)
	c := inv.Seller.Contact
	pg.Seller = append(pg.Seller, nonEmptyStrings(labelled(L[lPhone], c.Phone), labelled(L[lEmail], c.Email))...)
	pg.Recipient = partyLines(inv.Buyer)
	pg.Facts = nonEmpty([][2]string{
		{L[lNumber], inv.Number},
		{L[lIssueDate], formatDate(lang, inv.IssueDate)},
		{L[lServiceDate], formatDate(lang, inv.DeliveryDate)},
		{L[lDueDate], formatDate(lang, inv.DueDate)},
	})
	for _, r := range inv.Preceding {
		pg.Facts = append(pg.Facts, [2]string{L[lPreceding], strings.TrimSpace(r.Number + " " + formatDate(lang, r.IssueDate))})
	}
	totalCharge, totalCovered := money.Zero(cur), money.Zero(cur)
	payers := []string{}
	for i, l := range inv.Lines {
		cov := money.Zero(cur)
		if s, ok := covered[l.ID]; ok && s.Covered.Valid() {
			cov = s.Covered
			if s.Payer != "" && !slices.Contains(payers, s.Payer) {
				payers = append(payers, s.Payer)
			}
		}
		charge, err := l.NetAmount.Add(cov)
		if err != nil {
			return nil, fmt.Errorf("lines[%d]: %w", i, err)
		}
		if totalCharge, err = totalCharge.Add(charge); err != nil {
			return nil, err
		}
		if totalCovered, err = totalCovered.Add(cov); err != nil {
			return nil, err
		}
		pg.Rows = append(pg.Rows, []string{l.Name, l.SellerItemID, formatQty(lang, l.Quantity),
			formatAmount(lang, charge), formatAmount(lang, cov), formatAmount(lang, l.NetAmount)})
	}
	t := inv.Totals
	pg.Totals = [][2]string{
		{L[lTotalCharges], formatAmount(lang, totalCharge)},
		{L[lCoveredTotal], formatAmount(lang, totalCovered.Neg())},
		{L[lYourShare], formatAmount(lang, t.TaxExclusive)},
	}
	if !t.VAT.IsZero() {
		pg.Totals = append(pg.Totals, [2]string{L[lVAT], formatAmount(lang, t.VAT)})
	}
	if t.Prepaid.Valid() && !t.Prepaid.IsZero() {
		pg.Totals = append(pg.Totals, [2]string{L[lPrepaid], formatAmount(lang, t.Prepaid.Neg())})
	}
	pg.Totals = append(pg.Totals, [2]string{L[lDue], formatAmount(lang, t.Due)})
	pg.Payment, pg.Account = payment(L, lang, inv)
	pg.Notes = append(pg.Notes, inv.Notes...)
	if len(payers) > 0 {
		pg.Notes = append(pg.Notes, L[lCoveredTotal]+": "+strings.Join(payers, ", "))
	}
	for _, v := range inv.VAT {
		if v.ExemptionReason != "" && !slices.Contains(pg.Notes, v.ExemptionReason) {
			pg.Notes = append(pg.Notes, v.ExemptionReason)
		}
	}
	if inv.PaymentTerms != "" {
		pg.Notes = append(pg.Notes, inv.PaymentTerms)
	}
	pg.Footer = join(" · ", inv.Seller.Name, labelled(L[lVATID], inv.Seller.VATID), inv.Seller.LegalID)
	return pg, nil
}

func title(L [nLabels]string, tc invoicing.TypeCode) string {
	switch tc {
	case invoicing.CreditNote:
		return L[lCreditNote]
	case invoicing.CorrectedInvoice:
		return L[lCorrected]
	}
	return L[lInvoice]
}

func payment(L [nLabels]string, lang string, inv *invoicing.Invoice) ([]string, [][2]string) {
	due := inv.Totals.Due
	var say []string
	switch {
	case due.Sign() > 0 && !inv.DueDate.IsZero():
		say = append(say, fmt.Sprintf(L[lPayBy], formatAmount(lang, due), formatDate(lang, inv.DueDate)))
	case due.Sign() < 0:
		say = append(say, fmt.Sprintf(L[lRefund], formatAmount(lang, due.Abs())))
	}
	pm := inv.Payment
	if pm == nil || due.Sign() <= 0 {
		return say, nil
	}
	ref := pm.Reference
	if ref == "" {
		ref = inv.Number
	}
	return say, nonEmpty([][2]string{
		{L[lHolder], firstOf(pm.AccountName, inv.Seller.Name)},
		{"IBAN", groupIBAN(pm.IBAN)},
		{"BIC", pm.BIC},
		{L[lReference], ref},
	})
}

// groupIBAN prints an IBAN in blocks of four, as on paper.
func groupIBAN(s string) string {
	var b strings.Builder
	for i, c := range strings.ReplaceAll(s, " ", "") {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func partyLines(p invoicing.Party) []string {
	a := p.Address
	return nonEmptyStrings(p.Name, a.Line1, a.Line2, strings.TrimSpace(a.PostCode+" "+a.City), a.Country)
}

func labelled(label, v string) string {
	if v == "" {
		return ""
	}
	return label + " " + v
}

func join(sep string, parts ...string) string { return strings.Join(nonEmptyStrings(parts...), sep) }

func nonEmptyStrings(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func nonEmpty(ps [][2]string) [][2]string {
	out := ps[:0]
	for _, p := range ps {
		if p[1] != "" {
			out = append(out, p)
		}
	}
	return out
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
