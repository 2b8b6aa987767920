package pricelist

import (
	"cmp"
	"slices"

	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
)

// Change is one entry whose price, currency, unit or end date changed.
type Change struct {
	Before pricing.Entry `json:"before"`
	After  pricing.Entry `json:"after"`
}

// Diff is what importing a new version of a price list changes, for the audit log.
type Diff struct {
	Added   []pricing.Entry `json:"added,omitempty"`
	Changed []Change        `json:"changed,omitempty"`
	Removed []pricing.Entry `json:"removed,omitempty"`
}

// Empty reports whether the new version changes nothing: a no-op re-import.
func (d Diff) Empty() bool { return len(d.Added)+len(d.Changed)+len(d.Removed) == 0 }

type key struct {
	system, service, list string
	kind                  pricing.Kind
	payer, plan, org      string
	from                  day.Day
}

func keyOf(e *pricing.Entry) key {
	return key{e.System, e.Service, e.List, e.Kind, e.Payer, e.Plan, e.Org, e.From}
}

func cmpKey(a, b key) int {
	return cmp.Or(cmp.Compare(a.system, b.system), cmp.Compare(a.service, b.service), cmp.Compare(a.list, b.list),
		cmp.Compare(a.kind, b.kind), cmp.Compare(a.payer, b.payer), cmp.Compare(a.plan, b.plan),
		cmp.Compare(a.org, b.org), cmp.Compare(a.from, b.from))
}

// Compare diffs the entries of the previous and the next version of a list.
// Entries match on code system, service, list, kind, scope and valid_from;
// a match whose price, currency, unit or valid_to differs is a change.
// Version ids, document names and hashes are not compared, so importing
// identical content again yields an empty Diff. The result is sorted.
func Compare(prev, next []pricing.Entry) Diff {
	old := make(map[key]pricing.Entry, len(prev))
	for _, e := range prev {
		old[keyOf(&e)] = e
	}
	var d Diff
	seen := make(map[key]bool, len(next))
	for _, e := range next {
		k := keyOf(&e)
		seen[k] = true
		p, ok := old[k]
		switch {
		case !ok:
			d.Added = append(d.Added, e)
		case p.UnitPrice.Cmp(e.UnitPrice) != 0 || p.Currency != e.Currency || p.Unit != e.Unit || p.To != e.To:
			d.Changed = append(d.Changed, Change{Before: p, After: e})
		}
	}
	for _, e := range prev {
		if !seen[keyOf(&e)] {
			d.Removed = append(d.Removed, e)
		}
	}
	by := func(a, b pricing.Entry) int { return cmpKey(keyOf(&a), keyOf(&b)) }
	slices.SortFunc(d.Added, by)
	slices.SortFunc(d.Removed, by)
	slices.SortFunc(d.Changed, func(a, b Change) int { return by(a.After, b.After) })
	return d
}
