package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/revhub/revhub/adapters/kit/holder"
)

// A batch consumer keeps its position in a key-value bucket next to the
// stream ("<stream>_cursors", one key per consumer name) instead of
// acknowledging every message: one write per batch rather than one ack per
// message. The key is also the consumer's lease: one process consumes a name
// at a time, the others stand by until its heartbeat stops or it lets go.

// standbyPoll is how often a standby looks at the lease. The holder renews
// it five times per Config.LeaseTTL.
const standbyPoll = 250 * time.Millisecond

// errLeaseLost says another process took the consumer over.
var errLeaseLost = errors.New("another process took the consumer over")

// lease is one process's hold on a consumer's cursor.
type lease struct {
	kv    jetstream.KeyValue
	key   string
	owner string

	mu  sync.Mutex
	rev uint64
	cur cursor
}

// acquire takes the lease on a consumer's cursor, waiting while a live
// process holds it. start gives the position of a consumer that has no
// cursor yet. It returns nil, nil when ctx ends or the bus stops first.
func (b *Bus) acquire(ctx context.Context, kv jetstream.KeyValue, name string, start func() uint64) (*lease, error) {
	l := &lease{kv: kv, key: name, owner: holder.New()}
	waiting := false
	for {
		e, err := kv.Get(ctx, name)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
			l.cur = cursor{Seq: start(), Owner: l.owner, Beat: time.Now().UTC()}
			if l.rev, err = kv.Create(ctx, name, mustJSON(l.cur)); err == nil {
				return l, nil
			}
		case err == nil:
			var c cursor
			if err = json.Unmarshal(e.Value(), &c); err != nil {
				return nil, fmt.Errorf("cursor %s: %w", name, err)
			}
			if free(c, time.Now(), b.cfg.LeaseTTL) {
				c.Owner, c.Beat = l.owner, time.Now().UTC()
				if l.rev, err = kv.Update(ctx, name, mustJSON(c), e.Revision()); err == nil {
					l.cur = c
					return l, nil
				}
			} else if !waiting {
				waiting = true
				b.log.Info("standing by: another process holds the consumer", "consumer", name, "holder", c.Owner)
			}
		}
		if err != nil && !errors.Is(err, jetstream.ErrKeyExists) && !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			b.log.Warn("reading the consumer's cursor", "consumer", name, "err", err)
		}
		if !b.pause(ctx, standbyPoll) {
			return nil, nil
		}
	}
}

// pause waits d; it reports false, at once, when ctx ends or the bus stops
// or loses its connection first.
func (b *Bus) pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-b.stop:
	case <-b.closed:
	case <-t.C:
		return true
	}
	return false
}

// free says whether a cursor's holder let go or is gone: silent for
// ttl, or a process of this machine and pid namespace that has ended.
func free(c cursor, now time.Time, ttl time.Duration) bool {
	return c.Owner == "" || now.Sub(c.Beat) > ttl || holder.Gone(c.Owner)
}

// save records the position and the head's attempts, if they changed.
func (l *lease) save(ctx context.Context, seq uint64, attempts int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if seq == l.cur.Seq && attempts == l.cur.Attempts {
		return nil
	}
	c := l.cur
	c.Seq, c.Attempts = seq, attempts
	return l.write(ctx, c)
}

// beat renews the lease.
func (l *lease) beat(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.write(ctx, l.cur)
}

// release lets go of the lease, so that a standby takes over at once.
func (l *lease) release(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.cur
	c.Owner = ""
	return l.write(ctx, c)
}

func (l *lease) write(ctx context.Context, c cursor) error {
	c.Beat = time.Now().UTC()
	rev, err := l.kv.Update(ctx, l.key, mustJSON(c), l.rev)
	switch {
	case errors.Is(err, jetstream.ErrKeyRevisionMismatch):
		return errLeaseLost
	case err != nil:
		return fmt.Errorf("saving the cursor of %s: %w", l.key, err)
	}
	l.rev, l.cur = rev, c
	return nil
}

func mustJSON(c cursor) []byte {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a struct of numbers, a string and a time always encodes
	}
	return b
}
