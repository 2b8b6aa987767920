package nats

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/revhub/revhub/ports"
)

var _ ports.BatchPublisher = (*Bus)(nil)

const (
	opPublishBatch = "nats.PublishBatch"
	batchWindow    = 256 // messages in flight before waiting for their acknowledgements
)

// PublishBatch publishes asynchronously, at most batchWindow messages in
// flight, and waits for every acknowledgement.
func (b *Bus) PublishBatch(ctx context.Context, ms []ports.Message) ([]ports.Published, error) {
	for i, m := range ms {
		if err := checkMessage(m); err != nil {
			return nil, ports.E(opPublishBatch, ports.Invalid, fmt.Errorf("message %d: %w", i, err))
		}
	}
	out := make([]ports.Published, len(ms))
	futures := make([]jetstream.PubAckFuture, 0, min(len(ms), batchWindow))
	for start := 0; start < len(ms); start += batchWindow {
		futures = futures[:0]
		for _, m := range ms[start:min(start+batchWindow, len(ms))] {
			f, err := b.js.PublishMsgAsync(b.natsMsg(m), jetstream.WithMsgID(m.ID), jetstream.WithExpectStream(b.cfg.Stream))
			if err != nil {
				return nil, ports.E(opPublishBatch, publishKind(err), fmt.Errorf("%s: %w", m.Subject, err))
			}
			futures = append(futures, f)
		}
		for i, f := range futures {
			select {
			case ack := <-f.Ok():
				out[start+i] = ports.Published{Sequence: ack.Sequence, Duplicate: ack.Duplicate}
			case err := <-f.Err():
				return nil, ports.E(opPublishBatch, publishKind(err), fmt.Errorf("%s: %w", f.Msg().Subject, err))
			case <-ctx.Done():
				return nil, ports.E(opPublishBatch, ports.Transient, ctx.Err())
			}
		}
	}
	return out, nil
}
