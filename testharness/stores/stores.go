// Package stores opens every store adapter a test should run against: the
// embedded SQLite store always, and PostgreSQL (in a fresh schema) when
// REVHUB_TEST_POSTGRES_URL is set — skipped loudly otherwise.
package stores

import (
	"testing"

	"github.com/revhub/revhub/adapters/embedded"
	"github.com/revhub/revhub/adapters/postgres"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/pgtest"
)

// Embedded opens a fresh embedded store, closed on cleanup.
func Embedded(t testing.TB) ports.Store {
	t.Helper()
	s, err := embedded.New(embedded.Config{Path: "revhub.db"}, testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Postgres opens a store on a fresh schema of the test server, or skips.
func Postgres(t testing.TB) ports.Store {
	t.Helper()
	url, schema := pgtest.Schema(t)
	s, err := postgres.New(postgres.Config{URLRef: "env:PG", Schema: schema, MaxConns: 10}, testharness.Deps(t, "env:PG", url))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Each runs fn as a subtest per store adapter.
func Each(t *testing.T, fn func(t *testing.T, s ports.Store)) {
	t.Run("embedded", func(t *testing.T) { fn(t, Embedded(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
