// Package deliverytest is the conformance suite of ports.InvoiceDeliverer:
// every invoice delivery channel runs it against its in-process fake.
package deliverytest

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/ports"
)

// Features declares what a channel promises. Tests of undeclared features are skipped.
type Features struct {
	Idempotent bool // a retry with the same key delivers once, or carries the same Ref so the target can tell
	Rejects    bool // the target can refuse a document with a reason (Probe.Reject works)
}

// Probe looks at and steers the fake target.
type Probe interface {
	Bodies() [][]byte     // every document body the target holds, in arrival order
	Reject(reason string) // make the target refuse the next delivery with reason
	Down()                // make the target unreachable from now on
}

// Constructor returns a fresh channel and a fresh fake per test.
type Constructor func(t *testing.T) (ports.InvoiceDeliverer, Probe)

// Run runs the suite.
func Run(t *testing.T, f Features, c Constructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Features, Constructor)
	}{
		{"DeliversDocuments", testDelivers},
		{"RetryIsRecognisable", testRetry},
		{"RejectionCarriesReason", testRejection},
		{"DownIsRetryable", testDown},
		{"RefusesEnvelopeWithoutDocuments", testNoDocuments},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); tc.fn(t, f, c) })
	}
}

// Envelope is the suite's delivery: one small PDF-like document.
func Envelope(key string) ports.InvoiceEnvelope {
	inv := invoicing.Invoice{Number: "T-2026-000001", TypeCode: invoicing.CommercialInvoice,
		Seller: invoicing.Party{Name: "Test Klinik", Address: invoicing.Address{Country: "DE"}},
		Buyer: invoicing.Party{Name: "Pat Ient", Contact: invoicing.Contact{Email: "patient@example.org"},
			Endpoint: invoicing.Endpoint{Scheme: "EM", ID: "patient@example.org"}, Address: invoicing.Address{Country: "DE"}}}
	return ports.InvoiceEnvelope{Key: key, Tenant: "t1", Org: "o1", Invoice: inv, Language: "de",
		Documents: []ports.Rendition{{Name: "T-2026-000001.pdf", MediaType: "application/pdf", Body: []byte("%PDF-1.7\n% test body " + key + "\n%%EOF\n")}}}
}

func testDelivers(t *testing.T, _ Features, c Constructor) {
	d, p := c(t)
	e := Envelope("invoice/t1/T-1")
	r, err := d.Deliver(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != ports.DeliverySent && r.Status != ports.DeliveryAccepted || r.Channel == "" || r.Ref == "" {
		t.Errorf("receipt %+v", r)
	}
	if !holds(p, e.Documents[0].Body) {
		t.Error("the target does not hold the document")
	}
}

func testRetry(t *testing.T, f Features, c Constructor) {
	if !f.Idempotent {
		t.Skip("channel does not declare Idempotent")
	}
	d, _ := c(t)
	e := Envelope("invoice/t1/T-2")
	a, err := d.Deliver(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.Deliver(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if a.Ref != b.Ref {
		t.Errorf("retry has another reference: %q then %q", a.Ref, b.Ref)
	}
}

func testRejection(t *testing.T, f Features, c Constructor) {
	if !f.Rejects {
		t.Skip("channel does not declare Rejects")
	}
	d, p := c(t)
	p.Reject("BR-DE-15 buyer reference missing")
	_, err := d.Deliver(context.Background(), Envelope("invoice/t1/T-3"))
	if !ports.Is(ports.Invalid, err) {
		t.Fatalf("err = %v, want Kind Invalid", err)
	}
	if r := ports.RejectionOf(err); r == nil || !strings.Contains(r.Reason, "BR-DE-15") {
		t.Errorf("rejection %+v does not carry the target's reason", r)
	}
}

func testDown(t *testing.T, _ Features, c Constructor) {
	d, p := c(t)
	p.Down()
	_, err := d.Deliver(context.Background(), Envelope("invoice/t1/T-4"))
	if k := ports.KindOf(err); k != ports.Transient && k != ports.Unavailable {
		t.Fatalf("err = %v (kind %v), want Transient or Unavailable", err, k)
	}
}

func testNoDocuments(t *testing.T, _ Features, c Constructor) {
	d, _ := c(t)
	e := Envelope("invoice/t1/T-5")
	e.Documents = nil
	if _, err := d.Deliver(context.Background(), e); !ports.Is(ports.Invalid, err) {
		t.Fatalf("err = %v, want Kind Invalid", err)
	}
}

func holds(p Probe, body []byte) bool {
	for _, b := range p.Bodies() {
		if bytes.Contains(b, body) {
			return true
		}
	}
	return false
}
