package earve

import (
	"context"
	"io"
	"strconv"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/zones/eu/en16931"
)

const op = "e_arve.Format"

// Formatter writes e-arve 1.2 files holding one invoice each.
type Formatter struct {
	test bool
}

var (
	_ ports.EInvoiceFormatter = (*Formatter)(nil)
	_ ports.EInvoiceAppender  = (*Formatter)(nil)
)

// New returns an e-arve formatter.
func New(cfg Config) (*Formatter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Formatter{test: cfg.Test}, nil
}

// MediaType returns application/xml.
func (f *Formatter) MediaType() string { return "application/xml" }

// Format validates inv and writes the file to w.
func (f *Formatter) Format(ctx context.Context, inv invoicing.Invoice, w io.Writer) error {
	return en16931.WriteWith(ctx, w, op, func(dst []byte) ([]byte, error) { return f.AppendFormat(dst, &inv) })
}

// AppendFormat validates inv and appends the e-arve file to dst.
func (f *Formatter) AppendFormat(dst []byte, inv *invoicing.Invoice) ([]byte, error) {
	err := inv.Validate()
	if err == nil {
		var errs validate.Errors
		Rules(inv, &errs)
		err = errs.Err()
	}
	if err != nil {
		return dst, &ports.Error{Op: op, Kind: ports.Invalid, Err: err}
	}
	return appendEArve(dst, inv, f.test), nil
}

// Rules checks what e-arve 1.2 needs beyond EN 16931: registration codes,
// a payee account, and the schema's length and character limits.
func Rules(inv *invoicing.Invoice, errs *validate.Errors) {
	if inv.Seller.LegalID == "" {
		errs.Required("seller.legal_id")
	}
	for _, f := range []struct {
		path, val string
		max       int
	}{
		{"number", inv.Number, 20}, {"seller.legal_id", inv.Seller.LegalID, 15},
		{"buyer.legal_id", inv.Buyer.LegalID, 15}, {"seller.vat_id", inv.Seller.VATID, 15},
		{"buyer.vat_id", inv.Buyer.VATID, 15},
	} {
		if len(f.val) > f.max {
			errs.Add(f.path, "too_long", "e-arve allows at most "+strconv.Itoa(f.max)+" characters")
		}
	}
	for i, l := range inv.Lines {
		if len(l.SellerItemID) > 20 || len(l.Unit) > 20 {
			errs.Add(validate.Index("lines", i), "too_long", "seller item id and unit: at most 20 characters")
		}
	}
	for _, pt := range []struct {
		path string
		a    invoicing.Address
	}{{"seller.address", inv.Seller.Address}, {"buyer.address", inv.Buyer.Address}} {
		if pt.a.Line1 == "" || pt.a.City == "" {
			errs.Add(pt.path, "required", "e-arve addresses need line1 and city")
		}
	}
	if len(inv.Allowances)+len(inv.Charges) > 0 {
		errs.Add("allowances", "not_supported", "e-arve carries no VAT category for document-level allowances or charges; bill them as lines")
	}
	p := inv.Payment
	if p == nil || p.IBAN == "" {
		errs.Add("payment.iban", "required", "e-arve PaymentInfo needs the payee account")
	} else if !accountOK(p.IBAN) {
		errs.Add("payment.iban", "invalid", "account must be upper-case letters and digits, at most 35")
	}
	if p != nil && !digitsOnly(p.Reference) {
		errs.Add("payment.reference", "invalid", "Estonian payment reference must be digits (7-3-1)")
	}
	if len(inv.Currency) != 3 || (inv.HasTaxCurrency() && len(inv.TaxCurrency) != 3) {
		errs.Add("currency", "invalid", "three-letter code")
	}
}

func accountOK(s string) bool {
	if len(s) > 35 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

func digitsOnly(s string) bool {
	if len(s) > 20 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
