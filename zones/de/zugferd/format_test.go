package zugferd_test

import (
	"bytes"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/de/zugferd"
	"github.com/revhub/revhub/zones/eu/en16931"
)

func variant(t *testing.T) einvoicetest.Variant {
	f, err := zugferd.New(zugferd.Config{Profile: "en16931"})
	if err != nil {
		t.Fatal(err)
	}
	return einvoicetest.Variant{Suffix: "en16931", Formatter: f, Validator: []string{"einvoice", "zugferd-en16931"},
		Reformat: func(b []byte) ([]byte, error) {
			inv, _, err := en16931.ParseCII(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return f.AppendFormat(nil, inv)
		}}
}

func TestFormat_golden(t *testing.T) { einvoicetest.Goldens(t, money.HalfUp, variant(t)) }

func TestValidators_golden(t *testing.T) { einvoicetest.Validators(t, variant(t)) }
