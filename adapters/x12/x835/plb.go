package x835

import (
	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/settlement"
)

// maxPLBPairs is how many reason/amount pairs one PLB segment carries.
const maxPLBPairs = 6

// writePLB writes runs of provider adjustments with the same fiscal period,
// up to six per segment. PLB01 is the payee's NPI, else its TIN.
func writePLB(w *x12.Writer, a *settlement.PaymentAdvice) {
	id := a.Payee.NPI
	if id == "" {
		id = a.Payee.TIN
	}
	adj := a.ProviderAdjustments
	for i := 0; i < len(adj); {
		j := i + 1
		for j < len(adj) && j-i < maxPLBPairs && adj[j].FiscalPeriod == adj[i].FiscalPeriod {
			j++
		}
		w.Begin("PLB")
		w.Str(id)
		writeDate(w, adj[i].FiscalPeriod)
		for _, p := range adj[i:j] {
			w.Comp(p.Reason, true)
			w.Comp(p.Reference, false)
			w.Minor(p.Amount, usdDigits)
		}
		w.End()
		i = j
	}
}

// plb reads provider adjustments: PLB01 provider, PLB02 fiscal period, then
// up to six reason[:reference]/amount pairs.
func (p *parser) plb(seg *x12.Segment) error {
	if p.loop < inPayee {
		return x12.Errorf(seg.Pos, "PLB", "", "PLB before the payee")
	}
	if err := p.closeClaim(); err != nil {
		return err
	}
	p.loop = inPLB
	if _, err := p.str(seg, 1); err != nil {
		return err
	}
	period, err := p.date(seg, 2)
	if err != nil {
		return err
	}
	if seg.Len() < 4 || seg.Len()%2 != 0 || seg.Len() > 14 {
		return x12.Errorf(seg.Pos, "PLB", "", "want 1-6 reason/amount pairs after PLB02")
	}
	comp := p.r.Delimiters().Component
	for i := 3; i < seg.Len(); i += 2 {
		a := settlement.ProviderAdjustment{FiscalPeriod: period}
		el := seg.Element(i)
		if a.Reason, err = p.text(seg, i, x12.Component(el, comp, 1)); err != nil {
			return err
		}
		if a.Reference, err = p.text(seg, i, x12.Component(el, comp, 2)); err != nil {
			return err
		}
		if a.Amount, err = p.amount(seg, i+1); err != nil {
			return err
		}
		p.adv.ProviderAdjustments = append(p.adv.ProviderAdjustments, a)
	}
	return nil
}
