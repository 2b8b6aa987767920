package x835_test

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/x12/x835"
	"github.com/revhub/revhub/core/settlement"
)

// benchTarget is the size of the synthetic 835 the benchmarks read.
const benchTarget = 50 << 20

var (
	benchOnce sync.Once
	benchFile []byte
)

// synthAdvice returns an ACH advice with n claims of two lines each.
func synthAdvice(n int) settlement.PaymentAdvice {
	a := achAdvice(0)
	a.Claims = make([]settlement.ClaimPayment, n)
	total := int64(0)
	for i := range a.Claims {
		c := claim1001()
		c.PatientControlNumber = fmt.Sprintf("PCN%09d", i)
		c.PayerControlNumber = fmt.Sprintf("ICN%011d", i)
		c.Patient.MemberID = fmt.Sprintf("W%09d", i%100000)
		extra := int64(i % 5000)
		c.Lines[0].Charge += extra
		c.Lines[0].Adjustments[0].Amount += extra
		c.Charge += extra
		a.Claims[i] = c
		total += c.Paid
	}
	a.Total = usd(total)
	return a
}

// benchData returns the ~50 MB 835 built from synthAdvice. Only the bytes
// stay alive: the parse benchmarks run with no second model in the heap.
// Once, outside any timing, it checks that Parse fills the whole model:
// the parsed advice deep-equals the one the file was built from.
func benchData(b *testing.B) []byte {
	benchOnce.Do(func() {
		c := newCodec(b)
		// One claim is about 310 bytes; size n so the file is about 50 MB.
		probe, _ := c.Build(synthAdvice(1000), testEnv)
		n := benchTarget / (len(probe) / 1000)
		a := synthAdvice(n)
		file, err := c.Build(a, testEnv)
		if err != nil {
			b.Fatal(err)
		}
		rem, err := x835.Parse(file)
		if err != nil {
			b.Fatal(err)
		}
		if len(rem.Advices) != 1 || !reflect.DeepEqual(rem.Advices[0], a) {
			b.Fatal("the parsed advice differs from the one the file was built from")
		}
		benchFile = file
	})
	if benchFile == nil {
		b.Fatal("no bench data")
	}
	return benchFile
}

// BenchmarkParse835 parses a ~50 MB 835 into the typed model. Each
// iteration also times the reference tokenizer over the same bytes right
// before the parse (outside the benchmark timer), so the iteration's
// tokenizer time over its parse time compares them under the same machine
// load; vs-tokenizer is the median of these ratios (target ≥ 0.5), and
// vs-tokenizer-cpu the same with the CPU time the process used (every
// thread, so the garbage collector's work counts), which a machine busy
// with other processes disturbs less. alloc/file is the bytes one parse allocates over the file size;
// peak/file is the sampled peak heap growth of one parse (see peakHeap).
func BenchmarkParse835(b *testing.B) {
	benchParse(b, func(data []byte) (any, error) { return x835.Parse(data) })
}

// BenchmarkParseEach835 streams the same file claim by claim (ParseEach),
// reusing one claim: memory stays the size of one claim.
func BenchmarkParseEach835(b *testing.B) {
	benchParse(b, func(data []byte) (any, error) {
		n := 0
		rem, err := x835.ParseEach(data, func(_ *settlement.PaymentAdvice, c *settlement.ClaimPayment) error {
			n += len(c.Lines)
			return nil
		})
		if n == 0 && err == nil {
			b.Fatal("no lines")
		}
		return rem, err
	})
}

func benchParse(b *testing.B, parse func([]byte) (any, error)) {
	data := benchData(b)
	peak := peakHeap(b, func() {
		if _, err := parse(data); err != nil {
			b.Fatal(err)
		}
	})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var wall, cpu []float64
	for b.Loop() {
		b.StopTimer()
		c0, t0 := cpuTime(), time.Now()
		if tokenize(data) == 0 {
			b.Fatal("no elements")
		}
		c1, t1 := cpuTime(), time.Now()
		b.StartTimer()
		r, err := parse(data)
		t2 := time.Now()
		b.StopTimer()
		c2 := cpuTime()
		b.StartTimer()
		wall = append(wall, float64(t1.Sub(t0))/float64(t2.Sub(t1)))
		cpu = append(cpu, float64(c1-c0)/float64(max(c2-c1, 1)))
		if err != nil {
			b.Fatal(err)
		}
		runtime.KeepAlive(r)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(median(wall), "vs-tokenizer")
	b.ReportMetric(median(cpu), "vs-tokenizer-cpu")
	allocPerOp := (after.TotalAlloc - before.TotalAlloc) / uint64(b.N)
	b.ReportMetric(float64(allocPerOp)/float64(len(data)), "alloc/file")
	b.ReportMetric(float64(peak)/float64(len(data)), "peak/file")
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}

// peakHeap runs fn once (untimed) after a full GC and returns the largest
// growth of the heap's object bytes (live and not yet swept,
// /memory/classes/heap/objects:bytes) over its value before fn, sampled
// every 200µs while fn runs and once right after it, before any GC could
// free its result. The input is in the heap before and after: it is not
// counted, only what the parse adds.
func peakHeap(b *testing.B, fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	base := read()
	peak := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				peak = max(peak, read())
			}
		}
	})
	fn()
	end := read()
	close(done)
	wg.Wait()
	if peak = max(peak, end); peak < base {
		b.Fatal("heap shrank")
	}
	return peak - base
}

// BenchmarkTokenizer835 is the reference: a bare bytes.IndexByte
// segment/element tokenizer over the same bytes, touching every element.
func BenchmarkTokenizer835(b *testing.B) {
	data := benchData(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = tokenize(data)
	}
	if n == 0 {
		b.Fatal("no elements")
	}
}

// tokenize finds every segment terminator and every element separator of
// data with bytes.IndexByte and returns the number of elements (segment ids
// included), skipping a line break after each terminator.
func tokenize(data []byte) int {
	seg, el := data[105], data[3]
	n := 0
	for len(data) > 0 {
		i := bytes.IndexByte(data, seg)
		if i < 0 {
			break
		}
		line := data[:i]
		data = data[i+1:]
		if len(data) > 0 && data[0] == '\n' {
			data = data[1:]
		}
		for {
			j := bytes.IndexByte(line, el)
			n++
			if j < 0 {
				break
			}
			line = line[j+1:]
		}
	}
	return n
}

// TestTokenizer_counts checks the reference tokenizer: it finds every
// element of a golden file (segment ids included).
func TestTokenizer_counts(t *testing.T) {
	b := []byte("ISA*00*          *00*          *ZZ*ACMEPAYER      *ZZ*NORTHCLINIC    *250314*1200*^*00501*000000123*0*P*:~\nGS*HP*A~\nSE**1~")
	if n := tokenize(b); n != 17+3+3 {
		t.Fatalf("tokenize found %d elements, want 23", n)
	}
}

// BenchmarkBuild835 writes the same ~50 MB 835 from the typed model (the
// one parsed from it); MB/s is the output written per second.
func BenchmarkBuild835(b *testing.B) {
	data := benchData(b)
	rem, err := x835.Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	c := newCodec(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := c.Build(rem.Advices[0], rem.Envelope)
		if err != nil || len(out) != len(data) {
			b.Fatalf("build: %d bytes, %v", len(out), err)
		}
	}
}
