package episode

import "slices"

// Assignment is who holds an episode and at which stage.
type Assignment struct {
	Episode string
	Biller  string // "" when unassigned
	Stage   Stage
	ByRule  string // the rule that assigned it, or "" when assigned by hand
	Org     string
	Payers  []string
}

// AssignRule gives episodes matching its conditions to a biller.
type AssignRule struct {
	Name   string   `yaml:"name" json:"name" doc:"names the rule in the work queue"`
	Orgs   []string `yaml:"orgs" json:"orgs,omitempty" doc:"organizations it applies to; empty: all"`
	Payers []string `yaml:"payers" json:"payers,omitempty" doc:"payers any of which must be on the episode; empty: all"`
	Biller string   `yaml:"biller" json:"biller" doc:"who gets the matching episodes"`
}

// AutoAssign returns a with the first matching rule's biller, unless a
// person already assigned it (hand assignments win).
func AutoAssign(a Assignment, rules []AssignRule) Assignment {
	if a.Biller != "" && a.ByRule == "" {
		return a
	}
	for _, r := range rules {
		if len(r.Orgs) > 0 && !slices.Contains(r.Orgs, a.Org) {
			continue
		}
		if len(r.Payers) > 0 && !slices.ContainsFunc(a.Payers, func(p string) bool { return slices.Contains(r.Payers, p) }) {
			continue
		}
		a.Biller, a.ByRule = r.Biller, r.Name
		return a
	}
	return a
}
