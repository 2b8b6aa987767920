package ports

import (
	"context"
	"io"

	"github.com/revhub/revhub/core/invoicing"
)

// EInvoiceFormatter renders a calculated invoice as one structured e-invoice
// document (XRechnung, Factur-X, e-arve, ...).
//
// Format validates inv first and writes nothing when it is invalid, returning
// *ports.Error with Kind Invalid wrapping validate.Errors. Output is
// deterministic: the same invoice gives the same bytes. Implementations are
// safe for concurrent use and do not keep inv.
type EInvoiceFormatter interface {
	Format(ctx context.Context, inv invoicing.Invoice, w io.Writer) error
	MediaType() string // e.g. "application/xml"
}

// EInvoiceAppender is an optional fast path: it appends the document to dst
// (a reusable buffer) with the same contract as Format.
type EInvoiceAppender interface {
	AppendFormat(dst []byte, inv *invoicing.Invoice) ([]byte, error)
}

// EInvoiceFormats holds the e-invoice formatters, bound under `einvoice:`.
var EInvoiceFormats = NewRegistry[EInvoiceFormatter]("einvoice")
