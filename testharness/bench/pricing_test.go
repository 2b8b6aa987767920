package bench_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
)

const (
	benchServices = 100_000
	benchVersions = 10
	benchRules    = 50
)

// benchQueries random queries (and charges) per run: the tariff data they
// touch (about 60 MB) is far larger than the last-level cache, so every
// query meets its service cold, as a hub pricing a stream of claims does.
const benchQueries = 1 << 18

var bench struct {
	once    sync.Once
	pricer  *pricing.Pricer
	tariff  *pricing.Tariff
	queries []pricing.Query
	charges []pricing.ChargeContext // services uniformly at random: every one cold
	zipf    []pricing.ChargeContext // services by a Zipf law, as in a claim stream
}

// benchSetup builds a tariff of 100,000 services × 10 national versions
// (quarterly from 2023), payer contracts on every 4th service (2 versions),
// org overrides on every 50th, and a rule book of 50 active rules; then
// benchQueries random queries over the whole tariff: any service, any day
// of 2023-2025 (every version, mid-period contract change), no payer / the
// service's contract payer / a random payer, and one of 5 organizations.
// The tariff's data is cold for each query; the query's own strings are
// allocated with it, as a decoded claim's are.
func benchSetup(b *testing.B) {
	bench.once.Do(func() {
		bl, err := pricing.NewBuilder(pricing.StandardPrecedence)
		if err != nil {
			b.Fatal(err)
		}
		start := day.MustParse("2023-01-01")
		codes := make([]string, benchServices)
		for s := range benchServices {
			codes[s] = fmt.Sprintf("%05d", s)
			for v := range benchVersions {
				from := day.Date(2023, time.Month(1+3*v), 1)
				to := day.Date(2023, time.Month(4+3*v), 1)
				if v == benchVersions-1 {
					to = day.Open
				}
				bl.Add(pricing.Entry{Service: codes[s], List: "ebm", Kind: pricing.National, Currency: money.EUR,
					UnitPrice: money.MustRate(strconv.Itoa(1000+s%977) + "." + strconv.Itoa(1000 + v)[1:]), From: from, To: to,
					Version: "v" + strconv.Itoa(v), Source: "ebm.csv"})
			}
			if s%4 == 0 {
				payer := "payer" + strconv.Itoa(s%20)
				bl.Add(pricing.Entry{Service: codes[s], List: "contract-" + payer, Kind: pricing.Contract, Payer: payer, Currency: money.EUR,
					UnitPrice: money.MustRate("20.00"), From: start, To: day.Date(2024, 7, 1), Version: "c1"})
				bl.Add(pricing.Entry{Service: codes[s], List: "contract-" + payer, Kind: pricing.Contract, Payer: payer, Currency: money.EUR,
					UnitPrice: money.MustRate("21.00"), From: day.Date(2024, 7, 1), To: day.Open, Version: "c2"})
			}
			if s%50 == 0 {
				bl.Add(pricing.Entry{Service: codes[s], List: "override", Kind: pricing.Override, Org: "org1", Currency: money.EUR,
					UnitPrice: money.MustRate("30.00"), From: start, To: day.Open, Version: "o1"})
			}
		}
		tf, err := bl.Build()
		if err != nil {
			b.Fatal(err)
		}
		rs, err := rules.Compile(benchRuleBook(), []day.Day{day.MustParse("2025-05-01"), day.MustParse("2025-12-25")})
		if err != nil {
			b.Fatal(err)
		}
		bench.tariff = tf
		bench.pricer, _ = pricing.NewPricer(tf, rs, money.HalfUp)
		var groups, flags [][]string
		for i := range 10 {
			groups = append(groups, []string{"g" + strconv.Itoa(i)})
			flags = append(flags, []string{"f" + strconv.Itoa(i)})
		}
		rng := rand.New(rand.NewPCG(1, 2))
		loc := time.FixedZone("CET", 3600)
		charge := func(s int) (pricing.Query, pricing.ChargeContext) {
			payer := ""
			switch rng.IntN(3) {
			case 1:
				payer = "payer" + strconv.Itoa(s%20)
			case 2:
				payer = "payer" + strconv.Itoa(rng.IntN(20))
			}
			org := "org" + strconv.Itoa(rng.IntN(5))
			code := strings.Clone(codes[s]) // the caller's bytes, next to the query (like a just-decoded claim)
			at := time.Date(2023, 1, 1, 0, 0, 0, 0, loc).Add(time.Duration(rng.IntN(3*365*24*60)) * time.Minute)
			return pricing.Query{Service: code, Payer: payer, Org: org, Date: day.Of(at)},
				pricing.ChargeContext{Facts: rules.Facts{Service: code, At: at, Payer: payer, Org: org,
					ServiceGroups: groups[s%10], EncounterClass: []string{"AMB", "EMER", "IMP"}[rng.IntN(3)],
					Age: rng.IntN(90), AgeKnown: true, PatientFlags: flags[rng.IntN(7)]}, Quantity: money.Int(1)}
		}
		for range benchQueries {
			q, c := charge(rng.IntN(benchServices))
			bench.queries, bench.charges = append(bench.queries, q), append(bench.charges, c)
		}
		// A claim stream's services follow a Zipf law (a few hundred codes
		// make most of the volume): ranks are spread over the tariff.
		byRank := rng.Perm(benchServices)
		zipf := rand.NewZipf(rng, 1.1, 1, benchServices-1)
		for range benchQueries {
			_, c := charge(byRank[zipf.Uint64()])
			bench.zipf = append(bench.zipf, c)
		}
	})
}

// benchRuleBook returns 50 active rules: time surcharges, group and payer
// discounts, age and flag conditions, service-specific replacements.
func benchRuleBook() rules.Config {
	var cfg rules.Config
	cfg.Rounding = money.HalfUp
	from := day.MustParse("2023-01-01")
	for i := range benchRules {
		pct := money.MustRate(strconv.Itoa(1 + i%20))
		r := rules.Rule{ID: "r" + strconv.Itoa(i), Version: "1", ValidFrom: from, Priority: i,
			Then: rules.Action{Kind: rules.Surcharge, Percent: &pct}}
		switch i % 5 {
		case 0:
			r.When.Hours = []rules.HourRange{{From: "20:00", To: "08:00"}}
			r.ExclusiveGroup = "time"
		case 1:
			r.When.Days = []string{"saturday", "sunday", "holiday"}
			r.ExclusiveGroup = "time"
		case 2:
			r.When.ServiceGroups = []string{"g" + strconv.Itoa(i%10)}
			r.When.Payers = []string{"payer" + strconv.Itoa(i%20)}
			r.Then.Kind = rules.Discount
		case 3:
			lo, hi := 0, 17
			r.When.MinAge, r.When.MaxAge = &lo, &hi
			r.When.PatientFlags = []string{"f" + strconv.Itoa(i%7)}
			r.Then.Kind = rules.Discount
		case 4:
			up := money.MustRate("12.34")
			r.When.Services = []string{fmt.Sprintf("%05d", i*997)}
			r.Then = rules.Action{Kind: rules.ReplacePrice, UnitPrice: &up}
		}
		cfg.Rules = append(cfg.Rules, r)
	}
	return cfg
}

// reportLatency times n calls of fn one by one (time.Now before and after
// each call, every call on the next query) and reports the median and the
// 99th percentile of those per-call samples, each minus the median time of
// the same timing around a call of an empty function (reported as timer-ns),
// after a garbage collection (so none is marking during the timing). Unlike
// ns/op, which lets the CPU overlap consecutive calls, these are the
// latencies of single calls. Each call is followed by one timed memory round
// trip (see memChain); median-ns over the median round trip is reported as
// round-trips: a figure that holds when the machine's memory latency moves.
func reportLatency(b *testing.B, n int, fn func(i int)) {
	runtime.GC() // no mark phase left over from the setup runs during the timing
	empty := func(int) {}
	timer, _ := percentiles(n, empty)
	call, mem := percentiles(n, fn)
	b.ReportMetric(float64(call[0]-timer[0]), "median-ns")
	b.ReportMetric(float64(call[1]-timer[0]), "p99-ns")
	b.ReportMetric(float64(timer[0]), "timer-ns")
	b.ReportMetric(float64(call[0]-timer[0])/float64(mem[0]-timer[0]), "round-trips")
}

// percentiles returns the median and 99th percentile of n timed calls, and
// of n memory round trips timed the same way in blocks between them (so
// both meet the same machine).
func percentiles(n int, fn func(i int)) (call, mem [2]int64) {
	next := memChain()
	p := int32(0)
	step := func(int) { p = next[p] }
	calls, mems := make([]int64, n), make([]int64, n)
	for lo := 0; lo < n; lo += 256 {
		for i := lo; i < min(lo+256, n); i++ {
			t0 := time.Now()
			fn(i)
			calls[i] = int64(time.Since(t0))
		}
		for i := lo; i < min(lo+256, n); i++ {
			t0 := time.Now()
			step(i)
			mems[i] = int64(time.Since(t0))
		}
	}
	chain.sink = p
	return median99(calls), median99(mems)
}

func median99(samples []int64) [2]int64 {
	slices.Sort(samples)
	return [2]int64{samples[len(samples)/2], samples[len(samples)*99/100]}
}

var chain struct {
	once sync.Once
	next []int32
	sink int32 // where a run's last step lands, so no step is optimised away
}

// memChain returns a random cyclic chain over the cache lines of a 64 MB
// array (the size of the tariff's data): next[p] is the next line's first
// int32, so each step is one dependent load from a random line, one memory
// round trip, the floor of any cold lookup on this machine.
func memChain() []int32 {
	chain.once.Do(func() {
		const lines = 64 << 20 / 64
		rng := rand.New(rand.NewPCG(3, 4))
		chain.next = make([]int32, lines*16) // one int32 used per 64-byte line
		perm := rng.Perm(lines)
		for i, l := range perm {
			chain.next[l*16] = int32(perm[(i+1)%lines] * 16)
		}
	})
	return chain.next
}

// BenchmarkResolve resolves random queries over the whole tariff (cold).
func BenchmarkResolve(b *testing.B) {
	benchSetup(b)
	qs, tf := bench.queries, bench.tariff
	b.ReportAllocs()
	b.ResetTimer()
	hit := 0
	for i := 0; b.Loop(); i++ {
		if _, ok := tf.Resolve(qs[i%benchQueries]); ok {
			hit++
		}
	}
	b.StopTimer()
	if hit == 0 {
		b.Fatal("nothing resolved")
	}
	reportLatency(b, benchQueries, func(i int) { tf.Resolve(qs[i]) })
}

// BenchmarkResolveHot cycles 64 queries on the same big tariff: the cost of
// Resolve itself once its cache lines are warm.
func BenchmarkResolveHot(b *testing.B) {
	benchSetup(b)
	qs, tf := bench.queries[:64], bench.tariff
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tf.Resolve(qs[i&63])
	}
	b.StopTimer()
	reportLatency(b, 1<<16, func(i int) { tf.Resolve(qs[i&63]) })
}

// BenchmarkQuote is the target of issue #4: resolution of a random charge
// over the whole tariff (cold) plus the 50 active rules.
func BenchmarkQuote(b *testing.B) {
	benchSetup(b)
	benchQuotes(b, bench.charges)
}

// BenchmarkQuoteZipf is BenchmarkQuote over charges whose services follow a
// Zipf law (s = 1.1) over the 100,000 services, as a hospital's claim stream
// does: the common services stay in cache, the long tail does not.
func BenchmarkQuoteZipf(b *testing.B) {
	benchSetup(b)
	benchQuotes(b, bench.zipf)
}

// benchQuotes quotes the benchQueries charges cs in turn.
func benchQuotes(b *testing.B, cs []pricing.ChargeContext) {
	p := bench.pricer
	buf := make([]rules.Applied, 0, benchRules)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Quote(&cs[i%benchQueries], buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportLatency(b, benchQueries, func(i int) { _, _ = p.Quote(&cs[i], buf[:0]) })
}

// BenchmarkQuoteHot cycles 64 charges: Quote once its cache lines are warm.
func BenchmarkQuoteHot(b *testing.B) {
	benchSetup(b)
	cs, p := bench.charges[:64], bench.pricer
	buf := make([]rules.Applied, 0, benchRules)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, _ = p.Quote(&cs[i&63], buf[:0])
	}
	b.StopTimer()
	reportLatency(b, 1<<16, func(i int) { _, _ = p.Quote(&cs[i&63], buf[:0]) })
}

func BenchmarkPrice(b *testing.B) {
	benchSetup(b)
	cs, p := bench.charges, bench.pricer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Price(cs[i%benchQueries]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMapLookup is the reference: one Go map lookup of a random service
// code over the whole 100,000 codes (cold).
func BenchmarkMapLookup(b *testing.B) {
	benchSetup(b)
	m := make(map[string]int32, benchServices)
	for s := range benchServices {
		m[fmt.Sprintf("%05d", s)] = int32(s)
	}
	qs := bench.queries
	b.ReportAllocs()
	b.ResetTimer()
	n := int32(0)
	for i := 0; b.Loop(); i++ {
		n += m[qs[i%benchQueries].Service]
	}
	b.StopTimer()
	reportLatency(b, benchQueries, func(i int) { n += m[qs[i].Service] })
}

// BenchmarkMemoryLatency is the floor of any cold lookup on this machine:
// one step of memChain.
func BenchmarkMemoryLatency(b *testing.B) {
	next := memChain()
	p := int32(0)
	b.ResetTimer()
	for b.Loop() {
		p = next[p]
	}
	b.StopTimer()
	reportLatency(b, benchQueries, func(int) { p = next[p] })
}
