package x12

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxElements caps the elements of one segment (the 835's largest has 21).
const MaxElements = 64

// Segment is one segment of an interchange. Its element slices alias the
// reader's input and are valid until the next call to Next.
type Segment struct {
	Pos      int      // 1-based ordinal of the segment in the input
	Offset   int      // byte offset of the segment id in the input
	Elements [][]byte // [0] is the segment id, [i] is element i; aliases the input
	Marked   bool     // the segment holds a byte given to Reader.Mark
}

// ID returns the segment id ("CLP") as bytes; compare with string(s.ID()) in a switch.
func (s *Segment) ID() []byte { return s.Elements[0] }

// Len returns the number of elements after the segment id.
func (s *Segment) Len() int { return len(s.Elements) - 1 }

// Element returns element i (1-based), or nil when the segment is shorter.
func (s *Segment) Element(i int) []byte {
	if i < len(s.Elements) {
		return s.Elements[i]
	}
	return nil
}

// Component returns component i (1-based) of el split by sep, or nil.
func Component(el []byte, sep byte, i int) []byte {
	for ; i > 1; i-- {
		j := bytes.IndexByte(el, sep)
		if j < 0 {
			return nil
		}
		el = el[j+1:]
	}
	if j := bytes.IndexByte(el, sep); j >= 0 {
		return el[:j]
	}
	return el
}

// Reader splits an in-memory interchange into segments without copying:
// elements are subslices of the input. One Reader reads one input; it does
// not allocate per segment.
type Reader struct {
	buf   []byte
	pos   int
	n     int
	delim Delimiters
	class [256]uint8 // what each byte is to Next: data, separator, terminator or marked
	elems [MaxElements + 1][]byte
	seg   Segment
}

// The classes of Reader.class.
const (
	classData uint8 = iota
	classSep
	classTerm
	classMarked
)

// NewReader reads the delimiters from the ISA at the start of b.
func NewReader(b []byte) (*Reader, error) {
	d, err := ReadDelimiters(b)
	if err != nil {
		return nil, err
	}
	r := &Reader{buf: b, delim: d}
	r.class[d.Element], r.class[d.Segment] = classSep, classTerm
	return r, nil
}

// Mark makes Next set Segment.Marked on every segment holding one of the
// bytes in set (the element separator and the terminator excepted): a
// caller that checks element data can skip the segments without them.
func (r *Reader) Mark(set *[256]bool) {
	for c, m := range set {
		if m && r.class[c] == classData {
			r.class[c] = classMarked
		}
	}
}

// Delimiters returns the interchange's delimiters.
func (r *Reader) Delimiters() Delimiters { return r.delim }

// Input returns the bytes being read.
func (r *Reader) Input() []byte { return r.buf }

// Peek returns the input from the next segment on, line breaks skipped: a
// caller may read a segment itself and Skip it.
func (r *Reader) Peek() []byte {
	for r.pos < len(r.buf) && (r.buf[r.pos] == '\n' || r.buf[r.pos] == '\r') {
		r.pos++
	}
	return r.buf[r.pos:]
}

// Skip consumes the first n bytes of Peek: segs segments, terminators
// included.
func (r *Reader) Skip(n, segs int) {
	r.pos += n
	r.n += segs
}

// Next returns the next segment, or io.EOF after the last one. The segment
// and its elements are valid until the following call. Line breaks between
// segments are skipped.
func (r *Reader) Next() (*Segment, error) {
	buf := r.buf
	pos := r.pos
	for pos < len(buf) && (buf[pos] == '\n' || buf[pos] == '\r') {
		pos++
	}
	if pos >= len(buf) {
		r.pos = pos
		return nil, io.EOF
	}
	r.n++
	// One pass over the bytes finds the separators and the terminator:
	// elements are short, a byte loop beats a call per element.
	n, start, marked := 0, pos, false
	elems := r.elems[:MaxElements]
	for i := pos; i < len(buf); i++ {
		switch r.class[buf[i]] {
		case classData:
			continue
		case classSep:
			elems[n] = buf[start:i]
			n++
			start = i + 1
			if n == MaxElements {
				return nil, r.tooLong(pos, i)
			}
		case classTerm:
			elems[n] = buf[start:i]
			n++
			r.pos = i + 1
			if !validID(elems[0]) {
				return nil, &ParseError{File: "x12", Line: r.n, Segment: printable(elems[0]),
					Err: errors.New("invalid segment id: want 2-3 of A-Z 0-9")}
			}
			r.seg = Segment{Pos: r.n, Offset: pos, Elements: elems[:n], Marked: marked}
			return &r.seg, nil
		default:
			marked = true
		}
	}
	r.pos = len(buf)
	return nil, r.unterminated(pos)
}

// tooLong reports the segment at pos whose element separator at i is one
// too many, or that it is not terminated at all.
func (r *Reader) tooLong(pos, i int) error {
	end := bytes.IndexByte(r.buf[i:], r.delim.Segment)
	if end < 0 {
		r.pos = len(r.buf)
		return r.unterminated(pos)
	}
	r.pos = i + end + 1
	return &ParseError{File: "x12", Line: r.n, Segment: string(r.elems[0]), Err: fmt.Errorf("more than %d elements", MaxElements-1)}
}

func (r *Reader) unterminated(pos int) error {
	return &ParseError{File: "x12", Line: r.n, Segment: idOf(r.buf[pos:], r.delim.Element),
		Err: fmt.Errorf("segment not terminated by %q", r.delim.Segment)}
}

func validID(b []byte) bool {
	if len(b) < 2 || len(b) > 3 {
		return false
	}
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func idOf(b []byte, sep byte) string {
	if i := bytes.IndexByte(b, sep); i >= 0 {
		b = b[:i]
	}
	if len(b) > 3 {
		b = b[:3]
	}
	return printable(b)
}

// printable renders b for an error message, replacing control bytes.
func printable(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return fmt.Sprintf("%q", b)
}

// ReadAll reads r into memory, failing with ErrTooLarge beyond max bytes.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("x12: read: %w", err)
	}
	if n > max {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, max)
	}
	return buf.Bytes(), nil
}
