package nats

import (
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// pullSubscription binds a pull subscription of nats.go's JetStream
// context (whose Fetch collects a batch in the caller's goroutine) to the
// durable consumer name that cons is.
func (b *Bus) pullSubscription(cons jetstream.Consumer, name string) (*nats.Subscription, error) {
	js, err := b.nc.JetStream()
	if err != nil {
		return nil, err
	}
	return js.PullSubscribe(cons.CachedInfo().Config.FilterSubject, name, nats.Bind(b.cfg.Stream, name))
}

// fetch is a pull request asked for before its messages are needed: one
// goroutine collects them into a slice, so each message passes from the
// connection's reader to this goroutine only (jetstream's Fetch adds a
// goroutine, a timer and a wrapper per message).
type fetch struct {
	done chan struct{}
	msgs []*nats.Msg
	err  error
}

// startFetch asks for up to n messages, waiting at most wait for them.
func startFetch(sub *nats.Subscription, n int, wait time.Duration) *fetch {
	f := &fetch{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		f.msgs, f.err = sub.Fetch(n, nats.MaxWait(wait))
	}()
	return f
}
