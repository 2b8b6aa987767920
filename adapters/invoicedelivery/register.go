package invoicedelivery

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.InvoiceDeliverers, ports.Spec{
		Name:    "sftp_drop",
		Summary: "Drops the invoice documents as files named after the invoice number through a payout_delivery adapter (sftp: pinned host key, temp name then rename).",
		Examples: []string{"dropper:\n  sftp:\n    host: sftp.insurer.example:22\n    user: clinic\n" +
			"    host_key: \"SHA256:Jq1n7cQ0x8mW1n0cX2pA5d3o0mQ2bN9vZsL8kE4rT6Y\"\n    private_key_ref: file:/run/secrets/sftp-key\n    dir: /inbox\n"},
	}, func(cfg DropConfig, deps ports.Deps) (ports.InvoiceDeliverer, error) {
		d, err := NewDrop(cfg, deps)
		if err != nil {
			return nil, err
		}
		return d, nil
	})
	ports.Register(ports.InvoiceDeliverers, ports.Spec{
		Name:    "with_fallback",
		Summary: "Delivers through the first channel that takes the invoice: the next one is used when a channel rejects it (with a reason) or is down.",
		Examples: []string{"channels:\n  - einvoice_portal:\n      endpoint: https://portal.example/v1/invoices\n" +
			"      token_url: https://portal.example/oauth/token\n      client_id: clinic\n      client_secret_ref: env:PORTAL_SECRET\n" +
			"  - email:\n      host: smtp.clinic.example:587\n      from: billing@clinic.example\n      user: billing\n      password_ref: env:SMTP_PASSWORD\n"},
	}, func(cfg ChainConfig, deps ports.Deps) (ports.InvoiceDeliverer, error) {
		c, err := NewChain(cfg, deps)
		if err != nil {
			return nil, err
		}
		return c, nil
	})
}
