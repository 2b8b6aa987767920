package x835

import (
	"time"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
)

// maxCASTriplets is how many adjustments one CAS segment carries.
const maxCASTriplets = 6

func writeClaim(w *x12.Writer, c *settlement.ClaimPayment) {
	w.Begin("CLP")
	w.Str(c.PatientControlNumber)
	w.Str(string(c.Status))
	w.Amount(c.Charge)
	w.Amount(c.Paid)
	w.Amount(c.PatientResponsibility)
	w.Str(c.FilingIndicator)
	w.Str(c.PayerControlNumber)
	w.Str(c.FacilityCode)
	w.Str(c.Frequency)
	w.End()
	writeCAS(w, c.Adjustments)
	w.Begin("NM1")
	w.Str("QC")
	w.Str("1")
	w.Str(c.Patient.LastName)
	w.Str(c.Patient.FirstName)
	if c.Patient.MemberID != "" {
		w.Str("")
		w.Str("")
		w.Str("")
		w.Str("MI")
		w.Str(c.Patient.MemberID)
	}
	w.End()
	writeDTM(w, "232", c.ServiceStart)
	writeDTM(w, "233", c.ServiceEnd)
	for i := range c.Lines {
		writeLine(w, &c.Lines[i])
	}
}

func writeLine(w *x12.Writer, l *settlement.ServiceLine) {
	w.Begin("SVC")
	w.Comp(l.Procedure.Qualifier, true)
	w.Comp(l.Procedure.Code, false)
	for _, m := range l.Procedure.Modifiers {
		w.Comp(m, false)
	}
	w.Amount(l.Charge)
	w.Amount(l.Paid)
	if l.Units != 0 {
		w.Str("")
		w.Int(l.Units)
	}
	w.End()
	writeDTM(w, "472", l.Date)
	writeCAS(w, l.Adjustments)
	if l.ControlNumber != "" {
		w.Begin("REF")
		w.Str("6R")
		w.Str(l.ControlNumber)
		w.End()
	}
	if l.Allowed.Valid() {
		w.Begin("AMT")
		w.Str("B6")
		w.Amount(l.Allowed)
		w.End()
	}
}

// writeCAS writes runs of adjustments with the same group, up to six per segment.
func writeCAS(w *x12.Writer, adj []settlement.Adjustment) {
	for i := 0; i < len(adj); {
		j := i + 1
		for j < len(adj) && j-i < maxCASTriplets && adj[j].Group == adj[i].Group {
			j++
		}
		w.Begin("CAS")
		w.Str(string(adj[i].Group))
		for _, a := range adj[i:j] {
			w.Str(a.Reason)
			w.Amount(a.Amount)
			if a.Quantity != 0 {
				w.Int(a.Quantity)
			} else {
				w.Str("")
			}
		}
		w.End()
		i = j
	}
}

func writeDTM(w *x12.Writer, qual string, t time.Time) {
	if t.IsZero() {
		return
	}
	w.Begin("DTM")
	w.Str(qual)
	w.Date(t)
	w.End()
}

func (p *parser) clp(seg *x12.Segment) error {
	if p.loop < inNumber || p.loop == inPLB {
		return x12.Errorf(seg.Pos, "CLP", "", "CLP before LX or after PLB")
	}
	if err := p.closeClaim(); err != nil {
		return err
	}
	p.loop, p.claimOpen, p.claimPos = inClaim, true, seg.Pos
	p.claims = append(p.claims, settlement.ClaimPayment{})
	c := &p.claims[len(p.claims)-1]
	var err error
	if c.PatientControlNumber, err = p.str(seg, 1); err != nil {
		return err
	}
	st, err := p.str(seg, 2)
	if err != nil {
		return err
	}
	c.Status = settlement.ClaimStatus(st)
	if c.Charge, err = p.amount(seg, 3); err != nil {
		return err
	}
	if c.Paid, err = p.amount(seg, 4); err != nil {
		return err
	}
	if len(seg.Element(5)) == 0 {
		c.PatientResponsibility = money.Zero(money.USD)
	} else if c.PatientResponsibility, err = p.amount(seg, 5); err != nil {
		return err
	}
	if c.FilingIndicator, err = p.str(seg, 6); err != nil {
		return err
	}
	if c.PayerControlNumber, err = p.str(seg, 7); err != nil {
		return err
	}
	if c.FacilityCode, err = p.str(seg, 8); err != nil {
		return err
	}
	c.Frequency, err = p.str(seg, 9)
	return err
}

// closeLine ends the open line's adjustment run and checks its balance.
func (p *parser) closeLine() error {
	p.lineOpen = false
	l := p.lines.last()
	l.Adjustments = p.adjs.close()
	adj, of := sumAdj(l.Adjustments, false)
	if want, of := add(l.Charge.Minor(), -adj, of); of || want != l.Paid.Minor() {
		return x12.Errorf(p.linePos, "SVC", "SVC03", "line payment %s does not balance: SVC02 − Σ CAS = %s", l.Paid.Number(), minor(want))
	}
	return nil
}

// closeClaim ends the open claim and checks its balance against its
// adjustments and its lines.
func (p *parser) closeClaim() error {
	if !p.claimOpen {
		return nil
	}
	p.claimOpen = false
	c := &p.claims[len(p.claims)-1]
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
		linePaid, of = add(linePaid, c.Lines[i].Paid.Minor(), of)
	}
	want, of := add(c.Charge.Minor(), -claimAdj, of)
	want, of = add(want, -lineAdj, of)
	if of || want != c.Paid.Minor() {
		return x12.Errorf(p.claimPos, "CLP", "CLP04", "claim payment %s does not balance: CLP03 − Σ CAS = %s", c.Paid.Number(), minor(want))
	}
	if len(c.Lines) > 0 {
		if byLines, of := add(linePaid, -claimAdj, false); of || byLines != c.Paid.Minor() {
			return x12.Errorf(p.claimPos, "CLP", "CLP04", "claim payment %s does not balance with its lines: Σ SVC03 − Σ claim CAS = %s", c.Paid.Number(), minor(byLines))
		}
	}
	return nil
}

func sumAdj(adj []settlement.Adjustment, of bool) (int64, bool) {
	s := int64(0)
	for i := range adj {
		s, of = add(s, adj[i].Amount.Minor(), of)
	}
	return s, of
}

// cas reads up to six adjustments of one group into the open claim or line.
func (p *parser) cas(seg *x12.Segment) error {
	switch p.loop {
	case inClaim:
		if p.lines.runLen() > 0 {
			return x12.Errorf(seg.Pos, "CAS", "", "claim CAS must come before the claim's lines")
		}
	case inLine:
	default:
		return x12.Errorf(seg.Pos, "CAS", "", "CAS outside a claim or line")
	}
	g, err := p.str(seg, 1)
	if err != nil {
		return err
	}
	if seg.Len() < 3 || seg.Len() > 19 {
		return x12.Errorf(seg.Pos, "CAS", "", "want 1-6 reason/amount[/quantity] triplets")
	}
	for i := 2; i <= seg.Len(); i += 3 {
		if len(seg.Element(i)) == 0 && len(seg.Element(i+1)) == 0 && len(seg.Element(i+2)) == 0 {
			continue
		}
		a := settlement.Adjustment{Group: settlement.AdjustmentGroup(g)}
		if a.Reason, err = p.str(seg, i); err != nil {
			return err
		}
		if a.Amount, err = p.amount(seg, i+1); err != nil {
			return err
		}
		if a.Quantity, err = p.count(seg, i+2); err != nil {
			return err
		}
		p.adjs.add(a)
	}
	return nil
}

func (p *parser) nm1(seg *x12.Segment) error {
	pt := &p.claims[len(p.claims)-1].Patient
	var err error
	if pt.LastName, err = p.str(seg, 3); err != nil {
		return err
	}
	if pt.FirstName, err = p.str(seg, 4); err != nil {
		return err
	}
	pt.MemberID, err = p.str(seg, 9)
	return err
}

func (p *parser) svc(seg *x12.Segment) error {
	if p.loop != inClaim && p.loop != inLine {
		return x12.Errorf(seg.Pos, "SVC", "", "SVC outside a claim")
	}
	if p.lineOpen {
		if err := p.closeLine(); err != nil {
			return err
		}
	} else {
		p.claims[len(p.claims)-1].Adjustments = p.adjs.close()
	}
	p.loop, p.lineOpen, p.linePos = inLine, true, seg.Pos
	l := p.lines.add(settlement.ServiceLine{})
	el := seg.Element(1)
	comp := p.r.Delimiters().Component
	var err error
	for k := 1; k <= 6; k++ {
		c := x12.Component(el, comp, k)
		v, err := p.sub(seg, 1, c)
		if err != nil {
			return err
		}
		switch k {
		case 1:
			l.Procedure.Qualifier = v
		case 2:
			l.Procedure.Code = v
		default:
			l.Procedure.Modifiers[k-3] = v
		}
		if c == nil {
			break
		}
	}
	if l.Charge, err = p.amount(seg, 2); err != nil {
		return err
	}
	if l.Paid, err = p.amount(seg, 3); err != nil {
		return err
	}
	l.Units, err = p.count(seg, 5)
	return err
}

func (p *parser) amt(seg *x12.Segment) error {
	switch {
	case p.loop == inLine && string(seg.Element(1)) == "B6":
		a, err := p.amount(seg, 2)
		p.lines.last().Allowed = a
		return err
	case p.loop == inLine || p.loop == inClaim:
		_, err := p.amount(seg, 2)
		return err
	}
	return x12.Errorf(seg.Pos, "AMT", "", "AMT outside a claim or line")
}
