package en16931_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/testharness/golden"
	"github.com/revhub/revhub/zones/eu/en16931"
)

var profile = en16931.Profile{SpecID: en16931.SpecEN16931}

func inputs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.input.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	return files
}

func caseName(path string) string { return strings.TrimSuffix(filepath.Base(path), ".input.json") }

func TestFormat_golden(t *testing.T) {
	for _, in := range inputs(t) {
		t.Run(caseName(in), func(t *testing.T) {
			inv := einvoicetest.LoadInput(t, in, money.HalfUp)
			for _, s := range []struct {
				name   string
				append func([]byte) []byte
				parse  func([]byte) ([]byte, error)
			}{
				{"cii", func(b []byte) []byte { return en16931.AppendCII(b, &inv, profile) }, reformatCII},
				{"ubl", func(b []byte) []byte { return en16931.AppendUBL(b, &inv, profile) }, reformatUBL},
			} {
				got := s.append(nil)
				golden.Assert(t, caseName(in)+"."+s.name+".golden.xml", got)
				again, err := s.parse(got)
				if err != nil {
					t.Fatalf("%s: parse own output: %v", s.name, err)
				}
				if string(again) != string(got) {
					t.Errorf("%s: format → parse → format is not byte-identical", s.name)
				}
			}
		})
	}
}

func TestValidators_golden(t *testing.T) {
	einvoicetest.RequireValidators(t)
	for _, in := range inputs(t) {
		for _, s := range []string{"cii", "ubl"} {
			file := "testdata/" + caseName(in) + "." + s + ".golden.xml"
			t.Run(filepath.Base(file), func(t *testing.T) { einvoicetest.Validate(t, "einvoice", "en16931-"+s, file) })
		}
	}
}
