package earve_test

import (
	"bytes"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/testharness/conformance/einvoicetest"
	"github.com/revhub/revhub/zones/ee/earve"
	"github.com/revhub/revhub/zones/eu/en16931"
)

func variants(t *testing.T) []einvoicetest.Variant {
	ea, err := earve.New(earve.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ubl, err := earve.NewUBL(earve.UBLConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return []einvoicetest.Variant{
		{Suffix: "earve", Formatter: ea, Validator: []string{"earve"}, Reformat: func(b []byte) ([]byte, error) {
			inv, err := earve.Parse(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return ea.AppendFormat(nil, inv)
		}},
		{Suffix: "ubl", Formatter: ubl, Validator: []string{"einvoice", "en16931-ubl"}, Reformat: func(b []byte) ([]byte, error) {
			inv, _, err := en16931.ParseUBL(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return ubl.AppendFormat(nil, inv)
		}},
	}
}

func TestFormat_golden(t *testing.T) { einvoicetest.Goldens(t, money.HalfUp, variants(t)...) }

func TestValidators_golden(t *testing.T) { einvoicetest.Validators(t, variants(t)...) }
