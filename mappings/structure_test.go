package mappings_test

import (
	"errors"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/revhub/revhub/mappings"
)

func TestLoad_structuralProblems(t *testing.T) {
	const dep = "deployment: t\n"
	const ten = "tenant: acme\nname: Acme\nzone: DE\nnumbering:\n  invoice: { name: i, pattern: \"I{SEQ:4}\", reset: never }\n  credit_note: { name: c, pattern: \"C{SEQ:4}\", reset: never }\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // File:Line Path Code of the first problem
	}{
		{"missing deployment", map[string]string{}, "deployment.yaml:0  missing"},
		{"syntax error", map[string]string{"deployment.yaml": "deployment: [t\n"}, "deployment.yaml:1  syntax"},
		{"empty file", map[string]string{"deployment.yaml": ""}, "deployment.yaml:0  empty"},
		{"top level list", map[string]string{"deployment.yaml": "- a\n"}, "deployment.yaml:1  type"},
		{"alias", map[string]string{"deployment.yaml": "deployment: &a t\nbindings: *a\n"}, "deployment.yaml:1  alias"},
		{"duplicate key", map[string]string{"deployment.yaml": "deployment: t\ndeployment: u\n"}, "deployment.yaml:2 deployment duplicate_key"},
		{"two adapters", map[string]string{"deployment.yaml": "bindings:\n  store: { embedded: {}, postgres: {} }\n"}, "deployment.yaml:2 bindings.store one_adapter"},
		{"settings not a mapping", map[string]string{"deployment.yaml": "bindings:\n  store: { embedded: 3 }\n"}, "deployment.yaml:2 bindings.store.embedded type"},
		{"missing tenant file", map[string]string{"deployment.yaml": dep, "tenants/acme/a.yaml": "organization: a\nname: A\n"}, "tenants/acme/_tenant.yaml:0  missing"},
		{"tenant id mismatch", map[string]string{"deployment.yaml": dep, "tenants/acme/_tenant.yaml": "tenant: other\nname: X\n"}, "tenants/acme/_tenant.yaml:1 tenant mismatch"},
		{"org without zone", map[string]string{"deployment.yaml": dep, "tenants/acme/_tenant.yaml": "name: Acme\n", "tenants/acme/a.yaml": "organization: a\nname: A\n"}, "tenants/acme/a.yaml:0 numbering.credit_note required"},
		{"org without id", map[string]string{"deployment.yaml": dep, "tenants/acme/_tenant.yaml": ten, "tenants/acme/a.yaml": "name: A\n"}, "tenants/acme/a.yaml:1 organization required"},
		{"bad account key", map[string]string{"deployment.yaml": dep, "tenants/acme/_tenant.yaml": ten + "accounts: { Revenue: \"1\" }\n"}, "tenants/acme/_tenant.yaml:7 accounts.Revenue invalid_key"},
		{"unknown identifier", map[string]string{"deployment.yaml": dep, "tenants/acme/_tenant.yaml": ten, "tenants/acme/a.yaml": "organization: a\nname: A\nidentifiers: { ssn: \"1\" }\n"}, "tenants/acme/a.yaml:3 identifiers.ssn unknown_key"},
		{"private key value", map[string]string{"deployment.yaml": "bindings:\n  store:\n    embedded: { note: \"-----BEGIN RSA PRIVATE KEY-----\" }\n"}, "deployment.yaml:3 bindings.store.embedded.note inline_secret"},
		{"stray directory", map[string]string{"deployment.yaml": dep, "tenants/acme/_tenant.yaml": ten, "tenants/acme/sub/x.yaml": "a: 1\n"}, "tenants/acme/sub:0  unexpected_dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tc.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			cfg, err := mappings.LoadFS(fsys)
			var ps mappings.Problems
			if cfg != nil || !errors.As(err, &ps) {
				t.Fatalf("want Problems and no config, got %v", err)
			}
			p := ps[0]
			if got := p.File + ":" + itoa(p.Line) + " " + p.Path + " " + p.Code; got != tc.want {
				t.Errorf("first problem %q, want %q\nall:\n%v", got, tc.want, err)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
