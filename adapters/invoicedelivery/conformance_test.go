package invoicedelivery_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/invoicedelivery"
	_ "github.com/revhub/revhub/adapters/sftp"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/deliverytest"
	"github.com/revhub/revhub/testharness/sftpserver"
)

const sftpRef, sftpPW = "env:SFTP_PASSWORD", "sftp-test-only"

func startDrop(t *testing.T) (*invoicedelivery.Drop, *sftpserver.Server) {
	t.Helper()
	srv := sftpserver.Start(t, sftpserver.Options{User: "clinic", Password: sftpPW})
	srv.Mkdir(t, "inbox")
	ch, err := invoicedelivery.NewChoice("sftp", fmt.Sprintf("host: %s\nuser: clinic\nhost_key: %q\npassword_ref: %s\ndir: /inbox\ntimeout: 5s\n",
		srv.Addr, srv.HostKeyLine(), sftpRef))
	if err != nil {
		t.Fatal(err)
	}
	d, err := invoicedelivery.NewDrop(invoicedelivery.DropConfig{Dropper: ch}, testharness.Deps(t, sftpRef, sftpPW))
	if err != nil {
		t.Fatal(err)
	}
	return d, srv
}

type dropProbe struct{ s *sftpserver.Server }

func (p dropProbe) Reject(string) {}
func (p dropProbe) Down()         { p.s.Set(sftpserver.Knobs{DropAfterBytes: 1}) }
func (p dropProbe) Bodies() [][]byte {
	var out [][]byte
	for name, b := range p.s.Files() {
		if !strings.Contains(name, "/.") {
			out = append(out, b)
		}
	}
	return out
}

func TestConformance(t *testing.T) {
	t.Run("sftp_drop", func(t *testing.T) {
		deliverytest.Run(t, deliverytest.Features{Idempotent: true}, func(t *testing.T) (ports.InvoiceDeliverer, deliverytest.Probe) {
			d, srv := startDrop(t)
			return d, dropProbe{srv}
		})
	})
	t.Run("with_fallback", func(t *testing.T) {
		deliverytest.Run(t, deliverytest.Features{Idempotent: true, Rejects: true}, func(t *testing.T) (ports.InvoiceDeliverer, deliverytest.Probe) {
			h := startChain(t)
			return h.chain, h
		})
	})
}

func TestDrop_fileNamedAfterInvoiceAndRetryFindsIt(t *testing.T) {
	d, srv := startDrop(t)
	e := deliverytest.Envelope("invoice/t1/T-2026-000001")
	a, err := d.Deliver(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.Deliver(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	if a.Ref != "/inbox/T-2026-000001.pdf" || a.Existing || !b.Existing || !a.At.Equal(testharness.Epoch) {
		t.Fatalf("first %+v second %+v", a, b)
	}
	if _, ok := srv.Files()["inbox/T-2026-000001.pdf"]; !ok {
		t.Fatalf("files %v", srv.Files())
	}
}

func TestConfig_validate(t *testing.T) {
	bad, _ := invoicedelivery.NewChoice("sftp", "host: x\nnope: 1\n")
	for _, tc := range []struct {
		name string
		cfg  ports.Config
	}{
		{"drop without dropper", invoicedelivery.DropConfig{}},
		{"drop with unknown key", invoicedelivery.DropConfig{Dropper: bad}},
		{"chain of one", invoicedelivery.ChainConfig{Channels: []invoicedelivery.Choice{{Name: "email"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Validate(); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
