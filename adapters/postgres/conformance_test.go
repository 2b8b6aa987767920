package postgres_test

import (
	"testing"

	"github.com/revhub/revhub/adapters/postgres"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/storetest"
	"github.com/revhub/revhub/testharness/pgtest"
)

// newStore opens a store on a fresh schema of the test server.
func newStore(t testing.TB) *postgres.Store {
	url, schema := pgtest.Schema(t)
	s, err := postgres.New(postgres.Config{URLRef: "env:PG", Schema: schema, MaxConns: 12}, testharness.Deps(t, "env:PG", url))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	pgtest.URL(t)
	storetest.Run(t, storetest.Features{ParallelWriters: true}, func(t *testing.T) ports.Store { return newStore(t) })
}
