package rules

import (
	"math/bits"
	"time"

	"github.com/revhub/revhub/core/pricing/day"
)

// Clock is a charge's local date of service and minute of the day: what the
// rules' time conditions and rule versions are read against.
type Clock struct {
	Day    day.Day
	Minute int
}

// ClockOf reads t's date and minute of the day in t's own location.
func ClockOf(t time.Time) Clock {
	d, sec := day.Local(t)
	return Clock{Day: d, Minute: sec / 60}
}

// selectionWords is how many mask words a Selection holds inline: rule
// books of up to 256 rule versions select without allocating.
const selectionWords = 4

// Selection is the rules whose conditions hold for one charge, exclusive
// groups settled, as a bit per rule in application order. Select fills it
// from the facts alone, so a caller can find it while the price is still
// being looked up; Prepare and ApplyPrepared then apply it to the price.
type Selection struct {
	inline [selectionWords]uint64
	more   []uint64 // rule books of more than 256 rule versions
}

// masks returns the selection's n words.
func (sel *Selection) masks(n int) []uint64 {
	if n <= selectionWords {
		return sel.inline[:n]
	}
	if cap(sel.more) < n {
		sel.more = make([]uint64, n)
	}
	return sel.more[:n]
}

// Select sets sel to the rules in force on at.Day whose conditions hold for
// f at that time, keeping only the first of each exclusive group.
func (s *Set) Select(sel *Selection, f *Facts, at Clock) {
	out := sel.masks(s.index.words)
	q := s.index.query(f, at, s.holiday(at.Day))
	var used [maxGroups / 64]uint64
	for w := range out {
		m := s.index.word(&q, w)
		for rest := m; rest != 0; {
			bit := rest & -rest
			rest &^= bit
			g := s.groups[w<<6|bits.TrailingZeros64(bit)]
			if g < 0 {
				continue
			}
			if used[g>>6]&(1<<(g&63)) != 0 { // taken in an earlier word
				m &^= bit
				continue
			}
			used[g>>6] |= 1 << (g & 63)
			others := s.index.groupMask[int(g)*s.index.words+w] &^ bit
			m &^= others
			rest &^= others
		}
		out[w] = m
	}
}

// Prepare appends to dst, for each selected rule in priority order up to
// the first not_billable one, what its Applied holds whatever the price:
// rule, version, action, reason and, for add_charge, the service, quantity
// and whether the tariff prices it. A caller can prepare while the price is
// still being looked up; ApplyPrepared then fills in the amounts. With a
// dst of enough capacity it does not allocate.
func (s *Set) Prepare(sel *Selection, dst []Applied) []Applied {
	for w, m := range sel.masks(s.index.words) {
		for ; m != 0; m &= m - 1 {
			c := &s.rules[w<<6|bits.TrailingZeros64(m)]
			if n := len(dst); n < cap(dst) {
				dst = dst[:n+1]
			} else {
				dst = append(dst, Applied{})
			}
			c.prepare(&dst[len(dst)-1])
			if c.kind == NotBillable {
				return dst
			}
		}
	}
	return dst
}

// ApplyPrepared runs the rules prepared for sel over base, in priority
// order: applied is Prepare's result, whose entries from index from on are
// the ones it appended. It writes the result to *res (which it overwrites;
// its Applied is applied) and each rule's amounts to its entry. It leaves
// *res unspecified on error.
func (s *Set) ApplyPrepared(res *Result, sel *Selection, base *Base, applied []Applied, from int) error {
	*res = Result{UnitPrice: base.UnitPrice, Amount: base.Amount, Applied: applied}
	i := from
	for w, m := range sel.masks(s.index.words) {
		for ; m != 0 && i < len(applied); m &= m - 1 {
			if err := s.rules[w<<6|bits.TrailingZeros64(m)].apply(res, base.Quantity, &applied[i]); err != nil {
				return err
			}
			i++
		}
	}
	return nil
}

// holiday reports whether d is one of the zone's public holidays.
func (s *Set) holiday(d day.Day) bool {
	i := int64(d) - int64(s.holidayFrom)
	return i >= 0 && i < int64(len(s.holidayBits))*64 && s.holidayBits[i>>6]&(1<<(i&63)) != 0
}

// setHolidays stores the holidays as a bit per day from the first one.
func (s *Set) setHolidays(ds []day.Day) {
	if len(ds) == 0 {
		return
	}
	lo, hi := ds[0], ds[0]
	for _, d := range ds {
		lo, hi = min(lo, d), max(hi, d)
	}
	s.holidayFrom, s.holidayBits = lo, make([]uint64, (int64(hi)-int64(lo))/64+1)
	for _, d := range ds {
		i := int64(d) - int64(lo)
		s.holidayBits[i>>6] |= 1 << (i & 63)
	}
}
