package invoicedelivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/invoicedelivery"
	"github.com/revhub/revhub/adapters/invoicepdf"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/testharness/stores"
	"github.com/revhub/revhub/zones/de/zugferd"
)

const binding = "invoice_delivery/with_fallback"

// TestOutbox_endToEnd issues an invoice (which queues its delivery in the
// outbox), runs the outbox worker over Outbox (patient PDF + ZUGFeRD hybrid,
// portal with e-mail fallback) and reads the outcome back per invoice and
// from sync status.
func TestOutbox_endToEnd(t *testing.T) {
	for _, tc := range []struct {
		name      string
		break_    func(h *chainHarness)
		state     delivery.State
		status    string
		channel   string
		fallback  bool
		reason    string
		mails     int
		portalDoc int
	}{
		{"accepted by portal", func(*chainHarness) {}, delivery.Sent, "accepted", "einvoice_portal", false, "", 0, 1},
		{"portal rejects, email sent", func(h *chainHarness) { h.portal.Reject("BR-DE-15 buyer reference missing") },
			delivery.Sent, "sent", "email", true, "BR-DE-15", 1, 0},
		{"portal down, email sent", func(h *chainHarness) { h.portal.Down() }, delivery.Sent, "sent", "email", true, "503", 1, 0},
		{"both reject", func(h *chainHarness) { h.Reject("mailbox unavailable") },
			delivery.DeadLettered, "rejected", "email", false, "mailbox unavailable", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			h := startChain(t)
			tc.break_(h)
			s := stores.Embedded(t)
			draft := einvoicetest.LoadInput(t, "../../zones/de/zugferd/testdata/exempt-medical.input.json", money.HalfUp)
			draft.DueDate, draft.DeliveryDate = invoicing.Date{Year: 2026, Month: 2, Day: 14}, invoicing.Date{Year: 2026, Month: 1, Day: 8}
			series := app.Series{Name: "patient", Period: "2026", Format: func(n int64) (string, error) { return fmt.Sprintf("PAT-2026-%06d", n), nil }}
			issued, err := app.IssueInvoice(ctx, s, app.IssueRequest{Tenant: "t1", Org: "o1", Series: series, Draft: draft,
				Rounding: money.HalfUp, Actor: "test", Delivery: binding}, testharness.Epoch)
			if err != nil {
				t.Fatal(err)
			}
			pdf, _ := invoicepdf.New(invoicepdf.Config{Language: "de"})
			hybrid, err := zugferd.Build(zugferd.Config{Profile: "en16931", Container: "pdf"})
			if err != nil {
				t.Fatal(err)
			}
			out := &invoicedelivery.Outbox{Renderers: []ports.InvoiceRenderer{invoicedelivery.FormatterRenderer{F: hybrid}, pdf},
				Channel: h.chain, Store: s, Now: func() time.Time { return testharness.Epoch }}
			w := &app.OutboxWorker{Store: s, Worker: "w1", Resolve: func(context.Context, ports.OutboxItem) (ports.Deliverer, error) { return out, nil }}
			if _, err := w.RunOnce(ctx, testharness.Epoch); err != nil {
				t.Fatal(err)
			}
			number := issued.Invoice.Number
			var it ports.OutboxItem
			var doc ports.Document
			var st []ports.SyncStatus
			if err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
				if it, err = tx.Outbox().Get(ctx, "t1", "deliver-"+number); err != nil {
					return err
				}
				if doc, err = tx.Documents().Get(ctx, "t1", invoicedelivery.KindDelivery, number); err != nil {
					return err
				}
				st, err = tx.Sync().Status(ctx, ports.SyncQuery{Tenant: "t1", Binding: binding}, testharness.Epoch)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			var rec invoicedelivery.Record
			if err := json.Unmarshal(doc.Body, &rec); err != nil {
				t.Fatal(err)
			}
			if it.State != tc.state || doc.Status != tc.status || rec.Channel != tc.channel || rec.Fallback != tc.fallback ||
				!strings.Contains(rec.Reason, tc.reason) || rec.Key != "invoice/t1/"+number {
				t.Fatalf("outbox %s (%q); record %+v", it.State, it.LastError, rec)
			}
			if len(h.smtp.Messages()) != tc.mails || len(h.portal.Docs()) != tc.portalDoc {
				t.Fatalf("%d mails, %d portal documents", len(h.smtp.Messages()), len(h.portal.Docs()))
			}
			if tc.portalDoc == 1 && !strings.HasPrefix(string(h.portal.Docs()[0].Body), "%PDF-1.7") {
				t.Error("portal did not receive the hybrid PDF")
			}
			if len(st) != 1 || (tc.state == delivery.Sent) != !st[0].LastSuccess.IsZero() {
				t.Fatalf("sync status %+v", st)
			}
			if tc.state == delivery.DeadLettered && (!strings.Contains(it.LastError, tc.reason) || !strings.Contains(st[0].LastError, tc.reason)) {
				t.Errorf("reason not visible: outbox %q, sync %q", it.LastError, st[0].LastError)
			}
		})
	}
}
