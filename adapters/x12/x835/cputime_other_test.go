//go:build !unix

package x835_test

import "time"

// cpuTime is unknown here.
func cpuTime() time.Duration { return 0 }
