// Package rules is the pricing rules engine: parametric, versioned,
// effective-dated business rules that add surcharges and discounts, replace
// prices, mark services not billable or add charges, depending on the
// service, time of service, practitioner, patient, encounter, payer, plan
// and organization.
//
// Rules are configured as plain structs (Config) that mappings decode from
// YAML, compiled once into a Set, and applied without allocating.
package rules

import (
	"fmt"
	"strings"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// Config is a tenant's or organization's rule book as written in mappings.
type Config struct {
	// Rounding applies to percents and fixed amounts of rules that name none.
	Rounding money.Rounding `yaml:"rounding" json:"rounding"`
	Rules    []Rule         `yaml:"rules" json:"rules"`
}

// Rule is one version of one business rule.
type Rule struct {
	ID          string `yaml:"id" json:"id"`
	Version     string `yaml:"version" json:"version"`
	Description string `yaml:"description" json:"description,omitempty"`
	// ValidFrom is inclusive; ValidTo exclusive, left out for no end.
	ValidFrom day.Day `yaml:"valid_from" json:"valid_from"`
	ValidTo   day.Day `yaml:"valid_to" json:"valid_to,omitempty"`
	// Priority orders rules: higher applies first; ties go by id.
	Priority int `yaml:"priority" json:"priority"`
	// ExclusiveGroup: of the matching rules sharing a group, only the first applies.
	ExclusiveGroup string     `yaml:"exclusive_group" json:"exclusive_group,omitempty"`
	When           Conditions `yaml:"when" json:"when"`
	Then           Action     `yaml:"then" json:"then"`
}

// Conditions must all hold (AND); each list matches any of its values (OR).
// An empty list places no condition.
type Conditions struct {
	Services         []string    `yaml:"services" json:"services,omitempty"`
	ServiceGroups    []string    `yaml:"service_groups" json:"service_groups,omitempty"`
	Hours            []HourRange `yaml:"hours" json:"hours,omitempty"`
	Days             []string    `yaml:"days" json:"days,omitempty"` // monday … sunday, or "holiday" for the zone's public holidays
	Practitioners    []string    `yaml:"practitioners" json:"practitioners,omitempty"`
	Roles            []string    `yaml:"roles" json:"roles,omitempty"`
	MinAge           *int        `yaml:"min_age" json:"min_age,omitempty"` // inclusive, years
	MaxAge           *int        `yaml:"max_age" json:"max_age,omitempty"` // inclusive, years
	Sexes            []string    `yaml:"sexes" json:"sexes,omitempty"`
	PatientFlags     []string    `yaml:"patient_flags" json:"patient_flags,omitempty"`
	EncounterClasses []string    `yaml:"encounter_classes" json:"encounter_classes,omitempty"`
	Payers           []string    `yaml:"payers" json:"payers,omitempty"`
	Plans            []string    `yaml:"plans" json:"plans,omitempty"`
	Orgs             []string    `yaml:"orgs" json:"orgs,omitempty"`
}

// HourRange is a local clock range [From, To) as "HH:MM"; To may be "24:00".
// When From is after To the range wraps midnight ("20:00"–"08:00").
type HourRange struct {
	From string `yaml:"from" json:"from"`
	To   string `yaml:"to" json:"to"`
}

// ActionKind is what a rule does.
type ActionKind uint8

// The actions.
const (
	_ ActionKind = iota
	// Surcharge adds Percent of the running amount, or a fixed Amount.
	Surcharge
	// Discount subtracts Percent of the running amount, or a fixed Amount (never below zero).
	Discount
	// ReplacePrice sets the unit price to UnitPrice and recomputes the amount.
	ReplacePrice
	// NotBillable sets the amount to zero and stops further rules.
	NotBillable
	// AddCharge adds a separate charge for Service × Quantity, at Amount or else the tariff price.
	AddCharge
)

var actionNames = [...]string{"", "surcharge", "discount", "replace_price", "not_billable", "add_charge"}

// String returns the snake_case name.
func (k ActionKind) String() string {
	if k >= Surcharge && k <= AddCharge {
		return actionNames[k]
	}
	return fmt.Sprintf("action(%d)", k)
}

// MarshalText implements encoding.TextMarshaler.
func (k ActionKind) MarshalText() ([]byte, error) { return k.AppendText(nil) }

// AppendText appends k's name to b.
func (k ActionKind) AppendText(b []byte) ([]byte, error) { return append(b, k.String()...), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *ActionKind) UnmarshalText(b []byte) error {
	for i, n := range actionNames {
		if i > 0 && n == string(b) {
			*k = ActionKind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown action %q (want one of %s)", b, strings.Join(actionNames[1:], ", "))
}

// Action is what a matching rule does. Amounts are in major units of the
// charge's currency.
type Action struct {
	Kind      ActionKind     `yaml:"kind" json:"kind"`
	Percent   *money.Rate    `yaml:"percent" json:"percent,omitempty"`       // surcharge/discount: "25" = 25 %
	Amount    *money.Rate    `yaml:"amount" json:"amount,omitempty"`         // surcharge/discount fixed, or add_charge price
	UnitPrice *money.Rate    `yaml:"unit_price" json:"unit_price,omitempty"` // replace_price
	Service   string         `yaml:"service" json:"service,omitempty"`       // add_charge
	Quantity  *money.Rate    `yaml:"quantity" json:"quantity,omitempty"`     // add_charge
	Reason    string         `yaml:"reason" json:"reason,omitempty"`
	Rounding  money.Rounding `yaml:"rounding" json:"rounding,omitempty"` // overrides Config.Rounding
}
