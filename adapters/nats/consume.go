package nats

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/revhub/revhub/ports"
)

const (
	opConsume = "nats.Consume"
	headerID  = "Revhub-Id" // the original message ID on a dead letter
)

// Consume runs a durable pull consumer until ctx ends or the bus closes.
//
// The server never gives up on a message (MaxDeliver is unlimited there);
// the bus counts attempts itself, so a message whose handler keeps timing out
// or whose process keeps dying is still dead-lettered, not silently dropped.
func (b *Bus) Consume(ctx context.Context, spec ports.ConsumerSpec, h ports.Handler) error {
	if err := spec.Check(); err != nil {
		return ports.E(opConsume, ports.Invalid, err)
	}
	if h == nil {
		return ports.E(opConsume, ports.Invalid, errors.New("nil handler"))
	}
	spec = spec.WithDefaults()
	b.mu.Lock()
	if b.stopping {
		b.mu.Unlock()
		return ports.E(opConsume, ports.Unavailable, errors.New("bus is closed"))
	}
	b.loops.Add(1)
	b.mu.Unlock()
	defer b.loops.Done()

	filter := b.evt + spec.Filter()
	if spec.DeadLetters {
		filter = b.dlq + spec.Filter()
	}
	cons, err := b.js.CreateOrUpdateConsumer(ctx, b.cfg.Stream, jetstream.ConsumerConfig{
		Durable:       spec.Name,
		FilterSubject: filter,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       spec.AckWait,
		MaxDeliver:    -1,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return ports.E(opConsume, ports.Unavailable, fmt.Errorf("consumer %s: %w", spec.Name, err))
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(b.cfg.Prefetch))
	if err != nil {
		return ports.E(opConsume, ports.Unavailable, fmt.Errorf("consumer %s: %w", spec.Name, err))
	}
	var stopped atomic.Bool
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
		case <-b.stop:
		case <-b.closed:
		case <-done:
			return
		}
		stopped.Store(true)
		it.Drain()
	}()
	log := b.log.With("consumer", spec.Name)
	for {
		msg, err := it.Next()
		switch {
		case err == nil:
		case stopped.Load() && errors.Is(err, jetstream.ErrMsgIteratorClosed):
			return nil
		case errors.Is(err, jetstream.ErrMsgIteratorClosed), errors.Is(err, nats.ErrConnectionClosed),
			errors.Is(err, jetstream.ErrConsumerDeleted), errors.Is(err, jetstream.ErrConsumerNotFound):
			if ctx.Err() != nil {
				return nil
			}
			return ports.E(opConsume, ports.Unavailable, fmt.Errorf("consumer %s: %w", spec.Name, err))
		default:
			log.Warn("fetching messages", "err", err)
			continue
		}
		if stopped.Load() {
			// Fetched but not handled: hand it back now rather than after AckWait.
			_ = msg.Nak()
			continue
		}
		b.handle(ctx, log, spec, msg, h)
	}
}

// handle runs h on one message and settles it: ack, nak with delay, or dead letter.
func (b *Bus) handle(ctx context.Context, log *slog.Logger, spec ports.ConsumerSpec, msg jetstream.Msg, h ports.Handler) {
	d := b.delivery(msg, spec.DeadLetters)
	if md, err := msg.Metadata(); err == nil {
		d.Attempt = int(md.NumDelivered)
	}
	if d.Attempt > spec.MaxDeliver {
		b.giveUp(log, spec, msg, d, fmt.Errorf("no outcome after %d deliveries (handler overran ack_wait or its process died)", spec.MaxDeliver))
		return
	}
	// A stop must not abort a commit half-way: the handler keeps running
	// until it returns or AckWait ends, whichever comes first.
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handlerBudget(spec.AckWait))
	err := call(hctx, h, d)
	cancel()
	b.settle(log, spec, msg, d, err)
}

// settle acks a handled message, naks it with backoff, or dead-letters it.
func (b *Bus) settle(log *slog.Logger, spec ports.ConsumerSpec, msg jetstream.Msg, d ports.Delivery, err error) {
	switch {
	case err == nil:
		if aerr := msg.Ack(); aerr != nil {
			log.Warn("ack failed; the message will come again", "id", d.ID, "err", aerr)
		}
	case ports.Is(ports.Invalid, err), ports.Is(ports.Unknown, err), d.Attempt >= spec.MaxDeliver:
		b.giveUp(log, spec, msg, d, err)
	default:
		delay := spec.BackoffAfter(d.Attempt)
		log.Info("handler failed; will retry", "id", d.ID, "attempt", d.Attempt, "delay", delay, "err", err)
		if nerr := msg.NakWithDelay(delay); nerr != nil {
			log.Warn("nak failed; the message comes again after ack_wait", "id", d.ID, "err", nerr)
		}
	}
}

func call(ctx context.Context, h ports.Handler, d ports.Delivery) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return h(ctx, d)
}

// giveUp publishes a dead letter, then terminates the message. If the dead
// letter cannot be stored the message is retried later instead: nothing is lost.
func (b *Bus) giveUp(log *slog.Logger, spec ports.ConsumerSpec, msg jetstream.Msg, d ports.Delivery, cause error) {
	text := oneLine(cause.Error())
	if spec.DeadLetters {
		log.Error("dead letter handler gave up; the dead letter stays in the stream", "id", d.ID, "attempt", d.Attempt, "err", text)
		_ = msg.TermWithReason("dead letter handler gave up")
		return
	}
	if err := b.deadLetter(spec, d, text); err != nil {
		log.Warn("storing dead letter failed; will retry", "id", d.ID, "err", err)
		_ = msg.NakWithDelay(spec.BackoffAfter(d.Attempt))
		return
	}
	log.Warn("dead-lettered", "id", d.ID, "attempt", d.Attempt, "err", text)
	if err := msg.TermWithReason("dead-lettered"); err != nil {
		log.Warn("term failed; the dead letter is de-duplicated if it comes again", "id", d.ID, "err", err)
	}
}

// deadLetter stores d under the dead-letter subjects with the error text,
// de-duplicated by consumer and message ID.
func (b *Bus) deadLetter(spec ports.ConsumerSpec, d ports.Delivery, text string) error {
	dl := &nats.Msg{Subject: b.dlq + d.Subject, Data: d.Data, Header: nats.Header{}}
	for k, v := range d.Headers {
		dl.Header.Set(k, v)
	}
	dl.Header.Set(headerID, d.ID)
	dl.Header.Set(ports.HeaderDeadError, text)
	dl.Header.Set(ports.HeaderDeadAttempts, strconv.Itoa(d.Attempt))
	dl.Header.Set(ports.HeaderDeadConsumer, spec.Name)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := b.js.PublishMsg(ctx, dl, jetstream.WithMsgID("dlq."+spec.Name+"."+d.ID), jetstream.WithExpectStream(b.cfg.Stream))
	return err
}

// delivery turns a JetStream message into the port's Delivery.
func (b *Bus) delivery(msg jetstream.Msg, dead bool) ports.Delivery {
	return b.deliveryOf(msg.Subject(), msg.Data(), msg.Headers(), dead)
}

// deliveryOf is the delivery of a message's subject, data and headers.
func (b *Bus) deliveryOf(subject string, data []byte, hdr nats.Header, dead bool) ports.Delivery {
	prefix := b.evt
	if dead {
		prefix = b.dlq
	}
	d := ports.Delivery{Subject: strings.TrimPrefix(subject, prefix), Data: data}
	d.ID = hdr.Get(jetstream.MsgIDHeader)
	if id := hdr.Get(headerID); id != "" {
		d.ID = id
	}
	for k, vs := range hdr {
		if len(vs) == 0 || hasPrefixFold(k, "Nats-") || k == headerID {
			continue
		}
		if d.Headers == nil {
			d.Headers = make(map[string]string, len(hdr))
		}
		d.Headers[k] = vs[0]
	}
	return d
}

func oneLine(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	if len(s) > 1024 {
		s = s[:1024]
	}
	return s
}
