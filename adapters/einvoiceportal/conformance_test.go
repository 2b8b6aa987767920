package einvoiceportal_test

import (
	"context"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/einvoiceportal"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/deliverytest"
	"github.com/revhub/revhub/testharness/fakeportal"
)

const secretRef = "env:PORTAL_SECRET"

func start(t *testing.T, edit func(*einvoiceportal.Config)) (*einvoiceportal.Portal, *fakeportal.Portal) {
	t.Helper()
	fp := fakeportal.Start(t)
	cfg := einvoiceportal.Config{Endpoint: fp.URL + "/v1/invoices", TokenURL: fp.URL + "/oauth/token", ClientID: fp.ClientID,
		ClientSecretRef: secretRef, MediaType: "application/pdf", Attempts: 3, Backoff: 5 * time.Millisecond, Timeout: 2 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	p, err := einvoiceportal.New(cfg, testharness.Deps(t, secretRef, fp.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	return p, fp
}

func TestConformance(t *testing.T) {
	deliverytest.Run(t, deliverytest.Features{Idempotent: true, Rejects: true}, func(t *testing.T) (ports.InvoiceDeliverer, deliverytest.Probe) {
		p, fp := start(t, nil)
		return p, probe{fp}
	})
}

type probe struct{ p *fakeportal.Portal }

func (p probe) Reject(reason string) { p.p.Reject(reason) }
func (p probe) Down()                { p.p.Down() }
func (p probe) Bodies() [][]byte {
	var out [][]byte
	for _, d := range p.p.Docs() {
		out = append(out, d.Body)
	}
	return out
}

func TestDeliver_replayIsExistingAndUploadsOnce(t *testing.T) {
	p, fp := start(t, nil)
	e := deliverytest.Envelope("invoice/t1/A-1")
	a, err := p.Deliver(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Deliver(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if a.Existing || !b.Existing || a.Ref != b.Ref || len(fp.Docs()) != 1 || a.Status != ports.DeliveryAccepted {
		t.Fatalf("first %+v second %+v docs %d", a, b, len(fp.Docs()))
	}
}

func TestDeliver_retriesOutageThenSucceeds(t *testing.T) {
	p, fp := start(t, nil)
	fp.DownFor(2)
	if _, err := p.Deliver(context.Background(), deliverytest.Envelope("k")); err != nil {
		t.Fatalf("err = %v, want success on the third try", err)
	}
}

func TestDeliver_timeoutsBecomeUnavailable(t *testing.T) {
	p, fp := start(t, func(c *einvoiceportal.Config) { c.Timeout = 50 * time.Millisecond; c.Attempts = 2 })
	fp.Stall(time.Second)
	if _, err := p.Deliver(context.Background(), deliverytest.Envelope("k")); !ports.Is(ports.Unavailable, err) {
		t.Fatalf("err = %v, want Unavailable", err)
	}
}

func TestDeliver_badClientSecretIsPermission(t *testing.T) {
	fp := fakeportal.Start(t)
	p, err := einvoiceportal.New(einvoiceportal.Config{Endpoint: fp.URL + "/v1/invoices", TokenURL: fp.URL + "/oauth/token",
		ClientID: fp.ClientID, ClientSecretRef: secretRef, MediaType: "application/xml", Attempts: 1, Timeout: time.Second},
		testharness.Deps(t, secretRef, "wrong"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Deliver(context.Background(), deliverytest.Envelope("k")); !ports.Is(ports.Permission, err) {
		t.Fatalf("err = %v, want Permission", err)
	}
}

func TestConfig_validate(t *testing.T) {
	if err := (einvoiceportal.Config{Endpoint: "ftp://x", MediaType: "text/plain", Attempts: 0, Timeout: time.Second}).Validate(); err == nil {
		t.Fatal("accepted")
	}
}
