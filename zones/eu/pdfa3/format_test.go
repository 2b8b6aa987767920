package pdfa3_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/eu/en16931"
	"github.com/revhub/revhub/zones/eu/pdfa3"
)

const fixture = "../../de/zugferd/testdata/exempt-medical.input.json"

func hybrid(t testing.TB, level string) (*pdfa3.Formatter, *en16931.Formatter) {
	t.Helper()
	profiles := map[string]en16931.Profile{
		"EN 16931": {SpecID: en16931.SpecEN16931, Level: en16931.Full},
		"BASIC":    {SpecID: en16931.SpecFXBasic, Level: en16931.Basic},
		"MINIMUM":  {SpecID: en16931.SpecFXMinimum, Level: en16931.Minimum},
	}
	x := &en16931.Formatter{Op: "test.Format", Syntax: en16931.CII, Profile: profiles[level]}
	f, err := pdfa3.New("test.Format", x, level, "de")
	if err != nil {
		t.Fatal(err)
	}
	return f, x
}

func TestFormat_hybridStructure(t *testing.T) {
	for _, tc := range []struct{ name, level, rel string }{
		{"en16931", "EN 16931", "Alternative"}, {"basic", "BASIC", "Alternative"}, {"minimum", "MINIMUM", "Data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, x := hybrid(t, tc.level)
			inv := einvoicetest.LoadInput(t, fixture, money.HalfUp)
			var pdf, xml bytes.Buffer
			if err := f.Format(context.Background(), inv, &pdf); err != nil {
				t.Fatal(err)
			}
			if err := x.Format(context.Background(), inv, &xml); err != nil {
				t.Fatal(err)
			}
			d, err := pdfa3.Inspect(pdf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if d.Header != "%PDF-1.7" || !d.HasID || d.OutputIntent != "GTS_PDFA1" || !bytes.Contains(d.ICC[36:40], []byte("acsp")) {
				t.Errorf("header %q id %v intent %q", d.Header, d.HasID, d.OutputIntent)
			}
			if len(d.Files) != 1 || d.Files[0].Name != "factur-x.xml" || d.Files[0].Relationship != tc.rel || d.Files[0].Subtype != "text#2Fxml" {
				t.Fatalf("files %+v", d.Files)
			}
			if len(d.AF) != 1 || d.AF[0] != d.Files[0].Spec {
				t.Errorf("/AF %v does not reference the file specification %d", d.AF, d.Files[0].Spec)
			}
			if !bytes.Equal(d.Files[0].Data, xml.Bytes()) {
				t.Error("embedded XML differs from the formatter's XML")
			}
			for _, want := range []string{"<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
				"<fx:DocumentType>INVOICE</fx:DocumentType>", "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
				"<fx:Version>1.0</fx:Version>", "<fx:ConformanceLevel>" + tc.level + "</fx:ConformanceLevel>",
				"<pdfaSchema:namespaceURI>" + pdfa3.FXNamespace + "</pdfaSchema:namespaceURI>", "<pdfaSchema:prefix>fx</pdfaSchema:prefix>",
				"<xmp:CreateDate>2025-03-14T00:00:00Z</xmp:CreateDate>"} {
				if !bytes.Contains(d.XMP, []byte(want)) {
					t.Errorf("XMP lacks %s", want)
				}
			}
			if !bytes.Contains(pdf.Bytes(), []byte("/CreationDate (D:20250314000000+00'00')")) {
				t.Error("Info /CreationDate does not match the XMP date")
			}
			var again bytes.Buffer
			if err := f.Format(context.Background(), inv, &again); err != nil || !bytes.Equal(again.Bytes(), pdf.Bytes()) {
				t.Errorf("not deterministic (err %v)", err)
			}
			if f.MediaType() != "application/pdf" {
				t.Error(f.MediaType())
			}
		})
	}
}

func TestFormat_rejectsInvalidWritingNothing(t *testing.T) {
	f, _ := hybrid(t, "EN 16931")
	inv := einvoicetest.LoadInput(t, fixture, money.HalfUp)
	inv.Seller.Name = ""
	var out bytes.Buffer
	if err := f.Format(context.Background(), inv, &out); !ports.Is(ports.Invalid, err) || out.Len() > 0 {
		t.Fatalf("err %v, wrote %d bytes", err, out.Len())
	}
}

// TestValidators_embeddedXML extracts factur-x.xml from the hybrid and runs
// the external Factur-X validator on it; with poppler installed it also
// checks that a PDF reader sees the attachment and the page text.
func TestValidators_embeddedXML(t *testing.T) {
	for _, tc := range []struct{ name, level, profile string }{
		{"en16931", "EN 16931", "facturx-en16931"}, {"minimum", "MINIMUM", "facturx-minimum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := hybrid(t, tc.level)
			var pdf bytes.Buffer
			if err := f.Format(context.Background(), einvoicetest.LoadInput(t, fixture, money.HalfUp), &pdf); err != nil {
				t.Fatal(err)
			}
			xml, err := pdfa3.Extract(pdf.Bytes(), "factur-x.xml")
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "factur-x.xml")
			if err := os.WriteFile(file, xml, 0o600); err != nil {
				t.Fatal(err)
			}
			pdfFile := filepath.Join(dir, "invoice.pdf")
			if err := os.WriteFile(pdfFile, pdf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			if bin, err := exec.LookPath("pdfdetach"); err == nil {
				out, err := exec.Command(bin, "-list", pdfFile).CombinedOutput()
				if err != nil || !strings.Contains(string(out), "factur-x.xml") {
					t.Errorf("pdfdetach -list: %v\n%s", err, out)
				}
				txt, err := exec.Command("pdftotext", pdfFile, "-").CombinedOutput()
				if err != nil || !strings.Contains(string(txt), "Rechnung RE-2025-000105") || !strings.Contains(string(txt), "Zahlbetrag") {
					t.Errorf("pdftotext: %v\n%s", err, txt)
				}
			} else {
				t.Log("poppler-utils not installed: PDF reader checks skipped")
			}
			einvoicetest.Validate(t, "einvoice", tc.profile, file)
		})
	}
}

func FuzzInspect(f *testing.F) {
	h, _ := hybrid(f, "EN 16931")
	var pdf bytes.Buffer
	if err := h.Format(context.Background(), einvoicetest.LoadInput(f, fixture, money.HalfUp), &pdf); err != nil {
		f.Fatal(err)
	}
	f.Add(pdf.Bytes())
	f.Add([]byte("%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R /Info 1 0 R >>\nstartxref\n9\n%%EOF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			t.Skip()
		}
		d, err := pdfa3.Inspect(b)
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}

func BenchmarkFormat(b *testing.B) {
	f, x := hybrid(b, "EN 16931")
	inv := einvoicetest.LoadInput(b, fixture, money.HalfUp)
	var buf bytes.Buffer
	b.Run("hybrid_pdf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := f.Format(context.Background(), inv, &buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("xml_only_reference", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := x.Format(context.Background(), inv, &buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
