package einvoicetest

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/golden"
)

// Variant is one output of a formatter package checked against goldens.
type Variant struct {
	Suffix    string                       // golden name: <case>.<Suffix>.golden.xml
	Formatter ports.EInvoiceFormatter      // formats the case
	Cases     []string                     // case names to run; empty means every testdata/*.input.json
	Validator []string                     // validator command and args before the file: {"einvoice", "xrechnung-cii"}
	Reformat  func([]byte) ([]byte, error) // parse then format again; nil skips the idempotence check
}

// Cases lists the case names of testdata/*.input.json.
func Cases(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.input.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.input.json: %v", err)
	}
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = strings.TrimSuffix(filepath.Base(f), ".input.json")
	}
	return out
}

func (v Variant) cases(t *testing.T) []string {
	if len(v.Cases) > 0 {
		return v.Cases
	}
	return Cases(t)
}

// Goldens formats every case under rnd with every variant, compares with the
// golden file, and checks format → parse → format is byte-identical.
func Goldens(t *testing.T, rnd money.Rounding, variants ...Variant) {
	for _, v := range variants {
		for _, c := range v.cases(t) {
			name := c + "." + v.Suffix + ".golden.xml"
			t.Run(name, func(t *testing.T) {
				inv := LoadInput(t, filepath.Join("testdata", c+".input.json"), rnd)
				var buf bytes.Buffer
				if err := v.Formatter.Format(context.Background(), inv, &buf); err != nil {
					t.Fatal(err)
				}
				golden.Assert(t, name, buf.Bytes())
				if v.Reformat == nil {
					return
				}
				again, err := v.Reformat(buf.Bytes())
				if err != nil {
					t.Fatalf("parse own output: %v", err)
				}
				if !bytes.Equal(again, buf.Bytes()) {
					t.Errorf("format → parse → format is not byte-identical")
				}
			})
		}
	}
}

// Validators runs each variant's validator over its golden files, one
// process per file, in parallel; it skips loudly when the kit is missing.
func Validators(t *testing.T, variants ...Variant) {
	RequireValidators(t)
	for _, v := range variants {
		if len(v.Validator) == 0 {
			continue
		}
		for _, c := range v.cases(t) {
			file := filepath.Join("testdata", c+"."+v.Suffix+".golden.xml")
			t.Run(filepath.Base(file), func(t *testing.T) {
				args := append(append([]string{}, v.Validator[1:]...), file)
				Validate(t, v.Validator[0], args...)
			})
		}
	}
}
