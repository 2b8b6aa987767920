package nacha_test

import (
	"testing"

	"github.com/revhub/revhub/adapters/nacha"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/payouttest"
)

func TestConformance(t *testing.T) {
	payouttest.RunBuilder(t, func(t *testing.T) ports.PayoutFileBuilder {
		b, err := nacha.New(testConfig(), testharness.Deps(t))
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
}

func TestRegistered(t *testing.T) {
	if _, ok := ports.PayoutFormats.Lookup("nacha"); !ok {
		t.Fatal("nacha is not registered under payout")
	}
	if err := ports.PayoutFormats.Check("nacha", nil); err == nil {
		t.Fatal("empty settings must fail validation (immediate_destination is required)")
	}
}
