package bustest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

// Bench measures publish → consume → ack throughput on a fresh back end:
// b.N messages of 256 bytes published one by one by 8 goroutines while 4
// handlers on one durable consumer take them. It reports msgs/s.
func Bench(b *testing.B, c Constructor) { bench(b, c, 1) }

// BenchBatch is Bench with messages published through
// ports.BatchPublisher, size at a time. It skips buses without it.
func BenchBatch(b *testing.B, c Constructor, size int) { bench(b, c, size) }

func bench(b *testing.B, c Constructor, size int) {
	bk := c(b)
	pub, sub := bk.Open(b), bk.Open(b)
	bp, _ := pub.(ports.BatchPublisher)
	if size > 1 && bp == nil {
		b.Skip("bus does not implement ports.BatchPublisher")
	}
	subj := subject(b, "bench", "org", "event.created")
	n := int64(b.N)
	var handled atomic.Int64
	all := make(chan struct{})
	spec := ports.ConsumerSpec{Name: "bench", AckWait: 30 * time.Second}
	for range 4 {
		consume(b, sub, spec, func(context.Context, ports.Delivery) error {
			if handled.Add(1) == n {
				close(all)
			}
			return nil
		})
	}
	data := make([]byte, 256)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 8 {
		wg.Go(func() {
			batch := make([]ports.Message, 0, size)
			for i := next.Add(1); i <= n; i = next.Add(1) {
				batch = append(batch, ports.Message{Subject: subj, ID: fmt.Sprintf("b-%d", i), Data: data})
				if len(batch) < size && i < n {
					continue
				}
				var err error
				if size > 1 {
					_, err = bp.PublishBatch(context.Background(), batch)
				} else {
					_, err = pub.Publish(context.Background(), batch[0])
				}
				if err != nil {
					b.Error(err)
					return
				}
				batch = batch[:0]
			}
			if len(batch) > 0 {
				if _, err := bp.PublishBatch(context.Background(), batch); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	select {
	case <-all:
	case <-time.After(time.Minute):
		b.Fatalf("handled %d of %d within a minute", handled.Load(), n)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(n)/elapsed.Seconds(), "msgs/s")
}
