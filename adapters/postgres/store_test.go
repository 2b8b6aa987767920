package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/adapters/postgres"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/pgtest"
)

// TestNew_instancesStartingTogether starts several stores on one empty
// schema at once: the advisory lock lets each migration apply exactly once.
func TestNew_instancesStartingTogether(t *testing.T) {
	url, schema := pgtest.Schema(t)
	deps := testharness.Deps(t, "env:PG", url)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := postgres.New(postgres.Config{URLRef: "env:PG", Schema: schema, MaxConns: 2}, deps)
			if err != nil {
				t.Error(err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM `+pgx.Identifier{schema, "schema_migrations"}.Sanitize()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if n != len(files) {
		t.Fatalf("schema_migrations has %d rows, want one per migration (%d)", n, len(files))
	}
}

func TestNew_errors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  postgres.Config
		kind ports.Kind
	}{
		{"missing url_ref", postgres.Config{}, ports.Invalid},
		{"unset secret", postgres.Config{URLRef: "env:REVHUB_TEST_NO_SUCH_VAR"}, ports.NotFound},
		{"bad schema name", postgres.Config{URLRef: "env:PG", Schema: "Robert'); DROP"}, ports.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := postgres.New(tc.cfg, testharness.Deps(t))
			if !ports.Is(tc.kind, err) {
				t.Fatalf("got %v (kind %s), want kind %s", err, ports.KindOf(err), tc.kind)
			}
		})
	}
}

func TestConfig_Validate(t *testing.T) {
	err := postgres.Config{URLRef: "REVHUB_POSTGRES_URL", Schema: "x-y"}.Validate()
	var es validate.Errors
	if !errors.As(err, &es) || len(es) != 2 || es[0].Path != "url_ref" || es[1].Path != "schema" {
		t.Fatalf("got %v, want errors at url_ref and schema", err)
	}
}

func TestRegistered(t *testing.T) {
	url, schema := pgtest.Schema(t)
	settings, _ := json.Marshal(map[string]any{"URLRef": "env:PG", "Schema": schema})
	s, err := ports.Stores.Build("postgres", func(into any) error { return json.Unmarshal(settings, into) }, testharness.Deps(t, "env:PG", url))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
