package xrechnung_test

import (
	"bytes"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/de/xrechnung"
	"github.com/revhub/revhub/zones/eu/en16931"
)

func variants(t *testing.T) []einvoicetest.Variant {
	out := make([]einvoicetest.Variant, 0, 2)
	for _, s := range []string{"cii", "ubl"} {
		f, err := xrechnung.New(xrechnung.Config{Syntax: s})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, einvoicetest.Variant{Suffix: s, Formatter: f,
			Validator: []string{"einvoice", "xrechnung-" + s}, Reformat: reformat(f, s)})
	}
	return out
}

func reformat(f *xrechnung.Formatter, syntax string) func([]byte) ([]byte, error) {
	return func(b []byte) ([]byte, error) {
		parse := en16931.ParseCII
		if syntax == "ubl" {
			parse = en16931.ParseUBL
		}
		inv, _, err := parse(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		return f.AppendFormat(nil, inv)
	}
}

func TestFormat_golden(t *testing.T) { einvoicetest.Goldens(t, money.HalfUp, variants(t)...) }

func TestValidators_golden(t *testing.T) { einvoicetest.Validators(t, variants(t)...) }
