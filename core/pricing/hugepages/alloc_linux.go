package hugepages

import (
	"syscall"
	"unsafe"
)

const (
	hugePage      = 2 << 20
	madvHugePages = 0xe // MADV_HUGEPAGE
)

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
	mem, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
	if err != nil {
		return make([]int32, n), func() {}
	}
	off := -int(uintptr(unsafe.Pointer(unsafe.SliceData(mem)))) & (hugePage - 1)
	_ = syscall.Madvise(mem[off:off+size], madvHugePages) // a hint: without it the table still works
	return unsafe.Slice((*int32)(unsafe.Pointer(&mem[off])), n), func() { _ = syscall.Munmap(mem) }
}
