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

// processAlive says whether a process of this pid namespace runs under pid
// (signal 0 checks without signalling; EPERM means it runs as another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
