package nacha_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/moov-io/ach"

	"github.com/revhub/revhub/adapters/nacha"
)

// FuzzParseReturns feeds arbitrary bytes to the return/NOC reader. It must
// never panic, and when moov reads a file, writing it and reading it back
// must succeed too.
func FuzzParseReturns(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.ach"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip("over 1 MiB")
		}
		if _, err := nacha.ParseReturns("fuzz.ach", bytes.NewReader(data)); err != nil {
			return
		}
		r := ach.NewReader(bytes.NewReader(data))
		r.SetValidation(&ach.ValidateOpts{BypassOriginValidation: true, BypassDestinationValidation: true, CustomReturnCodes: true})
		file, err := r.Read()
		if err != nil {
			t.Fatalf("ParseReturns accepted what moov's reader refuses: %v", err)
		}
		var buf bytes.Buffer
		w := ach.NewWriter(&buf)
		w.BypassValidation = true
		if err := w.Write(&file); err != nil {
			return // moov may refuse to write what it read leniently; not a crash
		}
		if _, err := nacha.ParseReturns("again.ach", &buf); err != nil {
			t.Fatalf("format → parse failed: %v\n%q", err, buf.Bytes())
		}
	})
}
