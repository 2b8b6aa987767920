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
	CompanyName              string `yaml:"company_name" doc:"originator name shown to payees in each batch (healthcare EFT: the health plan), up to 16 characters; needed to release payments"`
	CompanyID                string `yaml:"company_id" doc:"company identification agreed with the ODFI, usually 1 followed by the EIN (the 835's TRN03); needed to release payments"`
	ODFIRouting              string `yaml:"odfi_routing" doc:"9-digit routing number of the originating bank; needed to release payments"`
	AccountRef               string `yaml:"account_ref" doc:"secret reference (env:NAME or file:/path) of the originating account number; needed to release payments"`
	AccountType              string `yaml:"account_type" default:"checking" doc:"originating account type: checking or savings"`
	PrenoteDays              int    `yaml:"prenote_days" default:"3" doc:"banking days after a prenote's settlement date before live entries go to the new payee account (NACHA: at least 3); 0 means 3"`
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
	c.validateOriginator(&errs)
	return errs.Err()
}

// validateOriginator checks the originating account's settings that are
// given; originator reports the ones a release needs but lacks.
func (c Config) validateOriginator(errs *validate.Errors) {
	if len(c.CompanyName) > 16 || !printable(c.CompanyName) {
		errs.Add("company_name", "invalid", "want at most 16 printable ASCII characters")
	}
	if len(c.CompanyID) > 10 || !upperAlnum(c.CompanyID) {
		errs.Add("company_id", "invalid", "want at most 10 of A-Z 0-9 (usually 1 followed by the EIN)")
	}
	if c.ODFIRouting != "" && !settlement.RoutingValid(c.ODFIRouting) {
		errs.Add("odfi_routing", "check_digit", "want a 9-digit routing number with a valid check digit")
	}
	if _, ok := settlement.ParseAccountType(orDefault(c.AccountType, "checking")); !ok {
		errs.Add("account_type", "invalid", "want checking or savings")
	}
	if c.PrenoteDays != 0 && (c.PrenoteDays < 3 || c.PrenoteDays > 30) {
		errs.Add("prenote_days", "invalid", "want 3 to 30 banking days (NACHA requires at least 3)")
	}
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

func printable(s string) bool { return strings.IndexFunc(s, notPrintable) < 0 }

// notPrintable reports a character outside printable ASCII, the only one a
// NACHA record holds.
func notPrintable(r rune) bool { return r < 0x20 || r > 0x7e }
