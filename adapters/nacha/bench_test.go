package nacha_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/moov-io/ach"

	"github.com/revhub/revhub/adapters/nacha"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/testharness"
)

func bigRequest(n int) settlement.DisbursementFile {
	f := settlement.DisbursementFile{RunID: "bench", Originator: originator(), FileIDModifier: "A"}
	for i := range n {
		f.Entries = append(f.Entries, settlement.DisbursementEntry{
			PayeeName: "NORTH CLINIC", PayeeID: "1234567893", Routing: "231380104", Account: "987654321",
			AccountType: settlement.Checking, Amount: money.MustNew(int64(1000+i), money.USD),
			TraceRef: fmt.Sprintf("EFT%010d", i),
		})
	}
	return f
}

// BenchmarkBuild_1000 builds a 1,000-entry CCD+ file (validation, calendar,
// moov assembly and write). Compare with BenchmarkReference_moovReadWrite_1000.
func BenchmarkBuild_1000(b *testing.B) {
	bl, err := nacha.New(testConfig(), testharness.Deps(b))
	if err != nil {
		b.Fatal(err)
	}
	req := bigRequest(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bl.Build(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReference_moovReadWrite_1000 is the floor: moov reading and
// writing the same file, with no request validation or assembly of ours.
func BenchmarkReference_moovReadWrite_1000(b *testing.B) {
	bl, err := nacha.New(testConfig(), testharness.Deps(b))
	if err != nil {
		b.Fatal(err)
	}
	out, err := bl.Build(context.Background(), bigRequest(1000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := ach.NewReader(bytes.NewReader(out.Body))
		r.SetValidation(&ach.ValidateOpts{BypassOriginValidation: true})
		f, err := r.Read()
		if err != nil {
			b.Fatal(err)
		}
		if err := ach.NewWriter(&bytes.Buffer{}).Write(&f); err != nil {
			b.Fatal(err)
		}
	}
}
