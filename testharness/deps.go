// Package testharness holds what tests share: Deps with a test logger,
// a fixed clock and in-memory secrets, conformance suites, golden files and
// in-process stand-ins for systems that cannot run here.
package testharness

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/ports"
)

// Epoch is the fixed clock's time: 2026-01-15 09:30 UTC, a weekday.
var Epoch = time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)

// Deps returns adapter dependencies for a test: logs are kept and printed
// when the test fails (background goroutines may log after it ends), the clock
// is fixed at Epoch, secrets come from the given ref → value pairs, and
// DataDir is a fresh temporary directory.
func Deps(t testing.TB, secretPairs ...string) ports.Deps {
	m := secrets.Map{}
	for i := 0; i+1 < len(secretPairs); i += 2 {
		m[secretPairs[i]] = secretPairs[i+1]
	}
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("adapter logs:\n%s", logs.String())
		}
	})
	return ports.Deps{
		Logger:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Clock:   func() time.Time { return Epoch },
		Secrets: m,
		DataDir: t.TempDir(),
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
