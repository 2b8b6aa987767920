//go:build linux

package holder

import (
	"syscall"
	"testing"
)

// A signal-0 check that is refused (not "no such process") never makes a
// holder gone: under AppArmor or SELinux a live process answers EACCES.
func TestProcessAlive_onlyESRCHMeansGone(t *testing.T) {
	defer func(k func(int, syscall.Signal) error) { kill = k }(kill)
	for _, c := range []struct {
		err  error
		want bool
	}{{nil, true}, {syscall.EPERM, true}, {syscall.EACCES, true}, {syscall.EINVAL, true}, {syscall.ESRCH, false}} {
		kill = func(int, syscall.Signal) error { return c.err }
		if got := processAlive(4242); got != c.want {
			t.Errorf("kill answering %v: alive = %v, want %v", c.err, got, c.want)
		}
	}
}
