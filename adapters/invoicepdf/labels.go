package invoicepdf

import (
	"strings"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

// Languages are the languages an invoice can be printed in.
var Languages = []string{"de", "en", "et", "fr"}

// label keys
const (
	lInvoice = iota
	lCreditNote
	lCorrected
	lNumber
	lIssueDate
	lDueDate
	lServiceDate
	lPreceding
	lService
	lCode
	lQty
	lCharge
	lCovered
	lYouPay
	lTotalCharges
	lCoveredTotal
	lYourShare
	lVAT
	lPrepaid
	lDue
	lHowToPay
	lPayBy
	lRefund
	lHolder
	lReference
	lPhone
	lEmail
	lPage
	lVATID
	nLabels
)

var labels = map[string][nLabels]string{
	"en": {"Invoice", "Credit note", "Corrected invoice", "Invoice number", "Invoice date", "Due date",
		"Date of service", "Corrects invoice", "Service", "Code", "Qty", "Charge", "Insurance pays", "You pay",
		"Total charges", "Covered by insurance", "Your share", "VAT", "Already paid", "Amount due",
		"How to pay", "Please pay %s by %s.", "%s will be refunded to you.", "Account holder", "Payment reference",
		"Phone", "Email", "Page %d of %s", "VAT ID"},
	"de": {"Rechnung", "Gutschrift", "Korrigierte Rechnung", "Rechnungsnummer", "Rechnungsdatum", "Fällig am",
		"Behandlungsdatum", "Korrigiert Rechnung", "Leistung", "Ziffer", "Menge", "Betrag", "Versicherung zahlt", "Ihr Anteil",
		"Summe der Leistungen", "Von der Versicherung übernommen", "Ihr Eigenanteil", "USt.", "Bereits bezahlt", "Zu zahlender Betrag",
		"Zahlungsinformationen", "Bitte überweisen Sie %s bis zum %s.", "%s werden Ihnen erstattet.", "Kontoinhaber", "Verwendungszweck",
		"Telefon", "E-Mail", "Seite %d von %s", "USt-IdNr."},
	"et": {"Arve", "Kreeditarve", "Parandatud arve", "Arve number", "Arve kuupäev", "Maksetähtaeg",
		"Teenuse osutamise kuupäev", "Parandab arvet", "Teenus", "Kood", "Kogus", "Hind", "Kindlustus tasub", "Teie osa",
		"Teenuste kogusumma", "Kindlustuse poolt kaetud", "Teie omaosalus", "KM", "Juba tasutud", "Tasumisele kuulub",
		"Makseinfo", "Palume tasuda %s hiljemalt %s.", "%s makstakse teile tagasi.", "Saaja", "Selgitus / viitenumber",
		"Telefon", "E-post", "Lehekülg %d / %s", "KMKR nr"},
	"fr": {"Facture", "Avoir", "Facture rectificative", "Numéro de facture", "Date de facture", "Date d'échéance",
		"Date des soins", "Rectifie la facture", "Prestation", "Code", "Qté", "Montant", "Part assurance", "Votre part",
		"Total des prestations", "Pris en charge par l'assurance", "Votre reste à charge", "TVA", "Déjà payé", "Montant à payer",
		"Modalités de paiement", "Merci de régler %s au plus tard le %s.", "%s vous seront remboursés.", "Titulaire du compte", "Référence",
		"Téléphone", "E-mail", "Page %d sur %s", "N° TVA"},
}

// languageOf picks the language: the payload's, the configured one, the
// buyer's country's, else English.
func languageOf(payload, cfg string, inv *invoicing.Invoice) string {
	for _, l := range []string{payload, cfg} {
		if _, ok := labels[l]; ok {
			return l
		}
	}
	switch inv.Buyer.Address.Country {
	case "DE", "AT", "LI":
		return "de"
	case "EE":
		return "et"
	case "FR", "MC", "LU":
		return "fr"
	}
	return "en"
}

// formatAmount writes a in the language's number format with its currency.
func formatAmount(lang string, a money.Amount) string {
	if !a.Valid() {
		return ""
	}
	dec, group := byte(','), " "
	switch lang {
	case "en":
		dec, group = '.', ","
	case "de":
		group = "."
	}
	s := string(a.AppendNumber(nil, dec))
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, string(dec))
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	num := b.String()
	if frac != "" {
		num += string(dec) + frac
	}
	sym := string(a.Currency())
	if a.Currency() == money.EUR {
		sym = "€"
	}
	if lang == "en" {
		return sign + sym + num
	}
	return sign + num + " " + sym
}

var monthsEN = [13]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// formatDate writes d as the language writes dates.
func formatDate(lang string, d invoicing.Date) string {
	if d.IsZero() {
		return ""
	}
	two := func(n int) string { return string([]byte{byte('0' + n/10%10), byte('0' + n%10)}) }
	year := string(d.AppendISO(nil))[:4]
	switch lang {
	case "en":
		return two(d.Day) + " " + monthsEN[d.Month] + " " + year
	case "fr":
		return two(d.Day) + "/" + two(d.Month) + "/" + year
	}
	return two(d.Day) + "." + two(d.Month) + "." + year
}

// formatQty writes a quantity with the language's decimal separator.
func formatQty(lang string, q money.Rate) string {
	s := q.String()
	if lang != "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}
