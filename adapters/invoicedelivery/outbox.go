package invoicedelivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/revhub/revhub/ports"
)

// KindDelivery is the document kind of per-invoice delivery records.
const KindDelivery = "invoice_delivery"

// Record is the body of an invoice_delivery document: the latest outcome
// and every attempt before it.
type Record struct {
	Invoice  string    `json:"invoice"`
	Key      string    `json:"key"`
	Status   string    `json:"status"`             // sent, accepted, rejected, failed
	Channel  string    `json:"channel,omitempty"`  // who delivered (or refused) it
	Ref      string    `json:"ref,omitempty"`      // Message-ID, remote path, portal id
	Fallback bool      `json:"fallback,omitempty"` // a later channel delivered it
	Reason   string    `json:"reason,omitempty"`   // rejection reason, or why the fallback was used
	At       time.Time `json:"at"`
	History  []Record  `json:"history,omitempty"`
}

// Outbox is the ports.Deliverer of "invoice.deliver" outbox items: it reads
// the issued invoice from the payload, renders its documents, sends them
// through Channel with the item's idempotency key and, when Store is set,
// records the outcome as an invoice_delivery document (ID: the invoice
// number) and as a sync note of the item's binding.
type Outbox struct {
	Renderers []ports.InvoiceRenderer // one document each, in order
	Channel   ports.InvoiceDeliverer
	Store     ports.Store      // optional: where outcomes are recorded
	Now       func() time.Time // the clock of the records
}

var _ ports.Deliverer = (*Outbox)(nil)

// Deliver renders and sends one item. Rendering failures are Invalid; the
// channel's error is returned as is (its Kind decides retry or dead letter).
func (o *Outbox) Deliver(ctx context.Context, it ports.OutboxItem) error {
	const op = "invoice_delivery.Deliver"
	var p ports.InvoicePayload
	dec := json.NewDecoder(bytes.NewReader(it.Payload))
	if err := dec.Decode(&p); err != nil || p.Invoice.Number == "" {
		return ports.E(op, ports.Invalid, fmt.Errorf("outbox item %s: payload is not an issued invoice: %v", it.ID, err))
	}
	e := ports.InvoiceEnvelope{Key: it.IdempotencyKey, Tenant: it.Tenant, Org: it.Org, Invoice: p.Invoice, Language: p.Language}
	for _, r := range o.Renderers {
		doc, err := r.Render(ctx, p)
		if err != nil {
			return ports.E(op, ports.KindOf(err), err)
		}
		e.Documents = append(e.Documents, doc)
	}
	rec, err := o.Channel.Deliver(ctx, e)
	if serr := o.record(ctx, it, p.Invoice.Number, rec, err); serr != nil {
		return errors.Join(err, ports.E(op, ports.Transient, fmt.Errorf("record delivery status: %w", serr)))
	}
	return err
}

func (o *Outbox) record(ctx context.Context, it ports.OutboxItem, number string, r ports.DeliveryReceipt, derr error) error {
	if o.Store == nil {
		return nil
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	rec := Record{Invoice: number, Key: it.IdempotencyKey, Status: string(r.Status), Channel: r.Channel, Ref: r.Ref,
		Fallback: r.Fallback, Reason: r.Reason, At: now()}
	note := ""
	if derr != nil {
		rec.Status, rec.Reason = string(ports.DeliveryFailed), derr.Error()
		if rj := ports.RejectionOf(derr); rj != nil && ports.KindOf(derr) == ports.Invalid {
			rec.Status, rec.Channel, rec.Reason = string(ports.DeliveryRejected), rj.Channel, rj.Reason
		}
		note = rec.Status + ": " + rec.Reason
	} else if r.Fallback {
		note = "fallback to " + r.Channel + ": " + r.Reason
	}
	return o.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		d, err := tx.Documents().Get(ctx, it.Tenant, KindDelivery, number)
		switch {
		case err == nil:
			var prev Record
			if err := json.Unmarshal(d.Body, &prev); err == nil {
				rec.History = append(prev.History, Record{Status: prev.Status, Channel: prev.Channel, Ref: prev.Ref,
					Fallback: prev.Fallback, Reason: prev.Reason, At: prev.At})
			}
		case ports.Is(ports.NotFound, err):
			d = ports.Document{Kind: KindDelivery, Tenant: it.Tenant, ID: number, Org: it.Org, Ref: number}
		default:
			return err
		}
		body, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		d.Status, d.Body, d.UpdatedAt = rec.Status, body, rec.At
		if _, err := tx.Documents().Put(ctx, d); err != nil {
			return err
		}
		return tx.Sync().Note(ctx, it.Tenant, it.Org, it.Binding, derr == nil, note, rec.At)
	})
}

// FormatterRenderer renders with an e-invoice formatter: "<number>.xml"
// or "<number>.pdf" by the formatter's media type.
type FormatterRenderer struct{ F ports.EInvoiceFormatter }

// Render formats the invoice.
func (f FormatterRenderer) Render(ctx context.Context, p ports.InvoicePayload) (ports.Rendition, error) {
	var buf bytes.Buffer
	if err := f.F.Format(ctx, p.Invoice, &buf); err != nil {
		return ports.Rendition{}, err
	}
	ext := ".xml"
	if f.F.MediaType() == "application/pdf" {
		ext = ".pdf"
	}
	return ports.Rendition{Name: path.Base(p.Invoice.Number) + ext, MediaType: f.F.MediaType(), Body: buf.Bytes()}, nil
}
