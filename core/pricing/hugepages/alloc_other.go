//go:build !linux

package hugepages

// Int32s returns n zeroed words from the Go heap: huge pages are asked for
// on Linux only. release does nothing.
func Int32s(n int) (words []int32, release func()) { return make([]int32, n), func() {} }
