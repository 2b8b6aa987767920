package bench_test

import (
	"testing"
	"time"

	"github.com/revhub/revhub/core/pricing/rules"
)

func BenchmarkResolveWarmed(b *testing.B) {
	benchSetup(b)
	qs, tf := bench.queries, bench.tariff
	for b.Loop() {
	}
	reportLatencyPre(b, benchQueries, func(i int) { tf.Resolve(qs[i]) }, func(i int) { tf.Resolve(qs[i]) })
}

var qbuf = make([]rules.Applied, 0, 50)

func BenchmarkQuoteWarmed(b *testing.B) {
	benchSetup(b)
	cs, p := bench.charges, bench.pricer
	for b.Loop() {
	}
	reportLatencyPre(b, benchQueries, func(i int) { _, _ = p.Quote(&cs[i], qbuf[:0]) }, func(i int) { _, _ = p.Quote(&cs[i], qbuf[:0]) })
}

func reportLatencyPre(b *testing.B, n int, fn, pre func(i int)) {
	calls := make([]int64, n)
	empty := func(int) {}
	timer, _ := percentiles(n, empty)
	for i := range n {
		pre(i)
		t0 := nowNano()
		fn(i)
		calls[i] = nowNano() - t0
	}
	m := median99(calls)
	b.ReportMetric(float64(m[0]-timer[0]), "median-ns")
}

func nowNano() int64 { return time.Now().UnixNano() }
