package mappings_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/revhub/revhub/mappings"
)

// FuzzLoad feeds arbitrary deployment, tenant and organization files, joined
// by NUL bytes, to the loader. It must never panic, and every binding of a
// tree that loads must be found by Binding.
func FuzzLoad(f *testing.F) {
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	join := func(dep, ten, org string) []byte {
		return bytes.Join([][]byte{read(dep), read(ten), read(org)}, []byte{0})
	}
	orgs, _ := filepath.Glob("tenants/*/[!_]*.yaml")
	for _, o := range orgs {
		f.Add(join("deployment.yaml", filepath.Join(filepath.Dir(o), "_tenant.yaml"), o))
	}
	const broken = "testdata/broken/"
	f.Add(join(broken+"deployment.yaml", broken+"tenants/acme/_tenant.yaml", broken+"tenants/acme/org-c.yaml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip()
		}
		parts := append(bytes.SplitN(data, []byte{0}, 3), nil, nil)
		cfg, err := mappings.LoadFS(fstest.MapFS{
			"deployment.yaml":         {Data: parts[0]},
			"tenants/t/_tenant.yaml":  {Data: parts[1]},
			"tenants/t/org-1.yaml":    {Data: parts[2]},
			"tenants/t/org-copy.yaml": {Data: parts[2]},
			"tenants/t/notes.txt":     {Data: parts[2]},
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
