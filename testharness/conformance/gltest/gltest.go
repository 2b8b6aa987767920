// Package gltest is the conformance suite every ports.GLExporter runs.
package gltest

import (
	"context"
	"testing"
	"time"

	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// Features declares what an exporter promises. Tests for undeclared
// features are skipped, not failed.
type Features struct {
	Idempotent bool // re-exporting a batch ID posts nothing and reports Existing
}

// Probe reports what the target received: one entry per posted document.
type Probe interface{ Documents() [][]byte }

// Constructor returns a fresh exporter and its fresh target.
type Constructor func(t *testing.T) (ports.GLExporter, Probe)

// Run runs the suite.
func Run(t *testing.T, f Features, newExporter Constructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Features, Constructor)
	}{
		{"ExportsBalancedBatch", testExports},
		{"RejectsUnbalancedBatchAsInvalid", testRejectsUnbalanced},
		{"ReexportIsIdempotent", testIdempotent},
		{"AmountsAreExact", testExact},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); tc.fn(t, f, newExporter) })
	}
}

// Batch returns a small balanced batch with a reversal.
func Batch(id string) ledger.Batch {
	b := ledger.FromPostings(id, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), "411100", "706100", "BIO", []ledger.Posting{
		{Ref: "adj-1", Memo: "Procedure/p-1 version 1", Amount: money.MustNew(1599, money.EUR)},
		{Ref: "adj-2", Memo: "Procedure/p-1 version 2", Amount: money.MustNew(-1599, money.EUR)},
		{Ref: "adj-3", Memo: "Procedure/p-1 version 2", Amount: money.MustNew(3198, money.EUR)},
	})
	b.Journal = "VT"
	return b
}

func testExports(t *testing.T, _ Features, newExporter Constructor) {
	exp, probe := newExporter(t)
	r, err := exp.Export(context.Background(), Batch("J-1"))
	if err != nil || r.Reference == "" || r.Existing {
		t.Fatalf("Export = %+v, %v", r, err)
	}
	if n := len(probe.Documents()); n != 1 {
		t.Fatalf("target received %d documents, want 1", n)
	}
}

func testRejectsUnbalanced(t *testing.T, _ Features, newExporter Constructor) {
	exp, probe := newExporter(t)
	b := Batch("J-2")
	b.Lines[0].Debit = money.MustNew(1600, money.EUR)
	if _, err := exp.Export(context.Background(), b); !ports.Is(ports.Invalid, err) {
		t.Fatalf("unbalanced batch: %v, want Kind Invalid", err)
	}
	if n := len(probe.Documents()); n != 0 {
		t.Fatalf("an unbalanced batch reached the target (%d documents)", n)
	}
}

func testIdempotent(t *testing.T, f Features, newExporter Constructor) {
	if !f.Idempotent {
		t.Skip("exporter does not declare Idempotent")
	}
	exp, probe := newExporter(t)
	first, err := exp.Export(context.Background(), Batch("J-3"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := exp.Export(context.Background(), Batch("J-3"))
	if err != nil || !again.Existing || again.Reference != first.Reference {
		t.Fatalf("re-export = %+v, %v; want the first receipt %+v with Existing", again, err, first)
	}
	if n := len(probe.Documents()); n != 1 {
		t.Fatalf("re-export posted again: %d documents", n)
	}
	other := Batch("J-3")
	other.Lines = other.Lines[:2]
	if _, err := exp.Export(context.Background(), other); !ports.Is(ports.Conflict, err) {
		t.Fatalf("same ID, other content: %v, want Kind Conflict", err)
	}
}

func testExact(t *testing.T, _ Features, newExporter Constructor) {
	exp, probe := newExporter(t)
	b := ledger.FromPostings("J-4", time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), "D", "C", "", []ledger.Posting{
		{Ref: "a", Amount: money.MustNew(10, money.EUR)}, {Ref: "b", Amount: money.MustNew(20, money.EUR)},
	})
	if _, err := exp.Export(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	docs := probe.Documents()
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	for _, want := range []string{"0.10", "0.20"} {
		if !containsAmount(docs[0], want) {
			t.Fatalf("document lacks the exact amount %s:\n%s", want, docs[0])
		}
	}
}

// containsAmount finds an amount in either decimal notation.
func containsAmount(doc []byte, dot string) bool {
	comma := []byte(dot)
	for i := range comma {
		if comma[i] == '.' {
			comma[i] = ','
		}
	}
	return contains(doc, []byte(dot)) || contains(doc, comma)
}

func contains(s, sub []byte) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if string(s[i:i+len(sub)]) == string(sub) {
			return true
		}
	}
	return false
}
