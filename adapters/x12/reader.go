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
	elems [MaxElements + 1][]byte
	seg   Segment
}

// NewReader reads the delimiters from the ISA at the start of b.
func NewReader(b []byte) (*Reader, error) {
	d, err := ReadDelimiters(b)
	if err != nil {
		return nil, err
	}
	return &Reader{buf: b, delim: d}, nil
}

// Delimiters returns the interchange's delimiters.
func (r *Reader) Delimiters() Delimiters { return r.delim }

// Input returns the bytes being read.
func (r *Reader) Input() []byte { return r.buf }

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
	rest := buf[pos:]
	end := bytes.IndexByte(rest, r.delim.Segment)
	if end < 0 {
		r.pos = len(buf)
		return nil, &ParseError{File: "x12", Line: r.n, Segment: idOf(rest, r.delim.Element),
			Err: fmt.Errorf("segment not terminated by %q", r.delim.Segment)}
	}
	line := rest[:end]
	r.pos = pos + end + 1
	// Elements are short: a byte loop beats a call per element.
	n, start := 0, 0
	sep := r.delim.Element
	elems := r.elems[:MaxElements]
	for i, c := range line {
		if c != sep {
			continue
		}
		elems[n] = line[start:i]
		n++
		start = i + 1
		if n == MaxElements {
			return nil, &ParseError{File: "x12", Line: r.n, Segment: string(r.elems[0]), Err: fmt.Errorf("more than %d elements", MaxElements-1)}
		}
	}
	elems[n] = line[start:]
	n++
	if !validID(r.elems[0]) {
		return nil, &ParseError{File: "x12", Line: r.n, Segment: printable(r.elems[0]),
			Err: errors.New("invalid segment id: want 2-3 of A-Z 0-9")}
	}
	r.seg = Segment{Pos: r.n, Offset: pos, Elements: r.elems[:n]}
	return &r.seg, nil
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
