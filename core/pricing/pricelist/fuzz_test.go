package pricelist_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/pricelist"
)

func seed(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile("testdata/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParseCSV: never panics; what parses formats and parses back unchanged.
func FuzzParseCSV(f *testing.F) {
	seed(f, "ebm-2025Q1.csv", "ebm-2025Q2.csv")
	f.Add([]byte("service;unit_price;valid_from;version\n\"0;3\";1,5;2025-01-01;v\n"))
	o := pricelist.ImportOptions{Decimal: ',', List: "ebm", Kind: pricing.National, Currency: money.EUR}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip()
		}
		l, err := pricelist.ParseCSV(bytes.NewReader(data), o)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := pricelist.FormatCSV(&buf, l.Entries, o); err != nil {
			t.Fatal(err)
		}
		again, err := pricelist.ParseCSV(&buf, o)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, buf.Bytes())
		}
		if d := pricelist.Compare(l.Entries, again.Entries); !d.Empty() || len(again.Entries) != len(l.Entries) {
			t.Fatalf("round trip changed entries: %+v", d)
		}
	})
}

// FuzzParseJSON: never panics; what parses formats and parses back unchanged.
func FuzzParseJSON(f *testing.F) {
	seed(f, "aok-contract.json")
	f.Add([]byte(`{"version":"v","list":"l","kind":"cash","currency":"JPY","entries":[{"service":"x","unit_price":12,"valid_from":"2025-01-01"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip()
		}
		l, err := pricelist.ParseJSON(bytes.NewReader(data), pricelist.ImportOptions{})
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := pricelist.FormatJSON(&buf, l.Entries); err != nil {
			t.Fatal(err)
		}
		again, err := pricelist.ParseJSON(&buf, pricelist.ImportOptions{})
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, buf.Bytes())
		}
		if d := pricelist.Compare(l.Entries, again.Entries); !d.Empty() || len(again.Entries) != len(l.Entries) {
			t.Fatalf("round trip changed entries: %+v", d)
		}
	})
}
