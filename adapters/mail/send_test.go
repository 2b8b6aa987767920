package mail_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	imail "github.com/revhub/revhub/adapters/mail"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/deliverytest"
	"github.com/revhub/revhub/testharness/smtpserver"
)

func base64Decode(dst, src []byte) (int, error) {
	return base64.StdEncoding.Decode(dst, []byte(strings.NewReplacer("\r", "", "\n", "").Replace(string(src))))
}

func TestDeliver_startTLSAuthAndStableMessageID(t *testing.T) {
	s, srv := start(t)
	e := deliverytest.Envelope("invoice/t1/PAT-1")
	a, err := s.Deliver(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	srv.FailNext(1, 451, "greylisted, try again")
	if _, err := s.Deliver(context.Background(), e); !ports.Is(ports.Transient, err) {
		t.Fatalf("451: err = %v, want Transient", err)
	}
	b, err := s.Deliver(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 || !msgs[0].TLS || msgs[0].User != "billing" || msgs[0].To[0] != "patient@example.org" {
		t.Fatalf("messages %+v", msgs)
	}
	if a.Ref != b.Ref || a.Ref != imail.MessageID("invoice/t1/PAT-1", "billing@clinic.example") {
		t.Errorf("Message-ID %q then %q", a.Ref, b.Ref)
	}
	for _, want := range []string{"Message-ID: " + a.Ref, "Subject: Rechnung T-2026-000001", "filename=\"T-2026-000001.pdf\""} {
		if !strings.Contains(string(msgs[0].Data), want) {
			t.Errorf("message lacks %q", want)
		}
	}
}

func TestDeliver_wrongPasswordIsPermission(t *testing.T) {
	srv := smtpserver.Start(t, smtpserver.Options{User: "billing", Password: pw})
	s, err := imail.New(imail.Config{Host: srv.Addr, From: "billing@clinic.example", User: "billing", PasswordRef: pwRef,
		TLSCARef: caRef, Timeout: 5 * time.Second}, testharness.Deps(t, pwRef, "wrong", caRef, string(srv.CAPEM)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Deliver(context.Background(), deliverytest.Envelope("k")); !ports.Is(ports.Permission, err) {
		t.Fatalf("err = %v, want Permission", err)
	}
}

func TestDeliver_untrustedCertificateIsPermission(t *testing.T) {
	srv := smtpserver.Start(t, smtpserver.Options{User: "billing", Password: pw})
	s, err := imail.New(imail.Config{Host: srv.Addr, From: "billing@clinic.example", User: "billing", PasswordRef: pwRef,
		Timeout: 5 * time.Second}, testharness.Deps(t, pwRef, pw))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Deliver(context.Background(), deliverytest.Envelope("k")); !ports.Is(ports.Permission, err) {
		t.Fatalf("err = %v, want Permission", err)
	}
	if len(srv.Messages()) != 0 {
		t.Fatal("sent without a trusted TLS session")
	}
}

func TestConfig_validate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  imail.Config
	}{
		{"missing host", imail.Config{From: "a@b.example", Timeout: time.Second}},
		{"bad from", imail.Config{Host: "h", From: "nope", Timeout: time.Second}},
		{"user without password", imail.Config{Host: "h", From: "a@b.example", User: "u", Timeout: time.Second}},
		{"bad ref", imail.Config{Host: "h", From: "a@b.example", User: "u", PasswordRef: "plain", Timeout: time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Validate(); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
