package earve_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/revhub/revhub/zones/ee/earve"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.earve.golden.xml")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	fm, err := earve.New(earve.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip("over 1 MiB")
		}
		inv, err := earve.Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		first, err := fm.AppendFormat(nil, inv)
		if err != nil {
			return // parsed but outside what e-arve output allows (e.g. length limits)
		}
		inv2, err := earve.Parse(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("formatted output does not parse: %v\n%s", err, first)
		}
		second, err := fm.AppendFormat(nil, inv2)
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("format → parse → format differs: %v", err)
		}
	})
}
