package en16931_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/eu/en16931"
)

// The golden files and validator runs for these writers live in the
// profile packages (zones/de/xrechnung, zones/de/zugferd, zones/fr/facturx,
// zones/ee/earve); here each input is checked for the round trip only.

var profile = en16931.Profile{SpecID: en16931.SpecEN16931}

type syntax struct {
	name     string
	write    func(*invoicing.Invoice) []byte
	reformat func([]byte) ([]byte, error)
}

var syntaxes = []syntax{
	{"cii", func(inv *invoicing.Invoice) []byte { return en16931.AppendCII(nil, inv, profile) }, reformatCII},
	{"ubl", func(inv *invoicing.Invoice) []byte { return en16931.AppendUBL(nil, inv, profile) }, reformatUBL},
}

func inputs(t testing.TB) map[string]invoicing.Invoice {
	files, err := filepath.Glob("testdata/*.input.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	out := map[string]invoicing.Invoice{}
	for _, f := range files {
		out[strings.TrimSuffix(filepath.Base(f), ".input.json")] = einvoicetest.LoadInput(t, f, money.HalfUp)
	}
	return out
}

func TestFormat_roundTrip(t *testing.T) {
	for name, inv := range inputs(t) {
		for _, s := range syntaxes {
			t.Run(name+"."+s.name, func(t *testing.T) {
				got := s.write(&inv)
				again, err := s.reformat(got)
				if err != nil {
					t.Fatalf("parse own output: %v", err)
				}
				if !bytes.Equal(again, got) {
					t.Errorf("format → parse → format is not byte-identical")
				}
			})
		}
	}
}
