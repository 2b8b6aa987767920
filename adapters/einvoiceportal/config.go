// Package einvoiceportal uploads invoices to an HTTP e-invoicing portal:
// OAuth2 client credentials, one document per invoice sent with the
// delivery's Idempotency-Key, refusals reported with the portal's reason,
// and outages retried a few times before the portal is declared down (so a
// fallback channel can take over).
package einvoiceportal

import (
	"net/url"
	"time"

	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/core/validate"
)

// Config is one portal account.
type Config struct {
	Endpoint        string        `yaml:"endpoint" required:"true" doc:"upload URL of the portal, e.g. https://portal.example/v1/invoices"`
	TokenURL        string        `yaml:"token_url" required:"true" doc:"OAuth2 token endpoint (client credentials grant)"`
	ClientID        string        `yaml:"client_id" required:"true" doc:"OAuth2 client id of this sender"`
	ClientSecretRef string        `yaml:"client_secret_ref" required:"true" doc:"secret reference of the OAuth2 client secret (env:NAME or file:/path)"`
	Scopes          []string      `yaml:"scopes" doc:"OAuth2 scopes to ask for"`
	MediaType       string        `yaml:"media_type" default:"application/xml" doc:"which rendered document to upload: application/xml or application/pdf"`
	Attempts        int           `yaml:"attempts" default:"3" doc:"tries per delivery while the portal answers 5xx or times out"`
	Backoff         time.Duration `yaml:"backoff" default:"2s" doc:"wait before the second try, doubled for each further one"`
	Timeout         time.Duration `yaml:"timeout" default:"30s" doc:"budget for one request"`
}

// Validate reports every problem with the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	for key, v := range map[string]string{"endpoint": c.Endpoint, "token_url": c.TokenURL} {
		if v == "" {
			errs.Required(key)
		} else if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs.Add(key, "invalid", "want an http(s) URL")
		}
	}
	if c.ClientID == "" {
		errs.Required("client_id")
	}
	if c.ClientSecretRef == "" {
		errs.Required("client_secret_ref")
	} else if secrets.CheckRef(c.ClientSecretRef) != nil {
		errs.Add("client_secret_ref", "invalid", secrets.ErrBadRef.Error())
	}
	if c.MediaType != "application/xml" && c.MediaType != "application/pdf" {
		errs.Add("media_type", "unknown_code", "want application/xml or application/pdf")
	}
	if c.Attempts < 1 || c.Attempts > 10 {
		errs.Add("attempts", "invalid", "want 1 to 10")
	}
	if c.Backoff < 0 || c.Timeout <= 0 {
		errs.Add("timeout", "invalid", "want positive durations such as 30s")
	}
	return errs.Err()
}
