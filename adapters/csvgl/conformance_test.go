package csvgl_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/csvgl"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/gltest"
	"github.com/revhub/revhub/testharness/golden"
)

// dir is the target: the files a batch left in the directory.
type dir string

func (d dir) Documents() [][]byte {
	es, _ := os.ReadDir(string(d))
	var names []string
	for _, e := range es {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out [][]byte
	for _, n := range names {
		b, _ := os.ReadFile(filepath.Join(string(d), n))
		out = append(out, b)
	}
	return out
}

func newExporter(t *testing.T) (ports.GLExporter, gltest.Probe) {
	d := t.TempDir()
	exp, err := csvgl.New(csvgl.Config{Directory: d, Delimiter: ";", DecimalSeparator: ",", Header: true}, testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	return exp, dir(d)
}

func TestConformance(t *testing.T) {
	gltest.Run(t, gltest.Features{Idempotent: true}, newExporter)
}

func TestRender_golden(t *testing.T) {
	exp, err := csvgl.New(csvgl.Config{Directory: t.TempDir(), Delimiter: ";", DecimalSeparator: ",", JournalCode: "VT", Header: true}, testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	b := gltest.Batch("JRN-site-lyon-00000001")
	b.Lines[0].Memo = `a memo; with "quotes"`
	out, err := exp.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "journal.golden.csv", out)
}

func TestConfig_validate(t *testing.T) {
	for _, c := range []csvgl.Config{
		{Delimiter: ";", DecimalSeparator: ","},
		{Directory: "/x", Delimiter: ",", DecimalSeparator: ","},
		{Directory: "/x", Delimiter: "ab", DecimalSeparator: "."},
	} {
		if c.Validate() == nil {
			t.Fatalf("%+v accepted", c)
		}
	}
}

func TestFileName_isSafe(t *testing.T) {
	if got := csvgl.FileName("../../etc/passwd"); strings.ContainsAny(got, "/") {
		t.Fatalf("FileName = %q", got)
	}
}
