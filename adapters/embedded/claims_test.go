package embedded_test

import (
	"testing"

	"github.com/revhub/revhub/adapters/embedded"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/storetest"
)

func TestClaimsConformance(t *testing.T) {
	storetest.RunClaims(t, storetest.Features{}, func(t *testing.T) ports.Store {
		s, err := embedded.New(embedded.Config{Path: "revhub.db"}, testharness.Deps(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
