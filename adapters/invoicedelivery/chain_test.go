package invoicedelivery_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	_ "github.com/revhub/revhub/adapters/einvoiceportal" // built through the registry, as a mapping would
	"github.com/revhub/revhub/adapters/invoicedelivery"
	_ "github.com/revhub/revhub/adapters/mail"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/deliverytest"
	"github.com/revhub/revhub/testharness/fakeportal"
	"github.com/revhub/revhub/testharness/smtpserver"
)

const portalRef, smtpRef, smtpPW, caRef = "env:PORTAL_SECRET", "env:SMTP_PASSWORD", "smtp-test-only", "env:SMTP_CA"

// chainHarness is a portal with e-mail fallback, built through the registry
// as a mapping would, plus the fakes behind it.
type chainHarness struct {
	chain  ports.InvoiceDeliverer
	portal *fakeportal.Portal
	smtp   *smtpserver.Server
}

func startChain(t *testing.T) *chainHarness {
	t.Helper()
	fp := fakeportal.Start(t)
	ms := smtpserver.Start(t, smtpserver.Options{User: "billing", Password: smtpPW})
	portal, err := invoicedelivery.NewChoice("einvoice_portal", fmt.Sprintf("endpoint: %s/v1/invoices\ntoken_url: %s/oauth/token\n"+
		"client_id: %s\nclient_secret_ref: %s\nmedia_type: application/pdf\nattempts: 2\nbackoff: 5ms\ntimeout: 300ms\n", fp.URL, fp.URL, fp.ClientID, portalRef))
	if err != nil {
		t.Fatal(err)
	}
	email, err := invoicedelivery.NewChoice("email", fmt.Sprintf("host: %s\nfrom: billing@clinic.example\nuser: billing\n"+
		"password_ref: %s\ntls_ca_ref: %s\ntimeout: 5s\n", ms.Addr, smtpRef, caRef))
	if err != nil {
		t.Fatal(err)
	}
	deps := testharness.Deps(t, portalRef, fp.ClientSecret, smtpRef, smtpPW, caRef, string(ms.CAPEM))
	c, err := ports.InvoiceDeliverers.Build("with_fallback", func(into any) error {
		into.(*invoicedelivery.ChainConfig).Channels = []invoicedelivery.Choice{portal, email}
		return nil
	}, deps)
	if err != nil {
		t.Fatal(err)
	}
	return &chainHarness{chain: c, portal: fp, smtp: ms}
}

func (h *chainHarness) Reject(reason string) {
	h.portal.Reject(reason)
	h.smtp.FailNext(1, 550, reason)
}
func (h *chainHarness) Down() { h.portal.Down(); h.smtp.Down() }
func (h *chainHarness) Bodies() [][]byte {
	var out [][]byte
	for _, d := range h.portal.Docs() {
		out = append(out, d.Body)
	}
	for _, m := range h.smtp.Messages() {
		out = append(out, m.Data)
	}
	return out
}

func TestChain_fallsBackToEmail(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(h *chainHarness)
		reason string
	}{
		{"portal rejects", func(h *chainHarness) { h.portal.Reject("BR-DE-15 buyer reference missing") }, "BR-DE-15"},
		{"portal down", func(h *chainHarness) { h.portal.Down() }, "503 Service Unavailable"},
		{"portal times out", func(h *chainHarness) { h.portal.Stall(time.Second) }, "einvoice_portal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startChain(t)
			tc.break_(h)
			r, err := h.chain.Deliver(t.Context(), deliverytest.Envelope("invoice/t1/F-1"))
			if err != nil {
				t.Fatal(err)
			}
			if r.Channel != "email" || !r.Fallback || !strings.Contains(r.Reason, tc.reason) || len(h.smtp.Messages()) != 1 {
				t.Fatalf("receipt %+v, %d mails", r, len(h.smtp.Messages()))
			}
		})
	}
}

func TestChain_portalFirst(t *testing.T) {
	h := startChain(t)
	r, err := h.chain.Deliver(t.Context(), deliverytest.Envelope("invoice/t1/F-2"))
	if err != nil || r.Channel != "einvoice_portal" || r.Fallback || len(h.smtp.Messages()) != 0 {
		t.Fatalf("receipt %+v err %v", r, err)
	}
}
