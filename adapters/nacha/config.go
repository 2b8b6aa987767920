// Package nacha builds NACHA ACH disbursement files with github.com/moov-io/ach:
// CCD+ healthcare EFT credits with the TRN reassociation addenda, CTX credits
// carrying an X12 payload, and prenotes; balanced or unbalanced; effective
// entry dates on the Federal Reserve banking calendar and the ODFI's cut-off.
package nacha

import (
	"fmt"
	"strings"
	"time"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
)

// Config is the ODFI agreement: who sends files to whom, and when.
type Config struct {
	ImmediateDestination     string `yaml:"immediate_destination" required:"true" doc:"9-digit routing number of the receiving point (the ODFI or its processor)"`
	ImmediateDestinationName string `yaml:"immediate_destination_name" doc:"receiving point's name, up to 23 characters"`
	ImmediateOrigin          string `yaml:"immediate_origin" required:"true" doc:"9-digit routing number, or the 10-character company id agreed with the ODFI"`
	ImmediateOriginName      string `yaml:"immediate_origin_name" doc:"originator's name in the file header, up to 23 characters"`
	EntryDescription         string `yaml:"entry_description" default:"HCCLAIMPMT" doc:"company entry description; healthcare EFT requires HCCLAIMPMT"`
	Balanced                 bool   `yaml:"balanced" default:"false" doc:"add an offsetting debit to the originating account so every batch nets to zero"`
	Cutoff                   string `yaml:"cutoff" default:"15:00" doc:"the ODFI's daily cut-off (HH:MM); files after it are processed the next banking day"`
	Timezone                 string `yaml:"timezone" default:"America/New_York" doc:"IANA time zone of the cut-off and of file dates"`
	SameDay                  bool   `yaml:"same_day" default:"false" doc:"allow Same Day ACH: an effective date equal to the processing day"`
	LineEnding               string `yaml:"line_ending" default:"lf" doc:"record separator the ODFI expects: lf or crlf"`
}

// Validate reports every problem with the settings.
func (c Config) Validate() error {
	var errs validate.Errors
	if !settlement.RoutingValid(c.ImmediateDestination) {
		errs.Add("immediate_destination", "check_digit", "want a 9-digit routing number with a valid check digit")
	}
	switch o := c.ImmediateOrigin; {
	case len(o) == 10 && upperAlnum(o):
	case settlement.RoutingValid(o):
	default:
		errs.Add("immediate_origin", "invalid", "want a 9-digit routing number or a 10-character company id")
	}
	if len(c.ImmediateDestinationName) > 23 || !printable(c.ImmediateDestinationName) {
		errs.Add("immediate_destination_name", "invalid", "want at most 23 printable ASCII characters")
	}
	if len(c.ImmediateOriginName) > 23 || !printable(c.ImmediateOriginName) {
		errs.Add("immediate_origin_name", "invalid", "want at most 23 printable ASCII characters")
	}
	if d := c.EntryDescription; d == "" || len(d) > 10 || !printable(d) {
		errs.Add("entry_description", "invalid", "want 1-10 printable ASCII characters")
	}
	if _, err := parseCutoff(c.Cutoff); err != nil {
		errs.Add("cutoff", "invalid", err.Error())
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" {
		errs.Add("timezone", "invalid", "want an IANA time zone such as America/New_York")
	}
	if c.LineEnding != "lf" && c.LineEnding != "crlf" {
		errs.Add("line_ending", "invalid", "want lf or crlf")
	}
	return errs.Err()
}

func parseCutoff(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("want HH:MM (24-hour), got %q", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func upperAlnum(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') }) < 0
}

func printable(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r > 0x7e }) < 0
}
