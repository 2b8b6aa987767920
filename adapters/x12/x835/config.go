// Package x835 builds and parses X12 5010 835 health care claim payment
// advices (005010X221A1) from and into settlement.PaymentAdvice, enforcing
// the balancing rules on both ways. It registers the "x12_835" remittance
// adapter.
package x835

import (
	"github.com/revhub/revhub/adapters/x12"
	"github.com/revhub/revhub/core/validate"
)

// Config is the trading-partner agreement for 835 files.
type Config struct {
	SenderQualifier   string `yaml:"sender_qualifier" default:"ZZ" doc:"ISA05 interchange id qualifier of the sender: ZZ mutually defined, 01 DUNS, 30 federal TIN"`
	SenderID          string `yaml:"sender_id" required:"true" doc:"ISA06 sender id (the payer), up to 15 characters"`
	ReceiverQualifier string `yaml:"receiver_qualifier" default:"ZZ" doc:"ISA07 interchange id qualifier of the receiver"`
	ReceiverID        string `yaml:"receiver_id" required:"true" doc:"ISA08 receiver id (the provider or clearinghouse), up to 15 characters"`
	AppSender         string `yaml:"application_sender" doc:"GS02 application sender code; empty means sender_id"`
	AppReceiver       string `yaml:"application_receiver" doc:"GS03 application receiver code; empty means receiver_id"`
	Usage             string `yaml:"usage" default:"P" doc:"ISA15 usage indicator: P production, T test"`
	Delimiters        string `yaml:"delimiters" default:"*^:~" doc:"element, repetition, component and segment separators written, in that order"`
	Newline           bool   `yaml:"newline" default:"false" doc:"write a line break after every segment terminator"`
	MaxBytes          int64  `yaml:"max_bytes" default:"134217728" doc:"largest 835 file Parse accepts, in bytes"`
}

// Validate reports every problem with the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	id := func(path, s string, max int) {
		switch {
		case s == "":
			errs.Required(path)
		case len(s) > max || !ascii(s):
			errs.Add(path, "invalid", "want printable ASCII, at most "+itoa(max)+" characters")
		}
	}
	id("sender_qualifier", c.SenderQualifier, 2)
	id("sender_id", c.SenderID, 15)
	id("receiver_qualifier", c.ReceiverQualifier, 2)
	id("receiver_id", c.ReceiverID, 15)
	if c.AppSender != "" {
		id("application_sender", c.AppSender, 15)
	}
	if c.AppReceiver != "" {
		id("application_receiver", c.AppReceiver, 15)
	}
	if len(c.SenderQualifier) == 1 || len(c.ReceiverQualifier) == 1 {
		errs.Add("sender_qualifier", "invalid", "qualifiers are 2 characters")
	}
	if c.Usage != "P" && c.Usage != "T" {
		errs.Add("usage", "invalid", "want P or T")
	}
	if _, ok := c.delimiters(); !ok {
		errs.Add("delimiters", "invalid", "want 4 distinct non-alphanumeric characters, e.g. *^:~")
	}
	if c.MaxBytes < x12.ISALen {
		errs.Add("max_bytes", "invalid", "want at least 106")
	}
	return errs.Err()
}

func (c Config) delimiters() (x12.Delimiters, bool) {
	if len(c.Delimiters) != 4 {
		return x12.Delimiters{}, false
	}
	d := x12.Delimiters{Element: c.Delimiters[0], Repetition: c.Delimiters[1], Component: c.Delimiters[2], Segment: c.Delimiters[3]}
	return d, d.Valid() && ascii(c.Delimiters)
}

func ascii(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
