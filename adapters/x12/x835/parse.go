package x835

import (
	"bytes"
	"fmt"
	"io"
	"unsafe"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// usdDigits is the number of decimals of USD, the currency of an 835 without CUR.
const usdDigits = 2

// Parse reads one 835 interchange from b in one pass and checks its
// envelope, its syntax and every balancing rule. It does not copy b: the
// strings of the result share b's memory, so b must not change while the
// result is in use. Errors are *ports.ParseError.
func Parse(b []byte) (*ports.Remittance, error) {
	return parse(b, x12.Standard, nil)
}

// ClaimFunc receives one claim of advice a as soon as the claim balances.
type ClaimFunc func(a *settlement.PaymentAdvice, c *settlement.ClaimPayment) error

// ParseEach is Parse for very large files: instead of collecting claims it
// hands each one to fn and reuses it (with its Lines and Adjustments) for the
// next, so memory beyond b stays the size of one claim. Strings share b and
// may be kept; the claim and its slices may not. a holds the advice's
// header (without claims and provider adjustments). The result holds every
// advice with its provider adjustments and without claims.
//
// The advice balance (BPR02) is only known at its end: when ParseEach fails,
// discard what fn was shown. An error from fn stops the parse and is
// returned as is.
func ParseEach(b []byte, fn ClaimFunc) (*ports.Remittance, error) {
	return parse(b, x12.Standard, fn)
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
	in    []byte
	bad   [256]bool
	comp  byte
	delim x12.Delimiters
	r     *x12.Reader
	f     fields // the cursor of readHot
	env   x12.Envelope
	rem   ports.Remittance
	each  ClaimFunc // nil: collect claims
	off   int       // byte offset of the current segment
	last  int       // number of the current segment

	adv      settlement.PaymentAdvice
	loop     loop
	bprPos   int
	seen     uint8 // segments required once: seenBPR | seenTRN | seenPayer | seenPayee
	paid     int64 // Σ CLP04 of the transaction so far
	claims   int   // claims of the transaction so far
	paidOF   bool
	claim    *settlement.ClaimPayment // the open claim, nil when none
	scratch  settlement.ClaimPayment  // the claim ParseEach reuses
	slab     []settlement.ClaimPayment
	first    int // index in slab of the transaction's first claim
	lines    pool[settlement.ServiceLine]
	adjs     pool[settlement.Adjustment]
	claimPos int // segment number of the open claim's CLP
	linePos  int // segment number of the open line's SVC
	lineOpen bool
}

const (
	seenBPR uint8 = 1 << iota
	seenTRN
	seenPayer
	seenPayee
)

func parse(in []byte, out x12.Delimiters, each ClaimFunc) (*ports.Remittance, error) {
	r, err := x12.NewReader(in)
	if err != nil {
		return nil, err
	}
	d := r.Delimiters()
	p := &parser{in: in, r: r, comp: d.Component, delim: d, each: each}
	for c := range 256 {
		p.bad[c] = c < 0x20 || c > 0x7e
	}
	for _, c := range []byte{d.Element, d.Repetition, d.Component, d.Segment, out.Element, out.Repetition, out.Component, out.Segment} {
		p.bad[c] = true
	}
	r.Mark(&p.bad)
	p.f = fields{b: in, sep: d.Element, term: d.Segment, bad: &p.bad}
	if each == nil {
		est := sizes(in, d)
		p.slab = make([]settlement.ClaimPayment, 0, est.claims)
		p.lines.reserve(est.lines, func() int { return p.rest(p.lines.added) })
		p.adjs.reserve(est.adjs, func() int { return p.rest(p.adjs.added) })
	}
	for {
		if ok, err := p.readHot(); ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		seg, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		p.last, p.off = seg.Pos, seg.Offset
		ev, err := p.env.Step(seg)
		if err != nil {
			return nil, err
		}
		if ev == x12.Body {
			err = p.body(seg)
		} else {
			err = p.step(ev, seg)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := p.env.Done(p.last + 1); err != nil {
		return nil, err
	}
	if len(p.rem.Advices) == 0 {
		return nil, x12.Errorf(p.last, "ST", "", "no 835 transaction set in the interchange")
	}
	return &p.rem, nil
}

// rest returns how many elements to make room for when an estimate fell
// short: as many per byte left as added so far per byte read, plus 1% and
// a few.
func (p *parser) rest(added int) int {
	read := max(p.off, 1)
	return int(int64(added)*int64(len(p.in)-read)/int64(read)*101/100) + 64
}

func (p *parser) step(ev x12.Event, seg *x12.Segment) error {
	switch ev {
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

// start resets the per-transaction state.
func (p *parser) start() {
	p.adv = settlement.PaymentAdvice{Currency: money.USD}
	p.loop, p.seen, p.bprPos, p.claim, p.lineOpen = inHeader, 0, 0, nil, false
	p.paid, p.paidOF, p.claims, p.first = 0, false, 0, len(p.slab)
}

func (p *parser) body(seg *x12.Segment) error {
	id := seg.Elements[0]
	if p.seen&seenBPR == 0 && string(id) != "BPR" {
		return x12.Errorf(seg.Pos, string(id), "", "want BPR first in the transaction set")
	}
	switch string(id) {
	case "CAS", "SVC", "DTM", "REF", "AMT", "CLP", "NM1": // read by readHot unless the reader had to
		return p.readHotSegment(seg)
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
	case "LX":
		if p.loop < inPayee || p.loop == inPLB {
			return x12.Errorf(seg.Pos, "LX", "", "LX before the payee (N1*PE) or after PLB")
		}
		p.loop = inNumber
		return p.closeClaim()
	case "PLB":
		return p.plb(seg)
	case "TS3", "TS2", "RDM", "MIA", "MOA", "QTY", "LQ":
		// Accepted and not modelled.
	default:
		return x12.Errorf(seg.Pos, string(id), "", "segment %s is not part of an 835", id)
	}
	return nil
}

// finish closes the transaction: the last claim, the payment balance and
// the domain validation of the header.
func (p *parser) finish(pos int) error {
	const need = seenBPR | seenTRN | seenPayer | seenPayee
	if p.seen&need != need {
		return x12.Errorf(pos, "SE", "", "transaction set lacks BPR, TRN, N1*PR or N1*PE")
	}
	if err := p.closeClaim(); err != nil {
		return err
	}
	sum, of := p.paid, p.paidOF
	for _, a := range p.adv.ProviderAdjustments {
		sum, of = add(sum, -a.Amount, of)
	}
	if of || sum != p.adv.Total {
		return x12.Errorf(p.bprPos, "BPR", "BPR02", "payment %s does not balance: Σ CLP04 − Σ PLB = %s", minor(p.adv.Total), minor(sum))
	}
	if n := len(p.slab); n > p.first {
		p.adv.Claims = p.slab[p.first:n:n]
	}
	if p.claims == 0 && len(p.adv.ProviderAdjustments) == 0 {
		return x12.Errorf(pos, "SE", "", "an advice explains at least one claim (CLP) or provider adjustment (PLB)")
	}
	if err := p.adv.ValidateHeader(); err != nil {
		return &ports.ParseError{File: "x12", Line: pos, Segment: "SE", Err: fmt.Errorf("payment advice: %w", err)}
	}
	p.rem.Advices = append(p.rem.Advices, p.adv)
	return nil
}

// text returns b (a subslice of the input) as a string sharing the input,
// rejecting control characters and delimiters.
func (p *parser) text(seg *x12.Segment, i int, b []byte) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	if !seg.Marked { // the reader saw none of the bytes p.bad rejects
		return unsafe.String(unsafe.SliceData(b), len(b)), nil
	}
	for _, c := range b {
		if p.bad[c] {
			return "", x12.Errorf(seg.Pos, string(seg.Elements[0]), elName(seg, i), "character %q not allowed", c)
		}
	}
	return unsafe.String(unsafe.SliceData(b), len(b)), nil
}

// str is text for element i.
func (p *parser) str(seg *x12.Segment, i int) (string, error) { return p.text(seg, i, seg.Element(i)) }

// amount parses element i as USD minor units, never via float: an optional
// minus, digits, and at most two significant decimals ("12.500" is 1250).
func (p *parser) amount(seg *x12.Segment, i int) (int64, error) {
	el := seg.Element(i)
	if m, ok := parseCents(el); ok {
		return m, nil
	}
	return 0, x12.Errorf(seg.Pos, string(seg.Elements[0]), elName(seg, i), "invalid monetary amount %q", el)
}

func parseCents(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	var v uint64
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if v > (1<<63)/100/10 {
			return 0, false
		}
		v = v*10 + uint64(b[i]-'0')
	}
	whole := i
	frac := 0
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			switch {
			case frac < usdDigits:
				v = v*10 + uint64(b[i]-'0')
				frac++
			case b[i] != '0':
				return 0, false
			}
		}
		if whole == 0 && i == whole+1 {
			return 0, false // a lone "."
		}
	}
	if i != len(b) || i == 0 {
		return 0, false
	}
	for ; frac < usdDigits; frac++ {
		v *= 10
	}
	if v > 1<<63-1 {
		return 0, false
	}
	if neg {
		return -int64(v), true
	}
	return int64(v), true
}

// wholeUnits parses a whole number of units ("2", "2.0"); empty is 0.
func wholeUnits(el []byte) (int64, bool) {
	if len(el) == 0 {
		return 0, true
	}
	for n := len(el); n > 1 && bytes.IndexByte(el, '.') >= 0 && (el[n-1] == '0' || el[n-1] == '.'); n = len(el) {
		last := el[n-1]
		el = el[:n-1]
		if last == '.' {
			break
		}
	}
	return x12.Uint(el)
}

// date parses element i as CCYYMMDD.
func (p *parser) date(seg *x12.Segment, i int) (settlement.Date, error) {
	el := seg.Element(i)
	if d, ok := ymd(el); ok {
		return d, nil
	}
	return settlement.Date{}, x12.Errorf(seg.Pos, string(seg.Elements[0]), elName(seg, i), "invalid date %q: want CCYYMMDD", el)
}

// ymd parses CCYYMMDD.
func ymd(el []byte) (settlement.Date, bool) {
	if v, ok := x12.Uint(el); ok && len(el) == 8 {
		return settlement.NewDate(int(v/10000), int(v/100%100), int(v%100))
	}
	return settlement.Date{}, false
}

func elName(seg *x12.Segment, i int) string { return fmt.Sprintf("%s%02d", seg.Elements[0], i) }

func add(a, b int64, of bool) (int64, bool) {
	s := a + b
	if (s > a) != (b > 0) {
		return s, true
	}
	return s, of
}

func minor(m int64) string { return string(x12.AppendMinor(nil, m, usdDigits)) }
