package hugepages_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/revhub/revhub/core/pricing/hugepages"
)

// TestInt32s_smallTablesLiveOnTheHeap: below MinBytes nothing is mapped.
func TestInt32s_smallTablesLiveOnTheHeap(t *testing.T) {
	w, release := hugepages.Int32s(100)
	if len(w) != 100 {
		t.Fatalf("len %d, want 100", len(w))
	}
	w[99] = 7
	release()
	if w[99] != 7 {
		t.Fatal("a heap table must stay usable: release does nothing to it")
	}
}

// TestInt32s_largeTablesAreZeroedAlignedAndHuge: a large table is zeroed,
// writable, 2 MB aligned and, where the kernel offers transparent huge
// pages on request, backed by them.
func TestInt32s_largeTablesAreZeroedAlignedAndHuge(t *testing.T) {
	const n = 16 << 20 / 4
	w, release := hugepages.Int32s(n)
	defer release()
	if len(w) != n {
		t.Fatalf("len %d, want %d", len(w), n)
	}
	for i := 0; i < n; i += 1024 {
		if w[i] != 0 {
			t.Fatalf("word %d is %d, want a zeroed table", i, w[i])
		}
		w[i] = int32(i)
	}
	addr := uintptr(unsafe.Pointer(&w[0]))
	if mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || !strings.Contains(string(mode), "[madvise]") && !strings.Contains(string(mode), "[always]") {
		t.Skipf("transparent huge pages are not offered on request here (%q): only the fallback is exercised", strings.TrimSpace(string(mode)))
	}
	if addr&(2<<20-1) != 0 {
		t.Fatalf("table at %#x is not 2 MB aligned", addr)
	}
	if kb := anonHugeKB(t, addr); kb == 0 {
		t.Fatalf("the table's mapping at %#x has no huge pages (AnonHugePages: 0 kB in /proc/self/smaps)", addr)
	}
}

// anonHugeKB returns the AnonHugePages of the mapping holding addr.
func anonHugeKB(t *testing.T, addr uintptr) int {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		f := strings.Fields(sc.Text()) // "lo-hi perms …" opens a mapping, "Name: value kB" describes it
		switch {
		case len(f) < 2:
		case !strings.HasSuffix(f[0], ":"):
			lo, hi, _ := strings.Cut(f[0], "-")
			a, _ := strconv.ParseUint(lo, 16, 64)
			b, _ := strconv.ParseUint(hi, 16, 64)
			in = uint64(addr) >= a && uint64(addr) < b
		case in && f[0] == "AnonHugePages:":
			kb, _ := strconv.Atoi(f[1])
			return kb
		}
	}
	t.Fatalf("no mapping holds %#x in /proc/self/smaps", addr)
	return 0
}
