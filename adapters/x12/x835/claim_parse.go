package x835

import (
	"unsafe"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/settlement"
)

func (p *parser) clp(f *fields) error {
	if p.loop < inNumber || p.loop == inPLB {
		return f.segErrorf("CLP before LX or after PLB")
	}
	if err := p.closeClaim(); err != nil {
		return err
	}
	p.loop, p.claimPos = inClaim, f.pos
	if p.each == nil {
		if len(p.slab) == cap(p.slab) { // the estimate fell short: move once, to what is left
			p.slab = append(make([]settlement.ClaimPayment, 0, len(p.slab)+p.rest(len(p.slab))), p.slab...)
		}
		p.slab = p.slab[:len(p.slab)+1]
		p.claim = &p.slab[len(p.slab)-1]
	} else {
		p.lines.reset()
		p.adjs.reset()
		p.scratch = settlement.ClaimPayment{}
		p.claim = &p.scratch
	}
	c := p.claim
	var err error
	if c.PatientControlNumber, err = f.str(); err != nil {
		return err
	}
	st, err := f.str()
	if err != nil {
		return err
	}
	c.Status = settlement.ClaimStatus(st)
	if c.Charge, err = f.amount(); err != nil {
		return err
	}
	if c.Paid, err = f.amount(); err != nil {
		return err
	}
	if f.empty(1) {
		f.skip(1)
	} else if c.PatientResponsibility, err = f.amount(); err != nil {
		return err
	}
	if c.FilingIndicator, err = f.str(); err != nil {
		return err
	}
	if c.PayerControlNumber, err = f.str(); err != nil {
		return err
	}
	if c.FacilityCode, err = f.str(); err != nil {
		return err
	}
	c.Frequency, err = f.str()
	return err
}

// line returns the open service line.
func (p *parser) line() *settlement.ServiceLine { return p.lines.last() }

// closeLine ends the open line's adjustment run and checks its balance.
func (p *parser) closeLine() error {
	p.lineOpen = false
	l := p.lines.last()
	l.Adjustments = p.adjs.close()
	adj, of := sumAdj(l.Adjustments, false)
	if want, of := add(l.Charge, -adj, of); of || want != l.Paid {
		return x12.Errorf(p.linePos, "SVC", "SVC03", "line payment %s does not balance: SVC02 − Σ CAS = %s", minor(l.Paid), minor(want))
	}
	return nil
}

// closeClaim ends the open claim, checks its balance against its
// adjustments and its lines and its domain rules, then counts its payment
// and, for ParseEach, hands it over.
func (p *parser) closeClaim() error {
	c := p.claim
	if c == nil {
		return nil
	}
	p.claim = nil
	if p.lineOpen {
		if err := p.closeLine(); err != nil {
			return err
		}
	} else {
		c.Adjustments = p.adjs.close()
	}
	c.Lines = p.lines.close()
	claimAdj, of := sumAdj(c.Adjustments, false)
	lineAdj, linePaid := int64(0), int64(0)
	for i := range c.Lines {
		var adj int64
		adj, of = sumAdj(c.Lines[i].Adjustments, of)
		lineAdj, of = add(lineAdj, adj, of)
		linePaid, of = add(linePaid, c.Lines[i].Paid, of)
	}
	want, of := add(c.Charge, -claimAdj, of)
	want, of = add(want, -lineAdj, of)
	if of || want != c.Paid {
		return x12.Errorf(p.claimPos, "CLP", "CLP04", "claim payment %s does not balance: CLP03 − Σ CAS = %s", minor(c.Paid), minor(want))
	}
	if len(c.Lines) > 0 {
		if byLines, of := add(linePaid, -claimAdj, false); of || byLines != c.Paid {
			return x12.Errorf(p.claimPos, "CLP", "CLP04", "claim payment %s does not balance with its lines: Σ SVC03 − Σ claim CAS = %s", minor(c.Paid), minor(byLines))
		}
	}
	if !checked(c) {
		if err := c.Validate(p.adv.Currency); err != nil {
			return x12.Errorf(p.claimPos, "CLP", "", "claim %s: %w", c.PatientControlNumber, err)
		}
	}
	p.paid, p.paidOF = add(p.paid, c.Paid, p.paidOF)
	p.claims++
	if p.each != nil {
		return p.each(&p.adv, c)
	}
	return nil
}

// checked reports whether c passes the rules of ClaimPayment.Validate that
// the parse has not enforced already (it has: printable text, days that
// exist, whole units, HasAllowed, the balances), without the cost of
// Validate. When it does not, Validate says what is wrong. FuzzParse
// rebuilds every parsed advice, validating it in full.
func checked(c *settlement.ClaimPayment) bool {
	if c.PatientControlNumber == "" || !c.Status.Valid() || c.FilingIndicator == "" || c.PayerControlNumber == "" ||
		!c.ServiceEnd.IsZero() && c.ServiceEnd.Before(c.ServiceStart) || !adjustmentsChecked(c.Adjustments) {
		return false
	}
	for i := range c.Lines {
		l := &c.Lines[i]
		if l.Procedure.Qualifier == "" || l.Procedure.Code == "" || !adjustmentsChecked(l.Adjustments) {
			return false
		}
		for k, m := range l.Procedure.Modifiers {
			if m == (settlement.Modifier{}) {
				if l.Procedure.Modifiers[min(k+1, 3)] != m {
					return false // a gap
				}
				continue
			}
			if !codeChar(m[0]) || !codeChar(m[1]) {
				return false
			}
		}
	}
	return true
}

func adjustmentsChecked(adj []settlement.Adjustment) bool {
	for i := range adj {
		if !adj[i].Group.Valid() || adj[i].Reason == "" {
			return false
		}
		for _, c := range []byte(adj[i].Reason) {
			if !codeChar(c) {
				return false
			}
		}
	}
	return true
}

func codeChar(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }

func sumAdj(adj []settlement.Adjustment, of bool) (int64, bool) {
	s := int64(0)
	for i := range adj {
		s, of = add(s, adj[i].Amount, of)
	}
	return s, of
}

// cas reads up to six adjustments of one group into the open claim or line.
func (p *parser) cas(f *fields) error {
	switch p.loop {
	case inClaim:
		if p.lines.runLen() > 0 {
			return f.segErrorf("claim CAS must come before the claim's lines")
		}
	case inLine:
	default:
		return f.segErrorf("CAS outside a claim or line")
	}
	g, err := f.str()
	if err != nil {
		return err
	}
	for f.more() {
		if f.empty(3) {
			f.skip(3)
			continue
		}
		if err := p.adjustment(f, g); err != nil {
			if n := f.len(); n < 3 || n > 19 {
				break // the count is reported first
			}
			return err
		}
	}
	if n := f.len(); n < 3 || n > 19 {
		return f.segErrorf("want 1-6 reason/amount[/quantity] triplets")
	}
	return nil
}

// adjustment adds the adjustment of the next CAS triplet.
func (p *parser) adjustment(f *fields, g string) error {
	a := p.adjs.add()
	a.Group = settlement.AdjustmentGroup(g)
	var err error
	if a.Reason, err = f.str(); err != nil {
		return err
	}
	if a.Amount, err = f.amount(); err != nil {
		return err
	}
	a.Quantity, err = f.count()
	return err
}

func (p *parser) nm1(f *fields) error {
	if p.loop != inClaim {
		return f.segErrorf("NM1 outside a claim (CLP)")
	}
	if string(f.next()) != "QC" {
		return nil
	}
	f.skip(1)
	pt := &p.claim.Patient
	var err error
	if pt.LastName, err = f.str(); err != nil {
		return err
	}
	if pt.FirstName, err = f.str(); err != nil {
		return err
	}
	f.skip(4)
	pt.MemberID, err = f.str()
	return err
}

// svc opens a service line: SVC01 qualifier:code[:modifier...], SVC02
// charge, SVC03 paid, SVC05 units.
func (p *parser) svc(f *fields) error {
	if p.loop != inClaim && p.loop != inLine {
		return f.segErrorf("SVC outside a claim")
	}
	if p.lineOpen {
		if err := p.closeLine(); err != nil {
			return err
		}
	} else {
		p.claim.Adjustments = p.adjs.close()
	}
	p.loop, p.lineOpen, p.linePos = inLine, true, f.pos
	l := p.lines.add()
	if err := p.procedure(f, &l.Procedure); err != nil {
		return err
	}
	var err error
	if l.Charge, err = f.amount(); err != nil {
		return err
	}
	if l.Paid, err = f.amount(); err != nil {
		return err
	}
	f.skip(1)
	l.Units, err = f.count()
	return err
}

// procedure reads SVC01, qualifier:code[:modifier...], in one pass.
func (p *parser) procedure(f *fields, pr *settlement.Procedure) error {
	el := f.next()
	k, start := 0, 0
	for i := 0; i <= len(el); i++ {
		if i < len(el) && el[i] != p.comp {
			if p.bad[el[i]] {
				return f.errorf("character %q not allowed", el[i])
			}
			continue
		}
		v := unsafe.String(unsafe.SliceData(el[start:i]), i-start)
		switch k {
		case 0:
			pr.Qualifier = v
		case 1:
			pr.Code = v
		default:
			m, ok := settlement.ModifierOf(v)
			if !ok {
				return f.errorf("modifier %q: want two characters", v)
			}
			pr.Modifiers[k-2] = m
		}
		if k++; k == 6 && i < len(el) {
			return f.errorf("more than four procedure modifiers")
		}
		start = i + 1
	}
	return nil
}

func (p *parser) amt(f *fields) error {
	q := f.next()
	switch {
	case p.loop == inLine && string(q) == "B6":
		a, err := f.amount()
		l := p.line()
		l.Allowed, l.HasAllowed = a, true
		return err
	case p.loop == inLine || p.loop == inClaim:
		_, err := f.amount()
		return err
	}
	return f.segErrorf("AMT outside a claim or line")
}
