package testharness

import "os"

// Soak returns long under `make soak` (REVHUB_SOAK set) and short in
// `make test`: the size of a scenario, crash or replay run.
func Soak[T any](short, long T) T {
	if os.Getenv("REVHUB_SOAK") != "" {
		return long
	}
	return short
}
