package postgres

import (
	"regexp"

	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/core/validate"
)

// Config is the PostgreSQL store's settings.
type Config struct {
	URLRef   string `yaml:"url_ref" required:"true" doc:"secret reference to the connection URL, e.g. env:REVHUB_POSTGRES_URL"`
	Schema   string `yaml:"schema" doc:"schema holding revhub's tables (created if missing); empty = the server's search_path"`
	MaxConns int    `yaml:"max_conns" default:"10" doc:"largest number of pooled connections"`
}

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.URLRef == "" {
		errs.Required("url_ref")
	} else if err := secrets.CheckRef(c.URLRef); err != nil {
		errs.Add("url_ref", "invalid", err.Error())
	}
	if c.Schema != "" && !identifier.MatchString(c.Schema) {
		errs.Add("schema", "invalid", "must be a lower-case SQL identifier (letters, digits, underscore)")
	}
	if c.MaxConns < 0 || c.MaxConns > 1000 {
		errs.Add("max_conns", "out_of_range", "must be between 1 and 1000 (0 = default 10)")
	}
	return errs.Err()
}
