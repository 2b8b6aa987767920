package zugferd_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/de/zugferd"
	"github.com/revhub/revhub/zones/eu/pdfa3"
)

// TestHybrid_embedsGoldenXML checks that the PDF container carries exactly
// the golden XML as factur-x.xml, and runs the validator on what it extracts.
func TestHybrid_embedsGoldenXML(t *testing.T) {
	f, err := zugferd.Build(zugferd.Config{Profile: "en16931", Container: "pdf"})
	if err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := f.Format(context.Background(), einvoicetest.LoadInput(t, "testdata/exempt-medical.input.json", money.HalfUp), &pdf); err != nil {
		t.Fatal(err)
	}
	xml, err := pdfa3.Extract(pdf.Bytes(), "factur-x.xml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/exempt-medical.en16931.golden.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(xml, want) {
		t.Fatal("embedded factur-x.xml differs from the golden XML")
	}
	file := filepath.Join(t.TempDir(), "factur-x.xml")
	if err := os.WriteFile(file, xml, 0o600); err != nil {
		t.Fatal(err)
	}
	einvoicetest.Validate(t, "einvoice", "facturx-en16931", file)
}
