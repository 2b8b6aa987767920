// Package nats is the bus adapter over NATS JetStream: one stream holding
// "<prefix>.evt.<tenant>.<org>.<topic>" and "<prefix>.dlq.<tenant>.<org>.<topic>",
// Nats-Msg-Id de-duplication, durable pull consumers with explicit
// acknowledgement (batch consumers keep a position instead), redelivery with
// backoff and dead letters. Without a URL it
// runs an embedded nats-server in process, with no TCP listener, storing
// under the data directory.
package nats

import (
	"time"

	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/core/validate"
)

// Config selects the server and shapes the stream.
type Config struct {
	URLRef          string        `yaml:"url_ref" doc:"secret reference to an external NATS server URL (env:REVHUB_NATS_URL); empty runs an embedded server under the data directory"`
	Stream          string        `yaml:"stream" default:"REVHUB" doc:"JetStream stream name; created or updated at start"`
	SubjectPrefix   string        `yaml:"subject_prefix" default:"revhub" doc:"first subject token; deployments sharing a NATS account need distinct prefixes and streams"`
	MaxAge          time.Duration `yaml:"max_age" default:"168h" doc:"how long the stream keeps messages and dead letters; 0 keeps them until limits apply"`
	Replicas        int           `yaml:"replicas" default:"1" doc:"stream replicas on a clustered server (1-5); the embedded server needs 1"`
	DuplicateWindow time.Duration `yaml:"duplicate_window" default:"2m" doc:"a message ID published again within this window is dropped"`
	Prefetch        int           `yaml:"prefetch" default:"64" doc:"messages a consumer fetches ahead of its handler (1-4096)"`
	LeaseTTL        time.Duration `yaml:"lease_ttl" default:"15s" doc:"how long a batch consumer's process may stay silent before a standby process takes the consumer over (1s-10m)"`
}

// Validate reports every problem with the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.URLRef != "" {
		if err := secrets.CheckRef(c.URLRef); err != nil {
			errs.Add("url_ref", "invalid", err.Error())
		}
	}
	if !isToken(c.Stream) {
		errs.Add("stream", "invalid", "want 1-64 letters, digits, '-' or '_'")
	}
	if !isToken(c.SubjectPrefix) {
		errs.Add("subject_prefix", "invalid", "want 1-64 letters, digits, '-' or '_'")
	}
	if c.MaxAge < 0 {
		errs.Add("max_age", "negative", "want 0 or a positive duration")
	}
	switch {
	case c.Replicas < 1 || c.Replicas > 5:
		errs.Add("replicas", "out_of_range", "want 1 to 5")
	case c.URLRef == "" && c.Replicas != 1:
		errs.Add("replicas", "out_of_range", "the embedded server is a single node: want 1")
	}
	switch {
	case c.DuplicateWindow < 0:
		errs.Add("duplicate_window", "negative", "want 0 or a positive duration")
	case c.MaxAge > 0 && c.DuplicateWindow > c.MaxAge:
		errs.Add("duplicate_window", "out_of_range", "must not exceed max_age")
	}
	if c.LeaseTTL < time.Second || c.LeaseTTL > 10*time.Minute {
		errs.Add("lease_ttl", "out_of_range", "want 1s to 10m")
	}
	if c.Prefetch < 1 || c.Prefetch > 4096 {
		errs.Add("prefetch", "out_of_range", "want 1 to 4096")
	}
	return errs.Err()
}

func isToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
