package invoicepdf_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/invoicepdf"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/golden"
)

func loadPayload(t testing.TB, lang string) ports.InvoicePayload {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "patient.input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p ports.InvoicePayload
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Invoice.Calculate(money.HalfUp); err != nil {
		t.Fatal(err)
	}
	p.Language = lang
	return p
}

func TestLayout_golden(t *testing.T) {
	for _, tc := range []struct{ name, lang string }{{"de", "de"}, {"en", "en"}, {"et", "et"}, {"fr", "fr"}} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := invoicepdf.Layout(loadPayload(t, tc.lang), "")
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, "patient."+tc.name+".golden.txt", []byte(pg.String()))
		})
	}
}

func TestRender_deterministicPDF(t *testing.T) {
	r, err := invoicepdf.New(invoicepdf.Config{})
	if err != nil {
		t.Fatal(err)
	}
	p := loadPayload(t, "et")
	a, err := r.Render(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Render(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "PAT-2026-000042.pdf" || a.MediaType != "application/pdf" || !bytes.HasPrefix(a.Body, []byte("%PDF-")) {
		t.Fatalf("rendition %s %s %q", a.Name, a.MediaType, a.Body[:8])
	}
	if !bytes.Equal(a.Body, b.Body) {
		t.Fatal("two renders of one invoice differ")
	}
	for _, want := range []string{"/CreationDate (D:20260115000000)", "/FontFile2", "/ToUnicode"} {
		if !bytes.Contains(a.Body, []byte(want)) {
			t.Errorf("PDF lacks %s", want)
		}
	}
	if os.Getenv("INVOICEPDF_WRITE") != "" {
		_ = os.WriteFile(os.Getenv("INVOICEPDF_WRITE"), a.Body, 0o600)
	}
}

// TestRender_textExtract checks what a PDF reader extracts (poppler's
// pdftotext), so the embedded Unicode font really maps ä, õ, é and €.
func TestRender_textExtract(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("SKIP: pdftotext (poppler-utils) not installed: text extraction of the PDF not checked")
	}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"de", []string{"Rechnung", "Ihr Eigenanteil", "3.788,40 €", "DE02 1203 0000 0000 2020 51", "Jüri Õunapuu", "Échographie", "Fällig am", "14.02.2026"}},
		{"et", []string{"Arve", "Teie omaosalus", "3 788,40 €", "Maksetähtaeg", "Kindlustus tasub"}},
		{"fr", []string{"Facture", "Votre reste à charge", "3 788,40 €", "Date d'échéance", "14/02/2026"}},
		{"en", []string{"Invoice", "Your share", "€3,788.40", "Due date", "14 Feb 2026", "Page 1 of 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := invoicepdf.New(invoicepdf.Config{})
			out, err := r.Render(context.Background(), loadPayload(t, tc.name))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "x.pdf")
			if err := os.WriteFile(file, out.Body, 0o600); err != nil {
				t.Fatal(err)
			}
			txt, err := exec.Command(bin, "-layout", file, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(txt), w) {
					t.Errorf("extracted text lacks %q:\n%s", w, txt)
				}
			}
		})
	}
}

func TestRender_rejects(t *testing.T) {
	r, _ := invoicepdf.New(invoicepdf.Config{})
	p := loadPayload(t, "de")
	bad := p
	bad.Shares = []ports.LineShare{{LineID: "1", Covered: money.MustNew(100, money.USD)}}
	uncalculated := p
	uncalculated.Invoice.Totals.Due = money.Amount{}
	for _, tc := range []struct {
		name string
		p    ports.InvoicePayload
	}{{"currency mismatch in shares", bad}, {"uncalculated", uncalculated}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Render(context.Background(), tc.p)
			if !ports.Is(ports.Invalid, err) {
				t.Fatalf("err = %v, want Kind Invalid", err)
			}
		})
	}
}

func TestConfig_validate(t *testing.T) {
	if _, err := invoicepdf.New(invoicepdf.Config{Language: "xx"}); !ports.Is(ports.Invalid, err) {
		t.Fatalf("err = %v", err)
	}
}

func BenchmarkRender(b *testing.B) {
	r, _ := invoicepdf.New(invoicepdf.Config{})
	p := loadPayload(b, "de")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}
