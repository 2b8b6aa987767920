// Package rendertest is the conformance suite of ports.InvoiceRenderer.
package rendertest

import (
	"bytes"
	"context"
	"testing"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/ports"
)

// Constructor returns a fresh renderer.
type Constructor func(t *testing.T) ports.InvoiceRenderer

// Run runs the suite with a calculated invoice payload.
func Run(t *testing.T, p ports.InvoicePayload, c Constructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, ports.InvoicePayload, Constructor)
	}{
		{"RendersNamedDocument", testRenders},
		{"IsDeterministic", testDeterministic},
		{"RejectsUncalculatedAsInvalid", testUncalculated},
		{"HonoursCancelledContext", testCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); tc.fn(t, p, c) })
	}
}

func testRenders(t *testing.T, p ports.InvoicePayload, c Constructor) {
	r, err := c(t).Render(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name == "" || r.MediaType == "" || len(r.Body) == 0 {
		t.Fatalf("rendition %q %q %d bytes", r.Name, r.MediaType, len(r.Body))
	}
}

func testDeterministic(t *testing.T, p ports.InvoicePayload, c Constructor) {
	rr := c(t)
	a, err := rr.Render(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rr.Render(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Body, b.Body) {
		t.Error("two renders of the same payload differ")
	}
}

func testUncalculated(t *testing.T, p ports.InvoicePayload, c Constructor) {
	p.Invoice.Totals = invoicing.Totals{}
	if _, err := c(t).Render(context.Background(), p); !ports.Is(ports.Invalid, err) {
		t.Fatalf("err = %v, want Kind Invalid", err)
	}
}

func testCancelled(t *testing.T, p ports.InvoicePayload, c Constructor) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c(t).Render(ctx, p); err == nil {
		t.Fatal("rendered under a cancelled context")
	}
}
