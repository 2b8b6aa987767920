package mappings_test

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/revhub/revhub/mappings"
)

// FuzzLoad feeds arbitrary deployment, tenant and organization files to the
// loader. It must never panic, and a tree that loads must bind by the names it lists.
func FuzzLoad(f *testing.F) {
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	orgs, _ := filepath.Glob("tenants/*/[!_]*.yaml")
	for _, o := range orgs {
		f.Add(read("deployment.yaml"), read(filepath.Join(filepath.Dir(o), "_tenant.yaml")), read(o))
	}
	f.Add(read("testdata/broken/deployment.yaml"), read("testdata/broken/tenants/acme/_tenant.yaml"), read("testdata/broken/tenants/acme/org-c.yaml"))
	f.Fuzz(func(t *testing.T, dep, ten, org []byte) {
		if len(dep)+len(ten)+len(org) > 1<<20 {
			t.Skip()
		}
		cfg, err := mappings.LoadFS(fstest.MapFS{
			"deployment.yaml":         {Data: dep},
			"tenants/t/_tenant.yaml":  {Data: ten},
			"tenants/t/org-1.yaml":    {Data: org},
			"tenants/t/notes.txt":     {Data: org},
			"tenants/t/org-copy.yaml": {Data: org},
		})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			return
		}
		for _, tn := range cfg.Tenants {
			for _, o := range tn.Orgs {
				for port := range o.Bindings {
					if _, dec, ok := cfg.Binding(tn.ID, o.ID, port); !ok || dec == nil {
						t.Fatalf("binding %s/%s/%s listed but not found", tn.ID, o.ID, port)
					}
				}
			}
		}
	})
}
