package xrechnung

import (
	"context"
	"io"
	"strings"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/zones/eu/en16931"
)

const op = "xrechnung.Format"

// Formatter writes XRechnung 3.0 documents.
type Formatter struct {
	f         en16931.Formatter
	leitwegID string
}

var (
	_ ports.EInvoiceFormatter = (*Formatter)(nil)
	_ ports.EInvoiceAppender  = (*Formatter)(nil)
)

// New returns a formatter for cfg.
func New(cfg Config) (*Formatter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Formatter{leitwegID: cfg.LeitwegID, f: en16931.Formatter{
		Op: op, Syntax: en16931.Syntax(cfg.Syntax), Rules: Rules,
		Profile: en16931.Profile{SpecID: en16931.SpecXRechnung30, ProcessID: en16931.ProcessPeppol},
	}}, nil
}

// MediaType returns application/xml.
func (x *Formatter) MediaType() string { return "application/xml" }

// AppendFormat validates inv (EN 16931 and BR-DE) and appends the document.
func (x *Formatter) AppendFormat(dst []byte, inv *invoicing.Invoice) ([]byte, error) {
	if inv.BuyerReference == "" && x.leitwegID != "" {
		c := *inv
		c.BuyerReference = x.leitwegID
		inv = &c
	}
	return x.f.AppendFormat(dst, inv)
}

// Format validates inv and writes the document to w.
func (x *Formatter) Format(ctx context.Context, inv invoicing.Invoice, w io.Writer) error {
	return en16931.WriteWith(ctx, w, op, func(dst []byte) ([]byte, error) { return x.AppendFormat(dst, &inv) })
}

// Rules checks the XRechnung 3.0 national rules (BR-DE) and the PEPPOL
// electronic-address rules XRechnung adopts.
func Rules(inv *invoicing.Invoice, errs *validate.Errors) {
	if inv.BuyerReference == "" {
		errs.Add("buyer_reference", "required", "BR-DE-15: buyer reference (Leitweg-ID) is required")
	}
	s, b := &inv.Seller, &inv.Buyer
	for _, f := range []struct{ path, val, rule string }{
		{"seller.contact.name", s.Contact.Name, "BR-DE-5"},
		{"seller.contact.phone", s.Contact.Phone, "BR-DE-6"},
		{"seller.contact.email", s.Contact.Email, "BR-DE-7"},
		{"seller.address.city", s.Address.City, "BR-DE-3"},
		{"seller.address.post_code", s.Address.PostCode, "BR-DE-4"},
		{"buyer.address.city", b.Address.City, "BR-DE-8"},
		{"buyer.address.post_code", b.Address.PostCode, "BR-DE-9"},
		{"seller.endpoint", s.Endpoint.ID, "PEPPOL-EN16931-R020"},
		{"buyer.endpoint", b.Endpoint.ID, "PEPPOL-EN16931-R010"},
	} {
		if f.val == "" {
			errs.Add(f.path, "required", f.rule+": required by XRechnung")
		}
	}
	if s.Contact.Email != "" && strings.Count(s.Contact.Email, "@") != 1 {
		errs.Add("seller.contact.email", "invalid", "BR-DE-28: exactly one @")
	}
	if digits(s.Contact.Phone) < 3 && s.Contact.Phone != "" {
		errs.Add("seller.contact.phone", "invalid", "BR-DE-27: at least three digits")
	}
	p := inv.Payment
	if p == nil {
		errs.Add("payment", "required", "BR-DE-1: payment instructions are required")
		return
	}
	if (p.Code == "58" || p.Code == "30") && p.IBAN == "" {
		errs.Add("payment.iban", "required", "BR-DE-23/BR-DE-19: credit transfer needs the payee account")
	}
}

func digits(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}
