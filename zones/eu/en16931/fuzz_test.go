package en16931_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/revhub/revhub/zones/eu/en16931"
)

func seed(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`))
}

// fuzzRoundTrip: a successful parse must format and re-parse, and a second
// format must equal the first (moov-io/ach style).
func fuzzRoundTrip(t *testing.T, data []byte,
	parse func([]byte) ([]byte, error)) {
	if len(data) > 1<<20 {
		t.Skip("over 1 MiB")
	}
	first, err := parse(data)
	if err != nil {
		return
	}
	second, err := parse(first)
	if err != nil {
		t.Fatalf("formatted output does not parse: %v\n%s", err, first)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("format → parse → format differs")
	}
}

func FuzzParseCII(f *testing.F) {
	seed(f, "testdata/*.cii.golden.xml")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, data, reformatCII) })
}

func FuzzParseUBL(f *testing.F) {
	seed(f, "testdata/*.ubl.golden.xml")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, data, reformatUBL) })
}

func TestParse_rejectsDOCTYPE(t *testing.T) {
	doc := []byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rsm:CrossIndustryInvoice/>`)
	for _, tc := range []struct {
		name  string
		parse func([]byte) error
	}{
		{"cii", func(b []byte) error { _, _, err := en16931.ParseCII(bytes.NewReader(b)); return err }},
		{"ubl", func(b []byte) error { _, _, err := en16931.ParseUBL(bytes.NewReader(b)); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.parse(doc); err == nil || !bytes.Contains([]byte(err.Error()), []byte("DOCTYPE")) {
				t.Fatalf("want DOCTYPE rejection, got %v", err)
			}
		})
	}
}

func TestParse_rejectsBrokenSums(t *testing.T) {
	b, err := os.ReadFile("testdata/invoice.cii.golden.xml")
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(b, []byte("<ram:GrandTotalAmount>"), []byte("<ram:GrandTotalAmount>1"), 1)
	if _, _, err := en16931.ParseCII(bytes.NewReader(broken)); err == nil {
		t.Fatal("accepted a document whose grand total breaks BR-CO-15")
	}
}
