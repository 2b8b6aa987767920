package nats

import (
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Embedded servers are shared by every Bus of a process that uses the same
// store directory, and shut down when the last one closes.
var (
	embeddedMu sync.Mutex
	embeddedBy = map[string]*embedded{}
)

type embedded struct {
	srv  *server.Server
	refs int
}

// acquireEmbedded starts, or shares, the in-process server storing under
// dataDir/nats. It opens no TCP port: clients connect in process.
func acquireEmbedded(dataDir string) (*server.Server, func(), error) {
	dir, err := filepath.Abs(filepath.Join(dataDir, "nats"))
	if err != nil {
		return nil, nil, err
	}
	embeddedMu.Lock()
	defer embeddedMu.Unlock()
	e := embeddedBy[dir]
	if e == nil {
		srv, err := server.NewServer(&server.Options{
			ServerName: "revhub-embedded",
			DontListen: true,
			JetStream:  true,
			StoreDir:   dir,
			NoSigs:     true,
			NoLog:      true,
		})
		if err != nil {
			return nil, nil, fmt.Errorf("embedded nats server: %w", err)
		}
		srv.Start()
		if !srv.ReadyForConnections(10 * time.Second) {
			srv.Shutdown()
			return nil, nil, fmt.Errorf("embedded nats server under %s did not start", dir)
		}
		e = &embedded{srv: srv}
		embeddedBy[dir] = e
	}
	e.refs++
	var once sync.Once
	release := func() {
		once.Do(func() {
			embeddedMu.Lock()
			defer embeddedMu.Unlock()
			if e.refs--; e.refs == 0 {
				delete(embeddedBy, dir)
				e.srv.Shutdown()
				e.srv.WaitForShutdown()
			}
		})
	}
	return e.srv, release, nil
}
