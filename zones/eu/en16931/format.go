package en16931

import (
	"context"
	"io"
	"sync"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Syntax is an EN 16931 syntax binding.
type Syntax string

// Syntaxes.
const (
	CII Syntax = "cii"
	UBL Syntax = "ubl"
)

// Rules adds profile-specific checks (e.g. XRechnung BR-DE) to errs.
type Rules func(inv *invoicing.Invoice, errs *validate.Errors)

// Formatter is a ports.EInvoiceFormatter for one profile in one syntax.
// Country packages configure it instead of writing XML themselves.
type Formatter struct {
	Op      string // error operation, e.g. "xrechnung.Format"
	Syntax  Syntax
	Profile Profile
	Rules   Rules
}

var (
	_ ports.EInvoiceFormatter = (*Formatter)(nil)
	_ ports.EInvoiceAppender  = (*Formatter)(nil)
)

// MediaType returns application/xml.
func (f *Formatter) MediaType() string { return "application/xml" }

// Check validates inv for this profile: the model rules, then f.Rules.
func (f *Formatter) Check(inv *invoicing.Invoice) error {
	if err := inv.Validate(); err != nil {
		return err
	}
	var errs validate.Errors
	if f.Rules != nil {
		f.Rules(inv, &errs)
	}
	return errs.Err()
}

// AppendFormat validates inv and appends the document to dst.
func (f *Formatter) AppendFormat(dst []byte, inv *invoicing.Invoice) ([]byte, error) {
	if err := f.Check(inv); err != nil {
		return dst, &ports.Error{Op: f.Op, Kind: ports.Invalid, Err: err}
	}
	if f.Syntax == UBL {
		return AppendUBL(dst, inv, f.Profile), nil
	}
	return AppendCII(dst, inv, f.Profile), nil
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// Format validates inv and writes the document to w in one Write.
func (f *Formatter) Format(ctx context.Context, inv invoicing.Invoice, w io.Writer) error {
	return WriteWith(ctx, w, f.Op, func(dst []byte) ([]byte, error) { return f.AppendFormat(dst, &inv) })
}

// WriteWith runs appendDoc into a pooled buffer and writes the result to w;
// nothing is written when appendDoc fails.
func WriteWith(ctx context.Context, w io.Writer, op string, appendDoc func([]byte) ([]byte, error)) error {
	if err := ctx.Err(); err != nil {
		return &ports.Error{Op: op, Kind: ports.Other, Err: err}
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	b, err := appendDoc((*bp)[:0])
	if err != nil {
		return err
	}
	*bp = b
	if _, err := w.Write(b); err != nil {
		return &ports.Error{Op: op, Kind: ports.Transient, Err: err}
	}
	return nil
}
