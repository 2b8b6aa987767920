package gctune_test

import (
	"runtime/debug"
	"testing"

	"github.com/revhub/revhub/adapters/kit/gctune"
)

func TestApply(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "GOGC" {
				return v
			}
			return ""
		}
	}
	gctune.Apply(env(""))
	if got := debug.SetGCPercent(100); got != gctune.DefaultPercent {
		t.Fatalf("collector at %d, want %d", got, gctune.DefaultPercent)
	}
	// With GOGC set the runtime read it at start: Apply leaves it as it is.
	debug.SetGCPercent(150)
	gctune.Apply(env("150"))
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("collector at %d, want 150", got)
	}
}
