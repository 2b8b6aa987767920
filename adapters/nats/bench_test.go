package nats

import (
	"os"
	"testing"

	"github.com/revhub/revhub/testharness/conformance/bustest"
)

func BenchmarkPublishConsumeAck_embedded(b *testing.B) { bustest.Bench(b, embeddedBackend) }

func BenchmarkPublishConsumeAck_external(b *testing.B) {
	if os.Getenv(externalEnv) == "" {
		b.Skip("SKIPPING external NATS benchmark: set " + externalEnv + "=nats://127.0.0.1:4222")
	}
	bustest.Bench(b, externalBackend)
}

func BenchmarkPublishBatchConsumeAck_embedded(b *testing.B) {
	bustest.BenchBatch(b, embeddedBackend, 100)
}

func BenchmarkPublishBatchConsumeAck_external(b *testing.B) {
	if os.Getenv(externalEnv) == "" {
		b.Skip("SKIPPING external NATS benchmark: set " + externalEnv + "=nats://127.0.0.1:4222")
	}
	bustest.BenchBatch(b, externalBackend, 100)
}
