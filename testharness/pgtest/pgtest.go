// Package pgtest gives each test its own fresh PostgreSQL schema on the
// server named by REVHUB_TEST_POSTGRES_URL, and drops it when the test ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable holding the test server's URL.
const EnvURL = "REVHUB_TEST_POSTGRES_URL"

// URL returns the test server's URL, or skips the test with one loud line
// naming EnvURL when it is unset.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Skip("SKIP: " + EnvURL + " is not set; PostgreSQL tests need a server " +
			"(e.g. " + EnvURL + "=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return u
}

// Schema creates an empty schema with a unique name for t, drops it (with
// everything in it) on cleanup, and returns the server URL and the schema.
func Schema(t testing.TB) (url, schema string) {
	t.Helper()
	url = URL(t)
	var b [6]byte
	rand.Read(b[:])
	schema = "revhub_test_" + hex.EncodeToString(b[:])
	exec(t, url, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	t.Cleanup(func() { exec(t, url, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE") })
	return url, schema
}

func exec(t testing.TB, url, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", EnvURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}
