package holder_test

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/kit/holder"
)

func TestGone(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SKIP: holders are judged on Linux only; elsewhere Gone is always false")
	}
	mine := holder.New()
	parts := strings.Split(mine, "/")
	if len(parts) != 4 {
		t.Fatalf("New() = %q, want host/pid/nonce/scope", mine)
	}
	host, scope := parts[0], parts[3]
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid // ended and reaped
	name := func(host string, pid int, scope string) string {
		return fmt.Sprintf("%s/%d/nonce/%s", host, pid, scope)
	}
	for h, want := range map[string]bool{
		mine:                                   false, // this process, a name it issued
		name(host, os.Getpid(), scope):         true,  // this pid, a name it did not issue: an earlier process
		name(host, os.Getppid(), scope):        false, // the parent runs
		name(host, dead, scope):                true,
		name(host, dead, "0123456789ab.4242"):  false, // another boot or pid namespace: cannot tell
		name("other-host", dead, scope):        false,
		fmt.Sprintf("%s/%d", host, dead):       false, // the older form names no scope
		fmt.Sprintf("%s/%d/nonce", host, dead): false,
		"nonsense":                             false,
		"":                                     false,
	} {
		if got := holder.Gone(h); got != want {
			t.Errorf("Gone(%q) = %v, want %v", h, got, want)
		}
	}
}
