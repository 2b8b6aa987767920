package pricing

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// TestIndex_releasesSlotsWithTheTariff: every slot table a build allocates
// (16 MB here, so in its own huge-page mapping) is released, the ones a
// failed placement gave up at once and the kept one when its tariff is
// collected, so rebuilding a tariff on every price list import leaks nothing.
func TestIndex_releasesSlotsWithTheTariff(t *testing.T) {
	var live atomic.Int64
	alloc := allocSlots
	allocSlots = func(n int) ([]int32, func()) {
		w, release := alloc(n)
		live.Add(1)
		return w, func() { live.Add(-1); release() }
	}
	defer func() { allocSlots = alloc }()
	build := func() {
		b, _ := NewBuilder(StandardPrecedence)
		for s := range 20_000 { // 65,536 slots of 256 bytes
			b.Add(Entry{Service: fmt.Sprintf("%05d", s), List: "ebm", Kind: National, Currency: money.EUR,
				UnitPrice: money.MustRate("1.50"), From: day.MustParse("2025-01-01"), To: day.Open, Version: "v1"})
		}
		tf, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tf.Resolve(Query{Service: "19999", Date: day.MustParse("2025-06-01")}); !ok {
			t.Fatal("19999 not resolved")
		}
		if live.Load() == 0 {
			t.Fatal("a built tariff holds no slot table")
		}
	}
	for range 5 {
		build()
	}
	// Cleanups run after a collection, on their own goroutine.
	for deadline := time.Now().Add(10 * time.Second); live.Load() > 0 && time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := live.Load(); n != 0 {
		t.Fatalf("%d slot tables still held after their 5 tariffs were dropped", n)
	}
}
