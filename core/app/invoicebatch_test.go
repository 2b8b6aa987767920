package app_test

import (
	"context"
	"testing"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

func TestInvoiceBatch_perPayerAndPeriodOnceEach(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	req := app.IssueRequest{Tenant: "acme", Org: "berlin", Series: series, Draft: draft(t), Rounding: money.HalfUp, Actor: "user:anna"}
	first, err := app.IssueInvoice(ctx, s, req, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.IssueInvoice(ctx, s, req, now); err != nil {
		t.Fatal(err)
	}
	other := req
	other.Draft.Buyer.Name = "Another Payer"
	if _, err := app.IssueInvoice(ctx, s, other, now); err != nil {
		t.Fatal(err)
	}
	payer := req.Draft.Buyer.Name
	b, err := app.CreateInvoiceBatch(ctx, s, "acme", "berlin", payer, "2026-03", "user:anna", now)
	if err != nil {
		t.Fatal(err)
	}
	want := first.Invoice.Totals.Due.Minor() * 2
	if len(b.Invoices) != 2 || len(b.Totals) != 1 || b.Totals[0].Minor() != want || b.Status != app.BatchOpen {
		t.Fatalf("batch %+v, want 2 invoices due %d", b, want)
	}
	if _, err := app.CreateInvoiceBatch(ctx, s, "acme", "berlin", payer, "2026-03", "user:anna", now); !ports.Is(ports.NotFound, err) {
		t.Fatalf("second batch of the same invoices: %v", err)
	}
	if _, err := app.CreateInvoiceBatch(ctx, s, "acme", "berlin", payer, "March", "user:anna", now); !ports.Is(ports.Invalid, err) {
		t.Fatalf("bad period: %v", err)
	}
	if _, err := app.MoveInvoiceBatch(ctx, s, "acme", b.ID, app.BatchSettled, "user:ben", now); !ports.Is(ports.Conflict, err) {
		t.Fatalf("open -> settled: %v", err)
	}
	moved, err := app.MoveInvoiceBatch(ctx, s, "acme", b.ID, app.BatchHandedOver, "user:ben", now)
	if err != nil || moved.Status != app.BatchHandedOver {
		t.Fatalf("hand over: %+v %v", moved, err)
	}
	if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
		t.Fatal(err)
	}
}
