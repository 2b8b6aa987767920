package pricing

import (
	"strconv"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// TestPlace_failsWhenFullAndSucceedsLarger covers the cuckoo table's growth:
// placement gives up on a table too small and works on a larger one.
func TestPlace_failsWhenFullAndSucceedsLarger(t *testing.T) {
	b, _ := NewBuilder(StandardPrecedence)
	for s := range 200 {
		b.Add(Entry{Service: strconv.Itoa(s), List: "ebm", Kind: National, Currency: money.EUR, UnitPrice: money.MustRate("1.5"),
			From: day.MustParse("2025-01-01"), To: day.Open, Version: "v1"})
	}
	tf, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	recs, starts := tf.records()
	if tf.place(make([]int32, 128*slotWords), recs, starts) {
		t.Fatal("200 services placed in 128 slots")
	}
	if !tf.place(make([]int32, 512*slotWords), recs, starts) {
		t.Fatal("200 services not placed in 512 slots")
	}
	for s := range 200 {
		if r, ok := tf.Resolve(Query{Service: strconv.Itoa(s), Date: day.MustParse("2025-06-01")}); !ok || r.Entry.Service != strconv.Itoa(s) {
			t.Fatalf("service %d: %v %+v", s, ok, r)
		}
	}
}
