package en16931

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// MaxDocument is the largest e-invoice a parser reads.
const MaxDocument = 16 << 20

// ErrDTD rejects documents with a document type declaration (XXE, entity bombs).
var ErrDTD = errors.New("DOCTYPE declarations are not accepted")

// readDoc reads at most MaxDocument bytes and rejects DTDs. encoding/xml
// never resolves external entities; refusing DOCTYPE closes the rest.
func readDoc(r io.Reader, file string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxDocument+1))
	if err != nil {
		return nil, &ports.ParseError{File: file, Err: err}
	}
	if len(b) > MaxDocument {
		return nil, &ports.ParseError{File: file, Err: fmt.Errorf("document larger than %d bytes", MaxDocument)}
	}
	if bytes.Contains(b, []byte("<!DOCTYPE")) || bytes.Contains(b, []byte("<!ENTITY")) {
		return nil, &ports.ParseError{File: file, Err: ErrDTD}
	}
	return b, nil
}

func unmarshal(b []byte, v any, file string) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	if err := d.Decode(v); err != nil {
		line := 0
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			line = se.Line
		}
		return &ports.ParseError{File: file, Line: line, Err: err}
	}
	return nil
}

// fieldParser accumulates the first conversion error with its element name.
type fieldParser struct {
	file string
	cur  money.Currency
	err  error
}

func (p *fieldParser) fail(elem string, err error) {
	if p.err == nil {
		p.err = &ports.ParseError{File: p.file, Element: elem, Err: err}
	}
}

func (p *fieldParser) amount(elem, s string) money.Amount {
	return p.amountIn(elem, s, p.cur)
}

func (p *fieldParser) amountIn(elem, s string, cur money.Currency) money.Amount {
	a, err := money.Parse(s, cur)
	if err != nil {
		p.fail(elem, err)
	}
	return a
}

func (p *fieldParser) rate(elem, s string) money.Rate {
	r, err := money.ParseRate(s)
	if err != nil {
		p.fail(elem, err)
	}
	return r
}

func (p *fieldParser) date(elem, s string, basic bool) invoicing.Date {
	if s == "" {
		return invoicing.Date{}
	}
	var d invoicing.Date
	var err error
	if basic {
		d, err = invoicing.ParseBasicDate(s)
	} else {
		d, err = invoicing.ParseDate(s)
	}
	if err != nil {
		p.fail(elem, err)
	}
	return d
}

// finish copies exemption reasons from the VAT breakdown onto lines and
// adjustments (the syntaxes carry them only per breakdown), then validates.
func finish(inv *invoicing.Invoice, file string) error {
	fill := func(t *invoicing.Tax) {
		for _, v := range inv.VAT {
			if v.Category == t.Category && v.Rate.Cmp(t.Rate) == 0 {
				t.ExemptionReason, t.ExemptionCode = v.ExemptionReason, v.ExemptionCode
			}
		}
	}
	for i := range inv.Lines {
		fill(&inv.Lines[i].Tax)
	}
	for i := range inv.Allowances {
		fill(&inv.Allowances[i].Tax)
	}
	for i := range inv.Charges {
		fill(&inv.Charges[i].Tax)
	}
	if !inv.Totals.Prepaid.IsZero() {
		inv.Prepaid = inv.Totals.Prepaid
	}
	if err := inv.Validate(); err != nil {
		return &ports.ParseError{File: file, Err: err}
	}
	return nil
}

type errCurrency string

func (e errCurrency) Error() string {
	return fmt.Sprintf("currencyID %q is neither the invoice nor the tax currency", string(e))
}
