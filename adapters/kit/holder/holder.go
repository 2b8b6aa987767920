// Package holder names the process holding a lease and tells when such a
// holder has died, so that its lease can be taken over at once instead of
// when its time runs out.
//
// A name is "<host>/<pid>/<nonce>/<scope>", where scope identifies the
// machine's boot and the process's pid namespace. Only a holder of the same
// scope can be judged: its pid means the same process here. Containers with
// their own pid namespaces (even under one hostname) cannot see each other's
// processes, so their leases simply run out.
package holder

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/nats-io/nuid"
)

// issued holds every name New returned in this process.
var issued sync.Map

// scope is this process's "<boot id>.<pid namespace>", or "" where the
// system does not tell (then no holder is ever judged gone); host is its
// hostname. Both are read once: Gone runs on every standby poll.
var (
	scope   = readScope()
	host, _ = os.Hostname()
)

// New returns a new holder name of this process.
func New() string {
	h := fmt.Sprintf("%s/%d/%s", host, os.Getpid(), nuid.Next())
	if scope != "" {
		h += "/" + scope
	}
	issued.Store(h, true)
	return h
}

// Gone reports whether the holder named h was a process of this host's boot
// and pid namespace that has ended: its pid no longer runs, or it is this
// process's pid but not a name this process issued (so an earlier process
// had the pid). Of any other holder it cannot tell, and says false.
func Gone(h string) bool {
	hHost, rest, _ := strings.Cut(h, "/")
	pidText, rest, _ := strings.Cut(rest, "/")
	_, hScope, _ := strings.Cut(rest, "/")
	pid, err := strconv.Atoi(pidText)
	if scope == "" || hScope != scope || hHost != host || err != nil || pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		_, mine := issued.Load(h)
		return !mine
	}
	return !processAlive(pid)
}
