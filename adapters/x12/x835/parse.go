package x835

import (
	"fmt"
	"io"
	"time"
	"unsafe"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// Parse reads one 835 interchange from b in one pass and checks its
// envelope, its syntax and every balancing rule. b is copied once; the
// strings of the result share that copy. Errors are *ports.ParseError.
func Parse(b []byte) (*ports.Remittance, error) {
	return parse(b, string(b), x12.Standard)
}

// parseOwned is Parse for a buffer nobody else holds or changes: its
// strings alias b instead of a copy.
func parseOwned(b []byte, out x12.Delimiters) (*ports.Remittance, error) {
	return parse(b, unsafe.String(unsafe.SliceData(b), len(b)), out)
}

// loop is the part of the transaction a segment belongs to.
type loop uint8

const (
	inHeader loop = iota
	inPayer
	inPayee
	inNumber // after LX
	inClaim
	inLine
	inPLB
)

type parser struct {
	in  []byte
	s   string // the same bytes as in, as a string: result strings are substrings
	bad [256]bool
	r   *x12.Reader
	env x12.Envelope
	rem ports.Remittance

	adv       settlement.PaymentAdvice
	loop      loop
	bprPos    int
	claimOpen bool
	seen      uint8 // segments required once: seenBPR | seenTRN | seenPayer | seenPayee
	claims    []settlement.ClaimPayment
	lines     pool[settlement.ServiceLine]
	adjs      pool[settlement.Adjustment]
	claimPos  int // segment number of the open claim's CLP
	linePos   int // segment number of the open line's SVC
	lineOpen  bool
}

const (
	seenBPR uint8 = 1 << iota
	seenTRN
	seenPayer
	seenPayee
)

func parse(in []byte, s string, out x12.Delimiters) (*ports.Remittance, error) {
	r, err := x12.NewReader(in)
	if err != nil {
		return nil, err
	}
	p := &parser{in: in, s: s, r: r}
	d := r.Delimiters()
	for c := range 256 {
		p.bad[c] = c < 0x20 || c > 0x7e
	}
	for _, c := range []byte{d.Element, d.Repetition, d.Component, d.Segment, out.Element, out.Repetition, out.Component, out.Segment} {
		p.bad[c] = true
	}
	last := 0
	for {
		seg, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		last = seg.Pos
		ev, err := p.env.Step(seg)
		if err != nil {
			return nil, err
		}
		if err := p.step(ev, seg); err != nil {
			return nil, err
		}
	}
	if err := p.env.Done(last + 1); err != nil {
		return nil, err
	}
	if len(p.rem.Advices) == 0 {
		return nil, x12.Errorf(last, "ST", "", "no 835 transaction set in the interchange")
	}
	return &p.rem, nil
}

func (p *parser) step(ev x12.Event, seg *x12.Segment) error {
	switch ev {
	case x12.Body:
		return p.body(seg)
	case x12.InterchangeStart:
		isa := p.env.ISA
		p.rem.Sender = ports.Partner{Qualifier: isa.SenderQualifier, ID: isa.SenderID}
		p.rem.Receiver = ports.Partner{Qualifier: isa.ReceiverQualifier, ID: isa.ReceiverID}
		p.rem.Test = isa.Usage == 'T'
		p.rem.Envelope.InterchangeControl = isa.Control
		p.rem.Envelope.Created = isa.Created
	case x12.GroupStart:
		if p.env.GS.Functional != "HP" || p.env.GS.Version != Version {
			return x12.Errorf(seg.Pos, "GS", "GS01", "want GS01 HP and GS08 %s, got %q and %q", Version, p.env.GS.Functional, p.env.GS.Version)
		}
		if p.rem.Envelope.GroupControl == 0 {
			p.rem.Envelope.GroupControl = p.env.GS.Control
		}
	case x12.TransactionStart:
		if st3 := seg.Element(3); string(seg.Element(1)) != "835" || len(st3) > 0 && string(st3) != Version {
			return x12.Errorf(seg.Pos, "ST", "ST01", "want ST01 835 and ST03 empty or %s, got %q and %q", Version, seg.Element(1), st3)
		}
		if p.rem.Envelope.TransactionControl == 0 {
			p.rem.Envelope.TransactionControl, _ = x12.Uint(seg.Element(2))
		}
		p.start()
	case x12.TransactionEnd:
		return p.finish(seg.Pos)
	}
	return nil
}

// start resets the per-transaction state; slabs are fresh so finished
// advices keep theirs.
func (p *parser) start() {
	p.adv = settlement.PaymentAdvice{}
	p.loop, p.seen, p.bprPos, p.claimOpen, p.lineOpen = inHeader, 0, 0, false, false
	// A claim with its lines rarely takes under 300 bytes; beyond, append grows.
	p.claims = make([]settlement.ClaimPayment, 0, len(p.in)/300+1)
}

func (p *parser) body(seg *x12.Segment) error {
	id := seg.Elements[0]
	if p.seen&seenBPR == 0 && string(id) != "BPR" {
		return x12.Errorf(seg.Pos, string(id), "", "want BPR first in the transaction set")
	}
	switch string(id) {
	case "BPR":
		return p.bpr(seg)
	case "TRN":
		return p.trn(seg)
	case "CUR":
		if string(seg.Element(2)) != "USD" {
			return x12.Errorf(seg.Pos, "CUR", "CUR02", "currency %q not supported: want USD", seg.Element(2))
		}
	case "N1":
		return p.n1(seg)
	case "N3", "N4":
		return p.address(seg)
	case "PER":
		if p.loop == inPayer && string(seg.Element(1)) == "BL" {
			return p.per(seg)
		}
	case "REF":
		return p.ref(seg)
	case "DTM":
		return p.dtm(seg)
	case "LX":
		if p.loop < inPayee || p.loop == inPLB {
			return x12.Errorf(seg.Pos, "LX", "", "LX before the payee (N1*PE) or after PLB")
		}
		p.loop = inNumber
		return p.closeClaim()
	case "CLP":
		return p.clp(seg)
	case "CAS":
		return p.cas(seg)
	case "NM1":
		if p.loop != inClaim {
			return x12.Errorf(seg.Pos, "NM1", "", "NM1 outside a claim (CLP)")
		}
		if string(seg.Element(1)) == "QC" {
			return p.nm1(seg)
		}
	case "SVC":
		return p.svc(seg)
	case "AMT":
		return p.amt(seg)
	case "PLB":
		return p.plb(seg)
	case "TS3", "TS2", "RDM", "MIA", "MOA", "QTY", "LQ":
		// Accepted and not modelled.
	default:
		return x12.Errorf(seg.Pos, string(id), "", "segment %s is not part of an 835", id)
	}
	return nil
}

// finish closes the transaction: the last claim, the payment balance, the
// domain validation, then hands the slabs to the advice.
func (p *parser) finish(pos int) error {
	const need = seenBPR | seenTRN | seenPayer | seenPayee
	if p.seen&need != need {
		return x12.Errorf(pos, "SE", "", "transaction set lacks BPR, TRN, N1*PR or N1*PE")
	}
	if err := p.closeClaim(); err != nil {
		return err
	}
	sum := int64(0)
	of := false
	for i := range p.claims {
		sum, of = add(sum, p.claims[i].Paid.Minor(), of)
	}
	for _, a := range p.adv.ProviderAdjustments {
		sum, of = add(sum, -a.Amount.Minor(), of)
	}
	if of || sum != p.adv.Total.Minor() {
		return x12.Errorf(p.bprPos, "BPR", "BPR02", "payment %s does not balance: Σ CLP04 − Σ PLB = %s", p.adv.Total.Number(), minor(sum))
	}
	if len(p.claims) > 0 {
		p.adv.Claims = p.claims[:len(p.claims):len(p.claims)]
	}
	if err := p.adv.Validate(); err != nil {
		return &ports.ParseError{File: "x12", Line: pos, Segment: "SE", Err: fmt.Errorf("payment advice: %w", err)}
	}
	p.rem.Advices = append(p.rem.Advices, p.adv)
	p.claims = nil
	return nil
}

// str returns el as a string sharing the input's copy, rejecting control
// characters and delimiters.
func (p *parser) str(seg *x12.Segment, i int) (string, error) {
	el := seg.Element(i)
	if len(el) == 0 {
		return "", nil
	}
	for _, c := range el {
		if p.bad[c] {
			return "", x12.Errorf(seg.Pos, string(seg.Elements[0]), elName(seg, i), "character %q not allowed", c)
		}
	}
	off := cap(p.in) - cap(el)
	return p.s[off : off+len(el)], nil
}

// sub is str for a component of element i.
func (p *parser) sub(seg *x12.Segment, i int, c []byte) (string, error) {
	if len(c) == 0 {
		return "", nil
	}
	for _, b := range c {
		if p.bad[b] {
			return "", x12.Errorf(seg.Pos, string(seg.Elements[0]), elName(seg, i), "character %q not allowed", b)
		}
	}
	off := cap(p.in) - cap(c)
	return p.s[off : off+len(c)], nil
}

// amount parses element i as a USD amount into minor units, never via float.
func (p *parser) amount(seg *x12.Segment, i int) (money.Amount, error) {
	el := seg.Element(i)
	m, err := money.ParseMinorBytes(trimZeros(el), 2)
	if err != nil {
		return money.Amount{}, x12.Errorf(seg.Pos, string(seg.Elements[0]), elName(seg, i), "invalid monetary amount %q", el)
	}
	a, err := money.New(m, money.USD)
	return a, err
}

// trimZeros drops fractional zeros beyond the second decimal ("12.500").
func trimZeros(b []byte) []byte {
	for n := len(b); n > 3 && b[n-1] == '0'; n = len(b) {
		dot := -1
		for k := n - 1; k >= 0 && k >= n-20; k-- {
			if b[k] == '.' {
				dot = k
				break
			}
		}
		if dot < 0 || n-dot-1 <= 2 {
			break
		}
		b = b[:n-1]
	}
	return b
}

// count parses element i as a whole number of units; empty is 0.
func (p *parser) count(seg *x12.Segment, i int) (int64, error) {
	el := seg.Element(i)
	if len(el) == 0 {
		return 0, nil
	}
	for n := len(el); n > 1 && hasDot(el) && (el[n-1] == '0' || el[n-1] == '.'); n = len(el) {
		last := el[n-1]
		el = el[:n-1]
		if last == '.' {
			break
		}
	}
	v, ok := x12.Uint(el)
	if !ok {
		return 0, x12.Errorf(seg.Pos, string(seg.Elements[0]), elName(seg, i), "invalid quantity %q: want a whole number", seg.Element(i))
	}
	return v, nil
}

func hasDot(b []byte) bool {
	for _, c := range b {
		if c == '.' {
			return true
		}
	}
	return false
}

// date parses element i as CCYYMMDD.
func (p *parser) date(seg *x12.Segment, i int) (time.Time, error) {
	el := seg.Element(i)
	v, ok := x12.Uint(el)
	if ok && len(el) == 8 {
		y, m, d := int(v/10000), time.Month(v/100%100), int(v%100)
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if y > 0 && t.Month() == m && t.Day() == d {
			return t, nil
		}
	}
	return time.Time{}, x12.Errorf(seg.Pos, string(seg.Elements[0]), elName(seg, i), "invalid date %q: want CCYYMMDD", el)
}

func elName(seg *x12.Segment, i int) string { return fmt.Sprintf("%s%02d", seg.Elements[0], i) }

func add(a, b int64, of bool) (int64, bool) {
	s := a + b
	if (s > a) != (b > 0) {
		return s, true
	}
	return s, of
}

func minor(m int64) string {
	a, err := money.New(m, money.USD)
	if err != nil {
		return "?"
	}
	return a.Number()
}
