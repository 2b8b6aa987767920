package hugepages

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

const hugePage = 2 << 20

// Int32s returns n zeroed words and the function that releases them. A
// table of MinBytes or more is mapped on its own, 2 MB aligned, and marked
// for huge pages (a hint: the kernel may still use small ones); release
// unmaps it and must be called once, when no slice of it is in use, e.g. by
// runtime.AddCleanup on the table's owner. A smaller table, or one the
// kernel will not map, comes from the Go heap and release does nothing.
func Int32s(n int) (words []int32, release func()) {
	if n*4 < MinBytes {
		return make([]int32, n), func() {}
	}
	size := (n*4 + hugePage - 1) &^ (hugePage - 1)
	mem, err := unix.Mmap(-1, 0, size+hugePage, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return make([]int32, n), func() {}
	}
	off := -int(uintptr(unsafe.Pointer(unsafe.SliceData(mem)))) & (hugePage - 1)
	_ = unix.Madvise(mem[off:off+size], unix.MADV_HUGEPAGE) // a hint: without it the table still works
	return unsafe.Slice((*int32)(unsafe.Pointer(&mem[off])), n), func() { _ = unix.Munmap(mem) }
}
