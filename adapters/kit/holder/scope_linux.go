package holder

import (
	"errors"
	"os"
	"strings"
	"syscall"
)

// readScope reads the boot id and the pid namespace's inode.
func readScope() string {
	boot, err1 := os.ReadFile("/proc/sys/kernel/random/boot_id")
	ns, err2 := os.Readlink("/proc/self/ns/pid") // "pid:[4026531836]"
	id := strings.ReplaceAll(strings.TrimSpace(string(boot)), "-", "")
	inode := strings.TrimSuffix(strings.TrimPrefix(ns, "pid:["), "]")
	if err1 != nil || err2 != nil || len(id) < 12 || inode == "" || strings.ContainsAny(inode, "/:[]") {
		return ""
	}
	return id[:12] + "." + inode
}

// kill is syscall.Kill (a variable so that a test can make it fail).
var kill = syscall.Kill

// processAlive says whether a process of this pid namespace may run under
// pid. Only ESRCH proves it gone: a signal-0 check refused for any other
// reason (EPERM for another user, EACCES from AppArmor or SELinux, what a
// seccomp filter returns) leaves it alive, so its lease runs out instead.
func processAlive(pid int) bool {
	return !errors.Is(kill(pid, 0), syscall.ESRCH)
}
