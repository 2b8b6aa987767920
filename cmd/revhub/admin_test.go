package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/revhub/revhub/testharness/pgtest"
)

// cli runs revhub with args plus the store flags and returns exit code, stdout and stderr.
func cli(t *testing.T, store []string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	rc := run(context.Background(), append(args, store...), &out, &errb)
	return rc, out.String(), errb.String()
}

// adminStores are the stores the admin commands are tested on, each with a
// raw SQL handle for tampering.
var adminStores = []struct {
	name string
	open func(t *testing.T) (flags []string, db *sql.DB)
}{
	{"embedded", func(t *testing.T) ([]string, *sql.DB) {
		data := t.TempDir()
		db, err := sql.Open("sqlite", filepath.Join(data, "revhub.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return []string{"--data", data}, db
	}},
	{"postgres", func(t *testing.T) ([]string, *sql.DB) {
		url := schemaURL(t)
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return []string{"--data", t.TempDir(), "--postgres", url}, db
	}},
}

// schemaURL returns the test server's URL on a fresh schema (pgx passes
// search_path on as a run-time parameter).
func schemaURL(t *testing.T) string {
	url, schema := pgtest.Schema(t)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

func TestTokensAndAudit_endToEnd(t *testing.T) {
	for _, st := range adminStores {
		t.Run(st.name, func(t *testing.T) {
			flags, db := st.open(t)
			// A named mappings directory that does not exist is an error; the default one may be absent.
			if rc, _, errs := cli(t, flags, "audit", "verify", "--mappings", "testdata/none"); rc != 1 || !strings.Contains(errs, "testdata/none") {
				t.Fatalf("missing --mappings dir: exit %d %s", rc, errs)
			}
			var secrets []string
			for _, tc := range []struct{ tenant, role, name string }{
				{"acme", "auditor", "audit team"}, {"acme", "integration", "epic bridge"}, {"acme", "finance", "ops"}, {"globex", "finance", "ops"},
			} {
				rc, out, errs := cli(t, flags, "tokens", "create", "--tenant", tc.tenant, "--role", tc.role, "--name", tc.name)
				if rc != 0 || !regexp.MustCompile(`^rhk_[A-Za-z0-9_-]{43}\n$`).MatchString(out) || !strings.Contains(errs, "shown only once") {
					t.Fatalf("tokens create: exit %d\n%s%s", rc, out, errs)
				}
				secrets = append(secrets, strings.TrimSpace(out))
			}
			if rc, _, errs := cli(t, flags, "tokens", "create", "--tenant", "acme", "--role", "admin", "--name", "x"); rc != 1 || !strings.Contains(errs, "role") {
				t.Fatalf("unknown role: exit %d %s", rc, errs)
			}
			rc, out, _ := cli(t, flags, "tokens", "list", "--tenant", "acme")
			if rc != 0 || strings.Count(out, "tok_") != 3 || strings.Contains(out, "globex") || strings.Contains(out, secrets[0]) {
				t.Fatalf("tokens list: exit %d\n%s", rc, out)
			}
			id := regexp.MustCompile(`tok_[0-9a-f]{16}`).FindString(out)
			if rc, out, errs := cli(t, flags, "tokens", "revoke", "--tenant", "globex", "--id", id); rc != 1 {
				t.Fatalf("revoking another tenant's token: exit %d %s%s", rc, out, errs)
			}
			if rc, out, errs := cli(t, flags, "tokens", "revoke", "--tenant", "acme", "--id", id, "--reason", "rotated"); rc != 0 {
				t.Fatalf("revoke: exit %d %s%s", rc, out, errs)
			}
			if _, out, _ := cli(t, flags, "tokens", "list", "--tenant", "acme"); strings.Count(out, " - \n")+strings.Count(out, "  -\n") != 2 {
				t.Fatalf("after revoke, want 2 live tokens:\n%s", out)
			}
			rc, out, _ = cli(t, flags, "audit", "list", "--tenant", "acme")
			if rc != 0 || strings.Count(out, "token.create") != 3 || strings.Count(out, "token.revoke") != 1 || !strings.Contains(out, "rotated") {
				t.Fatalf("audit list: exit %d\n%s", rc, out)
			}
			rc, out, _ = cli(t, flags, "audit", "verify")
			if rc != 0 || !regexp.MustCompile(`(?m)^acme: ok: 4 entries, head [0-9a-f]{64}\nglobex: ok: 1 entries, head [0-9a-f]{64}\n$`).MatchString(out) {
				t.Fatalf("audit verify: exit %d\n%s", rc, out)
			}
			if _, err := db.Exec(`UPDATE audit_entries SET subject = 'token/other' WHERE tenant = 'acme' AND seq = 2`); err != nil {
				t.Fatal(err)
			}
			rc, out, errs := cli(t, flags, "audit", "verify")
			if rc != 1 || !strings.Contains(out, "acme: BROKEN at entry 2: content does not match its hash (edited) (1 entries verified before it)") ||
				!strings.Contains(out, "globex: ok: 1 entries") || !strings.Contains(errs, "audit chain broken for 1 of 2 tenants") {
				t.Fatalf("tampered: exit %d\n%s%s", rc, out, errs)
			}
			if rc, out, _ := cli(t, flags, "audit", "verify", "--tenant", "globex"); rc != 0 || strings.Contains(out, "acme") {
				t.Fatalf("verify --tenant globex: exit %d\n%s", rc, out)
			}
		})
	}
}

func TestTokensAndAudit_usage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"tokens without subcommand", []string{"tokens"}},
		{"tokens without tenant", []string{"tokens", "list"}},
		{"tokens unknown subcommand", []string{"tokens", "rotate", "--tenant", "acme"}},
		{"revoke without id", []string{"tokens", "revoke", "--tenant", "acme"}},
		{"audit without subcommand", []string{"audit"}},
		{"audit list without tenant", []string{"audit", "list"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if rc, _, _ := cli(t, nil, tc.args...); rc != 2 {
				t.Fatalf("exit %d, want 2", rc)
			}
		})
	}
}
