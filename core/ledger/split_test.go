package ledger_test

import (
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"pgregory.net/rapid"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []ledger.Line
		max   int
		sizes []int // nil: ErrCannotSplit
	}{
		{name: "within the limit", lines: []ledger.Line{dr("1", 5), cr("2", 5)}, max: 2, sizes: []int{2}},
		{name: "no limit", lines: []ledger.Line{dr("1", 5), cr("2", 5), dr("1", 1), cr("2", 1)}, max: 0, sizes: []int{4}},
		{name: "pairs", lines: []ledger.Line{dr("1", 5), cr("2", 5), dr("1", 1), cr("2", 1), dr("1", 2), cr("2", 2)}, max: 3, sizes: []int{2, 2, 2}},
		{name: "fills each part", lines: []ledger.Line{dr("1", 5), cr("2", 5), dr("1", 1), cr("2", 1), dr("1", 2), cr("2", 2)}, max: 4, sizes: []int{4, 2}},
		{name: "one debit many credits", lines: []ledger.Line{dr("1", 3), cr("2", 1), cr("2", 1), cr("2", 1), dr("1", 1), cr("2", 1)}, max: 4, sizes: []int{4, 2}},
		{name: "no balanced cut", lines: []ledger.Line{dr("1", 3), cr("2", 1), cr("2", 1), cr("2", 1)}, max: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := ledger.Batch{ID: "J", Lines: tc.lines}
			parts, err := b.Split(tc.max)
			if tc.sizes == nil {
				if !errors.Is(err, ledger.ErrCannotSplit) {
					t.Fatalf("Split = %v, want ErrCannotSplit", err)
				}
				return
			}
			if err != nil || len(parts) != len(tc.sizes) {
				t.Fatalf("Split = %d parts, %v; want %v", len(parts), err, tc.sizes)
			}
			for i, p := range parts {
				if len(p.Lines) != tc.sizes[i] {
					t.Fatalf("part %d has %d lines, want %d", i, len(p.Lines), tc.sizes[i])
				}
				if err := p.Validate(); err != nil {
					t.Fatalf("part %s: %v", p.ID, err)
				}
			}
			if len(parts) > 1 && parts[1].ID != "J#2" {
				t.Fatalf("part ID %q, want J#2", parts[1].ID)
			}
		})
	}
}

func TestProperty_splitPartsBalanceAndKeepEveryLine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var ps []ledger.Posting
		for _, m := range rapid.SliceOfN(rapid.Int64Range(-1e9, 1e9).Filter(func(v int64) bool { return v != 0 }), 1, 60).Draw(t, "amounts") {
			cur := money.EUR
			if m%3 == 0 {
				cur = money.USD
			}
			ps = append(ps, ledger.Posting{Ref: "r", Amount: money.MustNew(m, cur)})
		}
		b := ledger.FromPostings("J", time.Time{}, "D", "C", "", ps)
		max := rapid.IntRange(2, 70).Draw(t, "max")
		parts, err := b.Split(max)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range parts {
			if len(p.Lines) > max && len(parts) > 1 {
				t.Fatalf("part %s has %d lines > %d", p.ID, len(p.Lines), max)
			}
			if err := p.Validate(); err != nil {
				t.Fatalf("part %s: %v", p.ID, err)
			}
			for _, l := range p.Lines {
				if l != b.Lines[n] {
					t.Fatalf("line %d changed or moved", n)
				}
				n++
			}
		}
		if n != len(b.Lines) {
			t.Fatalf("parts hold %d lines, batch %d", n, len(b.Lines))
		}
	})
}
