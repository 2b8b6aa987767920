// Package gltest is the conformance suite every ports.GLExporter runs.
package gltest

import (
	"bytes"
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
	Idempotent     bool // re-exporting a batch ID posts nothing and reports Existing; other content is Kind Conflict
	MaxLinesPerDoc int  // 0 = unlimited; else the suite sends MaxLinesPerDoc+1 lines and expects several documents
}

// Probe reports what the target received: one entry per posted document.
type Probe interface{ Documents() [][]byte }

// Outage is an optional Probe capability: Down makes the target fail
// transiently until restore is called. Without it the transient-failure
// test is skipped.
type Outage interface{ Down() (restore func()) }

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
		{"TransientFailureIsRetryable", testTransient},
		{"AmountsAreExact", testExact},
		{"LargeBatchIsSplit", testSplit},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); tc.fn(t, f, newExporter) })
	}
}

// Day is the posting date of the suite's batches.
var Day = time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)

// Batch returns a small balanced batch with a reversal.
func Batch(id string) ledger.Batch {
	b := ledger.FromPostings(id, Day, "411100", "706100", "BIO", []ledger.Posting{
		{Ref: "adj-1", Memo: "Procedure/p-1 version 1", Amount: money.MustNew(1599, money.EUR)},
		{Ref: "adj-2", Memo: "Procedure/p-1 version 2", Amount: money.MustNew(-1599, money.EUR)},
		{Ref: "adj-3", Memo: "Procedure/p-1 version 2", Amount: money.MustNew(3198, money.EUR)},
	})
	b.Tenant, b.Org, b.Journal = "t1", "o1", "VT"
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

func testTransient(t *testing.T, _ Features, newExporter Constructor) {
	exp, probe := newExporter(t)
	o, ok := probe.(Outage)
	if !ok {
		t.Skip("probe cannot simulate an outage (no gltest.Outage)")
	}
	restore := o.Down()
	_, err := exp.Export(context.Background(), Batch("J-5"))
	restore()
	if !ports.Is(ports.Transient, err) {
		t.Fatalf("export during an outage: %v, want Kind Transient", err)
	}
	if n := len(probe.Documents()); n != 0 {
		t.Fatalf("a failed export left %d documents", n)
	}
	r, err := exp.Export(context.Background(), Batch("J-5"))
	if err != nil || r.Existing {
		t.Fatalf("retry after the outage = %+v, %v; want a fresh post", r, err)
	}
	if n := len(probe.Documents()); n != 1 {
		t.Fatalf("retry left %d documents, want 1", n)
	}
}

// testExact: 0.10 + 0.20 is 0.30 (a float sum is 0.30000000000000004), and
// a 16-digit amount beyond float64's exact integers keeps every digit.
func testExact(t *testing.T, _ Features, newExporter Constructor) {
	exp, probe := newExporter(t)
	eur := func(m int64) money.Amount { return money.MustNew(m, money.EUR) }
	zero := money.Zero(money.EUR)
	b := ledger.Batch{ID: "J-4", Date: Day, Lines: []ledger.Line{
		{Account: "411100", Debit: eur(10), Credit: zero, Ref: "a"},
		{Account: "411100", Debit: eur(20), Credit: zero, Ref: "b"},
		{Account: "706100", Debit: zero, Credit: eur(30), Ref: "c"},
		{Account: "411100", Debit: eur(9876543210987654), Credit: zero, Ref: "d"},
		{Account: "706100", Debit: zero, Credit: eur(9876543210987654), Ref: "d"},
	}}
	if _, err := exp.Export(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	docs := probe.Documents()
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	for _, want := range []string{"0.10", "0.20", "0.30", "98765432109876.54"} {
		if !containsAmount(docs[0], want) {
			t.Fatalf("document lacks the exact amount %s:\n%s", want, docs[0])
		}
	}
}

func testSplit(t *testing.T, f Features, newExporter Constructor) {
	if f.MaxLinesPerDoc <= 0 {
		t.Skip("exporter declares no MaxLinesPerDoc")
	}
	exp, probe := newExporter(t)
	ps := make([]ledger.Posting, f.MaxLinesPerDoc/2+1) // two lines each: MaxLinesPerDoc+1 or +2 lines
	for i := range ps {
		ps[i] = ledger.Posting{Ref: "adj", Memo: "split", Amount: money.MustNew(int64(i+1), money.EUR)}
	}
	b := ledger.FromPostings("J-6", Day, "411100", "706100", "", ps)
	r, err := exp.Export(context.Background(), b)
	if err != nil || r.Reference == "" {
		t.Fatalf("Export of %d lines = %+v, %v", len(b.Lines), r, err)
	}
	if n := len(probe.Documents()); n < 2 {
		t.Fatalf("%d lines went out as %d document(s), want at least 2 (MaxLinesPerDoc %d)", len(b.Lines), n, f.MaxLinesPerDoc)
	}
	if !f.Idempotent {
		return
	}
	before := len(probe.Documents())
	if again, err := exp.Export(context.Background(), b); err != nil || !again.Existing || again.Reference != r.Reference {
		t.Fatalf("re-export of a split batch = %+v, %v; want %+v with Existing", again, err, r)
	}
	if n := len(probe.Documents()); n != before {
		t.Fatalf("re-export of a split batch posted %d more documents", n-before)
	}
}

// containsAmount finds an amount in either decimal notation.
func containsAmount(doc []byte, dot string) bool {
	return bytes.Contains(doc, []byte(dot)) || bytes.Contains(doc, bytes.ReplaceAll([]byte(dot), []byte("."), []byte(",")))
}
