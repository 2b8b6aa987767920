package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// cursor is the value kept under a consumer's key.
type cursor struct {
	Seq      uint64    `json:"seq"`                // every message at or below this stream sequence is settled
	Attempts int       `json:"attempts,omitempty"` // times the first message after Seq was handed to a handler without an outcome
	Owner    string    `json:"owner,omitempty"`    // the holder's name (adapters/kit/holder); "" when let go
	Beat     time.Time `json:"heartbeat"`          // the holder's last sign of life
}

// cursorBucket opens, creating it if needed, the stream's cursor bucket.
func (b *Bus) cursorBucket(ctx context.Context) (jetstream.KeyValue, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cursors != nil {
		return b.cursors, nil
	}
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      CursorBucket(b.cfg.Stream),
		Description: "revhub batch consumers' positions and leases",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    b.cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("cursor bucket: %w", err)
	}
	b.cursors = kv
	return kv, nil
}

// CursorBucket names the key-value bucket holding a stream's batch
// consumer positions.
func CursorBucket(stream string) string { return stream + "_cursors" }

// RemoveStream deletes, on the server at url, a stream and the cursor
// bucket beside it: all a Bus on that stream keeps. Missing ones are no error.
func RemoveStream(ctx context.Context, url, stream string) error {
	nc, err := nats.Connect(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	if err := js.DeleteStream(ctx, stream); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("delete stream %s: %w", stream, err)
	}
	if err := js.DeleteKeyValue(ctx, CursorBucket(stream)); err != nil && !errors.Is(err, jetstream.ErrBucketNotFound) {
		return fmt.Errorf("delete bucket %s: %w", CursorBucket(stream), err)
	}
	return nil
}

// SavedPosition reads the stream sequence up to which the batch consumer
// name has settled every message of stream: 0 when it has saved none.
func SavedPosition(ctx context.Context, js jetstream.JetStream, stream, name string) (uint64, error) {
	kv, err := js.KeyValue(ctx, CursorBucket(stream))
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	e, err := kv.Get(ctx, name)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var c cursor
	if err := json.Unmarshal(e.Value(), &c); err != nil {
		return 0, fmt.Errorf("cursor %s: %w", name, err)
	}
	return c.Seq, nil
}
