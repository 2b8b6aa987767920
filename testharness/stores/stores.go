// Package stores opens every store adapter a test should run against: the
// embedded SQLite store always, and PostgreSQL (in a fresh schema) when
// REVHUB_TEST_POSTGRES_URL is set — skipped loudly otherwise.
package stores

import (
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/embedded"
	"github.com/revhub/revhub/adapters/postgres"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/pgtest"
)

// Embedded opens a fresh embedded store, closed on cleanup.
func Embedded(t testing.TB) ports.Store { return EmbeddedAt(t, t.TempDir(), "revhub.db") }

// EmbeddedAt opens the embedded store file path under dir (one another
// process may have written), closed on cleanup.
func EmbeddedAt(t testing.TB, dir, path string) ports.Store {
	t.Helper()
	deps := testharness.Deps(t)
	deps.DataDir = dir
	s, err := embedded.New(embedded.Config{Path: path}, deps)
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
	return open(t, postgres.Config{URLRef: "env:PG", Schema: schema, MaxConns: 10}, url)
}

// SchemaURL returns url with search_path set to schema, for a second
// connection (another process, plain SQL) into a pgtest schema.
func SchemaURL(url, schema string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

// PostgresURL opens a store on the server and schema a URL names
// (search_path), closed on cleanup.
func PostgresURL(t testing.TB, url string) ports.Store {
	t.Helper()
	return open(t, postgres.Config{URLRef: "env:PG", MaxConns: 4}, url)
}

func open(t testing.TB, cfg postgres.Config, url string) ports.Store {
	t.Helper()
	s, err := postgres.New(cfg, testharness.Deps(t, "env:PG", url))
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
