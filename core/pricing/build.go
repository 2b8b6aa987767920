package pricing

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/validate"
)

// svcKey identifies a service by code system and code.
type svcKey struct{ system, code string }

// seriesKey identifies one list's price history for one service.
type seriesKey struct {
	svc, list        int32
	kind             Kind
	payer, plan, org int32
}

// row is one version of a price, compact: strings live in interned tables.
type row struct {
	from, to day.Day
	price    money.Rate
	series   int32
	doc      int32 // index into docs: version id, source, hash
	unit     int32 // index into names
	cur      int32 // index into names
	at       int32 // position in the input, for errors
}

type doc struct{ version, source, sha string }

// Builder collects entries and builds a Tariff. It keeps only compact rows,
// so a million entries can be streamed in without holding them all.
type Builder struct {
	prec   Precedence
	names  map[string]int32 // payer, plan, org, list, unit, currency, system, code
	strs   []string
	svcs   map[svcKey]int32
	svcIDs []svcKey
	series map[seriesKey]int32
	keys   []seriesKey
	docs   map[doc]int32
	docTab []doc
	rows   []row
	errs   validate.Errors
	n      int
}

// NewBuilder starts a tariff for a tenant's precedence order.
func NewBuilder(p Precedence) (*Builder, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b := &Builder{
		prec:   slices.Clone(p),
		names:  map[string]int32{"": 0},
		strs:   []string{""},
		svcs:   map[svcKey]int32{},
		series: map[seriesKey]int32{},
		docs:   map[doc]int32{},
	}
	return b, nil
}

func (b *Builder) intern(s string) int32 {
	if id, ok := b.names[s]; ok {
		return id
	}
	id := int32(len(b.strs))
	b.names[s] = id
	b.strs = append(b.strs, s)
	return id
}

// Add validates e and records it. Problems accumulate and are reported by
// Build with the path "entries[i].field".
func (b *Builder) Add(e Entry) {
	i := b.n
	b.n++
	if err := e.Validate(); err != nil {
		b.errs.Merge(validate.Index("entries", i), err)
		return
	}
	sk := svcKey{e.System, e.Service}
	svc, ok := b.svcs[sk]
	if !ok {
		svc = int32(len(b.svcIDs))
		b.svcs[sk] = svc
		b.svcIDs = append(b.svcIDs, sk)
	}
	k := seriesKey{svc: svc, list: b.intern(e.List), kind: e.Kind, payer: b.intern(e.Payer), plan: b.intern(e.Plan), org: b.intern(e.Org)}
	s, ok := b.series[k]
	if !ok {
		s = int32(len(b.keys))
		b.series[k] = s
		b.keys = append(b.keys, k)
	}
	d := doc{e.Version, e.Source, e.SourceSHA}
	di, ok := b.docs[d]
	if !ok {
		di = int32(len(b.docTab))
		b.docs[d] = di
		b.docTab = append(b.docTab, d)
	}
	b.rows = append(b.rows, row{from: e.From, to: e.To, price: e.UnitPrice, series: s, doc: di,
		unit: b.intern(e.Unit), cur: b.intern(string(e.Currency)), at: int32(i)})
}

// Build indexes the entries. It fails, naming every problem, on invalid
// entries and on overlapping effective periods within one list and service.
func (b *Builder) Build() (*Tariff, error) {
	rank := make(map[Kind]uint8, len(b.prec))
	for i, k := range b.prec {
		rank[k] = uint8(i)
	}
	slices.SortFunc(b.rows, func(x, y row) int {
		return cmp.Or(cmp.Compare(x.series, y.series), cmp.Compare(x.from, y.from), cmp.Compare(x.at, y.at))
	})
	// series order: service, precedence rank, specificity (most specific first), list name.
	order := make([]int32, len(b.keys))
	for i := range order {
		order[i] = int32(i)
	}
	rk := func(k Kind) int {
		if r, ok := rank[k]; ok {
			return int(r)
		}
		return len(b.prec)
	}
	slices.SortFunc(order, func(x, y int32) int {
		a, c := b.keys[x], b.keys[y]
		return cmp.Or(cmp.Compare(a.svc, c.svc), cmp.Compare(rk(a.kind), rk(c.kind)),
			cmp.Compare(specificity(c), specificity(a)), cmp.Compare(b.strs[a.list], b.strs[c.list]),
			cmp.Compare(b.strs[a.payer], b.strs[c.payer]), cmp.Compare(b.strs[a.plan], b.strs[c.plan]),
			cmp.Compare(b.strs[a.org], b.strs[c.org]))
	})
	t := &Tariff{
		prec:     b.prec,
		strs:     b.strs,
		svcIDs:   b.svcIDs,
		svcStart: make([]int32, len(b.svcIDs)+1),
		series:   make([]series, len(order)),
		docs:     b.docTab,
		size:     len(b.rows),
	}
	// row ranges per original series id
	lo := make([]int32, len(b.keys)+1)
	for _, r := range b.rows {
		lo[r.series+1]++
	}
	for i := 1; i < len(lo); i++ {
		lo[i] += lo[i-1]
	}
	t.vers = make([]version, len(b.rows))
	pos := int32(0)
	whys := map[string]int32{}
	for ni, oi := range order {
		k := b.keys[oi]
		t.svcStart[k.svc+1] = int32(ni + 1)
		s := series{rank: uint8(rk(k.kind)), kind: k.kind, list: k.list, payer: k.payer, plan: k.plan, org: k.org, lo: pos}
		for _, r := range b.rows[lo[oi]:lo[oi+1]] {
			if pos > s.lo && t.vers[pos-1].to > r.from {
				p := t.vers[pos-1]
				b.errs = append(b.errs, validate.Errorf(validate.Index("entries", int(r.at)), "overlap",
					"service %s list %s: versions %s %s and %s %s overlap", k.svcName(b), b.strs[k.list],
					b.docTab[p.doc].version, day.Period{From: p.from, To: p.to}, b.docTab[r.doc].version, day.Period{From: r.from, To: r.to}))
			}
			t.vers[pos] = version{from: r.from, to: r.to, price: r.price, doc: r.doc, unit: r.unit, cur: r.cur}
			pos++
		}
		s.hi = pos
		why := fmt.Sprintf("%s list %q%s is the first in precedence with a version in force", k.kind, b.strs[k.list], scopeText(b.strs, k))
		wi, ok := whys[why]
		if !ok {
			wi = int32(len(t.whys))
			whys[why] = wi
			t.whys = append(t.whys, why)
		}
		s.why = wi
		t.series[ni] = s
	}
	for i := 1; i < len(t.svcStart); i++ {
		t.svcStart[i] = max(t.svcStart[i], t.svcStart[i-1])
	}
	if err := b.errs.Err(); err != nil {
		return nil, err
	}
	t.index()
	if uint64(len(t.recs)) > math.MaxInt32 {
		return nil, validate.Errorf("entries", "too_many", "the tariff's index holds at most %d words of long records", math.MaxInt32)
	}
	return t, nil
}

func (k seriesKey) svcName(b *Builder) string {
	s := b.svcIDs[k.svc]
	if s.system == "" {
		return s.code
	}
	return s.system + "|" + s.code
}

// specificity ranks scoped lists above general ones: plan, then payer, then org.
func specificity(k seriesKey) int {
	n := 0
	if k.plan != 0 {
		n += 4
	}
	if k.payer != 0 {
		n += 2
	}
	if k.org != 0 {
		n++
	}
	return n
}

func scopeText(strs []string, k seriesKey) string {
	s := ""
	for _, p := range [...]struct {
		name string
		id   int32
	}{{"payer", k.payer}, {"plan", k.plan}, {"org", k.org}} {
		if p.id != 0 {
			if s != "" {
				s += ", "
			}
			s += p.name + " " + strs[p.id]
		}
	}
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// Build indexes entries for a precedence order in one call.
func Build(p Precedence, entries []Entry) (*Tariff, error) {
	b, err := NewBuilder(p)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b.Add(e)
	}
	return b.Build()
}
