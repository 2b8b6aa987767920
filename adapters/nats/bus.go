package nats

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/revhub/revhub/ports"
)

// Bus publishes to and consumes from one JetStream stream.
type Bus struct {
	cfg      Config
	log      *slog.Logger
	nc       *nats.Conn
	js       jetstream.JetStream
	evt, dlq string        // subject prefixes "<prefix>.evt." and "<prefix>.dlq."
	release  func()        // gives back the embedded server; nil when external
	closed   chan struct{} // closed when the connection is closed
	stop     chan struct{} // closed by Close: consumers stop

	mu       sync.Mutex
	stopping bool
	loops    sync.WaitGroup     // running Consume calls
	cursors  jetstream.KeyValue // the batch consumers' positions, opened on first use
}

var _ ports.Bus = (*Bus)(nil)

const opNew = "nats.New"

// New connects to the configured server, or starts the embedded one, and
// creates or updates the stream.
func New(cfg Config, deps ports.Deps) (*Bus, error) {
	if err := cfg.Validate(); err != nil {
		return nil, ports.E(opNew, ports.Invalid, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := &Bus{
		cfg:    cfg,
		log:    deps.Log().With("adapter", "nats", "stream", cfg.Stream),
		evt:    cfg.SubjectPrefix + ".evt.",
		dlq:    cfg.SubjectPrefix + ".dlq.",
		closed: make(chan struct{}),
		stop:   make(chan struct{}),
	}
	opts := []nats.Option{
		nats.Name("revhub"),
		nats.ClosedHandler(func(*nats.Conn) { close(b.closed) }),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				b.log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) { b.log.Info("nats reconnected") }),
	}
	url := ""
	if cfg.URLRef != "" {
		if deps.Secrets == nil {
			return nil, ports.E(opNew, ports.Invalid, errors.New("url_ref is set but no secret resolver was given"))
		}
		v, err := deps.Secrets.Resolve(ctx, cfg.URLRef)
		if err != nil {
			return nil, ports.E(opNew, ports.KindOf(err), fmt.Errorf("url_ref: %w", err))
		}
		url = strings.TrimSpace(string(v))
		opts = append(opts, nats.MaxReconnects(-1))
	} else {
		if deps.DataDir == "" {
			return nil, ports.E(opNew, ports.Invalid, errors.New("the embedded server needs a data directory"))
		}
		srv, release, err := acquireEmbedded(deps.DataDir)
		if err != nil {
			return nil, ports.E(opNew, ports.Unavailable, err)
		}
		b.release = release
		opts = append(opts, nats.InProcessServer(srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		b.releaseServer()
		// The URL may carry credentials: never print it.
		return nil, ports.E(opNew, ports.Unavailable, fmt.Errorf("connect to nats (url from %s): %w", refName(cfg.URLRef), err))
	}
	b.nc = nc
	if b.js, err = jetstream.New(nc); err == nil {
		err = b.ensureStream(ctx)
	}
	if err != nil {
		nc.Close()
		b.releaseServer()
		return nil, ports.E(opNew, ports.Unavailable, err)
	}
	return b, nil
}

func refName(ref string) string {
	if ref == "" {
		return "embedded"
	}
	return ref
}

func (b *Bus) ensureStream(ctx context.Context) error {
	_, err := b.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        b.cfg.Stream,
		Description: "revhub events and dead letters",
		Subjects:    []string{b.evt + "*.*.>", b.dlq + "*.*.>"},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
		Discard:     jetstream.DiscardOld,
		MaxAge:      b.cfg.MaxAge,
		Replicas:    b.cfg.Replicas,
		Duplicates:  b.cfg.DuplicateWindow,
	})
	if err != nil {
		return fmt.Errorf("create or update stream %s: %w", b.cfg.Stream, err)
	}
	return nil
}

const opPublish = "nats.Publish"

// Publish stores m in the stream, de-duplicated by m.ID.
func (b *Bus) Publish(ctx context.Context, m ports.Message) (ports.Published, error) {
	if err := checkMessage(m); err != nil {
		return ports.Published{}, ports.E(opPublish, ports.Invalid, err)
	}
	ack, err := b.js.PublishMsg(ctx, b.natsMsg(m), jetstream.WithMsgID(m.ID), jetstream.WithExpectStream(b.cfg.Stream))
	if err != nil {
		return ports.Published{}, ports.E(opPublish, publishKind(err), fmt.Errorf("%s: %w", m.Subject, err))
	}
	return ports.Published{Sequence: ack.Sequence, Duplicate: ack.Duplicate}, nil
}

func (b *Bus) natsMsg(m ports.Message) *nats.Msg {
	msg := &nats.Msg{Subject: b.evt + m.Subject, Data: m.Data, Header: make(nats.Header, len(m.Headers))}
	for k, v := range m.Headers {
		msg.Header.Set(k, v)
	}
	return msg
}

func publishKind(err error) ports.Kind {
	switch {
	case errors.Is(err, nats.ErrConnectionClosed), errors.Is(err, nats.ErrNoResponders),
		errors.Is(err, jetstream.ErrNoStreamResponse):
		return ports.Unavailable
	case errors.Is(err, jetstream.ErrStreamNotFound), errors.Is(err, nats.ErrMaxPayload):
		return ports.Invalid
	}
	return ports.Transient
}

func checkMessage(m ports.Message) error {
	if _, _, _, err := ports.ParseSubject(m.Subject); err != nil {
		return err
	}
	if m.ID == "" || len(m.ID) > 256 || !printable(m.ID) {
		return fmt.Errorf("message id %q: want 1-256 printable ASCII characters", m.ID)
	}
	for k, v := range m.Headers {
		switch {
		case !isHeaderKey(k):
			return fmt.Errorf("header key %q: want letters, digits and '-'", k)
		case hasPrefixFold(k, "Nats-"), hasPrefixFold(k, "Revhub-"):
			return fmt.Errorf("header key %q is reserved", k)
		case strings.ContainsAny(v, "\r\n"):
			return fmt.Errorf("header %s: value has a line break", k)
		}
	}
	return nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func isHeaderKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Close stops the consumers, waits for running handlers, drains the
// connection and, in embedded mode, lets go of the server.
func (b *Bus) Close() error {
	b.mu.Lock()
	already := b.stopping
	b.stopping = true
	b.mu.Unlock()
	if already {
		return nil
	}
	close(b.stop)
	b.loops.Wait()
	var err error
	if !b.nc.IsClosed() {
		if err = b.nc.Drain(); err == nil {
			select {
			case <-b.closed:
			case <-time.After(30 * time.Second):
				b.nc.Close()
			}
		}
	}
	b.releaseServer()
	if err != nil {
		return ports.E("nats.Close", ports.Transient, err)
	}
	return nil
}

// kill ends the connection at once, as if the process died: no ack, no nak,
// no drain. Tests use it.
func (b *Bus) kill() {
	b.mu.Lock()
	b.stopping = true
	b.mu.Unlock()
	b.nc.Close()
	b.releaseServer()
}

func (b *Bus) releaseServer() {
	if b.release != nil {
		b.release()
	}
}
