// Package sftp delivers payout files to a bank's SFTP drop box: host key
// pinned, upload to a temporary name then rename, idempotent by file id, and
// an honest "outcome unknown" when the connection fails after the hand-off began.
package sftp

import (
	"strings"
	"time"

	"github.com/revhub/revhub/adapters/kit/secrets"
	"github.com/revhub/revhub/adapters/kit/sftpx"
	"github.com/revhub/revhub/core/validate"
)

// Config is one drop box.
type Config struct {
	Host          string        `yaml:"host" required:"true" doc:"server address as host:port (port 22 when omitted)"`
	User          string        `yaml:"user" required:"true" doc:"login name agreed with the bank"`
	HostKey       string        `yaml:"host_key" required:"true" doc:"pinned server key, confirmed out of band: an authorized_keys line or a SHA256:... fingerprint"`
	PasswordRef   string        `yaml:"password_ref" doc:"secret reference of the password (env:NAME or file:/path)"`
	PrivateKeyRef string        `yaml:"private_key_ref" doc:"secret reference of the unencrypted OpenSSH/PEM private key"`
	Dir           string        `yaml:"dir" default:"." doc:"remote directory the bank polls (relative to the login directory unless absolute)"`
	Timeout       time.Duration `yaml:"timeout" default:"60s" doc:"budget for one whole delivery, from dial to rename"`
}

// Validate reports every problem with the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if c.Host == "" {
		errs.Required("host")
	}
	if c.User == "" {
		errs.Required("user")
	}
	if c.HostKey == "" {
		errs.Required("host_key")
	} else if err := sftpx.CheckHostKey(c.HostKey); err != nil {
		errs.Add("host_key", "invalid", err.Error())
	}
	if c.PasswordRef == "" && c.PrivateKeyRef == "" {
		errs.Add("password_ref", "required", "set password_ref or private_key_ref")
	}
	for key, ref := range map[string]string{"password_ref": c.PasswordRef, "private_key_ref": c.PrivateKeyRef} {
		if ref != "" && secrets.CheckRef(ref) != nil {
			errs.Add(key, "invalid", secrets.ErrBadRef.Error())
		}
	}
	if c.Dir == "" || strings.Contains("/"+c.Dir+"/", "/../") {
		errs.Add("dir", "invalid", "want a clean directory path without ..")
	}
	if c.Timeout <= 0 {
		errs.Add("timeout", "invalid", "want a positive duration such as 60s")
	}
	return errs.Err()
}

func (c Config) addr() string {
	if strings.LastIndex(c.Host, ":") > strings.LastIndex(c.Host, "]") {
		return c.Host
	}
	return c.Host + ":22"
}
