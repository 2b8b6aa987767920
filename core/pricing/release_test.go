package pricing_test

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
)

// TestTariff_largeTablesAreReleased: a tariff large enough for its own
// huge-page mapping gives it back once collected, so rebuilding a tariff
// on every price list import does not leak mappings.
func TestTariff_largeTablesAreReleased(t *testing.T) {
	maps := func() int {
		b, err := os.ReadFile("/proc/self/maps")
		if err != nil {
			t.Skipf("no /proc/self/maps: %v", err)
		}
		return bytes.Count(b, []byte("\n"))
	}
	build := func() *pricing.Tariff {
		b, _ := pricing.NewBuilder(pricing.StandardPrecedence)
		for s := range 20_000 { // 65,536 slots of 256 bytes: a 16 MB table
			b.Add(pricing.Entry{Service: fmt.Sprintf("%05d", s), List: "ebm", Kind: pricing.National, Currency: money.EUR,
				UnitPrice: money.MustRate("1.50"), From: day.MustParse("2025-01-01"), To: day.Open, Version: "v1"})
		}
		tf, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := tf.Resolve(pricing.Query{Service: "19999", Date: day.MustParse("2025-06-01")}); !ok {
			t.Fatal("19999 not resolved")
		}
		return tf
	}
	build() // the runtime's own mappings settle
	runtime.GC()
	before := maps()
	for range 5 {
		build()
	}
	for range 50 { // cleanups run after a collection, on their own goroutine
		runtime.GC()
		if maps() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d mappings after dropping 5 tariffs, %d before", maps(), before)
}
