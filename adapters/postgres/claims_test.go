package postgres_test

import (
	"testing"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/storetest"
	"github.com/revhub/revhub/testharness/pgtest"
)

func TestClaimsConformance(t *testing.T) {
	pgtest.URL(t)
	storetest.RunClaims(t, storetest.Features{ParallelWriters: true}, func(t *testing.T) ports.Store { return newStore(t) })
}
