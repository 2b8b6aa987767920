package pricelist_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/pricelist"
	"github.com/revhub/revhub/core/validate"
)

var de = pricelist.ImportOptions{Decimal: pricelist.DecimalFor("DE"), List: "ebm", Kind: pricing.National, Currency: money.EUR}

func parseFile(t *testing.T, name string, o pricelist.ImportOptions) *pricelist.List {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	o.Source = name
	var l *pricelist.List
	if strings.HasSuffix(name, ".json") {
		l, err = pricelist.ParseJSON(bytes.NewReader(b), o)
	} else {
		l, err = pricelist.ParseCSV(bytes.NewReader(b), o)
	}
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if l.SHA256 != hex.EncodeToString(sum[:]) || l.Source != name {
		t.Fatalf("hash %s source %s", l.SHA256, l.Source)
	}
	return l
}

func TestParseCSV_decimalComma(t *testing.T) {
	l := parseFile(t, "ebm-2025Q1.csv", de)
	if len(l.Entries) != 3 {
		t.Fatalf("%d entries", len(l.Entries))
	}
	e := l.Entries[0]
	if e.Service != "03000" || e.UnitPrice.String() != "14.8721" || e.Kind != pricing.National || e.List != "ebm" ||
		e.Version != "2025Q1" || e.To.String() != "open" || e.SourceSHA != l.SHA256 || e.Source != "ebm-2025Q1.csv" {
		t.Fatalf("got %+v", e)
	}
	if l.Entries[2].To.String() != "2025-04-01" {
		t.Fatalf("valid_to %s", l.Entries[2].To)
	}
}

func TestParseJSON(t *testing.T) {
	l := parseFile(t, "aok-contract.json", pricelist.ImportOptions{})
	if len(l.Entries) != 2 || l.Entries[1].Plan != "plus" || l.Entries[1].UnitPrice.String() != "18.50" || l.Entries[0].Kind != pricing.Contract {
		t.Fatalf("got %+v", l.Entries)
	}
}

func TestParse_errorsNameLineAndField(t *testing.T) {
	for _, tc := range []struct {
		name, in   string
		json       bool
		path, code string
	}{
		{name: "dot in a decimal-comma file", in: "service;unit_price;valid_from;version\n03000;14.87;2025-01-01;v1\n", path: "line 2: unit_price (column 2)", code: "invalid"},
		{name: "thousands separator", in: "service;unit_price;valid_from;version\n03000;1.014,87;2025-01-01;v1\n", path: "line 2: unit_price (column 2)", code: "invalid"},
		{name: "bad date on line 3", in: "service;unit_price;valid_from;version\n03000;1,00;2025-01-01;v1\n03001;1,00;01.01.2025;v1\n", path: "line 3: valid_from (column 3)", code: "invalid"},
		{name: "missing column", in: "service;valid_from\n03000;2025-01-01\n", path: "line 1: unit_price", code: "required"},
		{name: "unknown column", in: "service;unit_price;valid_from;colour\n", path: "line 1: colour", code: "unknown_column"},
		{name: "field count", in: "service;unit_price;valid_from;version\n03000;1,00\n", path: "line 2: row", code: "field_count"},
		{name: "no version anywhere", in: "service;unit_price;valid_from\n03000;1,00;2025-01-01\n", path: "line 2: version", code: "required"},
		{name: "empty price", in: "service;unit_price;valid_from;version\n03000;;2025-01-01;v1\n", path: "line 2: unit_price (column 2)", code: "required"},
		{name: "period backwards", in: "service;unit_price;valid_from;valid_to;version\n03000;1,00;2025-02-01;2025-01-01;v1\n", path: "line 2: valid_to (column 4)", code: "invalid"},
		{name: "overlapping versions", in: "service;unit_price;valid_from;valid_to;version\n03000;1,00;2025-01-01;2025-06-01;v1\n03000;2,00;2025-03-01;;v1\n", path: "line 3", code: "overlap"},
		{name: "empty document", in: "", path: "line 1", code: "empty"},
		{name: "unterminated quote", in: "service;unit_price;valid_from;version\n\"03000;1,00;2025-01-01;v1\n", path: "line 2", code: "malformed"},
		{name: "json: bad price", json: true, in: `{"version":"v1","entries":[{"service":"1","unit_price":"1,5","valid_from":"2025-01-01"}]}`, path: "entries[0].unit_price", code: "invalid"},
		{name: "json: unknown entry field", json: true, in: `{"version":"v1","entries":[{"service":"1","price":"1.5","unit_price":"1.5","valid_from":"2025-01-01"}]}`, path: "entries[0].price", code: "unknown_field"},
		{name: "json: syntax error names the line", json: true, in: "{\n\"entries\": [\n{\"service\": }\n]}", path: "line 3", code: "malformed"},
		{name: "json: wrong type", json: true, in: `{"list": 5, "entries": []}`, path: "list", code: "invalid"},
		{name: "json: unknown kind", json: true, in: `{"kind":"gold","version":"v1","entries":[]}`, path: "kind", code: "invalid"},
		{name: "json: bad currency", json: true, in: `{"version":"v1","entries":[{"service":"1","currency":"EURO","unit_price":"1.5","valid_from":"2025-01-01"}]}`, path: "entries[0].currency", code: "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.json {
				_, err = pricelist.ParseJSON(strings.NewReader(tc.in), pricelist.ImportOptions{List: "l", Kind: pricing.National, Currency: money.EUR})
			} else {
				_, err = pricelist.ParseCSV(strings.NewReader(tc.in), de)
			}
			var fe *validate.FieldError
			if !errors.As(err, &fe) || fe.Path != tc.path || fe.Code != tc.code {
				t.Fatalf("got %v", err)
			}
			if fe.Msg == "" {
				t.Fatal("no message saying what was expected")
			}
		})
	}
}

func TestParse_tooLarge(t *testing.T) {
	o := de
	o.MaxBytes = 10
	_, err := pricelist.ParseCSV(strings.NewReader("service;unit_price;valid_from\n03000;1,00;2025-01-01\n"), o)
	var fe *validate.FieldError
	if !errors.As(err, &fe) || fe.Code != "too_large" {
		t.Fatalf("got %v", err)
	}
}

func TestCompare_newVersion(t *testing.T) {
	q1 := parseFile(t, "ebm-2025Q1.csv", de)
	q2 := parseFile(t, "ebm-2025Q2.csv", de)
	d := pricelist.Compare(q1.Entries, q2.Entries)
	if len(d.Added) != 1 || d.Added[0].Service != "03230" ||
		len(d.Changed) != 1 || d.Changed[0].Before.UnitPrice.String() != "14.8721" || d.Changed[0].After.UnitPrice.String() != "15.1200" ||
		len(d.Removed) != 1 || d.Removed[0].Service != "03040" {
		t.Fatalf("got %+v", d)
	}
}

func TestCompare_reimportIsNoop(t *testing.T) {
	a := parseFile(t, "ebm-2025Q1.csv", de)
	// the same content, re-exported as JSON with '.' decimals, is no change
	var buf bytes.Buffer
	if err := pricelist.FormatJSON(&buf, a.Entries); err != nil {
		t.Fatal(err)
	}
	b, err := pricelist.ParseJSON(&buf, pricelist.ImportOptions{Source: "again.json"})
	if err != nil {
		t.Fatal(err)
	}
	if d := pricelist.Compare(a.Entries, b.Entries); !d.Empty() {
		t.Fatalf("got %+v", d)
	}
}
