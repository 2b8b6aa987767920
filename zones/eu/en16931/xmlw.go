package en16931

import (
	"unicode/utf8"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

// xw appends indented XML to a byte slice. Tags are trusted constants;
// text and attribute values are escaped.
type xw struct {
	b     []byte
	depth int
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>`

func (w *xw) nl() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, ' ', ' ')
	}
}

func (w *xw) open(tag string) {
	w.nl()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
	w.depth++
}

func (w *xw) close(tag string) {
	w.depth--
	w.nl()
	w.b = append(w.b, '<', '/')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
}

func (w *xw) start(tag string) {
	w.nl()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
}

func (w *xw) attr(name, val string) {
	w.b = append(w.b, ' ')
	w.b = append(w.b, name...)
	w.b = append(w.b, '=', '"')
	w.b = escape(w.b, val, true)
	w.b = append(w.b, '"')
}

func (w *xw) end(tag string) {
	w.b = append(w.b, '<', '/')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
}

// leaf writes <tag>val</tag>.
func (w *xw) leaf(tag, val string) {
	w.start(tag)
	w.b = append(w.b, '>')
	w.b = escape(w.b, val, false)
	w.end(tag)
}

// opt writes <tag>val</tag> unless val is empty.
func (w *xw) opt(tag, val string) {
	if val != "" {
		w.leaf(tag, val)
	}
}

// leafAttr writes <tag name="aval">val</tag>; the attribute is left out when aval is empty.
func (w *xw) leafAttr(tag, name, aval, val string) {
	w.start(tag)
	if aval != "" {
		w.attr(name, aval)
	}
	w.b = append(w.b, '>')
	w.b = escape(w.b, val, false)
	w.end(tag)
}

func (w *xw) amount(tag string, a money.Amount) {
	w.start(tag)
	w.b = append(w.b, '>')
	w.b = a.AppendNumber(w.b, '.')
	w.end(tag)
}

func (w *xw) amountCur(tag string, a money.Amount) {
	w.start(tag)
	w.b = append(w.b, ` currencyID="`...)
	w.b = append(w.b, a.Currency()...)
	w.b = append(w.b, '"', '>')
	w.b = a.AppendNumber(w.b, '.')
	w.end(tag)
}

func (w *xw) rate(tag string, r money.Rate) {
	w.start(tag)
	w.b = append(w.b, '>')
	w.b = append(w.b, r.String()...)
	w.end(tag)
}

func (w *xw) isoDate(tag string, d invoicing.Date) {
	w.start(tag)
	w.b = append(w.b, '>')
	w.b = d.AppendISO(w.b)
	w.end(tag)
}

// ciiDate writes <tag><udt:DateTimeString format="102">YYYYMMDD</udt:DateTimeString></tag>.
func (w *xw) ciiDate(tag, inner string, d invoicing.Date) {
	w.start(tag)
	w.b = append(w.b, '>')
	w.b = append(w.b, '<')
	w.b = append(w.b, inner...)
	w.b = append(w.b, ` format="102">`...)
	w.b = d.AppendBasic(w.b)
	w.end(inner)
	w.end(tag)
}

// escape appends s with XML escaping; characters XML 1.0 forbids become U+FFFD.
func escape(b []byte, s string, attr bool) []byte {
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
