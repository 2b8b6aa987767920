package mappings_test

import (
	"bytes"
	"errors"
	"testing"
	"testing/fstest"
	"time"

	"github.com/revhub/revhub/mappings"
	"github.com/revhub/revhub/ports"
)

// tree is a small valid configuration with the test-only adapter.
func tree() fstest.MapFS {
	return fstest.MapFS{
		"deployment.yaml": {Data: []byte("deployment: t\nbindings:\n  test_sink:\n    test_file: { path: /var/dep }\n")},
		"tenants/acme/_tenant.yaml": {Data: []byte(`tenant: acme
name: Acme
zone: de
numbering:
  invoice: { name: inv, pattern: "{ORG}-{YYYY}-{SEQ:6}", reset: yearly }
  credit_note: { name: cn, pattern: "CN{SEQ:8}", reset: never }
accounts: { revenue.outpatient: "8400", receivable.insurer: 1410 }
bindings:
  test_sink:
    test_file:
      path: /var/acme
      mode: replace
      retries: 3
`)},
		"tenants/acme/berlin.yaml": {Data: []byte(`organization: berlin
name: Acme Berlin
accounts: { revenue.outpatient: "8401" }
bindings:
  test_sink:
    test_file:
      path: /var/berlin
      timeout: 2s
`)},
		"tenants/acme/hamburg.yaml": {Data: []byte("organization: hamburg\nname: Acme Hamburg\nzone: DE\nbindings:\n  test_sink:\n    test_file: { path: /unwritable }\n")},
		"tenants/acme/bremen.yaml":  {Data: []byte("organization: bremen\nname: Acme Bremen\n")},
	}
}

func TestBind_overlaysOrgOnTenantSettings(t *testing.T) {
	cfg, err := mappings.LoadFS(tree())
	if err != nil {
		t.Fatal(err)
	}
	s, err := mappings.Bind(cfg, sinks, "acme", "berlin", ports.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Settings()
	if got.Path != "/var/berlin" || got.Mode != "replace" || got.Retries != 3 || got.Timeout != 2*time.Second {
		t.Errorf("settings: %+v", got)
	}
	if d := s.(*fileSink).deps; d.Tenant != "acme" || d.Org != "berlin" {
		t.Errorf("deps tenant/org: %q/%q", d.Tenant, d.Org)
	}
	o, _ := cfg.Org("acme", "berlin")
	if o.Zone != "DE" || o.Code != "BERLIN" || o.Accounts["revenue.outpatient"] != "8401" || o.Accounts["receivable.insurer"] != "1410" {
		t.Errorf("org: %+v", o)
	}
	if o.Numbering[mappings.CreditNote].Reset != mappings.ResetNever {
		t.Errorf("numbering: %+v", o.Numbering)
	}
}

func TestBind_deploymentAndDefaults(t *testing.T) {
	cfg, err := mappings.LoadFS(tree())
	if err != nil {
		t.Fatal(err)
	}
	s, err := mappings.Bind(cfg, sinks, "", "", ports.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Settings(); got.Path != "/var/dep" || got.Mode != "append" || got.Timeout != 5*time.Second {
		t.Errorf("settings: %+v", got)
	}
	name, dec, ok := cfg.Binding("", "", "test_sink")
	var c struct {
		Path string `yaml:"path"`
	}
	if !ok || name != "test_file" || dec(&c) != nil || c.Path != "/var/dep" {
		t.Errorf("Binding: %q %v %+v", name, ok, c)
	}
}

func TestBind_errorsNameFileLineAndPath(t *testing.T) {
	cfg, err := mappings.LoadFS(tree())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, tenant, org, want string
	}{
		{"constructor fails", "acme", "hamburg", "tenants/acme/hamburg.yaml:6: bindings.test_sink.test_file: test_file.New (permission): cannot open /unwritable"},
		{"unknown org", "acme", "kiel", "tenants/acme/kiel.yaml: unknown organization \"kiel\" of tenant \"acme\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := mappings.Bind(cfg, sinks, tc.tenant, tc.org, ports.Deps{})
			if s != nil {
				t.Error("want a real nil on error")
			}
			var ps mappings.Problems
			if !errors.As(err, &ps) || err.Error() != tc.want {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
			var pe *ports.Error
			if tc.name == "constructor fails" && (!errors.As(err, &pe) || pe.Kind != ports.Permission) {
				t.Errorf("the adapter's *ports.Error must stay reachable: %v", err)
			}
		})
	}
}

func TestBind_requiredSettingInTenantFile(t *testing.T) {
	fsys := tree()
	delete(fsys, "tenants/acme/hamburg.yaml")
	fsys["tenants/acme/_tenant.yaml"].Data = bytes.Replace(fsys["tenants/acme/_tenant.yaml"].Data, []byte("      path: /var/acme\n"), nil, 1)
	_, err := mappings.LoadFS(fsys)
	const want = "tenants/acme/_tenant.yaml:10: bindings.test_sink.test_file.path: required" // bremen inherits the tenant's binding
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}

func TestBind_notBound(t *testing.T) {
	fsys := tree()
	fsys["tenants/acme/bremen.yaml"] = &fstest.MapFile{Data: []byte("organization: bremen\nname: B\nbindings:\n  test_sink: { test_file: { path: /x } }\n")}
	fsys["deployment.yaml"] = &fstest.MapFile{Data: []byte("deployment: t\n")}
	cfg, err := mappings.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	_, err = mappings.Bind(cfg, sinks, "", "", ports.Deps{})
	if want := "deployment.yaml: bindings.test_sink: no test_sink adapter is bound"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if _, _, ok := cfg.Binding("acme", "nowhere", "test_sink"); ok {
		t.Error("unknown org must not be bound")
	}
}
