package jsonenc

import (
	"errors"
	"fmt"
)

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// Raw appends src as json.Marshal writes a json.RawMessage holding it: the
// whitespace between tokens dropped and <, >, &, U+2028 and U+2029 escaped;
// it fails, appending nothing, unless src is exactly one JSON value.
func Raw(b, src []byte) ([]byte, error) {
	r := raw{src: src}
	out, err := r.value(b, 0)
	if err == nil {
		r.space()
		if r.i < len(src) {
			err = r.fail("after the top-level value")
		}
	}
	if err != nil {
		return b, err
	}
	return out, nil
}

// raw is the reader of one Raw call: src from byte i on is still to read.
type raw struct {
	src []byte
	i   int
}

var errEnd = errors.New("jsonenc: unexpected end of JSON input")

func (r *raw) fail(where string) error {
	if r.i >= len(r.src) {
		return errEnd
	}
	return fmt.Errorf("jsonenc: invalid character %q at offset %d %s", r.src[r.i], r.i, where)
}

func (r *raw) space() {
	for r.i < len(r.src) {
		switch r.src[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *raw) value(b []byte, depth int) ([]byte, error) {
	r.space()
	if r.i >= len(r.src) {
		return b, errEnd
	}
	switch c := r.src[r.i]; {
	case c == '{' || c == '[':
		if depth >= maxDepth {
			return b, fmt.Errorf("jsonenc: nesting deeper than %d at offset %d", maxDepth, r.i)
		}
		return r.container(b, depth+1)
	case c == '"':
		return r.string(b)
	case c == '-' || c >= '0' && c <= '9':
		return r.number(b)
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(r.src)-r.i >= len(lit) && string(r.src[r.i:r.i+len(lit)]) == lit {
			r.i += len(lit)
			return append(b, lit...), nil
		}
	}
	return b, r.fail("looking for the beginning of a value")
}

// container reads an object or an array, whose opening byte is at i.
func (r *raw) container(b []byte, depth int) ([]byte, error) {
	open := r.src[r.i]
	end := byte(']')
	if open == '{' {
		end = '}'
	}
	b = append(b, open)
	r.i++
	r.space()
	if r.i < len(r.src) && r.src[r.i] == end {
		r.i++
		return append(b, end), nil
	}
	for {
		var err error
		if open == '{' {
			r.space()
			if r.i >= len(r.src) || r.src[r.i] != '"' {
				return b, r.fail("looking for the beginning of an object key")
			}
			if b, err = r.string(b); err != nil {
				return b, err
			}
			r.space()
			if r.i >= len(r.src) || r.src[r.i] != ':' {
				return b, r.fail("after an object key")
			}
			b = append(b, ':')
			r.i++
		}
		if b, err = r.value(b, depth); err != nil {
			return b, err
		}
		r.space()
		switch {
		case r.i < len(r.src) && r.src[r.i] == ',':
			b = append(b, ',')
			r.i++
		case r.i < len(r.src) && r.src[r.i] == end:
			r.i++
			return append(b, end), nil
		default:
			return b, r.fail("after a value in an object or array")
		}
	}
}

// plain marks the string bytes copied as they are.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0xe2
	}
	return t
}()

// string reads a string literal, whose opening quote is at i.
func (r *raw) string(b []byte) ([]byte, error) {
	s := r.src
	b = append(b, '"')
	r.i++
	done := r.i // s[:done] is in b
	for r.i < len(s) {
		c := s[r.i]
		if plain[c] {
			r.i++
			continue
		}
		b = append(b, s[done:r.i]...)
		switch {
		case c == '"':
			r.i++
			return append(b, '"'), nil
		case c == '\\':
			n, err := r.escape()
			if err != nil {
				return b, err
			}
			b = append(b, s[r.i:r.i+n]...)
			r.i += n
		case c == '<' || c == '>' || c == '&':
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			r.i++
		case c == 0xe2 && r.i+2 < len(s) && s[r.i+1] == 0x80 && s[r.i+2]&^1 == 0xa8:
			b = append(b, '\\', 'u', '2', '0', '2', hex[s[r.i+2]&0xf])
			r.i += 3
		case c == 0xe2:
			b = append(b, c)
			r.i++
		default:
			return b, r.fail("in a string literal")
		}
		done = r.i
	}
	return b, errEnd
}

// escape returns the length of the escape sequence at i.
func (r *raw) escape() (int, error) {
	s := r.src[r.i:]
	if len(s) < 2 {
		return 0, errEnd
	}
	switch s[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		for k := 2; k < 6; k++ {
			if k >= len(s) {
				return 0, errEnd
			}
			if c := s[k] | 0x20; !(s[k] >= '0' && s[k] <= '9' || c >= 'a' && c <= 'f') {
				r.i += k
				return 0, r.fail("in a \\u escape")
			}
		}
		return 6, nil
	}
	r.i++
	return 0, r.fail("in a string escape")
}

// number reads a number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func (r *raw) number(b []byte) ([]byte, error) {
	s, start := r.src, r.i
	digits := func() bool {
		from := r.i
		for r.i < len(s) && s[r.i] >= '0' && s[r.i] <= '9' {
			r.i++
		}
		return r.i > from
	}
	if s[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(s) && s[r.i] == '0':
		r.i++
	case !digits():
		return b, r.fail("in a number")
	}
	if r.i < len(s) && s[r.i] == '.' {
		r.i++
		if !digits() {
			return b, r.fail("after a decimal point")
		}
	}
	if r.i < len(s) && s[r.i]|0x20 == 'e' {
		r.i++
		if r.i < len(s) && (s[r.i] == '+' || s[r.i] == '-') {
			r.i++
		}
		if !digits() {
			return b, r.fail("in an exponent")
		}
	}
	return append(b, s[start:r.i]...), nil
}
