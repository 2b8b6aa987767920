package pricing

import (
	"hash/maphash"
	"runtime"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// Tariff is an immutable, indexed set of price entries for one tenant's
// precedence order. It is safe for concurrent use. Share it by pointer,
// never copy it: its slot table may live outside the Go heap, released
// when the Tariff is collected.
type Tariff struct {
	prec     Precedence
	strs     []string
	whys     []string // distinct explanations, by series.why
	svcIDs   []svcKey
	svcStart []int32  // series of service i: series[svcStart[i]:svcStart[i+1]]
	series   []series // per service, in resolution order
	vers     []version
	docs     []doc
	metas    []meta
	seed     maphash.Seed
	slots    []int32 // cuckoo table of slotWords-word slots, see index.go
	recs     []int32 // records too long for a slot
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

// Match is what pricing needs of a resolution on its hot path: the unit
// price and currency, the precedence step that won and why, and where the
// entry is in the tariff (for its whole Entry in a trace).
type Match struct {
	UnitPrice money.Rate
	Currency  money.Currency
	Step      int
	Why       string
	sid       int32 // service
	series    int32 // ordinal of the series among the service's
	version   int32 // ordinal of the version in the series
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

// at returns the index of the version in force on d, or -1.
func (t *Tariff) at(s *series, d day.Day) int32 {
	lo, hi := s.lo, s.hi
	for lo < hi { // first version with from > d
		m := int32(uint32(lo+hi) >> 1)
		if t.vers[m].from <= d {
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
func (t *Tariff) Resolve(q Query) (res Resolution, ok bool) {
	ok = t.resolveInto(&q, &res)
	return res, ok
}

// resolveInto is Resolve filling res in place; res is left as it was when
// nothing resolves.
func (t *Tariff) resolveInto(q *Query, res *Resolution) bool {
	p := t.probe(q.System, q.Service)
	var x hit
	_, ok := t.find(q, &p, &x)
	if ok {
		t.fill(res, q, &x)
	}
	runtime.KeepAlive(t) // its slots, outside the Go heap, are unmapped when t is collected
	return ok
}

// matchProbed resolves a query whose key was probed into m.
func (t *Tariff) matchProbed(q *Query, p *probe, m *Match) bool {
	var x hit
	sid, ok := t.find(q, p, &x)
	if ok {
		t.match(m, sid, &x)
	}
	runtime.KeepAlive(t) // as in resolveInto
	return ok
}

// find reads the probed record of q's service and the version that
// resolves q in it, with the service id.
func (t *Tariff) find(q *Query, p *probe, x *hit) (sid int32, ok bool) {
	r, kw := t.record(p, q.System, q.Service)
	if r == nil {
		return 0, false
	}
	return r[rSID], t.resolve(r[rKey+kw:], q, x)
}

func (t *Tariff) entry(sid int32, s *series, v int32) Entry {
	ver, k := &t.vers[v], t.svcIDs[sid]
	d := &t.docs[ver.doc]
	return Entry{
		Service: k.code, System: k.system, List: t.strs[s.list], Kind: s.kind, Payer: t.strs[s.payer], Plan: t.strs[s.plan], Org: t.strs[s.org],
		Currency: money.Currency(t.strs[ver.cur]), UnitPrice: ver.price, Unit: t.strs[ver.unit],
		From: ver.from, To: ver.to, Version: d.version, Source: d.source, SourceSHA: d.sha,
	}
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
