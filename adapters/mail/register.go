package mail

import "github.com/revhub/revhub/ports"

func init() {
	ports.Register(ports.InvoiceDeliverers, ports.Spec{
		Name:    "email",
		Summary: "Mails the invoice documents to the buyer's e-mail address over SMTP (STARTTLS, AUTH PLAIN, Message-ID from the idempotency key).",
		Examples: []string{"host: smtp.clinic.example:587\nfrom: Rechnung <billing@clinic.example>\n" +
			"user: billing\npassword_ref: env:SMTP_PASSWORD\ntimeout: 30s\n"},
	}, func(cfg Config, deps ports.Deps) (ports.InvoiceDeliverer, error) {
		s, err := New(cfg, deps)
		if err != nil {
			return nil, err
		}
		return s, nil
	})
}
