// Package mail delivers invoices by e-mail over SMTP: the rendered
// documents attached, STARTTLS whenever the relay offers it (required
// before a password is sent), AUTH PLAIN with a password resolved from
// password_ref, and a Message-ID derived from the idempotency key so a
// retried delivery is recognisable as the same message.
package mail

import (
	"net/mail"
	"strings"
	"time"

	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/core/validate"
)

// Config is one SMTP relay and sender.
type Config struct {
	Host        string        `yaml:"host" required:"true" doc:"relay address as host:port (port 587 when omitted)"`
	From        string        `yaml:"from" required:"true" doc:"sender address, e.g. Rechnung <billing@clinic.example>"`
	User        string        `yaml:"user" doc:"AUTH PLAIN login; empty: no authentication"`
	PasswordRef string        `yaml:"password_ref" doc:"secret reference of the password (env:NAME or file:/path); required with user"`
	TLSCARef    string        `yaml:"tls_ca_ref" doc:"secret reference of PEM certificates to trust for STARTTLS besides the system roots"`
	Timeout     time.Duration `yaml:"timeout" default:"30s" doc:"budget for one message, from dial to the relay's answer"`
}

// Validate reports every problem with the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.Host == "" {
		errs.Required("host")
	}
	if c.From == "" {
		errs.Required("from")
	} else if _, err := mail.ParseAddress(c.From); err != nil {
		errs.Add("from", "invalid", "want an e-mail address")
	}
	if c.User != "" && c.PasswordRef == "" {
		errs.Add("password_ref", "required", "set password_ref with user")
	}
	for key, ref := range map[string]string{"password_ref": c.PasswordRef, "tls_ca_ref": c.TLSCARef} {
		if ref != "" && secrets.CheckRef(ref) != nil {
			errs.Add(key, "invalid", secrets.ErrBadRef.Error())
		}
	}
	if c.Timeout <= 0 {
		errs.Add("timeout", "invalid", "want a positive duration such as 30s")
	}
	return errs.Err()
}

func (c Config) addr() string {
	if strings.LastIndex(c.Host, ":") > strings.LastIndex(c.Host, "]") {
		return c.Host
	}
	return c.Host + ":587"
}
