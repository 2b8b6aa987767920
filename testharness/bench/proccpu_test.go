package bench_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// cpuUsers are the processes whose CPU time a capture run reports per
// event: this test binary and the local PostgreSQL and NATS servers.
var cpuUsers = []string{"go", "postgres", "nats-server"}

// procTicks returns the CPU time (user + system, in clock ticks of 10 ms)
// used so far by each of cpuUsers, summed over their processes, from
// /proc; nil where /proc cannot be read. Servers on another host are not seen.
func procTicks() map[string]int64 {
	self := strconv.Itoa(os.Getpid())
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	out := map[string]int64{}
	for _, d := range dirs {
		b, err := os.ReadFile(d + "/stat")
		if err != nil {
			continue
		}
		open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if open < 0 || end < open {
			continue
		}
		name := string(b[open+1 : end])
		if filepath.Base(d) == self {
			name = "go"
		}
		f := bytes.Fields(b[end+1:])
		if len(f) < 14 {
			continue
		}
		user, _ := strconv.ParseInt(string(f[11]), 10, 64)
		sys, _ := strconv.ParseInt(string(f[12]), 10, 64)
		out[name] += user + sys
	}
	return out
}

// reportCPU reports, for each of cpuUsers seen, the CPU time it used since
// before (from procTicks) per event (or row), as <name>-cpu-µs/event.
func reportCPU(b *testing.B, before map[string]int64, events int) {
	after := procTicks()
	for _, name := range cpuUsers {
		if _, ok := after[name]; ok {
			b.ReportMetric(float64(after[name]-before[name])*10_000/float64(events), name+"-cpu-µs/event")
		}
	}
}
