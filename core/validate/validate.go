// Package validate holds typed, path-addressed validation errors that
// accumulate, so one pass reports every problem at once.
package validate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel causes that callers branch on with errors.Is.
var (
	ErrRequired = errors.New("required")
	ErrInvalid  = errors.New("invalid")
)

// FieldError is one problem at one field.
type FieldError struct {
	Path string // dotted, zero-based, stable: "lines[2].unit_price"
	Code string // stable slug: "required", "negative", "currency_mismatch", "unknown_code"
	Msg  string // human detail; never a raw patient value
	Err  error  // optional cause
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Code)
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// Errors is an accumulated list of field errors.
type Errors []*FieldError

// Add appends a problem.
func (es *Errors) Add(path, code, msg string) {
	*es = append(*es, &FieldError{Path: path, Code: code, Msg: msg})
}

// Required appends a "required" problem at path.
func (es *Errors) Required(path string) {
	*es = append(*es, &FieldError{Path: path, Code: "required", Msg: "is required", Err: ErrRequired})
}

// Merge appends err: its field errors, prefixed, or one error at prefix.
func (es *Errors) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	var sub Errors
	var fe *FieldError
	switch {
	case errors.As(err, &sub):
		*es = append(*es, sub.Prefix(prefix)...)
	case errors.As(err, &fe):
		*es = append(*es, Errors{fe}.Prefix(prefix)...)
	default:
		*es = append(*es, &FieldError{Path: prefix, Code: "invalid", Msg: err.Error(), Err: err})
	}
}

// Prefix returns copies of the errors with prefix joined to each path.
func (es Errors) Prefix(prefix string) Errors {
	out := make(Errors, len(es))
	for i, e := range es {
		c := *e
		c.Path = Join(prefix, e.Path)
		out[i] = &c
	}
	return out
}

// Err returns nil when there are no errors, else es.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap exposes each field error to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Join joins path segments with '.', keeping "[i]" indexes attached.
func Join(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "":
		return prefix
	case strings.HasPrefix(path, "["):
		return prefix + path
	}
	return prefix + "." + path
}

// Index returns "name[i]".
func Index(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

// Errorf builds a FieldError with a formatted message.
func Errorf(path, code, format string, args ...any) *FieldError {
	return &FieldError{Path: path, Code: code, Msg: fmt.Sprintf(format, args...)}
}
