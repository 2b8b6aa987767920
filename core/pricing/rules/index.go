package rules

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/revhub/revhub/core/pricing/day"
)

// index finds the rules whose conditions hold for a charge without testing
// every rule: each condition is turned into bit masks, one bit per rule in
// application order, 64 rules to a word. A charge's candidates are the AND
// of the masks its facts and date select; only exclusive groups are left to
// check per rule.
type index struct {
	words int // uint64 words per mask
	// hours: segment k of the day is [hours[k-1], hours[k]) in minutes;
	// hourMask[k*words:] has the rules whose hours hold in it.
	hours    []int
	hourMask []uint64
	// dayMask[(weekday + 7×holiday)*words:] has the rules whose days hold.
	dayMask []uint64
	// ages: like hours; noAge has the rules without an age condition.
	ages    []int
	ageMask []uint64
	noAge   []uint64
	// periods: like hours, over days: the rule versions in force.
	periods    []int
	periodMask []uint64
	// groupMask[g*words:] has the rules of exclusive group g.
	groupMask []uint64
	fields    []fieldIndex // only fields some rule has a condition on
}

// fieldIndex is one string condition: the rules without it, and per value
// the rules listing that value. Values are sorted by their prefix key so a
// lookup compares integers and, on a key match, one string: no hashing.
type fieldIndex struct {
	field  field
	any    []uint64
	keys   []uint64 // prefixKey of values[k], ascending
	values []string
	masks  []uint64 // masks[k*words:] has the rules listing values[k]
}

// prefixKey packs the first 8 bytes of s, big-endian, zero-padded: it orders
// like s on those bytes; equal keys need a full comparison.
func prefixKey(s string) uint64 {
	n := min(len(s), 8)
	var k uint64
	for i := range n {
		k = k<<8 | uint64(s[i])
	}
	return k << (8 * (8 - n))
}

// lookup returns the offset in fi.masks of value s, or -1.
func (fi *fieldIndex) lookup(s string, words int) int {
	k := prefixKey(s)
	lo, hi := 0, len(fi.keys)
	for hi-lo > 8 { // narrow to a few keys around the first key ≥ k
		m := int(uint(lo+hi) >> 1)
		if fi.keys[m] < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for i := lo; i < len(fi.keys) && fi.keys[i] <= k; i++ {
		if fi.keys[i] == k && fi.values[i] == s {
			return i * words
		}
	}
	return -1
}

// field names a string condition and the fact it tests.
type field uint8

const (
	fService field = iota
	fServiceGroups
	fPractitioners
	fRoles
	fSexes
	fPatientFlags
	fEncounterClasses
	fPayers
	fPlans
	fOrgs
	nFields
)

// list returns the rule's values for the field.
func (w *Conditions) list(f field) []string {
	return [nFields][]string{w.Services, w.ServiceGroups, w.Practitioners, w.Roles, w.Sexes,
		w.PatientFlags, w.EncounterClasses, w.Payers, w.Plans, w.Orgs}[f]
}

// facts returns the charge's value for a single-valued field, or its values.
func (f *Facts) facts(k field) (one string, many []string, single bool) {
	switch k {
	case fServiceGroups:
		return "", f.ServiceGroups, false
	case fRoles:
		return "", f.Roles, false
	case fPatientFlags:
		return "", f.PatientFlags, false
	case fService:
		return f.Service, nil, true
	case fPractitioners:
		return f.Practitioner, nil, true
	case fSexes:
		return f.Sex, nil, true
	case fEncounterClasses:
		return f.EncounterClass, nil, true
	case fPayers:
		return f.Payer, nil, true
	case fPlans:
		return f.Plan, nil, true
	default:
		return f.Org, nil, true
	}
}

func newIndex(rs []compiled) index {
	ix := index{words: (len(rs) + 63) / 64}
	set := func(m []uint64, i int) { m[i>>6] |= 1 << (i & 63) }
	// segments splits the integers at the bounds and returns, per segment,
	// the rules for which ok holds on it (rules without the condition always).
	segments := func(bounds []int, has func(*compiled) bool, ok func(*compiled, int) bool) ([]int, []uint64) {
		slices.Sort(bounds)
		bounds = slices.Compact(bounds)
		masks := make([]uint64, (len(bounds)+1)*ix.words)
		for k := range len(bounds) + 1 {
			v := 0 // a value in segment k
			if k == 0 && len(bounds) > 0 {
				v = bounds[0] - 1
			} else if k > 0 {
				v = bounds[k-1]
			}
			for i := range rs {
				if !has(&rs[i]) || ok(&rs[i], v) {
					set(masks[k*ix.words:], i)
				}
			}
		}
		return bounds, masks
	}
	var hours, ages, periods []int
	groups := 0
	for i := range rs {
		periods = append(periods, int(rs[i].period.From), int(rs[i].period.To))
		groups = max(groups, rs[i].group+1)
		for _, r := range rs[i].minutes {
			hours = append(hours, r[0], r[1])
		}
		if rs[i].hasAge {
			ages = append(ages, rs[i].minAge, rs[i].maxAge+1)
		}
	}
	ix.hours, ix.hourMask = segments(hours, func(c *compiled) bool { return len(c.minutes) > 0 }, (*compiled).inHours)
	ix.ages, ix.ageMask = segments(ages, func(c *compiled) bool { return c.hasAge }, func(c *compiled, a int) bool { return a >= c.minAge && a <= c.maxAge })
	ix.periods, ix.periodMask = segments(periods, func(*compiled) bool { return true }, func(c *compiled, d int) bool { return c.period.Contains(day.Day(d)) })
	ix.groupMask = make([]uint64, groups*ix.words)
	ix.noAge = make([]uint64, ix.words)
	ix.dayMask = make([]uint64, 14*ix.words)
	for i := range rs {
		c := &rs[i]
		if !c.hasAge {
			set(ix.noAge, i)
		}
		if c.group >= 0 {
			set(ix.groupMask[c.group*ix.words:], i)
		}
		for k := range 14 {
			if c.onDay(time.Weekday(k%7), k >= 7) {
				set(ix.dayMask[k*ix.words:], i)
			}
		}
	}
	for f := range nFields {
		fi := fieldIndex{field: f, any: make([]uint64, ix.words)}
		for i := range rs {
			vs := rs[i].when.list(f)
			if len(vs) == 0 {
				set(fi.any, i)
			}
			fi.values = append(fi.values, vs...)
		}
		if len(fi.values) == 0 {
			continue
		}
		slices.SortFunc(fi.values, func(a, b string) int {
			return cmp.Or(cmp.Compare(prefixKey(a), prefixKey(b)), strings.Compare(a, b))
		})
		fi.values = slices.Compact(fi.values)
		fi.masks = make([]uint64, len(fi.values)*ix.words)
		for _, v := range fi.values {
			fi.keys = append(fi.keys, prefixKey(v))
		}
		for i := range rs {
			for _, v := range rs[i].when.list(f) {
				set(fi.masks[fi.lookup(v, ix.words):], i)
			}
		}
		ix.fields = append(ix.fields, fi)
	}
	return ix
}

func (c *compiled) inHours(minute int) bool {
	for _, r := range c.minutes {
		if r[0] < r[1] && minute >= r[0] && minute < r[1] || r[0] > r[1] && (minute >= r[0] || minute < r[1]) {
			return true
		}
	}
	return false
}

func (c *compiled) onDay(wd time.Weekday, holiday bool) bool {
	return c.days == 0 && !c.holiday || c.days&(1<<wd) != 0 || c.holiday && holiday
}

// segment returns the index of the segment of bounds that holds v.
func segment(bounds []int, v int) int {
	lo, hi := 0, len(bounds)
	for lo < hi { // first bound > v
		m := int(uint(lo+hi) >> 1)
		if bounds[m] <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// query holds, for one charge, the offsets of the masks its facts select.
type query struct {
	f                  *Facts
	hour, days, period int
	age                int // -1: age unknown
}

func (ix *index) query(f *Facts, at Clock, holiday bool) query {
	q := query{f: f, hour: segment(ix.hours, at.Minute) * ix.words, days: int(at.Day.Weekday()) * ix.words,
		period: segment(ix.periods, int(at.Day)) * ix.words, age: -1}
	if holiday {
		q.days += 7 * ix.words
	}
	if f.AgeKnown {
		q.age = segment(ix.ages, f.Age) * ix.words
	}
	return q
}

// word returns word w of the mask of rules whose conditions hold for q.
func (ix *index) word(q *query, w int) uint64 {
	m := ix.hourMask[q.hour+w] & ix.dayMask[q.days+w] & ix.periodMask[q.period+w]
	if q.age < 0 {
		m &= ix.noAge[w]
	} else {
		m &= ix.ageMask[q.age+w]
	}
	for i := range ix.fields {
		if m == 0 {
			return 0
		}
		fi := &ix.fields[i]
		ok := fi.any[w]
		if m&^ok == 0 { // no candidate left has this condition: skip reading the fact
			continue
		}
		one, many, single := q.f.facts(fi.field)
		if single {
			if k := fi.lookup(one, ix.words); k >= 0 {
				ok |= fi.masks[k+w]
			}
		}
		for _, s := range many {
			if k := fi.lookup(s, ix.words); k >= 0 {
				ok |= fi.masks[k+w]
			}
		}
		m &= ok
	}
	return m
}
