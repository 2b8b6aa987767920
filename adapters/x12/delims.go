// Package x12 reads and writes ASC X12 interchanges: delimiters detected from
// the fixed-width ISA segment, a zero-copy segment reader, envelope checks
// (ISA/IEA, GS/GE, ST/SE control numbers and counts) and a writer that emits
// envelopes with correct counts. Transaction sets live in subpackages (x835).
package x12

import (
	"errors"
	"fmt"
)

// ISALen is the length of the ISA segment including its terminator.
const ISALen = 106

// Delimiters are the separators of one interchange.
type Delimiters struct {
	Element    byte // ISA byte 4
	Repetition byte // ISA11
	Component  byte // ISA16
	Segment    byte // the byte after ISA16
}

// Standard is the usual set: * ^ : ~.
var Standard = Delimiters{Element: '*', Repetition: '^', Component: ':', Segment: '~'}

// isaWidths are the fixed widths of ISA01..ISA16.
var isaWidths = [16]int{2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1}

// Valid reports whether the four delimiters are distinct and not
// alphanumeric or space (which would collide with data).
func (d Delimiters) Valid() bool {
	bs := [4]byte{d.Element, d.Repetition, d.Component, d.Segment}
	for i, c := range bs {
		if c == ' ' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '\r' {
			return false
		}
		for _, o := range bs[i+1:] {
			if c == o {
				return false
			}
		}
	}
	return true
}

// ReadDelimiters reads the delimiters from the fixed-width ISA at the start
// of b and checks that every ISA element sits at its fixed position.
func ReadDelimiters(b []byte) (Delimiters, error) {
	if len(b) < ISALen || string(b[:3]) != "ISA" {
		return Delimiters{}, &ParseError{File: "x12", Line: 1, Segment: "ISA", Err: errors.New("not an X12 interchange: want the 106-character ISA segment first")}
	}
	d := Delimiters{Element: b[3], Repetition: b[82], Component: b[104], Segment: b[105]}
	pos := 3
	for i, w := range isaWidths {
		if b[pos] != d.Element {
			return Delimiters{}, &ParseError{File: "x12", Line: 1, Segment: "ISA", Element: fmt.Sprintf("ISA%02d", i+1),
				Err: fmt.Errorf("want element separator %q at byte %d (ISA elements are fixed width; padded ids trimmed?)", d.Element, pos+1)}
		}
		pos += 1 + w
	}
	if !d.Valid() {
		return Delimiters{}, &ParseError{File: "x12", Line: 1, Segment: "ISA", Err: fmt.Errorf("delimiters %q %q %q %q are not distinct non-alphanumeric characters",
			d.Element, d.Repetition, d.Component, d.Segment)}
	}
	return d, nil
}
