package ports

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
)

// Message is an event to publish. Build Subject with [Subject].
type Message struct {
	Subject string            // "<tenant>.<org>.<topic>", from Subject(tenant, org, topic)
	ID      string            // de-duplication id: a second Publish of the same ID within the window is dropped
	Data    []byte            // the payload, opaque to the bus
	Headers map[string]string // optional; keys starting "Nats-" or "Revhub-" are reserved
}

// Published is what the bus reports for one Publish.
type Published struct {
	Sequence  uint64 // the bus's position of the stored message
	Duplicate bool   // the ID was seen within the window: nothing new was stored
}

// Delivery is one attempt to hand a message to a consumer.
type Delivery struct {
	Subject string            // "<tenant>.<org>.<topic>", as published
	ID      string            // the message's de-duplication id
	Data    []byte            // the payload
	Headers map[string]string // the published headers, plus the Header* keys on dead letters
	Attempt int               // 1 on first delivery
}

// Headers a dead letter carries besides the original headers.
const (
	HeaderDeadError    = "Revhub-Error"    // the last handler error's text
	HeaderDeadAttempts = "Revhub-Attempts" // how many deliveries were tried, decimal
	HeaderDeadConsumer = "Revhub-Consumer" // the durable consumer that gave up
)

// ConsumerSpec names a durable consumer and what it receives. Processes that
// consume the same Name share its messages: each is handled by one of them.
type ConsumerSpec struct {
	Name        string          // durable name, a token: letters, digits, '-', '_'
	Tenant      string          // "" = every tenant
	Org         string          // "" = every organization
	Topic       string          // topic filter: tokens, "*" for one token, a final ">" for the rest; "" = every topic
	MaxDeliver  int             // attempts before dead-lettering; 0 = 5
	Backoff     []time.Duration // delay before attempt n+1 is Backoff[n-1], the last repeating; nil = 1s
	AckWait     time.Duration   // how long a handler may run before the message is redelivered; 0 = 30s
	DeadLetters bool            // consume the dead letters matching the filter instead of live messages (under a Name of its own)
	Commits     int             // batch consumers: batches that may commit at once (1-4); 0 = 1, one at a time, in order
}

// Handler handles one delivery. It returns nil only after the state change
// the message causes has committed: the bus then acknowledges it. An error of
// Kind Invalid or Unknown dead-letters the message at once; any other error
// redelivers it after the spec's backoff, until MaxDeliver attempts, when it
// is dead-lettered. A message may be delivered again even after nil (a lost
// acknowledgement): handlers must be idempotent by Delivery.ID.
type Handler func(ctx context.Context, d Delivery) error

// Bus carries events between revhub processes, at least once.
//
// Publish stores m durably before returning; it returns *Error with Kind
// Invalid for a malformed message and Unavailable or Transient when the bus
// cannot be reached. Consume blocks, handing messages one at a time to h with
// a context that ends after AckWait, until ctx ends or the bus closes; it then
// returns nil, and messages it had fetched but not handled go back to the
// consumer. Close stops consumers, waits for running handlers and releases the
// connection. Implementations are safe for concurrent use.
type Bus interface {
	Publish(ctx context.Context, m Message) (Published, error)
	Consume(ctx context.Context, spec ConsumerSpec, h Handler) error
	Close() error
}

// BatchPublisher is an optional Bus capability: publish many messages and
// wait once for the bus to store them all.
//
// PublishBatch checks every message first and returns *Error with Kind
// Invalid, storing nothing, when one is malformed. On any other error some
// messages may be stored: publishing the whole batch again is safe within the
// duplicate window. On success the results are in the order of ms.
type BatchPublisher interface {
	PublishBatch(ctx context.Context, ms []Message) ([]Published, error)
}

// BatchHandler handles up to a batch of deliveries at once, in two stages so
// that a consumer can pipeline batches: the handler does the work that
// changes nothing (decoding, pricing) and returns the commit, which writes
// the batch, typically in one transaction, and returns one error per
// delivery (a nil slice: all done).
type BatchHandler func(ctx context.Context, ds []Delivery) BatchCommit

// BatchCommit is the second stage of a BatchHandler.
type BatchCommit func(ctx context.Context) []error

// BatchConsumer is an optional Bus capability: Consume, but the handler gets
// up to max deliveries at a time, waiting at most wait to fill a batch. The
// consumer may run the handler on the next batch while the previous batch
// commits. It starts commits in order and runs up to spec.Commits of them at
// once (one, unless the handler is safe with overlapping commits: its
// transactions check versions, say, and redo a batch that lost a race), and
// settles each delivery by its own error, as with Consume, only after its
// batch's commit returned, batches in order. A bus may let one process at a
// time consume a Name, the others standing by until it stops or goes
// silent; after a crash or a takeover it may deliver again what was
// committed but not yet settled.
type BatchConsumer interface {
	ConsumeBatch(ctx context.Context, spec ConsumerSpec, max int, wait time.Duration, h BatchHandler) error
}

// Buses holds the bus adapters, bound under `bus:` in deployment.yaml.
var Buses = NewRegistry[Bus]("bus")

// Defaults applied to a zero ConsumerSpec field.
const (
	DefaultMaxDeliver = 5
	DefaultBackoff    = time.Second
	DefaultAckWait    = 30 * time.Second
)

// MaxCommits is the most batches a ConsumerSpec lets commit at once.
const MaxCommits = 4

// ErrBadSubject is wrapped by the subject and spec checks.
var ErrBadSubject = errors.New("bad subject")

// Subject returns the bus subject for a tenant's organization and a topic.
// Tenant and org are single tokens of letters, digits, '-' and '_'; topic is
// one or more such tokens joined by dots ("charge.created").
func Subject(tenant, org, topic string) (string, error) {
	if err := checkToken("tenant", tenant); err != nil {
		return "", err
	}
	if err := checkToken("org", org); err != nil {
		return "", err
	}
	if err := checkTopic(topic, false); err != nil {
		return "", err
	}
	return tenant + "." + org + "." + topic, nil
}

// ParseSubject splits a subject made by Subject, checking every token. It
// runs once per consumed message, so it allocates nothing when s is valid.
func ParseSubject(s string) (tenant, org, topic string, err error) {
	tenant, rest, ok1 := strings.Cut(s, ".")
	org, topic, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 {
		return "", "", "", fmt.Errorf("%w %q: want <tenant>.<org>.<topic>", ErrBadSubject, s)
	}
	if err := checkToken("tenant", tenant); err != nil {
		return "", "", "", err
	}
	if err := checkToken("org", org); err != nil {
		return "", "", "", err
	}
	if err := checkTopic(topic, false); err != nil {
		return "", "", "", err
	}
	return tenant, org, topic, nil
}

// Filter returns the spec's subject filter, "<tenant>.<org>.<topic>" with
// "*" for an empty tenant or org and ">" for an empty topic.
func (s ConsumerSpec) Filter() string {
	t, o, p := s.Tenant, s.Org, s.Topic
	if t == "" {
		t = "*"
	}
	if o == "" {
		o = "*"
	}
	if p == "" {
		p = ">"
	}
	return t + "." + o + "." + p
}

// Check reports the first problem with the spec, wrapping ErrBadSubject.
func (s ConsumerSpec) Check() error {
	if err := checkToken("consumer name", s.Name); err != nil {
		return err
	}
	if s.Tenant != "" {
		if err := checkToken("tenant", s.Tenant); err != nil {
			return err
		}
	}
	if s.Org != "" {
		if err := checkToken("org", s.Org); err != nil {
			return err
		}
	}
	if s.Topic != "" {
		if err := checkTopic(s.Topic, true); err != nil {
			return err
		}
	}
	if s.MaxDeliver < 0 || s.AckWait < 0 {
		return fmt.Errorf("%w: negative max_deliver or ack_wait", ErrBadSubject)
	}
	if s.Commits < 0 || s.Commits > MaxCommits {
		return fmt.Errorf("%w: commits must be 0 to %d", ErrBadSubject, MaxCommits)
	}
	for _, d := range s.Backoff {
		if d < 0 {
			return fmt.Errorf("%w: negative backoff %v", ErrBadSubject, d)
		}
	}
	return nil
}

// WithDefaults returns s with zero MaxDeliver, Backoff and AckWait filled in.
func (s ConsumerSpec) WithDefaults() ConsumerSpec {
	if s.MaxDeliver == 0 {
		s.MaxDeliver = DefaultMaxDeliver
	}
	if len(s.Backoff) == 0 {
		s.Backoff = []time.Duration{DefaultBackoff}
	}
	if s.AckWait == 0 {
		s.AckWait = DefaultAckWait
	}
	if s.Commits == 0 {
		s.Commits = 1
	}
	return s
}

// BackoffAfter returns the delay before the attempt following attempt n (1-based).
func (s ConsumerSpec) BackoffAfter(n int) time.Duration {
	if len(s.Backoff) == 0 {
		return DefaultBackoff
	}
	return s.Backoff[min(max(n, 1), len(s.Backoff))-1]
}

func checkTopic(topic string, filter bool) error {
	for tok, last := range tokens(topic) {
		if filter && (tok == "*" || tok == ">" && last) {
			continue
		}
		if err := checkToken("topic", tok); err != nil {
			return fmt.Errorf("%w (in %q)", err, topic)
		}
	}
	return nil
}

// tokens yields each dot-separated token of s and whether it is the last,
// without allocating.
func tokens(s string) iter.Seq2[string, bool] {
	return func(yield func(string, bool) bool) {
		for {
			tok, rest, more := strings.Cut(s, ".")
			if !yield(tok, !more) || !more {
				return
			}
			s = rest
		}
	}
}

const maxToken = 64

func checkToken(what, s string) error {
	if s == "" {
		return fmt.Errorf("%w: %s is empty", ErrBadSubject, what)
	}
	if len(s) > maxToken {
		return fmt.Errorf("%w: %s is longer than %d bytes", ErrBadSubject, what, maxToken)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			continue
		}
		return fmt.Errorf("%w: %s %q has %q at byte %d; want letters, digits, '-' or '_'", ErrBadSubject, what, s, c, i)
	}
	return nil
}
