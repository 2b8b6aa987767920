package invoicedelivery

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// DropConfig configures the sftp_drop channel.
type DropConfig struct {
	Dropper Choice `yaml:"dropper" required:"true" doc:"the payout_delivery adapter that carries the files, e.g. {sftp: {host: ..., host_key: ...}}"`
}

// Validate checks the dropper's settings through its registry.
func (c DropConfig) Validate() error {
	var errs validate.Errors
	if c.Dropper.Name == "" {
		errs.Required("dropper")
	} else if err := ports.FileDrops.Check(c.Dropper.Name, c.Dropper.Decoder()); err != nil {
		errs.Add("dropper."+c.Dropper.Name, "invalid", err.Error())
	}
	return errs.Err()
}

// Drop delivers invoice documents as files through a FileDropper.
type Drop struct{ d ports.FileDropper }

var _ ports.InvoiceDeliverer = (*Drop)(nil)

// NewDrop builds the configured dropper.
func NewDrop(cfg DropConfig, deps ports.Deps) (*Drop, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E("sftp_drop.New", ports.Invalid, err)
	}
	d, err := ports.FileDrops.Build(cfg.Dropper.Name, cfg.Dropper.Decoder(), deps)
	if err != nil {
		return nil, ports.E("sftp_drop.New", ports.Invalid, err)
	}
	return &Drop{d: d}, nil
}

// FileName is the remote name of a document: the invoice number (unsafe
// characters replaced) with the document's extension, so a retry finds the
// file it dropped before.
func FileName(number string, doc ports.Rendition, i int) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, number)
	if i > 0 {
		safe = fmt.Sprintf("%s_%d", safe, i+1)
	}
	return safe + path.Ext(doc.Name)
}

// Deliver drops every document; the dropper's idempotency (same name and
// bytes: Existing) makes retries safe, other bytes under the name are Conflict.
func (d *Drop) Deliver(ctx context.Context, e ports.InvoiceEnvelope) (ports.DeliveryReceipt, error) {
	const op = "sftp_drop.Deliver"
	if len(e.Documents) == 0 || e.Key == "" || e.Invoice.Number == "" {
		return ports.DeliveryReceipt{}, ports.E(op, ports.Invalid, errors.New("need an invoice number, a key and a document"))
	}
	r := ports.DeliveryReceipt{Channel: "sftp_drop", Status: ports.DeliverySent, Existing: true}
	for i, doc := range e.Documents {
		name := FileName(e.Invoice.Number, doc, i)
		got, err := d.d.Drop(ctx, name, doc.Body, e.Key+"/"+name)
		if err != nil {
			return ports.DeliveryReceipt{}, ports.E(op, ports.KindOf(err), err)
		}
		if i == 0 {
			r.Ref, r.At = got.Path, got.DeliveredAt
		}
		r.Existing = r.Existing && got.Existing
	}
	return r, nil
}
