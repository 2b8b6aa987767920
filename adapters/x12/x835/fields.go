package x835

import (
	"bytes"
	"fmt"
	"unsafe"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/settlement"
)

// fields reads the elements of one segment in order straight from the
// input, converting each as it is found: the segments of the claim loop
// are parsed this way, without splitting them first.
type fields struct {
	b   []byte // the input after the segment's id: each element follows a separator, the last the terminator
	at  int    // index in b of the delimiter after the element read last; len(b) when unterminated
	el  int    // number of the element read last
	pos int    // segment number
	id  string // segment id
	p   *parser
}

// hot returns the id of the segment at the start of b when it is one of
// the claim loop's (whose handlers read fields), else "".
func hot(b []byte, d *x12.Delimiters) string {
	if len(b) < 4 || b[3] != d.Element && b[3] != d.Segment {
		return ""
	}
	switch string(b[:3]) {
	case "CLP":
		return "CLP"
	case "SVC":
		return "SVC"
	case "CAS":
		return "CAS"
	case "DTM":
		return "DTM"
	case "REF":
		return "REF"
	case "AMT":
		return "AMT"
	case "NM1":
		return "NM1"
	}
	return ""
}

// readHot parses the segment at the start of the reader's input when it is
// one of the claim loop's inside a transaction set after BPR; ok is false
// when the reader must read it.
func (p *parser) readHot() (ok bool, err error) {
	if p.seen&seenBPR == 0 {
		return false, nil
	}
	b := p.r.Peek()
	id := hot(b, &p.delim)
	if id == "" || !p.env.Body() {
		return false, nil
	}
	p.off = len(p.in) - len(b)
	f := &fields{b: b[3:], pos: p.last + 1, id: id, p: p}
	if err := p.hot(f); err != nil {
		return true, err
	}
	n, err := f.end()
	if err != nil {
		return true, err
	}
	p.last = p.r.Skip(3 + n)
	return true, nil
}

// hot dispatches a claim loop segment.
func (p *parser) hot(f *fields) error {
	switch f.id {
	case "CAS":
		return p.cas(f)
	case "SVC":
		return p.svc(f)
	case "DTM":
		return p.dtm(f)
	case "REF":
		return p.ref(f)
	case "AMT":
		return p.amt(f)
	case "CLP":
		return p.clp(f)
	}
	return p.nm1(f)
}

// fieldsOf returns seg, read by the reader, as fields.
func (p *parser) fieldsOf(seg *x12.Segment) *fields {
	return &fields{b: p.in[seg.Offset+len(seg.Elements[0]):], pos: seg.Pos, id: string(seg.Elements[0]), p: p}
}

// len returns the number of elements after the id.
func (f *fields) len() int {
	if end := bytes.IndexByte(f.b, f.p.delim.Segment); end >= 0 {
		return bytes.Count(f.b[:end], []byte{f.p.delim.Element})
	}
	return 0
}

// more reports whether an element follows the one read last.
func (f *fields) more() bool { return f.at < len(f.b) && f.b[f.at] == f.p.delim.Element }

// next returns the next element (nil after the last one).
func (f *fields) next() []byte {
	f.el++
	b, sep, term := f.b, f.p.delim.Element, f.p.delim.Segment
	if !f.more() {
		return nil
	}
	i := f.at + 1
	j := i
	for j < len(b) && b[j] != sep && b[j] != term {
		j++
	}
	f.at = j
	return b[i:j]
}

// end passes over the elements not read and returns the length of the
// segment after its id, its terminator included, like the reader failing
// when it is not terminated or has too many elements.
func (f *fields) end() (int, error) {
	n := f.el
	for f.more() {
		f.next()
		if n++; n >= x12.MaxElements {
			return 0, f.segErrorf("more than %d elements", x12.MaxElements-1)
		}
	}
	if f.at >= len(f.b) {
		return 0, f.segErrorf("segment not terminated by %q", f.p.delim.Segment)
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
	for j < len(b) && !f.p.bad[b[j]] {
		j++
	}
	if j < len(b) && b[j] != f.p.delim.Element && b[j] != f.p.delim.Segment {
		return "", f.errorf("character %q not allowed", b[j])
	}
	f.at = j
	return unsafe.String(unsafe.SliceData(b[i:j]), j-i), nil
}

// text is str for a part of an element.
func (f *fields) text(b []byte) (string, error) {
	for _, c := range b {
		if f.p.bad[c] {
			return "", f.errorf("character %q not allowed", c)
		}
	}
	return unsafe.String(unsafe.SliceData(b), len(b)), nil
}

// amount reads the next element as USD minor units.
func (f *fields) amount() (int64, error) { return f.amountOf(f.next()) }

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
	el := f.next()
	if d, ok := ymd(el); ok {
		return d, nil
	}
	return settlement.Date{}, f.errorf("invalid date %q: want CCYYMMDD", el)
}

// errorf reports a problem with the element read last.
func (f *fields) errorf(format string, args ...any) error {
	return x12.Errorf(f.pos, f.id, fmt.Sprintf("%s%02d", f.id, f.el), format, args...)
}

// segErrorf reports a problem with the whole segment.
func (f *fields) segErrorf(format string, args ...any) error {
	return x12.Errorf(f.pos, f.id, "", format, args...)
}
