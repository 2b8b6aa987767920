package csvgl_test

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/csvgl"
	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/gltest"
)

var frOpts = csvgl.ParseOptions{Delimiter: ';', DecimalSeparator: ',', Currency: money.EUR, Header: true}

// render writes b with the French defaults and no journal fallback.
func render(t testing.TB) *csvgl.Exporter {
	exp, err := csvgl.New(csvgl.Config{Directory: t.TempDir(), Delimiter: ";", DecimalSeparator: ",", Header: true}, testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	return exp
}

func TestParse_goldenRoundTrips(t *testing.T) {
	in, err := os.ReadFile("testdata/journal.golden.csv")
	if err != nil {
		t.Fatal(err)
	}
	b, err := csvgl.Parse(bytes.NewReader(in), frOpts)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Lines) != 6 || b.Journal != "VT" || b.Lines[0].Memo != `a memo; with "quotes"` || b.Lines[0].Debit.Minor() != 1599 {
		t.Fatalf("parsed %+v", b)
	}
	b.ID = "x"
	if err := b.Validate(); err != nil {
		t.Fatalf("parsed batch: %v", err)
	}
	out, err := render(t).Render(b)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("render(parse(golden)) differs (%v):\n%s", err, out)
	}
}

func TestParse_errorsNameLineAndColumn(t *testing.T) {
	const head = "date;journal;account;cost_centre;debit;credit;memo;reference\n"
	for _, tc := range []struct {
		name string
		in   string
		line int
		col  string
	}{
		{name: "bad date", in: head + "03/03/2026;VT;411;;1,00;;m;r\n", line: 2, col: "date"},
		{name: "float-style amount", in: head + "2026-03-03;VT;411;;1.00;;m;r\n", line: 2, col: "debit"},
		{name: "too many decimals", in: head + "2026-03-03;VT;411;;;1,005;m;r\n", line: 2, col: "credit"},
		{name: "negative amount", in: head + "2026-03-03;VT;411;;-1,00;;m;r\n", line: 2, col: "debit"},
		{name: "both sides", in: head + "2026-03-03;VT;411;;1,00;1,00;m;r\n", line: 2, col: "debit"},
		{name: "no account", in: head + "2026-03-03;VT;;;1,00;;m;r\n", line: 2, col: "account"},
		{name: "second date", in: head + "2026-03-03;VT;411;;1,00;;m;r\n2026-03-04;VT;706;;;1,00;m;r\n", line: 3, col: "date"},
		{name: "second journal", in: head + "2026-03-03;VT;411;;1,00;;m;r\n2026-03-03;OD;706;;;1,00;m;r\n", line: 3, col: "journal"},
		{name: "wrong header", in: "date;journal;account\n", line: 1},
		{name: "short row", in: head + "2026-03-03;VT;411\n", line: 2},
		{name: "bare quote", in: head + "2026-03-03;VT;4\"11;;1,00;;m;r\n", line: 2, col: "column 16"},
		{name: "header only", in: head},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := csvgl.Parse(strings.NewReader(tc.in), frOpts)
			var pe *ports.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse = %v, want a *ports.ParseError", err)
			}
			if pe.Line != tc.line || tc.col != "" && pe.Element != tc.col {
				t.Fatalf("Parse = %v (line %d, %q), want line %d, %q", err, pe.Line, pe.Element, tc.line, tc.col)
			}
		})
	}
}

func TestParse_dotSeparatorAndNoHeader(t *testing.T) {
	in := "2026-03-03,VT,411,,0.10,,m,r\n2026-03-03,VT,706,,,0.10,m,r\n"
	b, err := csvgl.Parse(strings.NewReader(in), csvgl.ParseOptions{Delimiter: ',', DecimalSeparator: '.', Currency: money.USD})
	if err != nil {
		t.Fatal(err)
	}
	want := money.MustNew(10, money.USD)
	if len(b.Lines) != 2 || b.Lines[0].Debit != want || b.Lines[1].Credit != want || !reflect.DeepEqual(b.Lines[1].Debit, money.Zero(money.USD)) {
		t.Fatalf("parsed %+v", b.Lines)
	}
}

func BenchmarkRender_1000Lines(b *testing.B) {
	exp := render(b)
	batch := bigBatch(500)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := exp.Render(batch); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse_1000Lines(b *testing.B) {
	out, err := render(b).Render(bigBatch(500))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(out)))
	for b.Loop() {
		if _, err := csvgl.Parse(bytes.NewReader(out), frOpts); err != nil {
			b.Fatal(err)
		}
	}
}

func bigBatch(n int) ledger.Batch {
	ps := make([]ledger.Posting, n)
	for i := range ps {
		ps[i] = ledger.Posting{Ref: "adj-" + strconv.Itoa(i), Memo: "Procedure/p-1 version 1", Amount: money.MustNew(int64(i*37+1), money.EUR)}
	}
	return ledger.FromPostings("J", gltest.Day, "411100", "706100", "BIO", ps)
}
