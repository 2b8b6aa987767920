package ports

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an I/O error so callers decide by kind, never by message
// text. The list is append-only.
type Kind uint8

// The kinds of error.
const (
	Other       Kind = iota
	Invalid          // the request is wrong; do not retry
	NotFound         // the thing does not exist
	Conflict         // duplicate or idempotency clash
	Transient        // a retry with backoff may succeed
	Unavailable      // the system is down or paused
	Permission       // not allowed
	Unknown          // the outcome is not known (timed-out money movement); never retry automatically
)

var kindNames = [...]string{"other", "invalid", "not_found", "conflict", "transient", "unavailable", "permission", "unknown_outcome"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is an I/O error from an adapter: the operation, its kind and cause.
type Error struct {
	Op   string // "sap_idoc.Export"
	Kind Kind
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Kind != Other {
		b.WriteString(" (" + e.Kind.String() + ")")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error.
func E(op string, kind Kind, err error) error { return &Error{Op: op, Kind: kind, Err: err} }

// KindOf returns the Kind of the outermost *Error in err's chain, or Other.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		if e.Kind == Other && e.Err != nil {
			return KindOf(e.Err)
		}
		return e.Kind
	}
	return Other
}

// Is reports whether err carries the given kind.
func Is(kind Kind, err error) bool { return err != nil && KindOf(err) == kind }

// ParseError locates a problem in a file format: file, line, segment or
// record, element or field, and what was expected.
type ParseError struct {
	File    string // optional source name
	Line    int    // 1-based line, segment or record number; 0 if unknown
	Segment string // "CLP", "EntryDetail", "lines[2]"
	Element string // "CLP03", "amount"
	Err     error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d ", e.Line)
	}
	switch {
	case e.Element != "":
		b.WriteString(e.Element)
	case e.Segment != "":
		b.WriteString(e.Segment)
	}
	if e.Err != nil {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return strings.TrimSpace(b.String())
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }
