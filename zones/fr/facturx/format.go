package facturx

import (
	"github.com/revhub/revhub/zones/eu/en16931"
)

// New returns a Factur-X formatter for cfg's profile.
func New(cfg Config) (*en16931.Formatter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &en16931.Formatter{Op: "facturx.Format", Syntax: en16931.CII, Profile: profiles[cfg.Profile]}, nil
}
