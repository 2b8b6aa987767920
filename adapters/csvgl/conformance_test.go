package csvgl_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/csvgl"
	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
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

// Down swaps the directory for a plain file, so writes fail as they do
// when a mount goes away, until restore puts it back.
func (d dir) Down() (restore func()) {
	away := string(d) + ".down"
	if err := os.Rename(string(d), away); err != nil {
		panic(err)
	}
	if err := os.WriteFile(string(d), nil, 0o600); err != nil {
		panic(err)
	}
	return func() {
		if err := os.Remove(string(d)); err != nil {
			panic(err)
		}
		if err := os.Rename(away, string(d)); err != nil {
			panic(err)
		}
	}
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

func TestRender_Golden(t *testing.T) {
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
	for _, tc := range []struct {
		name string
		cfg  csvgl.Config
		path string
	}{
		{name: "no directory", cfg: csvgl.Config{Delimiter: ";", DecimalSeparator: ","}, path: "directory"},
		{name: "delimiter is the decimal separator", cfg: csvgl.Config{Directory: "/x", Delimiter: ",", DecimalSeparator: ","}, path: "delimiter"},
		{name: "two-character delimiter", cfg: csvgl.Config{Directory: "/x", Delimiter: "ab", DecimalSeparator: "."}, path: "delimiter"},
		{name: "quote delimiter", cfg: csvgl.Config{Directory: "/x", Delimiter: `"`, DecimalSeparator: "."}, path: "delimiter"},
		{name: "carriage return delimiter", cfg: csvgl.Config{Directory: "/x", Delimiter: "\r", DecimalSeparator: "."}, path: "delimiter"},
		{name: "other decimal separator", cfg: csvgl.Config{Directory: "/x", Delimiter: ";", DecimalSeparator: "'"}, path: "decimal_separator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fes validate.Errors
			if err := tc.cfg.Validate(); !errors.As(err, &fes) || fes[0].Path != tc.path {
				t.Fatalf("Validate = %v, want an error at %s", err, tc.path)
			}
		})
	}
}

func TestExport_rejectsMixedCurrencies(t *testing.T) {
	exp, probe := newExporter(t)
	b := gltest.Batch("J-usd")
	b.Lines = append(b.Lines,
		ledger.Line{Account: "1", Debit: money.MustNew(5, money.USD), Credit: money.Zero(money.USD)},
		ledger.Line{Account: "2", Debit: money.Zero(money.USD), Credit: money.MustNew(5, money.USD)})
	if _, err := exp.Export(context.Background(), b); !ports.Is(ports.Invalid, err) {
		t.Fatalf("Export = %v, want Kind Invalid", err)
	}
	if n := len(probe.Documents()); n != 0 {
		t.Fatalf("%d files written", n)
	}
}

func TestFileName_isSafe(t *testing.T) {
	if got := csvgl.FileName("../../etc/passwd"); strings.ContainsAny(got, "/") {
		t.Fatalf("FileName = %q", got)
	}
}
