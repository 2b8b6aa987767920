package mappings

import (
	"errors"
	"reflect"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/episode"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
	"github.com/revhub/revhub/core/validate"
)

// Pricing is the `pricing:` section of a tenant or organization file: the
// precedence of price list kinds, the local time zone and public holidays
// the rules see, the service groups rules name, and the rule book. An
// organization's section replaces its tenant's as a whole.
type Pricing struct {
	Precedence    []string            `yaml:"precedence" doc:"price list kinds, first wins: override, contract, corporate, national, cash"`
	TimeZone      string              `yaml:"time_zone" doc:"IANA zone of the time of service the rules see, e.g. Europe/Berlin"`
	Holidays      []day.Day           `yaml:"holidays" doc:"public holidays for the rules' \"holiday\" day condition"`
	ServiceGroups map[string][]string `yaml:"service_groups" doc:"group name -> service codes, for rules' service_groups"`
	Rules         rules.Config        `yaml:"rules" doc:"the rule book (core/pricing/rules)"`
}

// Order returns the parsed precedence (pricing.StandardPrecedence when empty).
func (p *Pricing) Order() (pricing.Precedence, error) {
	if p == nil || len(p.Precedence) == 0 {
		return pricing.StandardPrecedence, nil
	}
	return pricing.ParsePrecedence(p.Precedence)
}

// Groups returns the groups a service belongs to, in name order.
func (p *Pricing) Groups(service string) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, g := range sortedKeys(p.ServiceGroups) {
		for _, s := range p.ServiceGroups[g] {
			if s == service {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// captureRules decodes and checks a `capture:` section.
func (f *file) captureRules(n *yaml.Node, path string) *capture.Rules {
	var r capture.Rules
	if !f.decodeSection(n, path, &r) {
		return nil
	}
	if err := r.Validate(); err != nil {
		f.fieldErrors(n, path, err)
		return nil
	}
	return &r
}

// pricingSection decodes and checks a `pricing:` section.
func (f *file) pricingSection(n *yaml.Node, path string) *Pricing {
	var p Pricing
	if !f.decodeSection(n, path, &p) {
		return nil
	}
	ok := true
	if len(p.Precedence) > 0 {
		if _, err := pricing.ParsePrecedence(p.Precedence); err != nil {
			var fe *validate.FieldError
			if !errors.As(err, &fe) {
				err = &validate.FieldError{Path: "precedence", Code: "invalid", Msg: err.Error()}
			}
			f.fieldErrors(n, path, err)
			ok = false
		}
	}
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			f.fieldErrors(n, path, &validate.FieldError{Path: "time_zone", Code: "invalid", Msg: "unknown IANA time zone " + quote(p.TimeZone)})
			ok = false
		}
	}
	if _, err := rules.Compile(p.Rules, p.Holidays); err != nil {
		f.fieldErrors(find(n, "rules"), joinPath(path, "rules"), err)
		ok = false
	}
	if !ok {
		return nil
	}
	return &p
}

// decodeSection decodes n strictly into v, reporting unknown keys and type errors.
func (f *file) decodeSection(n *yaml.Node, path string, v any) bool {
	if isNull(n) {
		return false
	}
	if n.Kind != yaml.MappingNode {
		f.add(n, path, "type", "expected a mapping")
		return false
	}
	before := len(*f.probs)
	f.knownKeys(n, reflect.TypeOf(v).Elem(), path)
	if err := n.Decode(v); err != nil {
		f.typeErrors(n, path, err)
	}
	return len(*f.probs) == before
}

// fieldErrors reports validation errors at the lines of their keys in n.
func (f *file) fieldErrors(n *yaml.Node, path string, err error) {
	var ves validate.Errors
	var fe *validate.FieldError
	switch {
	case errors.As(err, &ves):
	case errors.As(err, &fe):
		ves = validate.Errors{fe}
	default:
		f.add(n, path, "invalid", "%v", err)
		return
	}
	for _, e := range ves {
		at := n
		if k := find(n, e.Path); k != nil {
			at = k
		}
		msg := e.Msg
		if msg == "" {
			msg = e.Code
		}
		*f.probs = append(*f.probs, &Problem{File: f.name, Line: line(at), Path: validate.Join(path, e.Path), Code: e.Code, Msg: msg, Err: e})
	}
}

// Billing is the `billing:` section of a tenant or organization file: how
// settled episodes reach the billers' work queue. An organization's section
// replaces its tenant's as a whole.
type Billing struct {
	Assign []episode.AssignRule `yaml:"assign" doc:"auto-assignment rules, first match wins; a hand assignment stands"`
}

// billingSection decodes and checks a `billing:` section.
func (f *file) billingSection(n *yaml.Node, path string) *Billing {
	var b Billing
	if !f.decodeSection(n, path, &b) {
		return nil
	}
	var errs validate.Errors
	for i, r := range b.Assign {
		p := validate.Index("assign", i)
		if r.Name == "" {
			errs.Required(p + ".name")
		}
		if r.Biller == "" {
			errs.Required(p + ".biller")
		}
	}
	if err := errs.Err(); err != nil {
		f.fieldErrors(n, path, err)
		return nil
	}
	return &b
}
