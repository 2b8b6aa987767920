package x835_test

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/x12/x835"
	"github.com/revhub/revhub/core/settlement"
)

// benchTarget is the size of the synthetic 835 the benchmarks read.
const benchTarget = 50 << 20

var (
	benchOnce   sync.Once
	benchFile   []byte
	benchAdvice settlement.PaymentAdvice
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

func benchData(b *testing.B) []byte {
	benchOnce.Do(func() {
		c := newCodec(b)
		// One claim is about 420 bytes; size n so the file is about 50 MB.
		probe, _ := c.Build(synthAdvice(1000), testEnv)
		n := benchTarget / (len(probe) / 1000)
		benchAdvice = synthAdvice(n)
		var err error
		if benchFile, err = c.Build(benchAdvice, testEnv); err != nil {
			b.Fatal(err)
		}
	})
	return benchFile
}

// BenchmarkParse835 parses a ~50 MB 835 into the typed model. Each
// iteration also times the reference tokenizer over the same bytes right
// before the parse (outside the benchmark timer), so vs-tokenizer is the
// parse speed over the tokenizer speed under the same machine load (target
// ≥ 0.5). alloc/file is bytes allocated per parse over the file size.
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
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var tok, par time.Duration
	for b.Loop() {
		b.StopTimer()
		t0 := time.Now()
		if tokenize(data) == 0 {
			b.Fatal("no elements")
		}
		t1 := time.Now()
		b.StartTimer()
		r, err := parse(data)
		par += time.Since(t1)
		tok += t1.Sub(t0)
		if err != nil {
			b.Fatal(err)
		}
		runtime.KeepAlive(r)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(tok)/float64(par), "vs-tokenizer")
	allocPerOp := (after.TotalAlloc - before.TotalAlloc) / uint64(b.N)
	b.ReportMetric(float64(allocPerOp)/float64(len(data)), "alloc/file")
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

// BenchmarkBuild835 writes the same ~50 MB 835 from the typed model.
func BenchmarkBuild835(b *testing.B) {
	data := benchData(b)
	c := newCodec(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Build(benchAdvice, testEnv); err != nil {
			b.Fatal(err)
		}
	}
}
