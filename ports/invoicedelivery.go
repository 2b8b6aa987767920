package ports

import (
	"context"
	"errors"
	"time"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
)

// KindInvoiceDeliver is the outbox item kind of an invoice delivery.
const KindInvoiceDeliver = "invoice.deliver"

// InvoicePayload is how deliverers read the payload of an "invoice.deliver"
// outbox item: the JSON of core/app.IssuedInvoice, plus optional fields a
// patient invoice may carry.
type InvoicePayload struct {
	Invoice  invoicing.Invoice `json:"invoice"`
	SHA256   string            `json:"sha256,omitempty"`   // of the canonical bytes kept at issue
	Shares   []LineShare       `json:"shares,omitempty"`   // what insurance covers, per line
	Language string            `json:"language,omitempty"` // the recipient's: "et", "de", "fr", "en"
}

// LineShare is the part of one invoice line's charge that insurance
// covers. The invoice line itself (BT-131) is the patient's share, so the
// full charge is NetAmount + Covered.
type LineShare struct {
	LineID  string       `json:"line_id"`          // BT-126 of the line
	Covered money.Amount `json:"covered"`          // paid by the payer(s)
	Payer   string       `json:"payer,omitempty"`  // who covers it, as printed
	Reason  string       `json:"reason,omitempty"` // why the patient pays the rest: "copay", "deductible"
}

// Rendition is one rendered invoice document.
type Rendition struct {
	Name      string // file name: "RE-2026-000042.pdf", "factur-x.xml"
	MediaType string // "application/pdf"
	Body      []byte
}

// InvoiceRenderer renders an invoice as one document for people or
// machines (a patient's PDF in their language).
//
// Render is deterministic: the same payload gives the same bytes (dates
// come from the invoice, never from a clock). It returns *Error Kind
// Invalid when the payload cannot be rendered. Implementations are safe for
// concurrent use and do not keep p.
type InvoiceRenderer interface {
	Render(ctx context.Context, p InvoicePayload) (Rendition, error)
}

// InvoiceEnvelope is one invoice delivery: the invoice, its rendered documents
// and the idempotency key every attempt carries.
type InvoiceEnvelope struct {
	Key       string // "invoice/<tenant>/<number>": the outbox item's IdempotencyKey
	Tenant    string
	Org       string
	Invoice   invoicing.Invoice // addresses come from Buyer (Endpoint, Contact.Email)
	Language  string
	Documents []Rendition // at least one
}

// DeliveryStatus is how far a delivery got.
type DeliveryStatus string

// The delivery statuses.
const (
	DeliverySent     DeliveryStatus = "sent"     // handed over (mail accepted by the relay, file dropped)
	DeliveryAccepted DeliveryStatus = "accepted" // the recipient's system accepted the document
	DeliveryRejected DeliveryStatus = "rejected" // refused, with a reason
	DeliveryFailed   DeliveryStatus = "failed"   // not delivered this time; retried through the outbox
)

// DeliveryReceipt records one delivered invoice.
type DeliveryReceipt struct {
	Channel  string         // registered name of the channel: "email", "sftp_drop", "einvoice_portal"
	Status   DeliveryStatus // DeliverySent or DeliveryAccepted
	Ref      string         // the target's reference: Message-ID, remote path, portal document id
	At       time.Time      // by the adapter's clock
	Existing bool           // a retry found it already delivered: nothing was sent again
	Fallback bool           // a later channel delivered it after an earlier one rejected it or was down
	Reason   string         // why the fallback was needed
}

// InvoiceDeliverer sends an invoice's documents to its recipient over one
// channel (mail, file drop, e-invoicing portal) or a chain of them.
//
// Deliver is idempotent by e.Key: a retry after a lost answer does not
// deliver twice where the channel can tell (file name, portal key,
// Message-ID). It returns *Error: Kind Invalid wrapping *RejectedError when
// the recipient's system refused the document with a reason; Unavailable
// when it is down; Transient when a retry may succeed; Unknown when the
// documents may have been delivered.
type InvoiceDeliverer interface {
	Deliver(ctx context.Context, e InvoiceEnvelope) (DeliveryReceipt, error)
}

// RejectedError is a refusal by the recipient's system, with its reason.
type RejectedError struct {
	Channel string
	Code    string // the target's code, e.g. an HTTP status or a rule id
	Reason  string // the target's own words
}

func (e *RejectedError) Error() string {
	return e.Channel + " rejected the invoice (" + e.Code + "): " + e.Reason
}

// RejectionOf returns the *RejectedError in err's chain, or nil.
func RejectionOf(err error) *RejectedError {
	var r *RejectedError
	if errors.As(err, &r) {
		return r
	}
	return nil
}

// InvoiceRenderers holds the invoice renderers, bound under `invoice_render:`.
var InvoiceRenderers = NewRegistry[InvoiceRenderer]("invoice_render")

// InvoiceDeliverers holds the invoice delivery channels, bound under `invoice_delivery:`.
var InvoiceDeliverers = NewRegistry[InvoiceDeliverer]("invoice_delivery")
