package embedded

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.Stores, ports.Spec{
		Name:     "embedded",
		Summary:  "Keeps the hub's state in one SQLite file under the data directory; needs no server.",
		Examples: []string{"path: revhub.db\n"},
	}, func(cfg Config, deps ports.Deps) (ports.Store, error) { return New(cfg, deps) })
}
