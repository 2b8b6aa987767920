package nacha_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/nacha"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
)

func TestOriginator_fromBindingAndSecret(t *testing.T) {
	cfg := testConfig()
	cfg.CompanyName, cfg.CompanyID, cfg.ODFIRouting, cfg.AccountRef, cfg.AccountType = "ACME HEALTH PLAN", "1123456789", "121042882", "env:ODFI_ACCT", "savings"
	b, err := nacha.New(cfg, testharness.Deps(t, "env:ODFI_ACCT", "5550001111\n"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := b.Originator(context.Background())
	want := originator()
	want.AccountType = settlement.Savings
	if err != nil || o != want {
		t.Fatalf("Originator = %+v, %v", o, err)
	}

	cfg.CompanyID, cfg.AccountRef = "", ""
	b, _ = nacha.New(cfg, testharness.Deps(t))
	if _, err := b.Originator(context.Background()); !ports.Is(ports.Unavailable, err) || !strings.Contains(err.Error(), "company_id, account_ref") {
		t.Fatalf("missing settings: %v", err)
	}
	cfg.CompanyID, cfg.AccountRef = "1123456789", "env:ODFI_ACCT"
	b, _ = nacha.New(cfg, testharness.Deps(t, "env:ODFI_ACCT", "12 34"))
	if _, err := b.Originator(context.Background()); !ports.Is(ports.Invalid, err) || strings.Contains(err.Error(), "12 34") {
		t.Fatalf("bad account number: %v", err)
	}
}

func TestConfig_originatorSettings(t *testing.T) {
	for _, tc := range []struct {
		name, path, code string
		edit             func(*nacha.Config)
	}{
		{"odfi check digit", "odfi_routing", "check_digit", func(c *nacha.Config) { c.ODFIRouting = "121042883" }},
		{"company name too long", "company_name", "invalid", func(c *nacha.Config) { c.CompanyName = "SUMMIT HEALTH PLAN INC" }},
		{"company id lower case", "company_id", "invalid", func(c *nacha.Config) { c.CompanyID = "1abc" }},
		{"account type", "account_type", "invalid", func(c *nacha.Config) { c.AccountType = "loan" }},
		{"prenote window under NACHA's minimum", "prenote_days", "invalid", func(c *nacha.Config) { c.PrenoteDays = 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			tc.edit(&cfg)
			var fe *validate.FieldError
			if err := cfg.Validate(); !errors.As(err, &fe) || fe.Path != tc.path || fe.Code != tc.code {
				t.Fatalf("got %v, want %s %s", err, tc.path, tc.code)
			}
		})
	}
}

// TestLiveFrom_countsBankingDays: three banking days after a prenote settling
// on Wednesday 2026-11-25 skip Thanksgiving and the weekend.
func TestLiveFrom_countsBankingDays(t *testing.T) {
	b, err := nacha.New(testConfig(), testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	got := b.LiveFrom(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("LiveFrom = %s, want %s", got, want)
	}
}
