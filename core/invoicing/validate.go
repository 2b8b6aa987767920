package invoicing

import (
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// Validate checks the inputs and, when calculated, that the computed totals
// obey the EN 16931 sum rules (BR-CO-10..16). It returns validate.Errors with
// snake_case paths such as "lines[2].tax.exemption_reason".
func (inv *Invoice) Validate() error {
	var errs validate.Errors
	inv.checkInput(&errs)
	if len(errs) == 0 {
		if !inv.Calculated() {
			errs.Add("totals", "not_calculated", "call Calculate before formatting")
		} else {
			inv.checkTotals(&errs)
		}
	}
	return errs.Err()
}

func (inv *Invoice) checkInput(errs *validate.Errors) {
	if inv.Number == "" {
		errs.Required("number")
	}
	switch inv.TypeCode {
	case CommercialInvoice:
	case CreditNote, CorrectedInvoice:
		if len(inv.Preceding) == 0 {
			errs.Add("preceding", "required", "a credit note or corrected invoice must reference the invoice it corrects")
		}
	default:
		errs.Add("type_code", "unknown_code", "want 380, 381 or 384")
	}
	for i, p := range inv.Preceding {
		if p.Number == "" {
			errs.Required(validate.Index("preceding", i) + ".number")
		}
	}
	if inv.IssueDate.IsZero() {
		errs.Required("issue_date")
	}
	if !inv.DueDate.IsZero() && inv.DueDate.Before(inv.IssueDate) {
		errs.Add("due_date", "before_issue", "due date is before the issue date")
	}
	if !inv.Currency.Valid() {
		errs.Add("currency", "unknown_code", "want an ISO 4217 code")
	}
	if inv.TaxCurrency != "" && !inv.TaxCurrency.Valid() {
		errs.Add("tax_currency", "unknown_code", "want an ISO 4217 code")
	}
	checkParty(errs, "seller", inv.Seller)
	checkParty(errs, "buyer", inv.Buyer)
	if inv.Seller.ID == "" && inv.Seller.LegalID == "" && inv.Seller.VATID == "" {
		errs.Add("seller", "required", "seller needs an identifier, legal registration id or VAT id (BR-CO-26)")
	}
	if p := inv.Payment; p != nil && p.Code == "" {
		errs.Required("payment.code")
	}
	if len(inv.Lines) == 0 {
		errs.Add("lines", "required", "at least one line (BR-16)")
	}
	needsTaxID := false
	for i, l := range inv.Lines {
		path := validate.Index("lines", i)
		if l.ID == "" {
			errs.Required(path + ".id")
		}
		if l.Name == "" {
			errs.Required(path + ".name")
		}
		if l.Unit == "" {
			errs.Required(path + ".unit")
		}
		inv.checkAmount(errs, path+".price", l.Price)
		needsTaxID = checkTax(errs, path+".tax", l.Tax) || needsTaxID
	}
	for _, g := range [2]struct {
		name string
		list []Adjustment
	}{{"allowances", inv.Allowances}, {"charges", inv.Charges}} {
		for i, a := range g.list {
			path := validate.Index(g.name, i)
			inv.checkAmount(errs, path+".amount", a.Amount)
			if a.Reason == "" && a.ReasonCode == "" {
				errs.Add(path+".reason", "required", "a reason or reason code is required (BR-33, BR-38)")
			}
			needsTaxID = checkTax(errs, path+".tax", a.Tax) || needsTaxID
		}
	}
	if inv.Prepaid.Valid() {
		inv.checkAmount(errs, "prepaid", inv.Prepaid)
	}
	if needsTaxID && inv.Seller.VATID == "" && inv.Seller.TaxID == "" {
		errs.Add("seller.vat_id", "required", "VAT categories S, Z, E need the seller's VAT id or tax number")
	}
}

func (inv *Invoice) checkAmount(errs *validate.Errors, path string, a money.Amount) {
	switch {
	case !a.Valid():
		errs.Required(path)
	case a.Currency() != inv.Currency:
		errs.Add(path, "currency_mismatch", "must be in the invoice currency "+string(inv.Currency))
	case a.Sign() < 0:
		errs.Add(path, "negative", "must not be negative")
	}
}

func checkParty(errs *validate.Errors, path string, p Party) {
	if p.Name == "" {
		errs.Required(path + ".name")
	}
	if len(p.Address.Country) != 2 {
		errs.Add(path+".address.country", "required", "want an ISO 3166-1 alpha-2 code")
	}
	if (p.Endpoint.ID == "") != (p.Endpoint.Scheme == "") {
		errs.Add(path+".endpoint", "incomplete", "an electronic address needs both scheme and id")
	}
}

// checkTax reports whether the category needs a seller VAT id or tax number.
func checkTax(errs *validate.Errors, path string, t Tax) bool {
	exemptionGiven := t.ExemptionReason != "" || t.ExemptionCode != ""
	switch t.Category {
	case StandardRate:
		if t.Rate.Sign() <= 0 {
			errs.Add(path+".rate", "invalid", "standard rate must be above zero")
		}
	case ZeroRated, Exempt, ReverseCharge, IntraCommunity, Export, OutsideTaxScope:
		if !t.Rate.IsZero() {
			errs.Add(path+".rate", "invalid", "rate must be 0 for category "+string(t.Category))
		}
	default:
		errs.Add(path+".category", "unknown_code", "want S, Z, E, AE, K, G or O")
		return false
	}
	switch t.Category {
	case StandardRate, ZeroRated:
		if exemptionGiven {
			errs.Add(path+".exemption_reason", "not_allowed", "no exemption reason for category "+string(t.Category))
		}
	case Exempt, ReverseCharge, IntraCommunity, Export, OutsideTaxScope:
		if !exemptionGiven {
			errs.Add(path+".exemption_reason", "required", "exempt categories need a reason text or VATEX code (BR-E-10)")
		}
	}
	return t.Category == StandardRate || t.Category == ZeroRated || t.Category == Exempt
}

func (inv *Invoice) checkTotals(errs *validate.Errors) {
	t := inv.Totals
	eq := func(path string, want money.Amount, got money.Amount, rule string) {
		if c, err := want.Cmp(got); err != nil || c != 0 {
			errs.Add(path, "inconsistent", rule)
		}
	}
	sum := func(xs []money.Amount) money.Amount {
		s := money.Zero(inv.Currency)
		for _, x := range xs {
			s, _ = s.Add(x)
		}
		return s
	}
	nets := make([]money.Amount, 0, 16)
	for _, l := range inv.Lines {
		nets = append(nets, l.NetAmount)
	}
	eq("totals.line_net", sum(nets), t.LineNet, "BR-CO-10: sum of line nets")
	taxes := nets[:0]
	for _, v := range inv.VAT {
		taxes = append(taxes, v.Tax)
	}
	eq("totals.vat", sum(taxes), t.VAT, "BR-CO-14: sum of VAT breakdown")
	x, _ := t.LineNet.Sub(t.Allowances)
	x, _ = x.Add(t.Charges)
	eq("totals.tax_exclusive", x, t.TaxExclusive, "BR-CO-13")
	x, _ = t.TaxExclusive.Add(t.VAT)
	eq("totals.tax_inclusive", x, t.TaxInclusive, "BR-CO-15")
	x, _ = t.TaxInclusive.Sub(t.Prepaid)
	x, _ = x.Add(t.Rounding)
	eq("totals.due", x, t.Due, "BR-CO-16")
	if len(inv.VAT) == 0 {
		errs.Add("vat", "required", "BR-CO-18: at least one VAT breakdown")
	}
	if inv.HasTaxCurrency() && !t.VATInTaxCur.Valid() {
		errs.Add("totals.vat_in_tax_cur", "required", "BR-53: VAT total in the tax currency")
	}
}
