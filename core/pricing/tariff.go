package pricing

import (
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// Tariff is an immutable, indexed set of price entries for one tenant's
// precedence order. It is safe for concurrent use.
type Tariff struct {
	prec     Precedence
	names    map[string]int32
	strs     []string
	codes    map[string]span // services without a code system (string keys hash fastest)
	sysCodes map[svcKey]span // services with a code system
	whys     []string        // distinct explanations, by series.why
	svcIDs   []svcKey
	svcStart []int32  // series of service i: series[svcStart[i]:svcStart[i+1]]
	series   []series // per service, in resolution order
	vers     []version
	froms    []day.Day // vers[i].from, packed for the binary search
	block    []int32   // hot block per service, see bHeader
	docs     []doc
	size     int
}

// series is one list's price history for one service.
type series struct {
	rank             uint8 // index in the precedence; len(prec) = not used
	kind             Kind
	list             int32
	payer, plan, org int32 // 0 = any
	lo, hi           int32 // versions, sorted by from, not overlapping
	why              int32 // index into whys
}

// span locates a service's series (lo, hi) and its hot block (blo, bhi)
// without another memory access.
type span struct{ sid, lo, hi, blo, bhi int32 }

// The hot block packs, per series of a service, the fields Resolve reads
// followed by the series' from-dates, so one service's lookup touches one
// or two adjacent cache lines instead of three arrays.
const (
	bRankKind = iota // rank<<8 | kind
	bPayer
	bPlan
	bOrg
	bList
	bWhy
	bLo // first version
	bN  // number of versions; the from-dates follow
	bHeader
)

type version struct {
	from, to day.Day
	price    money.Rate
	doc      int32
	unit     int32
	cur      int32
}

// Query asks for the price of a service for a payer, plan and organization
// on the date of service.
type Query struct {
	System, Service  string
	Payer, Plan, Org string
	Date             day.Day
}

// Resolution is the entry that applies, the precedence step that won and why.
type Resolution struct {
	Entry Entry
	Step  int    // index in the tenant's precedence
	Why   string // human explanation, stable for a given tariff
}

// Len returns the number of entries in t.
func (t *Tariff) Len() int { return t.size }

// Services returns the number of distinct services in t.
func (t *Tariff) Services() int { return len(t.svcIDs) }

// Precedence returns the tenant's order of list kinds.
func (t *Tariff) Precedence() Precedence { return t.prec }

// id maps a scope value to its interned id: 0 for "", -1 when unknown.
func (t *Tariff) id(s string) int32 {
	if s == "" {
		return 0
	}
	if v, ok := t.names[s]; ok {
		return v
	}
	return -1
}

func (t *Tariff) service(system, code string) (span, bool) {
	if system == "" {
		sp, ok := t.codes[code]
		return sp, ok
	}
	sp, ok := t.sysCodes[svcKey{system, code}]
	return sp, ok
}

func (s *series) matches(payer, plan, org int32) bool {
	return (s.payer == 0 || s.payer == payer) && (s.plan == 0 || s.plan == plan) && (s.org == 0 || s.org == org)
}

// at returns the index of the version in force on d, or -1.
func (t *Tariff) at(s *series, d day.Day) int32 {
	lo, hi := s.lo, s.hi
	for lo < hi { // first version with from > d
		m := int32(uint32(lo+hi) >> 1)
		if t.froms[m] <= d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == s.lo || t.vers[lo-1].to <= d {
		return -1
	}
	return lo - 1
}

// Resolve returns the entry in force on q.Date from the first list, in the
// tenant's precedence order, whose scope matches q. Within one kind a list
// scoped to a plan beats one scoped to a payer, which beats an unscoped one.
// It does not allocate.
func (t *Tariff) Resolve(q Query) (Resolution, bool) {
	sp, ok := t.service(q.System, q.Service)
	if !ok {
		return Resolution{}, false
	}
	payer, plan, org := t.id(q.Payer), t.id(q.Plan), t.id(q.Org)
	n := uint8(len(t.prec))
	blk := t.block[sp.blo:sp.bhi]
	for o := 0; o+bHeader <= len(blk); {
		h := blk[o : o+bHeader]
		nv := int(h[bN])
		if uint8(h[bRankKind]>>8) >= n || o+bHeader+nv > len(blk) {
			break
		}
		if (h[bPayer] == 0 || h[bPayer] == payer) && (h[bPlan] == 0 || h[bPlan] == plan) && (h[bOrg] == 0 || h[bOrg] == org) {
			froms := blk[o+bHeader : o+bHeader+nv]
			lo, hi := 0, len(froms)
			for lo < hi { // first version with from > date
				m := int(uint(lo+hi) >> 1)
				if day.Day(froms[m]) <= q.Date {
					lo = m + 1
				} else {
					hi = m
				}
			}
			if lo > 0 {
				v := h[bLo] + int32(lo-1)
				if ver := &t.vers[v]; ver.to > q.Date {
					e := t.entryOf(Kind(h[bRankKind]&0xff), h[bList], h[bPayer], h[bPlan], h[bOrg], ver)
					e.Service, e.System = q.Service, q.System
					return Resolution{Entry: e, Step: int(h[bRankKind] >> 8), Why: t.whys[h[bWhy]]}, true
				}
			}
		}
		o += bHeader + nv
	}
	return Resolution{}, false
}

func (t *Tariff) entryOf(kind Kind, list, payer, plan, org int32, ver *version) Entry {
	d := &t.docs[ver.doc]
	return Entry{
		List: t.strs[list], Kind: kind, Payer: t.strs[payer], Plan: t.strs[plan], Org: t.strs[org],
		Currency: money.Currency(t.strs[ver.cur]), UnitPrice: ver.price, Unit: t.strs[ver.unit],
		From: ver.from, To: ver.to, Version: d.version, Source: d.source, SourceSHA: d.sha,
	}
}

func (t *Tariff) entry(sid int32, s *series, v int32) Entry {
	e := t.entryOf(s.kind, s.list, s.payer, s.plan, s.org, &t.vers[v])
	k := t.svcIDs[sid]
	e.Service, e.System = k.code, k.system
	return e
}

// Entries returns every entry of t in resolution order (for export and diffs).
func (t *Tariff) Entries() []Entry {
	out := make([]Entry, 0, t.size)
	for sid := range t.svcIDs {
		for i := t.svcStart[sid]; i < t.svcStart[sid+1]; i++ {
			s := &t.series[i]
			for v := s.lo; v < s.hi; v++ {
				out = append(out, t.entry(int32(sid), s, v))
			}
		}
	}
	return out
}
