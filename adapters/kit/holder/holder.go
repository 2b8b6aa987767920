// Package holder names the process holding a lease ("<host>/<pid>/<nonce>")
// and tells when such a holder has died, so that its lease can be taken
// over at once instead of when its time runs out.
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

// New returns a new holder name of this process: "<host>/<pid>/<nonce>".
func New() string {
	host, _ := os.Hostname()
	h := fmt.Sprintf("%s/%d/%s", host, os.Getpid(), nuid.Next())
	issued.Store(h, true)
	return h
}

// Gone reports whether the holder named h was a process of this host that
// has ended: its pid no longer runs, or it is this process's pid but not a
// name this process issued (the pid was reused, as a restarted container's
// pid 1 is). Of other hosts' holders it cannot tell, and says false. It
// also reads the older "<host>/<pid>" form.
func Gone(h string) bool {
	host, rest, ok := strings.Cut(h, "/")
	pidText, _, _ := strings.Cut(rest, "/")
	pid, err := strconv.Atoi(pidText)
	if me, _ := os.Hostname(); !ok || err != nil || pid <= 0 || host != me {
		return false
	}
	if pid == os.Getpid() {
		_, mine := issued.Load(h)
		return !mine
	}
	return !processAlive(pid)
}
