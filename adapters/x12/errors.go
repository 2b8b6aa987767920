package x12

import (
	"errors"
	"fmt"

	"github.com/revhub/revhub/ports"
)

// ParseError is ports.ParseError: Line holds the 1-based segment number.
type ParseError = ports.ParseError

// ErrTooLarge reports input above the reader's size cap.
var ErrTooLarge = errors.New("x12: input exceeds the size limit")

// Errorf returns a ParseError at segment pos, element name (e.g. "CLP03").
func Errorf(pos int, segment, element, format string, args ...any) *ParseError {
	return &ParseError{File: "x12", Line: pos, Segment: segment, Element: element, Err: fmt.Errorf(format, args...)}
}
