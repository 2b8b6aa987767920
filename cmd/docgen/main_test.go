package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/revhub/revhub/mappings/reference"
	"github.com/revhub/revhub/ports"
)

func TestGenerate_pagesIndexAndStaleRemoval(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "gl_export-gone.md")
	handWritten := filepath.Join(dir, "README.md")
	os.WriteFile(stale, []byte(reference.Header+"# gone\n"), 0o644)
	os.WriteFile(handWritten, []byte("# notes\n"), 0o644)
	infos := []ports.Info{{
		Port: "store", Spec: ports.Spec{Name: "embedded", Summary: "SQLite.", Examples: []string{"path: x.db\n"}},
		ConfigType: reflect.TypeFor[struct{}](),
		Fields:     []ports.Field{{Key: "path", Type: "string", Default: "revhub.db", Doc: "file"}},
	}}
	if err := generate(dir, infos); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "store-embedded.md"))
	if err != nil || !strings.Contains(string(page), "| `path` | string | no | revhub.db | file |") {
		t.Errorf("page: %v\n%s", err, page)
	}
	idx, _ := os.ReadFile(filepath.Join(dir, "index.md"))
	if !strings.Contains(string(idx), "(store-embedded.md)") {
		t.Errorf("index:\n%s", idx)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("stale generated page kept")
	}
	if _, err := os.Stat(handWritten); err != nil {
		t.Error("hand-written page removed")
	}
}

// The committed reference must match the registry, as `make docs-check` demands.
func TestGenerate_committedReferenceIsCurrent(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir, ports.Adapters()); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		committed, err := os.ReadFile(filepath.Join("..", "..", "mappings", "reference", e.Name()))
		if err != nil || string(got) != string(committed) {
			t.Errorf("mappings/reference/%s is stale: run make docs", e.Name())
		}
	}
}
