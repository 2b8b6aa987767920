package app

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// Document kinds of invoice batches.
const (
	KindInvoiceBatch  = "invoice_batch"
	kindBatchMember   = "invoice_batch_member" // Key: the invoice number, so an invoice joins one batch only
	BatchOpen         = "open"                 // assembled, not yet handed over
	BatchHandedOver   = "handed_over"          // given to collections
	BatchSettled      = "settled"              // collections reported it paid or closed
	batchPeriodLayout = "2006-01"
)

// InvoiceBatch groups one payer's invoices of one period for collections.
type InvoiceBatch struct {
	ID       string         `json:"id"`
	Org      string         `json:"org"`
	Payer    string         `json:"payer"`  // the buyer's id (BT-46), or its name when it has none
	Period   string         `json:"period"` // "2026-03": invoices issued in that month
	Invoices []string       `json:"invoices"`
	Totals   []money.Amount `json:"totals"` // amount due per currency
	Status   string         `json:"status"`
}

// CreateInvoiceBatch gathers every issued invoice and credit note of org to
// payer in period that no batch holds yet. An invoice joins one batch only;
// an empty selection is Kind NotFound. Audited.
func CreateInvoiceBatch(ctx context.Context, s ports.Store, tenant, org, payer, period, actor string, now time.Time) (InvoiceBatch, error) {
	const op = "invoice_batch.Create"
	if _, err := time.Parse(batchPeriodLayout, period); err != nil {
		return InvoiceBatch{}, ports.E(op, ports.Invalid, fmt.Errorf("period %q: want YYYY-MM", period))
	}
	payerTag := sha256.Sum256([]byte(payer))
	b := InvoiceBatch{ID: fmt.Sprintf("batch-%s-%s-%x-%d", org, period, payerTag[:4], now.UnixNano()), Org: org, Payer: payer, Period: period, Status: BatchOpen}
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		b.Invoices, b.Totals = nil, nil
		var tally ports.Tally
		q := ports.DocumentQuery{Tenant: tenant, Kind: KindInvoice, Org: org, Page: ports.Page{Limit: ports.MaxPageLimit}}
		for {
			docs, next, err := tx.Documents().List(ctx, q)
			if err != nil {
				return err
			}
			for _, d := range docs {
				var inv IssuedInvoice
				if err := json.Unmarshal(d.Body, &inv); err != nil {
					return err
				}
				who := inv.Invoice.Buyer.ID
				if who == "" {
					who = inv.Invoice.Buyer.Name
				}
				if who != payer || !strings.HasPrefix(inv.Invoice.IssueDate.String(), period) {
					continue
				}
				_, err := tx.Documents().Put(ctx, ports.Document{Kind: kindBatchMember, Tenant: tenant, ID: b.ID + "/" + d.ID,
					Org: org, Key: d.ID, Ref: b.ID, Status: BatchOpen, Body: json.RawMessage(`{}`), UpdatedAt: now})
				if ports.Is(ports.Conflict, err) {
					continue // already in another batch
				}
				if err != nil {
					return err
				}
				due := inv.Invoice.Totals.Due
				if inv.Invoice.TypeCode == "381" {
					due = due.Neg() // a credit note lowers what the payer owes
				}
				if err := tally.Add(1, due.Minor(), due.Currency()); err != nil {
					return err
				}
				b.Invoices = append(b.Invoices, d.ID)
			}
			if q.Page.Cursor = next; next == "" {
				break
			}
		}
		if len(b.Invoices) == 0 {
			return ports.E(op, ports.NotFound, fmt.Errorf("no unbatched invoices of %s to %s in %s", org, payer, period))
		}
		b.Totals = tally.Amounts
		body, err := json.Marshal(b)
		if err != nil {
			return err
		}
		if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindInvoiceBatch, Tenant: tenant, ID: b.ID, Org: org,
			Ref: payer, Status: BatchOpen, Body: body, UpdatedAt: now}); err != nil {
			return err
		}
		_, err = Record(ctx, tx, tenant, auditDraft(actor, "invoice_batch.create", KindInvoiceBatch+"/"+b.ID, "", nil, b), now)
		return err
	})
	return b, err
}

// batchMoves are the allowed status changes of a batch.
var batchMoves = map[string]string{BatchOpen: BatchHandedOver, BatchHandedOver: BatchSettled}

// MoveInvoiceBatch advances a batch (open → handed_over → settled), audited;
// any other move is Kind Conflict.
func MoveInvoiceBatch(ctx context.Context, s ports.Store, tenant, id, to, actor string, now time.Time) (InvoiceBatch, error) {
	var b InvoiceBatch
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		d, err := tx.Documents().Get(ctx, tenant, KindInvoiceBatch, id)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(d.Body, &b); err != nil {
			return err
		}
		if batchMoves[d.Status] != to {
			return ports.E("invoice_batch.Move", ports.Conflict, fmt.Errorf("batch %s is %s; it cannot become %s", id, d.Status, to))
		}
		from := b.Status
		b.ID, b.Status = id, to
		body, err := json.Marshal(b)
		if err != nil {
			return err
		}
		d.Status, d.Body, d.UpdatedAt = to, body, now
		if _, err := tx.Documents().Put(ctx, d); err != nil {
			return err
		}
		_, err = Record(ctx, tx, tenant, auditDraft(actor, "invoice_batch."+to, KindInvoiceBatch+"/"+id, "",
			map[string]string{"status": from}, map[string]string{"status": to}), now)
		return err
	})
	return b, err
}
