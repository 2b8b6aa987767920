package nats

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.Buses, ports.Spec{
		Name:    "nats",
		Summary: "Carries events over NATS JetStream: an embedded server by default, or an external cluster.",
		Examples: []string{
			"{}\n",
			"url_ref: env:REVHUB_NATS_URL\nstream: REVHUB\nreplicas: 3\nmax_age: 720h\n",
		},
	}, func(cfg Config, deps ports.Deps) (ports.Bus, error) { return New(cfg, deps) })
}
