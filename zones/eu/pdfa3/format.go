package pdfa3

import (
	"bytes"
	"context"
	"io"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/ports"
)

// Formatter renders the hybrid: the inner formatter's CII XML embedded in a
// PDF/A-3B whose page shows the same invoice.
type Formatter struct {
	Op   string                  // "zugferd.Format"
	XML  ports.EInvoiceFormatter // the CII formatter of the profile
	Meta Meta                    // FileName, Level, Version, Relationship; Title, Author and Date come from the invoice
	Lang string                  // language of the page: "de", "fr", "et", "en"
}

var _ ports.EInvoiceFormatter = (*Formatter)(nil)

// MediaType is application/pdf.
func (f *Formatter) MediaType() string { return "application/pdf" }

// Format validates and writes the hybrid PDF; on an invalid invoice it
// writes nothing and returns the inner formatter's Kind Invalid error.
func (f *Formatter) Format(ctx context.Context, inv invoicing.Invoice, w io.Writer) error {
	var xml bytes.Buffer
	if err := f.XML.Format(ctx, inv, &xml); err != nil {
		return err
	}
	page, err := Visual(&inv, f.Lang)
	if err != nil {
		return ports.E(f.Op, ports.Invalid, err)
	}
	m := f.Meta
	m.Title, m.Author, m.Lang = inv.Number, inv.Seller.Name, f.Lang
	m.Date = dateOf(inv.IssueDate)
	out, err := Embed(page, xml.Bytes(), m)
	if err != nil {
		return ports.E(f.Op, ports.Invalid, err)
	}
	_, err = w.Write(out)
	return err
}

// New wraps the CII formatter of a Factur-X/ZUGFeRD profile (level as in
// fx:ConformanceLevel) into a hybrid formatter whose page is in lang. The
// XML is embedded as factur-x.xml, /Alternative for profiles with lines and
// /Data for MINIMUM and BASIC WL.
func New(op string, xml ports.EInvoiceFormatter, level, lang string) (*Formatter, error) {
	rel := Alternative
	if level == "MINIMUM" || level == "BASIC WL" {
		rel = Data
	}
	m := Meta{FileName: "factur-x.xml", Level: level, Version: "1.0", Relationship: rel, Date: dateOf(invoicing.Date{Year: 2000, Month: 1, Day: 1})}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &Formatter{Op: op, XML: xml, Meta: m, Lang: lang}, nil
}
