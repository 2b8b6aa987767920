package x835_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/adapters/x12/x835"
)

func seedGoldens(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.golden.835"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParse never panics; when a parse succeeds, building every advice
// again and parsing that must succeed too.
func FuzzParse(f *testing.F) {
	seedGoldens(f)
	c := newCodec(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			t.Skip()
		}
		rem, err := x835.Parse(b)
		if err != nil {
			return
		}
		checkParseEach(t, b)
		for _, a := range rem.Advices {
			out, err := c.Build(a, testEnv)
			if err != nil {
				t.Fatalf("parsed advice does not build: %v", err)
			}
			if _, err := x835.Parse(out); err != nil {
				t.Fatalf("built advice does not parse: %v\n%s", err, out)
			}
		}
	})
}

// FuzzReader never panics and every segment it returns has a valid id and
// elements inside the input.
func FuzzReader(f *testing.F) {
	seedGoldens(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := x12.NewReader(b)
		if err != nil {
			return
		}
		var env x12.Envelope
		for {
			seg, err := r.Next()
			if err != nil {
				return
			}
			if seg.Offset < 0 || seg.Offset >= len(b) || len(seg.ID()) < 2 {
				t.Fatalf("bad segment %+v", seg)
			}
			if _, err := env.Step(seg); err != nil {
				return
			}
		}
	})
}
