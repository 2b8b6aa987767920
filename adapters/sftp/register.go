package sftp

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.FileDrops, ports.Spec{
		Name:    "sftp",
		Summary: "Delivers payout files to a bank's SFTP drop box: pinned host key, temp name then rename, idempotent by file id.",
		Examples: []string{"host: sftp.bank.example:22\nuser: acme-ach\n" +
			"host_key: \"SHA256:Jq1n7cQ0x8mW1n0cX2pA5d3o0mQ2bN9vZsL8kE4rT6Y\"\n" +
			"private_key_ref: file:/run/secrets/bank-sftp-key\ndir: /outbound\ntimeout: 60s\n"},
	}, func(cfg Config, deps ports.Deps) (ports.FileDropper, error) {
		d, err := New(cfg, deps)
		if err != nil {
			return nil, err
		}
		return d, nil
	})
}
