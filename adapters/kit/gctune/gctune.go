// Package gctune sets the garbage collector of a revhub process. Capture
// allocates a few kilobytes per event and keeps about ten megabytes live, so
// at Go's default (GOGC=100) it collects about once per 1,000-event batch;
// each collection takes a share of the two stages it runs beside (preparing
// the next batch, committing the last) and, on a busy machine, stops the
// world for milliseconds. At 200 it collects half as often, for about ten
// megabytes more heap.
package gctune

import "runtime/debug"

// DefaultPercent is the collector's target heap growth when GOGC is unset.
const DefaultPercent = 200

// Apply sets the collector to DefaultPercent unless the GOGC variable
// (read by getenv) is set, which the runtime has already obeyed.
func Apply(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(DefaultPercent)
	}
}
