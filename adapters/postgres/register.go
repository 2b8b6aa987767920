package postgres

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.Stores, ports.Spec{
		Name:     "postgres",
		Summary:  "Keeps the hub's state in PostgreSQL; several revhub instances can share it.",
		Examples: []string{"url_ref: env:REVHUB_POSTGRES_URL\nschema: revhub\n"},
	}, func(cfg Config, deps ports.Deps) (ports.Store, error) { return New(cfg, deps) })
}
