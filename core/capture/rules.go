package capture

import (
	"fmt"
	"slices"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// Rules are one (module, organization)'s capture rules, decoded from mappings.
type Rules struct {
	Module string `yaml:"module" doc:"clinical module the rules cover, e.g. outpatient, lab, pharmacy"`
	// Triggers maps a resource type to the statuses that make it billable.
	// Absent types use DefaultTriggers.
	Triggers map[string][]string `yaml:"triggers" doc:"resource type -> billable statuses"`
	Codes    []CodeMap           `yaml:"codes" doc:"how clinical codes map to the service catalogue"`
	FlatFees []FlatFee           `yaml:"flat_fees" doc:"charges that apply without their own clinical event"`
}

// CodeMap maps a clinical coding (LOINC, national procedure code, internal
// code) to a service-catalogue code. An empty Code matches any code of System
// and keeps it as the service code.
type CodeMap struct {
	System  string `yaml:"system"`
	Code    string `yaml:"code"`
	Service string `yaml:"service"`
}

// FlatFee is a charge added once per triggering resource, e.g. a
// per-encounter administration fee when an Encounter finishes.
type FlatFee struct {
	Name     string     `yaml:"name"`
	On       string     `yaml:"on" doc:"resource type that triggers the fee"`
	Classes  []string   `yaml:"classes" doc:"encounter classes it applies to (empty: all)"`
	Service  string     `yaml:"service"`
	Quantity money.Rate `yaml:"quantity"`
}

// DefaultTriggers are the billable statuses of FHIR R4 (formats.md §12.3).
var DefaultTriggers = map[string][]string{
	"Encounter":          {"finished"},
	"Procedure":          {"completed"},
	"ServiceRequest":     {"completed"},
	"MedicationDispense": {"completed"},
}

// Validate checks the rules for use.
func (r Rules) Validate() error {
	var errs validate.Errors
	for t := range r.Triggers {
		if !isTrigger(t) {
			errs.Add("triggers."+t, "unknown_resource_type", fmt.Sprintf("want one of %v", Triggers))
		}
	}
	for i, c := range r.Codes {
		p := validate.Index("codes", i)
		if c.System == "" {
			errs.Required(p + ".system")
		}
		if c.Service == "" && c.Code != "" {
			errs.Required(p + ".service")
		}
	}
	for i, f := range r.FlatFees {
		p := validate.Index("flat_fees", i)
		if f.Name == "" {
			errs.Required(p + ".name")
		}
		if !isTrigger(f.On) {
			errs.Add(p+".on", "unknown_resource_type", fmt.Sprintf("got %q, want one of %v", f.On, Triggers))
		}
		if f.Service == "" {
			errs.Required(p + ".service")
		}
		if f.Quantity.Sign() < 0 {
			errs.Add(p+".quantity", "negative", "must not be negative")
		}
	}
	return errs.Err()
}

// Line is one charge a resource version asks for, or asks to withdraw.
type Line struct {
	Key      string     // charge item key: "Procedure/p1" or "Encounter/e1#fee:admin"
	Billable bool       // false: any charge under Key must be reversed
	Service  string     // service-catalogue code (when billable)
	Quantity money.Rate // units (when billable)
}

// Intent is what one resource version means for billing.
type Intent struct {
	Source    string // "Procedure/p1"
	Version   int64
	When      time.Time
	Subject   string
	Encounter string
	Class     string // encounter class, when the source is an Encounter
	Lines     []Line
}

// Evaluate applies rules to a parsed resource. A billable resource whose
// codes map to no service is an error naming the field; the caller routes it
// to the exception queue.
func Evaluate(r Resource, rules Rules) (Intent, error) {
	when, err := r.When()
	if err != nil {
		return Intent{}, err
	}
	in := Intent{Source: r.Key(), Version: r.Version(), When: when, Encounter: r.EncounterRef()}
	if r.Subject != nil {
		in.Subject = r.Subject.Reference
	}
	if r.Class != nil {
		in.Class = r.Class.Code
	}
	statuses, ok := rules.Triggers[r.ResourceType]
	if !ok {
		statuses = DefaultTriggers[r.ResourceType]
	}
	billable := slices.Contains(statuses, r.Status)

	main := Line{Key: in.Source, Billable: billable}
	if svc, ok := rules.service(r.Codes()); ok {
		main.Service = svc
		main.Quantity = money.Int(1)
		if r.Quantity != nil && r.Quantity.Value.Sign() > 0 {
			main.Quantity = r.Quantity.Value
		}
	} else if billable && r.ResourceType != "Encounter" {
		return Intent{}, &validate.FieldError{Path: r.ResourceType + codePath(r), Code: "unknown_code",
			Msg: "no capture rule maps any of its codings to a service"}
	}
	if main.Service == "" {
		main.Billable = false // an encounter without a visit code bills only its flat fees
	}
	in.Lines = append(in.Lines, main)
	for _, f := range rules.FlatFees {
		if f.On != r.ResourceType || (len(f.Classes) > 0 && !slices.Contains(f.Classes, in.Class)) {
			continue
		}
		q := f.Quantity
		if q.IsZero() {
			q = money.Int(1)
		}
		in.Lines = append(in.Lines, Line{Key: in.Source + "#fee:" + f.Name, Billable: billable, Service: f.Service, Quantity: q})
	}
	return in, nil
}

func codePath(r Resource) string {
	if r.ResourceType == "MedicationDispense" {
		return ".medicationCodeableConcept"
	}
	return ".code"
}

func (r Rules) service(codes []Coding) (string, bool) {
	for _, c := range codes {
		for _, m := range r.Codes {
			if m.System != c.System {
				continue
			}
			if m.Code == c.Code {
				return m.Service, true
			}
			if m.Code == "" && c.Code != "" {
				return c.Code, true
			}
		}
	}
	return "", false
}
