package facturx_test

import (
	"bytes"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/eu/en16931"
	"github.com/revhub/revhub/zones/fr/facturx"
)

func variants(t *testing.T) []einvoicetest.Variant {
	var out []einvoicetest.Variant
	for _, p := range []string{"minimum", "basic", "en16931"} {
		f, err := facturx.New(facturx.Config{Profile: p})
		if err != nil {
			t.Fatal(err)
		}
		v := einvoicetest.Variant{Suffix: p, Formatter: f, Validator: []string{"einvoice", "facturx-" + p}}
		if p == "minimum" { // no lines: the other cases differ only in totals
			v.Cases = []string{"invoice", "credit-note", "foreign-currency"}
		}
		if p != "minimum" { // MINIMUM carries no lines, so it cannot be parsed back into an invoice
			v.Reformat = func(b []byte) ([]byte, error) {
				inv, _, err := en16931.ParseCII(bytes.NewReader(b))
				if err != nil {
					return nil, err
				}
				return f.AppendFormat(nil, inv)
			}
		}
		out = append(out, v)
	}
	return out
}

func TestFormat_golden(t *testing.T) { einvoicetest.Goldens(t, money.HalfUp, variants(t)...) }

func TestValidators_golden(t *testing.T) { einvoicetest.Validators(t, variants(t)...) }
