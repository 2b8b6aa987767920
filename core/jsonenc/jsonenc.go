// Package jsonenc appends JSON values byte for byte as encoding/json's
// Marshal writes them, HTML characters escaped too, for the hot paths that
// encode known structs by hand instead of by reflection.
package jsonenc

import (
	"strconv"
	"unicode/utf8"
)

const hex = "0123456789abcdef"

// String appends s as a JSON string: quotes, backslashes and control
// characters escaped, <, > and & as \u003c, \u003e and \u0026, U+2028 and
// U+2029 as \u2028 and \u2029, and each invalid UTF-8 byte as \ufffd.
func String(b []byte, s string) []byte {
	b = append(b, '"')
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[done:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, `\b`...)
			case '\f':
				b = append(b, `\f`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			done = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(append(b, s[done:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[done:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += n
			continue
		}
		i += n
		done = i
	}
	return append(append(b, s[done:]...), '"')
}

// Key appends a comma unless b ends an opening brace, then the object key k,
// which must need no escaping (the struct tags of hand-written encoders).
func Key(b []byte, k string) []byte {
	if len(b) > 0 && b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

// Bool appends true or false.
func Bool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// Int appends v in decimal.
func Int(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// Array appends xs as a JSON array, each element by elem (a method
// expression such as (*Line).appendJSON).
func Array[T any](b []byte, xs []T, elem func(*T, []byte) ([]byte, error)) ([]byte, error) {
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = elem(&xs[i], b); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// Trim is for an encoder's deferred call, with the buffer it was given:
// when *err is set it puts that buffer back in *out, so that a failed
// encoder appends nothing (whatever its appends returned).
func Trim(out *[]byte, given []byte, err *error) {
	if *err != nil {
		*out = given
	}
}
