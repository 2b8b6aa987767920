package holder_test

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/revhub/revhub/adapters/kit/holder"
)

func TestGone(t *testing.T) {
	host, _ := os.Hostname()
	mine := holder.New()
	cases := map[string]bool{
		mine: false, // this process, a name it issued
		fmt.Sprintf("%s/%d/other", host, os.Getpid()): true,  // this pid, not a name it issued: an earlier process
		fmt.Sprintf("%s/%d/x", host, os.Getppid()):    false, // the parent runs
		fmt.Sprintf("other-host/%d/x", os.Getpid()):   false, // another host: cannot tell
		"nonsense": false,
		"":         false,
	}
	if runtime.GOOS != "windows" {
		cmd := exec.Command("true")
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		dead := fmt.Sprintf("%s/%d/x", host, cmd.Process.Pid)
		cases[dead] = true                                        // ended and reaped
		cases[fmt.Sprintf("%s/%d", host, cmd.Process.Pid)] = true // the older form
	}
	for h, want := range cases {
		if got := holder.Gone(h); got != want {
			t.Errorf("Gone(%q) = %v, want %v", h, got, want)
		}
	}
}
