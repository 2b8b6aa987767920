package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/validate"
)

// maxGroups bounds exclusive groups so stacking needs no allocation.
const maxGroups = 256

// Set is a compiled, immutable rule book for one zone's holidays. It is safe
// for concurrent use.
type Set struct {
	rules       []compiled // in application order
	groups      []int16    // exclusive group of each rule, -1 for none
	index       index
	holidayFrom day.Day  // the first holiday
	holidayBits []uint64 // bit i: holidayFrom+i is a holiday
}

type compiled struct {
	id, version, reason string
	priority            int
	period              day.Period
	group               int // -1 = none
	when                Conditions
	minutes             [][2]int // [from, to) minutes of day; from > to wraps
	days                uint8    // bit per time.Weekday
	holiday             bool
	hasAge              bool
	minAge, maxAge      int
	kind                ActionKind
	factor              money.Rate // percent / 100
	fixed               *money.Rate
	unitPrice           money.Rate
	service             string
	quantity            money.Rate
	rounding            money.Rounding
}

var dayNames = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

// Compile validates cfg and builds a Set. holidays are the zone's public
// holidays (the "holiday" day condition). Every problem is reported with a
// path such as "rules[2].then.percent".
func Compile(cfg Config, holidays []day.Day) (*Set, error) {
	var errs validate.Errors
	s := &Set{}
	s.setHolidays(holidays)
	groups := map[string]int{}
	for i, r := range cfg.Rules {
		c, err := compileRule(r, cfg.Rounding, groups)
		if err != nil {
			errs.Merge(validate.Index("rules", i), err)
			continue
		}
		s.rules = append(s.rules, c)
	}
	if len(groups) > maxGroups {
		errs.Add("rules", "too_many_groups", fmt.Sprintf("at most %d exclusive groups", maxGroups))
	}
	slices.SortStableFunc(s.rules, func(a, b compiled) int {
		return cmp.Or(cmp.Compare(b.priority, a.priority), cmp.Compare(a.id, b.id), cmp.Compare(a.period.From, b.period.From))
	})
	for i := 1; i < len(s.rules); i++ {
		for j := i - 1; j >= 0 && s.rules[j].id == s.rules[i].id; j-- {
			if s.rules[j].period.Overlaps(s.rules[i].period) {
				errs.Add("rules", "overlap", fmt.Sprintf("rule %s: versions %s and %s overlap", s.rules[i].id, s.rules[j].version, s.rules[i].version))
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	s.index = newIndex(s.rules)
	for i := range s.rules {
		s.groups = append(s.groups, int16(s.rules[i].group))
	}
	return s, nil
}

func compileRule(r Rule, def money.Rounding, groups map[string]int) (compiled, error) {
	var errs validate.Errors
	c := compiled{id: r.ID, version: r.Version, reason: r.Then.Reason, group: -1, when: r.When,
		period: day.Period{From: r.ValidFrom, To: r.ValidTo}, kind: r.Then.Kind, service: r.Then.Service, priority: r.Priority}
	if r.ID == "" {
		errs.Required("id")
	}
	if r.Version == "" {
		errs.Required("version")
	}
	if c.period.To == 0 {
		c.period.To = day.Open
	}
	if !c.period.Valid() {
		errs.Add("valid_to", "invalid", "valid_to must be after valid_from")
	}
	if r.ExclusiveGroup != "" {
		g, ok := groups[r.ExclusiveGroup]
		if !ok {
			g = len(groups)
			groups[r.ExclusiveGroup] = g
		}
		c.group = g
	}
	for i, h := range r.When.Hours {
		from, err1 := clock(h.From)
		to, err2 := clock(h.To)
		if err1 != nil || err2 != nil || from == to || from == 24*60 {
			errs.Add(validate.Index("when.hours", i), "invalid", `want {from: "HH:MM", to: "HH:MM"} with from ≠ to`)
			continue
		}
		c.minutes = append(c.minutes, [2]int{from, to})
	}
	for i, d := range r.When.Days {
		if d == "holiday" {
			c.holiday = true
		} else if wd, ok := dayNames[strings.ToLower(d)]; ok {
			c.days |= 1 << wd
		} else {
			errs.Add(validate.Index("when.days", i), "invalid", "want a weekday name (monday … sunday) or holiday")
		}
	}
	c.minAge, c.maxAge, c.hasAge = 0, 1<<30, r.When.MinAge != nil || r.When.MaxAge != nil
	if r.When.MinAge != nil {
		c.minAge = *r.When.MinAge
	}
	if r.When.MaxAge != nil {
		c.maxAge = *r.When.MaxAge
	}
	if c.minAge < 0 || c.minAge > c.maxAge {
		errs.Add("when.min_age", "invalid", "want 0 ≤ min_age ≤ max_age")
	}
	c.rounding = r.Then.Rounding
	if c.rounding == 0 {
		c.rounding = def
	}
	a := r.Then
	switch a.Kind {
	case Surcharge, Discount:
		switch {
		case (a.Percent == nil) == (a.Amount == nil):
			errs.Add("then", "invalid", "give exactly one of percent or amount")
		case a.Percent != nil:
			f, err := money.Percent(*a.Percent)
			if err != nil || a.Percent.Sign() < 0 {
				errs.Add("then.percent", "invalid", "want a non-negative percentage")
			}
			c.factor = f
		default:
			if a.Amount.Sign() < 0 {
				errs.Add("then.amount", "negative", "want a non-negative amount; use discount to subtract")
			}
			c.fixed = a.Amount
		}
	case ReplacePrice:
		if a.UnitPrice == nil || a.UnitPrice.Sign() < 0 {
			errs.Add("then.unit_price", "required", "replace_price needs a non-negative unit_price")
		} else {
			c.unitPrice = *a.UnitPrice
		}
	case NotBillable:
	case AddCharge:
		if a.Service == "" {
			errs.Required("then.service")
		}
		if a.Quantity == nil || a.Quantity.Sign() <= 0 {
			errs.Add("then.quantity", "required", "add_charge needs a positive quantity")
		} else {
			c.quantity = *a.Quantity
		}
		if a.Amount != nil {
			if a.Amount.Sign() < 0 {
				errs.Add("then.amount", "negative", "want a non-negative amount")
			}
			c.fixed = a.Amount
		}
	default:
		errs.Add("then.kind", "invalid", "want one of "+strings.Join(actionNames[1:], ", "))
	}
	if c.rounding == 0 && (c.fixed != nil || a.Percent != nil || a.Kind == ReplacePrice) {
		errs.Add("then.rounding", "required", "name a rounding here or in the rule book")
	}
	return c, errs.Err()
}

func clock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("invalid time %q", s)
	}
	return hh*60 + mm, nil
}

// Len returns the number of rule versions in s.
func (s *Set) Len() int { return len(s.rules) }
