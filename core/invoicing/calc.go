package invoicing

import (
	"fmt"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// Calculate applies the EN 16931 calculation rules under rnd (the zone's
// rounding): each line net BT-131 = quantity × price, rounded to the currency's
// minor unit; line nets summed exactly (BR-CO-10); VAT per (category, rate)
// breakdown, not per line (BR-CO-17, BR-S-08); then the document totals
// (BR-CO-11..16). Breakdowns keep the order in which their (category, rate)
// first appears among lines, then allowances, then charges.
//
// Calculate validates the inputs first and changes nothing on error.
func (inv *Invoice) Calculate(rnd money.Rounding) error {
	var errs validate.Errors
	inv.checkInput(&errs)
	if inv.HasTaxCurrency() && inv.FXRate.Sign() <= 0 {
		errs.Add("fx_rate", "required", "a positive rate is needed to state VAT in the tax currency")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	cur := inv.Currency
	nets := make([]money.Amount, len(inv.Lines))
	var vat []VATBreakdown
	add := func(t Tax, amt money.Amount) error {
		for i := range vat {
			if vat[i].Category == t.Category && vat[i].Rate.Cmp(t.Rate) == 0 {
				s, err := vat[i].Taxable.Add(amt)
				vat[i].Taxable = s
				if vat[i].ExemptionReason == "" && vat[i].ExemptionCode == "" {
					vat[i].ExemptionReason, vat[i].ExemptionCode = t.ExemptionReason, t.ExemptionCode
				}
				return err
			}
		}
		vat = append(vat, VATBreakdown{Category: t.Category, Rate: t.Rate, Taxable: amt,
			ExemptionReason: t.ExemptionReason, ExemptionCode: t.ExemptionCode})
		return nil
	}
	tot := Totals{LineNet: money.Zero(cur), Allowances: money.Zero(cur), Charges: money.Zero(cur), VAT: money.Zero(cur)}
	var err error
	for i, l := range inv.Lines {
		if nets[i], err = l.Price.Mul(l.Quantity, rnd); err != nil {
			return fmt.Errorf("invoicing: lines[%d] net amount: %w", i, err)
		}
		if tot.LineNet, err = tot.LineNet.Add(nets[i]); err != nil {
			return fmt.Errorf("invoicing: line total: %w", err)
		}
		if err = add(l.Tax, nets[i]); err != nil {
			return fmt.Errorf("invoicing: lines[%d] VAT basis: %w", i, err)
		}
	}
	for i, a := range inv.Allowances {
		if tot.Allowances, err = tot.Allowances.Add(a.Amount); err == nil {
			err = add(a.Tax, a.Amount.Neg())
		}
		if err != nil {
			return fmt.Errorf("invoicing: allowances[%d]: %w", i, err)
		}
	}
	for i, c := range inv.Charges {
		if tot.Charges, err = tot.Charges.Add(c.Amount); err == nil {
			err = add(c.Tax, c.Amount)
		}
		if err != nil {
			return fmt.Errorf("invoicing: charges[%d]: %w", i, err)
		}
	}
	for i := range vat {
		vat[i].Tax = money.Zero(cur)
		if vat[i].Category == StandardRate {
			pct, err := money.Percent(vat[i].Rate)
			if err == nil {
				vat[i].Tax, err = vat[i].Taxable.Mul(pct, rnd)
			}
			if err != nil {
				return fmt.Errorf("invoicing: VAT at %s%%: %w", vat[i].Rate, err)
			}
		}
		if tot.VAT, err = tot.VAT.Add(vat[i].Tax); err != nil {
			return fmt.Errorf("invoicing: VAT total: %w", err)
		}
	}
	if tot.TaxExclusive, err = tot.LineNet.Sub(tot.Allowances); err == nil {
		tot.TaxExclusive, err = tot.TaxExclusive.Add(tot.Charges)
	}
	if err == nil {
		tot.TaxInclusive, err = tot.TaxExclusive.Add(tot.VAT)
	}
	tot.Prepaid, tot.Rounding = money.Zero(cur), money.Zero(cur)
	if inv.Prepaid.Valid() {
		tot.Prepaid = inv.Prepaid
	}
	if err == nil {
		tot.Due, err = tot.TaxInclusive.Sub(tot.Prepaid)
	}
	if err == nil && inv.HasTaxCurrency() {
		tot.VATInTaxCur, err = inv.FXRate.Apply(tot.VAT.Rate(), inv.TaxCurrency, rnd)
	}
	if err != nil {
		return fmt.Errorf("invoicing: totals: %w", err)
	}
	for i := range inv.Lines {
		inv.Lines[i].NetAmount = nets[i]
	}
	inv.VAT, inv.Totals = vat, tot
	return nil
}
