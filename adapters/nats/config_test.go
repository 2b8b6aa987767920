package nats

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
)

func TestConfig_validate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Config)
		paths []string
	}{
		{"defaults", func(*Config) {}, nil},
		{"external", func(c *Config) { c.URLRef, c.Replicas = "env:REVHUB_NATS_URL", 3 }, nil},
		{"badRef", func(c *Config) { c.URLRef = "nats://user:pw@host" }, []string{"url_ref"}},
		{"dottedStream", func(c *Config) { c.Stream = "A.B" }, []string{"stream"}},
		{"wildPrefix", func(c *Config) { c.SubjectPrefix = "rev*" }, []string{"subject_prefix"}},
		{"embeddedReplicas", func(c *Config) { c.Replicas = 3 }, []string{"replicas"}},
		{"windowOverAge", func(c *Config) { c.DuplicateWindow = 2 * time.Hour }, []string{"duplicate_window"}},
		{"negatives", func(c *Config) { c.MaxAge, c.Prefetch = -1, 0 }, []string{"max_age", "prefetch"}},
		{"leaseTooShort", func(c *Config) { c.LeaseTTL = 500 * time.Millisecond }, []string{"lease_ttl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig()
			tc.edit(&c)
			err := c.Validate()
			var errs validate.Errors
			if len(tc.paths) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if !errors.As(err, &errs) || len(errs) != len(tc.paths) {
				t.Fatalf("Validate() = %v, want errors at %v", err, tc.paths)
			}
			for i, p := range tc.paths {
				if errs[i].Path != p {
					t.Errorf("error %d at %s, want %s", i, errs[i].Path, p)
				}
			}
		})
	}
}

// The registered defaults build an embedded bus from an empty binding.
func TestRegister_buildsEmbeddedFromDefaults(t *testing.T) {
	dec := func(into any) error { return yaml.Unmarshal([]byte("max_age: 1h\n"), into) }
	bus, err := ports.Buses.Build("nats", dec, testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	b := bus.(*Bus)
	if b.cfg.Stream != "REVHUB" || b.cfg.MaxAge != time.Hour || b.cfg.DuplicateWindow != 2*time.Minute || b.evt != "revhub.evt." {
		t.Fatalf("config = %+v", b.cfg)
	}
}

// The embedded server must never open a TCP port: a system NATS may own 4222.
func TestEmbedded_opensNoListener(t *testing.T) {
	dir := t.TempDir()
	srv, release, err := acquireEmbedded(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if addr := srv.Addr(); addr != nil {
		t.Fatalf("embedded server listens on %v", addr)
	}
	// A second bus on the same data directory shares the server.
	srv2, release2, err := acquireEmbedded(dir)
	if err != nil {
		t.Fatal(err)
	}
	release2()
	if srv2 != srv {
		t.Fatal("second acquire started another server on the same store")
	}
}

func TestNew_externalUnreachableIsUnavailable(t *testing.T) {
	c := testConfig()
	c.URLRef = "env:TEST_NATS"
	_, err := New(c, testharness.Deps(t, "env:TEST_NATS", "nats://user:s3cret@127.0.0.1:1"))
	if !ports.Is(ports.Unavailable, err) {
		t.Fatalf("New = %v, want Kind Unavailable", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error leaks the URL's credentials: %v", err)
	}
	_, err = New(testConfig(), ports.Deps{})
	if !ports.Is(ports.Invalid, err) {
		t.Fatalf("New without DataDir = %v, want Kind Invalid", err)
	}
}
