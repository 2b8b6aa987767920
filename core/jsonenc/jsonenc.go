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
	for i := 0; ; {
		i += plainLen(s[i:])
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf { // a byte plainLen stopped at: escape it
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

// plain marks the bytes String copies as they are: ASCII from the space up,
// except " \\ < > &.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// plainLen returns the length of s's leading run of plain bytes. It tests
// eight bytes at a time, as one 64-bit word, then the rest one by one.
func plainLen(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if w&msb|below(w, ' ')|zeroByte(w^'"'*lsb)|zeroByte(w^'\\'*lsb)|
			zeroByte(w^'<'*lsb)|zeroByte(w^'>'*lsb)|zeroByte(w^'&'*lsb) != 0 {
			break
		}
	}
	for i < len(s) && s[i] < utf8.RuneSelf && plain[s[i]] {
		i++
	}
	return i
}

// zeroByte is non-zero when a byte of w is zero.
func zeroByte(w uint64) uint64 { return (w - lsb) &^ w & msb }

// below is non-zero when a byte of w (each under 0x80) is under n.
func below(w, n uint64) uint64 { return (w - n*lsb) &^ w & msb }

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
