package x835

import (
	"bytes"
	"fmt"
	"strconv"
	"unsafe"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// fields reads the elements of one segment in order straight from the
// input, converting each as it is found: the segments of the claim loop
// are parsed this way, without splitting them first. One fields serves a
// whole parse: only its position changes from segment to segment.
type fields struct {
	b         []byte // the whole input
	at        int    // index in b of the delimiter after the element read last; len(b) when unterminated
	el        int    // number of the element read last
	got       int    // number of elements read (el may count reads past the last)
	pos       int    // segment number
	h         int    // which segment of the claim loop (see hot)
	sep, term byte
	bad       *[256]bool // the bytes no string may hold
}

// The segments of the claim loop, numbered for hot.
const (
	notHot = iota
	hotCAS
	hotDTM
	hotSVC
	hotREF
	hotAMT
	hotCLP
	hotNM1
)

// hotIDs are the ids of the segments of the claim loop, by number.
var hotIDs = [...]string{hotCAS: "CAS", hotDTM: "DTM", hotSVC: "SVC", hotREF: "REF", hotAMT: "AMT", hotCLP: "CLP", hotNM1: "NM1"}

// hot returns the number of the segment at the start of b when it is one
// of the claim loop's, else notHot.
func hot(b []byte, d *x12.Delimiters) int {
	if len(b) < 4 || b[3] != d.Element && b[3] != d.Segment {
		return notHot
	}
	switch uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) {
	case 'C'<<16 | 'A'<<8 | 'S':
		return hotCAS
	case 'D'<<16 | 'T'<<8 | 'M':
		return hotDTM
	case 'S'<<16 | 'V'<<8 | 'C':
		return hotSVC
	case 'R'<<16 | 'E'<<8 | 'F':
		return hotREF
	case 'A'<<16 | 'M'<<8 | 'T':
		return hotAMT
	case 'C'<<16 | 'L'<<8 | 'P':
		return hotCLP
	case 'N'<<16 | 'M'<<8 | '1':
		return hotNM1
	}
	return notHot
}

// parseHot parses segment h of the claim loop.
func (p *parser) parseHot(h int, f *fields) error {
	switch h {
	case hotCAS:
		return p.cas(f)
	case hotDTM:
		return p.dtm(f)
	case hotSVC:
		return p.svc(f)
	case hotREF:
		return p.ref(f)
	case hotAMT:
		return p.amt(f)
	case hotCLP:
		return p.clp(f)
	}
	return p.nm1(f)
}

// readHot parses the segments of the claim loop that follow each other
// from the reader's position on, inside a transaction set after BPR; ok is
// false when there is none and the reader must read the next segment.
func (p *parser) readHot() (ok bool, err error) {
	if p.seen&seenBPR == 0 {
		return false, nil
	}
	in, f := p.in, &p.f
	start := len(in) - len(p.r.Peek())
	i, n := start, 0
	for {
		for i < len(in) && (in[i] == '\n' || in[i] == '\r') {
			i++
		}
		h := hot(in[i:], &p.delim)
		if h == notHot || !p.env.Body() {
			break
		}
		p.off = i
		f.at, f.el, f.got, f.pos, f.h = i+3, 0, 0, p.last+1, h
		if h == hotCLP { // closing the claim before hands it to ParseEach's fn: the reader's checks come first
			if g := *f; !g.ends() {
				_, err := g.end()
				return true, err
			}
		}
		if err := p.parseHot(h, f); err != nil {
			if _, serr := f.end(); serr != nil {
				return true, serr // what the reader would have reported first
			}
			return true, err
		}
		if i, err = f.end(); err != nil {
			return true, err
		}
		p.last++
		n++
	}
	if n == 0 {
		return false, nil
	}
	p.r.Skip(i-start, n)
	return true, nil
}

// readHotSegment parses seg, read by the reader, as fields.
func (p *parser) readHotSegment(seg *x12.Segment) error {
	h := hot(p.in[seg.Offset:], &p.delim)
	f := &p.f
	f.at, f.el, f.got, f.pos, f.h = seg.Offset+3, 0, 0, seg.Pos, h
	return p.parseHot(h, f)
}

// len returns the number of elements after the id.
func (f *fields) len() int {
	n := 0
	for g := *f; g.more(); g.next() {
		n++
	}
	return f.got + n
}

// more reports whether an element follows the one read last.
func (f *fields) more() bool { return f.at < len(f.b) && f.b[f.at] == f.sep }

// next returns the next element (nil after the last one).
func (f *fields) next() []byte {
	f.el++
	b, sep, term := f.b, f.sep, f.term
	if !f.more() {
		return nil
	}
	f.got++
	i := f.at + 1
	j := i
	for j < len(b) && b[j] != sep && b[j] != term {
		j++
	}
	f.at = j
	return b[i:j]
}

// ends reports whether end will succeed.
func (f *fields) ends() bool {
	n := bytes.IndexByte(f.b[f.at:], f.term)
	return n >= 0 && (n < x12.MaxElements || bytes.Count(f.b[f.at:f.at+n], []byte{f.sep}) < x12.MaxElements)
}

// empty reports whether the next n elements are empty or absent.
func (f *fields) empty(n int) bool {
	b := f.b
	for j := f.at; n > 0; n-- {
		if j >= len(b) || b[j] != f.sep {
			return true
		}
		if j++; j < len(b) && b[j] != f.sep && b[j] != f.term {
			return false
		}
	}
	return true
}

// end passes over the elements not read and returns the index after the
// terminator, failing like the reader when the segment is not terminated
// or has too many elements.
func (f *fields) end() (int, error) {
	for f.more() {
		if f.next(); f.got == x12.MaxElements && bytes.IndexByte(f.b[f.at:], f.term) >= 0 {
			return 0, f.segErrorf("more than %d elements", x12.MaxElements-1)
		}
	}
	if f.at >= len(f.b) {
		// The reader quotes the id of an unterminated segment.
		return 0, &ports.ParseError{File: "x12", Line: f.pos, Segment: strconv.Quote(hotIDs[f.h]), Err: fmt.Errorf("segment not terminated by %q", f.term)}
	}
	return f.at + 1, nil
}

// skip passes over n elements.
func (f *fields) skip(n int) {
	for range n {
		f.next()
	}
}

// str returns the next element as a string sharing the input, rejecting
// control characters and delimiters.
func (f *fields) str() (string, error) {
	f.el++
	b := f.b
	if !f.more() {
		return "", nil
	}
	i := f.at + 1
	j := i
	bad := f.bad
	for j < len(b) && !bad[b[j]] {
		j++
	}
	if j < len(b) && b[j] != f.sep && b[j] != f.term {
		return "", f.errorf("character %q not allowed", b[j])
	}
	f.at = j
	f.got++
	return unsafe.String(unsafe.SliceData(b[i:j]), j-i), nil
}

// amount reads the next element as USD minor units. The usual amount
// (up to 15 digits and 2 decimals) is converted while it is found; any
// other is left to amountOf.
func (f *fields) amount() (int64, error) {
	b, i := f.b, f.at+1
	if !f.more() {
		return f.amountOf(f.next())
	}
	neg := i < len(b) && b[i] == '-'
	if neg {
		i++
	}
	v, digits := int64(0), 0
	for ; i < len(b) && b[i]-'0' < 10 && digits < 15; i++ {
		v = v*10 + int64(b[i]-'0')
		digits++
	}
	frac := 0
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i]-'0' < 10 && frac < usdDigits; i++ {
			v = v*10 + int64(b[i]-'0')
			frac++
		}
	}
	if digits+frac == 0 || i >= len(b) || b[i] != f.sep && b[i] != f.term {
		return f.amountOf(f.next())
	}
	for ; frac < usdDigits; frac++ {
		v *= 10
	}
	f.el++
	f.got++
	f.at = i
	if neg {
		return -v, nil
	}
	return v, nil
}

// amountOf parses el, the element read last, as USD minor units (see parseCents).
func (f *fields) amountOf(el []byte) (int64, error) {
	if m, ok := parseCents(el); ok {
		return m, nil
	}
	return 0, f.errorf("invalid monetary amount %q", el)
}

// count reads the next element as a whole number of units.
func (f *fields) count() (int64, error) { return f.countOf(f.next()) }

// countOf parses el, the element read last, as a whole number of units (see wholeUnits).
func (f *fields) countOf(el []byte) (int64, error) {
	if v, ok := wholeUnits(el); ok {
		return v, nil
	}
	return 0, f.errorf("invalid quantity %q: want a whole number", el)
}

// date reads the next element as CCYYMMDD.
func (f *fields) date() (settlement.Date, error) {
	if b, i := f.b, f.at+1; f.more() && i+8 < len(b) && (b[i+8] == f.sep || b[i+8] == f.term) {
		v, digits := 0, true
		for _, c := range b[i : i+8] {
			digits = digits && c-'0' < 10
			v = v*10 + int(c-'0')
		}
		if d, ok := settlement.NewDate(v/10000, v/100%100, v%100); digits && ok {
			f.el++
			f.got++
			f.at = i + 8
			return d, nil
		}
	}
	el := f.next()
	if d, ok := ymd(el); ok {
		return d, nil
	}
	return settlement.Date{}, f.errorf("invalid date %q: want CCYYMMDD", el)
}

// errorf reports a problem with the element read last.
func (f *fields) errorf(format string, args ...any) error {
	return x12.Errorf(f.pos, hotIDs[f.h], fmt.Sprintf("%s%02d", hotIDs[f.h], f.el), format, args...)
}

// segErrorf reports a problem with the whole segment.
func (f *fields) segErrorf(format string, args ...any) error {
	return x12.Errorf(f.pos, hotIDs[f.h], "", format, args...)
}
