package mail_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"testing"
	"time"

	imail "github.com/revhub/revhub/adapters/mail"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/deliverytest"
	"github.com/revhub/revhub/testharness/smtpserver"
)

const pwRef, pw, caRef = "env:SMTP_PASSWORD", "test-only-pw", "env:SMTP_CA"

func start(t *testing.T) (*imail.Sender, *smtpserver.Server) {
	t.Helper()
	srv := smtpserver.Start(t, smtpserver.Options{User: "billing", Password: pw})
	s, err := imail.New(imail.Config{Host: srv.Addr, From: "Klinik <billing@clinic.example>", User: "billing",
		PasswordRef: pwRef, TLSCARef: caRef, Timeout: 5 * time.Second}, testharness.Deps(t, pwRef, pw, caRef, string(srv.CAPEM)))
	if err != nil {
		t.Fatal(err)
	}
	return s, srv
}

func TestConformance(t *testing.T) {
	deliverytest.Run(t, deliverytest.Features{Idempotent: true, Rejects: true}, func(t *testing.T) (ports.InvoiceDeliverer, deliverytest.Probe) {
		s, srv := start(t)
		return s, probe{srv}
	})
}

type probe struct{ s *smtpserver.Server }

func (p probe) Reject(reason string) { p.s.FailNext(1, 550, reason) }
func (p probe) Down()                { p.s.Down() }

// Bodies decodes the attachments of every accepted message.
func (p probe) Bodies() [][]byte {
	var out [][]byte
	for _, m := range p.s.Messages() {
		out = append(out, attachments(m.Data)...)
	}
	return out
}

func attachments(data []byte) [][]byte {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return nil
	}
	var out [][]byte
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable; base64 below
		if err != nil {
			return out
		}
		b, _ := io.ReadAll(part)
		if part.Header.Get("Content-Transfer-Encoding") == "base64" {
			dec := make([]byte, len(b))
			n, _ := base64Decode(dec, b)
			b = dec[:n]
		}
		out = append(out, b)
	}
}
