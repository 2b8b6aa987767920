// Package golden compares test output with files under testdata/ and owns
// the -update flag that rewrites them.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// Path returns testdata/name.
func Path(name string) string { return filepath.Join("testdata", name) }

// Assert compares got with testdata/name, or writes it when -update is set.
func Assert(t testing.TB, name string, got []byte) {
	t.Helper()
	p := Path(name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("golden %s: %v (run with -update to create it)", p, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("golden %s differs (run with -update after review)\n%s", p, firstDiff(want, got))
	}
}

// Updating reports whether -update was given.
func Updating() bool { return *update }

func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return ""
}
