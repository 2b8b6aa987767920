package csvgl

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// MaxFileSize caps what Parse reads: a journal file larger than this is
// refused rather than held in memory.
const MaxFileSize = 64 << 20

// maxErrors caps the problems Parse reports for one file.
const maxErrors = 20

// ParseOptions describes a journal file's layout. The file has no currency
// column, so the caller names it.
type ParseOptions struct {
	Delimiter        rune           // field separator; 0 means ';'
	DecimalSeparator byte           // 0 means ','
	Currency         money.Currency // currency of every amount
	Header           bool           // the first row is the column header
}

// Parse reads a journal file written by Exporter back into a batch: date
// and journal from the rows (which must agree), one line per row; the ID
// is left empty. Every problem is reported as a *ports.ParseError naming
// the line and column (up to 20, joined); a bad file yields no batch.
func Parse(r io.Reader, o ParseOptions) (ledger.Batch, error) {
	if o.Delimiter == 0 {
		o.Delimiter = ';'
	}
	if o.DecimalSeparator == 0 {
		o.DecimalSeparator = ','
	}
	if _, ok := o.Currency.Digits(); !ok {
		return ledger.Batch{}, fmt.Errorf("csv_gl: parse: unknown currency %q", o.Currency)
	}
	lr := &io.LimitedReader{R: r, N: MaxFileSize + 1}
	cr := csv.NewReader(lr)
	cr.Comma = o.Delimiter
	cr.FieldsPerRecord = len(Columns)
	cr.ReuseRecord = true
	p := parser{o: o}
	for row := 0; len(p.errs) < maxErrors; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			p.readError(err)
			break
		}
		line, _ := cr.FieldPos(0)
		if row == 0 && o.Header {
			p.header(line, rec)
			continue
		}
		p.row(line, rec, cr)
	}
	if lr.N <= 0 {
		p.errs = append(p.errs, &ports.ParseError{Err: fmt.Errorf("file exceeds %d bytes", MaxFileSize)})
	}
	if len(p.b.Lines) == 0 && len(p.errs) == 0 {
		p.errs = append(p.errs, &ports.ParseError{Err: errors.New("no journal lines")})
	}
	if len(p.errs) > 0 {
		return ledger.Batch{}, errors.Join(p.errs...)
	}
	return p.b, nil
}

type parser struct {
	o     ParseOptions
	b     ledger.Batch
	rows  int
	errs  []error
	dated bool
}

func (p *parser) fail(line int, col string, format string, args ...any) {
	p.errs = append(p.errs, &ports.ParseError{Line: line, Element: col, Err: fmt.Errorf(format, args...)})
}

func (p *parser) readError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		col := ""
		if pe.Column > 0 {
			col = fmt.Sprintf("column %d", pe.Column)
		}
		p.errs = append(p.errs, &ports.ParseError{Line: pe.Line, Element: col, Err: pe.Err})
		return
	}
	p.errs = append(p.errs, &ports.ParseError{Err: err})
}

func (p *parser) header(line int, rec []string) {
	for i, name := range Columns {
		if got := strings.TrimPrefix(rec[i], "\uFEFF"); got != name {
			p.fail(line, name, "header is %q, want %q", got, name)
		}
	}
}

func (p *parser) row(line int, rec []string, cr *csv.Reader) {
	before := len(p.errs)
	at := func(i int) int { l, _ := cr.FieldPos(i); return l }
	date, err := time.Parse(time.DateOnly, rec[0])
	switch {
	case err != nil:
		p.fail(at(0), "date", "want YYYY-MM-DD, got %q", rec[0])
	case !p.dated:
		p.b.Date, p.dated = date, true
	case !date.Equal(p.b.Date):
		p.fail(at(0), "date", "%s differs from the file's date %s", rec[0], p.b.Date.Format(time.DateOnly))
	}
	if p.rows == 0 {
		p.b.Journal = rec[1]
	} else if rec[1] != p.b.Journal {
		p.fail(at(1), "journal", "%q differs from the file's journal %q", rec[1], p.b.Journal)
	}
	p.rows++
	if rec[2] == "" {
		p.fail(at(2), "account", "is required")
	}
	debit, credit := p.amount(at(4), "debit", rec[4]), p.amount(at(5), "credit", rec[5])
	if (rec[4] == "") == (rec[5] == "") {
		p.fail(at(4), "debit", "want exactly one of debit and credit")
	}
	if len(p.errs) > before {
		return
	}
	p.b.Lines = append(p.b.Lines, ledger.Line{Account: rec[2], CostCentre: rec[3], Debit: debit, Credit: credit, Memo: rec[6], Ref: rec[7]})
}

// amount parses one amount cell; empty is zero.
func (p *parser) amount(line int, col, s string) money.Amount {
	if s == "" {
		return money.Zero(p.o.Currency)
	}
	a, err := money.ParseSep(s, p.o.Currency, p.o.DecimalSeparator)
	if err != nil {
		p.fail(line, col, "invalid amount %q: want digits with %q as decimal separator", s, p.o.DecimalSeparator)
		return money.Zero(p.o.Currency)
	}
	if a.Sign() <= 0 {
		p.fail(line, col, "amount %q must be positive; the column gives the side", s)
	}
	return a
}
