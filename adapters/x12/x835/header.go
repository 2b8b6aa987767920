package x835

import (
	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/settlement"
)

// writeBPR writes the financial information: handling code, amount,
// credit/debit flag, method and, for ACH, both bank accounts.
func writeBPR(w *x12.Writer, a *settlement.PaymentAdvice) {
	w.Begin("BPR")
	switch a.Method {
	case settlement.MethodACH:
		w.Str("I") // remittance information only: the money moves as a CCD+ entry
	case settlement.MethodCheck:
		w.Str("C") // payment accompanies the remittance advice
	default:
		w.Str("H") // notification only
	}
	flag := "C"
	if a.Total < 0 {
		w.Minor(-a.Total, usdDigits)
		flag = "D"
	} else {
		w.Minor(a.Total, usdDigits)
	}
	w.Str(flag)
	w.Str(string(a.Method))
	if a.Method == settlement.MethodACH {
		w.Str("CCP")
		w.Str("01")
		w.Str(a.PayerBank.Routing)
		w.Str("DA")
		w.Str(string(a.PayerBank.Account))
		w.Str(a.Payer.ID)
		w.Str("")
		w.Str("01")
		w.Str(a.PayeeBank.Routing)
		w.Str(accountQualifier(a.PayeeBank.Type))
		w.Str(string(a.PayeeBank.Account))
	} else {
		for range 11 {
			w.Str("")
		}
	}
	writeDate(w, a.Date)
	w.End()
}

func accountQualifier(t settlement.AccountType) string {
	if t == settlement.Savings {
		return "SG"
	}
	return "DA"
}

func writePayer(w *x12.Writer, p *settlement.Payer) {
	w.Begin("N1")
	w.Str("PR")
	w.Str(p.Name)
	w.End()
	writeAddress(w, &p.Address)
	w.Begin("PER")
	w.Str("BL")
	w.Str(p.Contact.Name)
	if p.Contact.Phone != "" {
		w.Str("TE")
		w.Str(p.Contact.Phone)
	}
	if p.Contact.Email != "" {
		w.Str("EM")
		w.Str(p.Contact.Email)
	}
	w.End()
}

func writePayee(w *x12.Writer, p *settlement.Payee) {
	w.Begin("N1")
	w.Str("PE")
	w.Str(p.Name)
	if p.NPI != "" {
		w.Str("XX")
		w.Str(p.NPI)
	} else {
		w.Str("FI")
		w.Str(p.TIN)
	}
	w.End()
	if p.Address != (settlement.Address{}) {
		writeAddress(w, &p.Address)
	}
	if p.NPI != "" && p.TIN != "" {
		w.Begin("REF")
		w.Str("TJ")
		w.Str(p.TIN)
		w.End()
	}
}

func writeAddress(w *x12.Writer, a *settlement.Address) {
	w.Begin("N3")
	w.Str(a.Line1)
	w.Str(a.Line2)
	w.End()
	w.Begin("N4")
	w.Str(a.City)
	w.Str(a.State)
	w.Str(a.PostalCode)
	w.End()
}

func (p *parser) bpr(seg *x12.Segment) error {
	if p.seen&seenBPR != 0 {
		return x12.Errorf(seg.Pos, "BPR", "", "second BPR in one transaction set")
	}
	p.seen |= seenBPR
	p.bprPos = seg.Pos
	total, err := p.amount(seg, 2)
	if err != nil {
		return err
	}
	switch string(seg.Element(3)) {
	case "C":
	case "D":
		total = -total
	default:
		return x12.Errorf(seg.Pos, "BPR", "BPR03", "credit/debit flag %q: want C or D", seg.Element(3))
	}
	p.adv.Total = total
	switch m := settlement.PaymentMethod(seg.Element(4)); m {
	case settlement.MethodACH:
		p.adv.Method = m
		if err := p.banks(seg); err != nil {
			return err
		}
	case settlement.MethodCheck, settlement.MethodNone:
		p.adv.Method = m
	default:
		return x12.Errorf(seg.Pos, "BPR", "BPR04", "payment method %q not supported: want ACH, CHK or NON", seg.Element(4))
	}
	p.adv.Date, err = p.date(seg, 16)
	return err
}

func (p *parser) banks(seg *x12.Segment) error {
	var err error
	var acct string
	if p.adv.PayerBank.Routing, err = p.str(seg, 7); err != nil {
		return err
	}
	if acct, err = p.str(seg, 9); err != nil {
		return err
	}
	p.adv.PayerBank.Account, p.adv.PayerBank.Type = settlement.AccountNumber(acct), settlement.Checking
	if p.adv.PayeeBank.Routing, err = p.str(seg, 13); err != nil {
		return err
	}
	if acct, err = p.str(seg, 15); err != nil {
		return err
	}
	p.adv.PayeeBank.Account = settlement.AccountNumber(acct)
	switch string(seg.Element(14)) {
	case "DA":
		p.adv.PayeeBank.Type = settlement.Checking
	case "SG":
		p.adv.PayeeBank.Type = settlement.Savings
	default:
		return x12.Errorf(seg.Pos, "BPR", "BPR14", "account qualifier %q: want DA or SG", seg.Element(14))
	}
	return nil
}

func (p *parser) trn(seg *x12.Segment) error {
	if p.seen&seenTRN != 0 || p.loop != inHeader {
		return x12.Errorf(seg.Pos, "TRN", "", "TRN belongs once in the header")
	}
	p.seen |= seenTRN
	var err error
	if p.adv.TraceNumber, err = p.str(seg, 2); err != nil {
		return err
	}
	p.adv.Payer.ID, err = p.str(seg, 3)
	return err
}

func (p *parser) n1(seg *x12.Segment) error {
	var err error
	switch string(seg.Element(1)) {
	case "PR":
		if p.loop != inHeader {
			return x12.Errorf(seg.Pos, "N1", "N101", "payer (N1*PR) after the header")
		}
		p.loop, p.seen = inPayer, p.seen|seenPayer
		p.adv.Payer.Name, err = p.str(seg, 2)
	case "PE":
		if p.loop != inPayer {
			return x12.Errorf(seg.Pos, "N1", "N101", "payee (N1*PE) must follow the payer (N1*PR)")
		}
		p.loop, p.seen = inPayee, p.seen|seenPayee
		if p.adv.Payee.Name, err = p.str(seg, 2); err != nil {
			return err
		}
		id, err := p.str(seg, 4)
		if err != nil {
			return err
		}
		switch string(seg.Element(3)) {
		case "XX":
			p.adv.Payee.NPI = id
		case "FI":
			p.adv.Payee.TIN = id
		case "XV":
		default:
			return x12.Errorf(seg.Pos, "N1", "N103", "payee id qualifier %q: want XX, FI or XV", seg.Element(3))
		}
	default:
		return x12.Errorf(seg.Pos, "N1", "N101", "entity %q: want PR or PE", seg.Element(1))
	}
	return err
}

func (p *parser) address(seg *x12.Segment) error {
	var a *settlement.Address
	switch p.loop {
	case inPayer:
		a = &p.adv.Payer.Address
	case inPayee:
		a = &p.adv.Payee.Address
	default:
		return x12.Errorf(seg.Pos, string(seg.Elements[0]), "", "address outside the payer or payee loop")
	}
	var err error
	if string(seg.Elements[0]) == "N3" {
		if a.Line1, err = p.str(seg, 1); err != nil {
			return err
		}
		a.Line2, err = p.str(seg, 2)
		return err
	}
	if a.City, err = p.str(seg, 1); err != nil {
		return err
	}
	if a.State, err = p.str(seg, 2); err != nil {
		return err
	}
	a.PostalCode, err = p.str(seg, 3)
	return err
}

// per reads the payer's technical contact (PER*BL): name, then up to three
// communication number pairs of which TE and EM are kept.
func (p *parser) per(seg *x12.Segment) error {
	c := &p.adv.Payer.Contact
	var err error
	if c.Name, err = p.str(seg, 2); err != nil {
		return err
	}
	for i := 3; i <= 7; i += 2 {
		v, err := p.str(seg, i+1)
		if err != nil {
			return err
		}
		switch string(seg.Element(i)) {
		case "TE":
			c.Phone = v
		case "EM":
			c.Email = v
		}
	}
	return nil
}

func (p *parser) ref(f *fields) error {
	var err error
	q := f.next()
	switch {
	case p.loop == inPayee && string(q) == "TJ":
		p.adv.Payee.TIN, err = f.str()
	case p.loop == inLine && string(q) == "6R":
		p.line().ControlNumber, err = f.str()
	case p.loop == inNumber || p.loop == inPLB:
		err = f.segErrorf("REF outside a header, party, claim or line loop")
	}
	return err
}

func (p *parser) dtm(f *fields) error {
	var dst *settlement.Date
	q := f.next()
	switch {
	case p.loop == inHeader && string(q) == "405":
		dst = &p.adv.ProductionDate
	case p.loop == inClaim && string(q) == "232":
		dst = &p.claim.ServiceStart
	case p.loop == inClaim && string(q) == "233":
		dst = &p.claim.ServiceEnd
	case p.loop == inLine && string(q) == "472":
		dst = &p.line().Date
	case p.loop == inClaim || p.loop == inLine || p.loop == inHeader:
		_, err := f.date()
		return err
	default:
		return f.segErrorf("DTM outside the header, a claim or a line")
	}
	t, err := f.date()
	*dst = t
	return err
}
