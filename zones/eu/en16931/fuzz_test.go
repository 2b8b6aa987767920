package en16931_test

import (
	"bytes"
	"testing"

	"github.com/revhub/revhub/zones/eu/en16931"
)

func seed(f *testing.F, s syntax) {
	for _, inv := range inputs(f) {
		f.Add(s.write(&inv))
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
	seed(f, syntaxes[0])
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, data, reformatCII) })
}

func FuzzParseUBL(f *testing.F) {
	seed(f, syntaxes[1])
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
	inv := inputs(t)["invoice"]
	b := en16931.AppendCII(nil, &inv, profile)
	broken := bytes.Replace(b, []byte("<ram:GrandTotalAmount>"), []byte("<ram:GrandTotalAmount>1"), 1)
	if _, _, err := en16931.ParseCII(bytes.NewReader(broken)); err == nil {
		t.Fatal("accepted a document whose grand total breaks BR-CO-15")
	}
}
