// Command docgen renders the adapter registry into Markdown reference pages,
// one per adapter plus an index: `go run ./cmd/docgen -out mappings/reference`
// (`make docs`). Pages it generated before for adapters that are gone are removed.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/revhub/revhub/adapters/all"
	"github.com/revhub/revhub/mappings/reference"
	"github.com/revhub/revhub/ports"
	_ "github.com/revhub/revhub/zones/all"
)

func main() {
	out := flag.String("out", "mappings/reference", "directory for the generated pages")
	flag.Parse()
	if err := generate(*out, ports.Adapters()); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}

// generate writes index.md and one page per adapter into dir, rewriting a
// file only when its content changes, and deletes stale generated pages.
func generate(dir string, infos []ports.Info) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	want := map[string][]byte{}
	var idx bytes.Buffer
	if err := reference.Index(&idx, infos); err != nil {
		return err
	}
	want["index.md"] = idx.Bytes()
	for _, info := range infos {
		var b bytes.Buffer
		if err := reference.Markdown(&b, info); err != nil {
			return err
		}
		want[reference.FileName(info)] = b.Bytes()
	}
	for name, data := range want {
		p := filepath.Join(dir, name)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, keep := want[e.Name()]; keep || e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.HasPrefix(data, []byte(reference.Header)) {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}
