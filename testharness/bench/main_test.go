package bench_test

import (
	"os"
	"testing"

	"github.com/revhub/revhub/adapters/kit/gctune"
)

// TestMain sets the collector as revhub's main does, so that the benchmarks
// measure the process revhub runs.
func TestMain(m *testing.M) {
	gctune.Apply(os.Getenv)
	os.Exit(m.Run())
}
