package mappings_test

import (
	"errors"
	"time"

	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// sink is the test-only port: a registry no production code knows.
type sink interface{ Settings() fileConfig }

var sinks = ports.NewRegistry[sink]("test_sink")

// fileConfig is the test adapter's settings.
type fileConfig struct {
	Path        string        `yaml:"path" required:"true" doc:"where to write"`
	Mode        string        `yaml:"mode" default:"append" doc:"append or replace"`
	Retries     int           `yaml:"retries" doc:"attempts after the first"`
	Timeout     time.Duration `yaml:"timeout" default:"5s" doc:"per attempt"`
	PasswordRef string        `yaml:"password_ref" doc:"login"`
	Tags        []struct {
		Name string `yaml:"name"`
	} `yaml:"tags" doc:"labels"`
}

func (c fileConfig) Validate() error {
	var es validate.Errors
	if c.Path == "" {
		es.Required("path")
	}
	if c.Retries < 0 {
		es.Add("retries", "negative", "must not be negative")
	}
	if c.Mode != "append" && c.Mode != "replace" {
		es.Add("mode", "invalid", "expected append or replace")
	}
	return es.Err()
}

type fileSink struct {
	cfg  fileConfig
	deps ports.Deps
}

func (s *fileSink) Settings() fileConfig { return s.cfg }

func init() {
	ports.Register(sinks, ports.Spec{Name: "test_file", Summary: "Writes to a file (test only)."},
		func(c fileConfig, d ports.Deps) (sink, error) {
			if c.Path == "/unwritable" {
				return nil, &ports.Error{Op: "test_file.New", Kind: ports.Permission, Err: errors.New("cannot open /unwritable")}
			}
			return &fileSink{cfg: c, deps: d}, nil
		})
}
