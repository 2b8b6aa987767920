// Package xmlw appends indented, escaped XML to a reusable byte slice: the
// allocation-light writer under every e-invoice formatter.
package xmlw

import (
	"unicode/utf8"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

// Writer appends indented XML to a byte slice. Tags are trusted constants;
// text and attribute values are escaped.
type Writer struct {
	B     []byte // the document so far
	Depth int    // current indentation level
}

// Decl is the XML declaration every document starts with.
const Decl = `<?xml version="1.0" encoding="UTF-8"?>`

// Nl starts a new indented line.
func (w *Writer) Nl() {
	w.B = append(w.B, '\n')
	for range w.Depth {
		w.B = append(w.B, ' ', ' ')
	}
}

// Open writes <tag> on a new line and indents.
func (w *Writer) Open(tag string) {
	w.Nl()
	w.B = append(w.B, '<')
	w.B = append(w.B, tag...)
	w.B = append(w.B, '>')
	w.Depth++
}

// Close dedents and writes </tag> on a new line.
func (w *Writer) Close(tag string) {
	w.Depth--
	w.Nl()
	w.B = append(w.B, '<', '/')
	w.B = append(w.B, tag...)
	w.B = append(w.B, '>')
}

// Start writes "<tag" on a new line; follow with Attr and a closing ">".
func (w *Writer) Start(tag string) {
	w.Nl()
	w.B = append(w.B, '<')
	w.B = append(w.B, tag...)
}

// Attr writes name="val" (escaped).
func (w *Writer) Attr(name, val string) {
	w.B = append(w.B, ' ')
	w.B = append(w.B, name...)
	w.B = append(w.B, '=', '"')
	w.B = Escape(w.B, val, true)
	w.B = append(w.B, '"')
}

// End writes </tag> in place.
func (w *Writer) End(tag string) {
	w.B = append(w.B, '<', '/')
	w.B = append(w.B, tag...)
	w.B = append(w.B, '>')
}

// Leaf writes <tag>val</tag>.
func (w *Writer) Leaf(tag, val string) {
	w.Start(tag)
	w.B = append(w.B, '>')
	w.B = Escape(w.B, val, false)
	w.End(tag)
}

// Opt writes <tag>val</tag> unless val is empty.
func (w *Writer) Opt(tag, val string) {
	if val != "" {
		w.Leaf(tag, val)
	}
}

// LeafAttr writes <tag name="aval">val</tag>; the attribute is left out when aval is empty.
func (w *Writer) LeafAttr(tag, name, aval, val string) {
	w.Start(tag)
	if aval != "" {
		w.Attr(name, aval)
	}
	w.B = append(w.B, '>')
	w.B = Escape(w.B, val, false)
	w.End(tag)
}

// Amount writes <tag>12.50</tag>.
func (w *Writer) Amount(tag string, a money.Amount) {
	w.Start(tag)
	w.B = append(w.B, '>')
	w.B = a.AppendNumber(w.B, '.')
	w.End(tag)
}

// AmountCur writes <tag currencyID="EUR">12.50</tag>.
func (w *Writer) AmountCur(tag string, a money.Amount) {
	w.Start(tag)
	w.B = append(w.B, ` currencyID="`...)
	w.B = append(w.B, a.Currency()...)
	w.B = append(w.B, '"', '>')
	w.B = a.AppendNumber(w.B, '.')
	w.End(tag)
}

// Rate writes <tag>rate</tag>.
func (w *Writer) Rate(tag string, r money.Rate) {
	w.Start(tag)
	w.B = append(w.B, '>')
	w.B = append(w.B, r.String()...)
	w.End(tag)
}

// IsoDate writes <tag>YYYY-MM-DD</tag>.
func (w *Writer) IsoDate(tag string, d invoicing.Date) {
	w.Start(tag)
	w.B = append(w.B, '>')
	w.B = d.AppendISO(w.B)
	w.End(tag)
}

// CiiDate writes <tag><udt:DateTimeString format="102">YYYYMMDD</udt:DateTimeString></tag>.
func (w *Writer) CiiDate(tag, inner string, d invoicing.Date) {
	w.Start(tag)
	w.B = append(w.B, '>')
	w.B = append(w.B, '<')
	w.B = append(w.B, inner...)
	w.B = append(w.B, ` format="102">`...)
	w.B = d.AppendBasic(w.B)
	w.End(inner)
	w.End(tag)
}

// Escape appends s with XML escaping; characters XML 1.0 forbids become U+FFFD.
func Escape(b []byte, s string, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' {
			i++
			continue
		}
		var rep string
		width := 1
		switch {
		case c == '&':
			rep = "&amp;"
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c == '"':
			if !attr {
				i++
				continue
			}
			rep = "&quot;"
		case c == '\r':
			rep = "&#xD;"
		case c == '\n' || c == '\t':
			if !attr {
				i++
				continue
			}
			rep = "&#x9;"
			if c == '\n' {
				rep = "&#xA;"
			}
		case c < 0x20:
			rep = "\uFFFD"
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			width = n
			if r != utf8.RuneError || n != 1 {
				if r != 0xFFFE && r != 0xFFFF {
					i += n
					continue
				}
			}
			rep = "\uFFFD"
		}
		b = append(b, s[last:i]...)
		b = append(b, rep...)
		i += width
		last = i
	}
	return append(b, s[last:]...)
}
