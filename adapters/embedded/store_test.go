package embedded_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/revhub/revhub/adapters/embedded"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
)

func TestNew_keepsStateAcrossRestart(t *testing.T) {
	deps := testharness.Deps(t)
	ctx := context.Background()
	s, err := embedded.New(embedded.Config{Path: "state/revhub.db"}, deps)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		_, err := tx.Numbering().Next(ctx, "acme", "INV", "2026")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = embedded.New(embedded.Config{Path: filepath.Join(deps.DataDir, "state", "revhub.db")}, deps)
	if err != nil {
		t.Fatalf("reopen (migrations must be idempotent): %v", err)
	}
	defer s.Close()
	var n int64
	if err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		n, err = tx.Numbering().Next(ctx, "acme", "INV", "2026")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("number after restart = %d, want 2", n)
	}
}

func TestRegistered(t *testing.T) {
	dec := func(into any) error { return json.Unmarshal([]byte(`{"Path": "x.db"}`), into) }
	s, err := ports.Stores.Build("embedded", dec, testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestConfig_Validate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  embedded.Config
		path string
	}{
		{"default is valid", embedded.Config{Path: "revhub.db"}, ""},
		{"path required", embedded.Config{}, "path"},
		{"readers in range", embedded.Config{Path: "a.db", Readers: 100}, "readers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.path == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var es validate.Errors
			if !errors.As(err, &es) || es[0].Path != tc.path {
				t.Fatalf("error %v, want one at %s", err, tc.path)
			}
		})
	}
}
