package embedded

import (
	"path/filepath"

	"github.com/revhub/revhub/core/validate"
)

// Config is the embedded store's settings.
type Config struct {
	Path    string `yaml:"path" default:"revhub.db" doc:"SQLite database file; a relative path is resolved under the data directory"`
	Readers int    `yaml:"readers" default:"4" doc:"size of the read-only connection pool used by View"`
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.Path == "" {
		errs.Required("path")
	}
	if c.Readers < 0 || c.Readers > 64 {
		errs.Add("readers", "out_of_range", "must be between 0 and 64 (0 = default 4)")
	}
	return errs.Err()
}

func (c Config) file(dataDir string) string {
	if filepath.IsAbs(c.Path) || dataDir == "" {
		return c.Path
	}
	return filepath.Join(dataDir, c.Path)
}
