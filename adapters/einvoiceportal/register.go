package einvoiceportal

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.InvoiceDeliverers, ports.Spec{
		Name:    "einvoice_portal",
		Summary: "Uploads the e-invoice to an HTTP e-invoicing portal (OAuth2 client credentials, Idempotency-Key, rejections with the portal's reason).",
		Examples: []string{"endpoint: https://portal.example/v1/invoices\ntoken_url: https://portal.example/oauth/token\n" +
			"client_id: clinic-billing\nclient_secret_ref: env:PORTAL_SECRET\nmedia_type: application/xml\nattempts: 3\nbackoff: 2s\ntimeout: 30s\n"},
	}, func(cfg Config, deps ports.Deps) (ports.InvoiceDeliverer, error) {
		p, err := New(cfg, deps)
		if err != nil {
			return nil, err
		}
		return p, nil
	})
}
