package capture_test

import (
	"testing"

	"github.com/revhub/revhub/core/capture"
)

// BenchmarkParse parses one capture event as a clinical system sends it.
func BenchmarkParse(b *testing.B) {
	data := []byte(`{"resourceType":"Procedure","id":"p-12345","meta":{"versionId":"1"},"status":"completed",` +
		`"code":{"coding":[{"system":"urn:ebm","code":"03000"}]},"subject":{"reference":"Patient/pt-12"},` +
		`"encounter":{"reference":"Encounter/e-12345"},"performedDateTime":"2026-03-03T09:30:00Z","quantity":{"value":2}}`)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := capture.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
