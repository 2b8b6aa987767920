//go:build !amd64

package pricing

// prefetchSlots does nothing on this architecture: the slots load when
// they are read.
func prefetchSlots(_, _ *int32) {}
