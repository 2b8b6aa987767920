package nats

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/bustest"
)

const externalEnv = "REVHUB_TEST_NATS_URL"

func TestConformance_embedded(t *testing.T) {
	bustest.Run(t, bustest.Features{OrderedPerSubject: true}, embeddedBackend)
}

func TestConformance_external(t *testing.T) {
	if os.Getenv(externalEnv) == "" {
		t.Skip("SKIPPING external NATS conformance: set " + externalEnv + "=nats://127.0.0.1:4222")
	}
	bustest.Run(t, bustest.Features{OrderedPerSubject: true}, externalBackend)
}

// testConfig is the registered defaults with a short duplicate window.
func testConfig() Config {
	return Config{Stream: "REVHUB", SubjectPrefix: "revhub", MaxAge: time.Hour, Replicas: 1, DuplicateWindow: time.Minute, Prefetch: 64, LeaseTTL: 2 * time.Second}
}

type backend struct {
	cfg  Config
	deps ports.Deps
}

func (bk *backend) Open(t testing.TB) ports.Bus {
	t.Helper()
	b, err := New(bk.cfg, bk.deps)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

func (bk *backend) Kill(b ports.Bus) { b.(*Bus).kill() }

// embeddedBackend is an in-process server on a fresh data directory.
func embeddedBackend(t testing.TB) bustest.Backend {
	return &backend{cfg: testConfig(), deps: testharness.Deps(t)}
}

// externalBackend is a uniquely named stream and subject prefix on the
// external server, deleted on cleanup.
func externalBackend(t testing.TB) bustest.Backend {
	url := os.Getenv(externalEnv)
	id := uniqueID(t)
	cfg := testConfig()
	cfg.URLRef = "env:" + externalEnv
	cfg.Stream = "REVHUB_TEST_" + id
	cfg.SubjectPrefix = "revhubtest_" + id
	t.Cleanup(func() { deleteStream(t, url, cfg.Stream) })
	return &backend{cfg: cfg, deps: testharness.Deps(t, cfg.URLRef, url)}
}

func uniqueID(t testing.TB) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

func deleteStream(t testing.TB, url, stream string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := RemoveStream(ctx, url, stream); err != nil {
		t.Errorf("cleanup: %v", err)
	}
}
