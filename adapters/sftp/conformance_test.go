package sftp_test

import (
	"strings"
	"testing"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/conformance/payouttest"
	"github.com/revhub/revhub/testharness/sftpserver"
)

func TestConformance(t *testing.T) {
	payouttest.RunDropper(t, func(t *testing.T) (ports.FileDropper, payouttest.DropProbe) {
		d, srv := start(t, nil)
		return d, finalFiles{srv}
	})
}

// finalFiles hides temporary names, so the suite sees what the bank's poller sees.
type finalFiles struct{ s *sftpserver.Server }

func (f finalFiles) Files() map[string][]byte {
	out := map[string][]byte{}
	for name, b := range f.s.Files() {
		if !strings.Contains(name, "/.") {
			out[name] = b
		}
	}
	return out
}
