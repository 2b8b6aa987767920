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
	b   []byte // the segment after its id, without the terminator: each element follows a separator
	at  int    // index in b of the separator before the next element; len(b) when none is left
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
// one of the claim loop's, inside a transaction set after BPR, terminated
// and within the reader's element limit; ok is false when the reader must
// read it (and report what is wrong with it).
func (p *parser) readHot() (ok bool, err error) {
	if p.seen&seenBPR == 0 {
		return false, nil
	}
	b := p.r.Peek()
	id := hot(b, &p.delim)
	if id == "" {
		return false, nil
	}
	end := bytes.IndexByte(b, p.delim.Segment)
	if end < 0 || end > x12.MaxElements && bytes.Count(b[:end], []byte{p.delim.Element}) >= x12.MaxElements || !p.env.Body() {
		return false, nil
	}
	p.off = len(p.in) - len(b)
	pos := p.r.Skip(end + 1)
	p.last = pos
	return true, p.hot(&fields{b: b[3:end], pos: pos, id: id, p: p})
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
	b := p.in[seg.Offset:]
	end := bytes.IndexByte(b, p.delim.Segment)
	return &fields{b: b[len(seg.Elements[0]):end], pos: seg.Pos, id: string(seg.Elements[0]), p: p}
}

// len returns the number of elements after the id.
func (f *fields) len() int { return bytes.Count(f.b, []byte{f.p.delim.Element}) }

// next returns the next element (nil after the last one).
func (f *fields) next() []byte {
	f.el++
	b, sep := f.b, f.p.delim.Element
	if f.at >= len(b) {
		return nil
	}
	i := f.at + 1
	j := i
	for j < len(b) && b[j] != sep {
		j++
	}
	f.at = j
	return b[i:j]
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
	if f.at >= len(b) {
		return "", nil
	}
	i := f.at + 1
	j := i
	for j < len(b) && !f.p.bad[b[j]] {
		j++
	}
	if j < len(b) && b[j] != f.p.delim.Element {
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
