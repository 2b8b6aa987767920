package csvgl_test

import (
	"bytes"
	"os"
	"reflect"
	"testing"

	"github.com/revhub/revhub/adapters/csvgl"
)

// FuzzParse: Parse never panics, and whatever it accepts renders to a file
// that parses to the same batch.
func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("testdata/journal.golden.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("date;journal;account;cost_centre;debit;credit;memo;reference\n2026-01-01;;1;;0,01;;\"a\nb\";r\n2026-01-01;;2;;;0,01;;\n"))
	exp := render(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			t.Skip()
		}
		b, err := csvgl.Parse(bytes.NewReader(in), frOpts)
		if err != nil {
			return
		}
		out, err := exp.Render(b)
		if err != nil {
			t.Fatalf("render of a parsed batch: %v", err)
		}
		again, err := csvgl.Parse(bytes.NewReader(out), frOpts)
		if err != nil {
			t.Fatalf("parse(render(parse(x))): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(again, b) {
			t.Fatalf("round trip changed the batch:\n%+v\n%+v", b, again)
		}
	})
}
