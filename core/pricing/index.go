package pricing

import (
	"hash/maphash"
	"runtime"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/hugepages"
)

// The tariff's hot path is a cuckoo hash table of fixed-size slots: each
// service lives in one of two slots given by its key's hash, and the slot
// holds the service's whole record: its key, then per series its scope and
// versions with their prices. Resolve scans the record front to back from
// an offset it knows from the query's key length alone, so the CPU fetches
// all the record's cache lines together while it is still comparing the
// key: a cold lookup costs about one memory round trip. A record too long
// for a slot lives in recs, and its slot holds a stub pointing there (a
// second round trip).
//
// A record, in int32 words:
//
//	rLen rSID rSysLen rCodeLen  key bytes (system then code, 4 per word)
//	per series: sRankKind sPayer sPlan sOrg sList sWhy sN
//	            sN × (vFrom vTo vMeta vCoefLo vCoefHi), ordered by vFrom
//	         or, compact (versions back to back, prices of 31 bits):
//	            sN × (vFrom cMeta cCoef), then the last version's to
//
// A stub: -1, the key's hash tag, the record's offset in recs.
const (
	rLen = iota // words in the record
	rSID        // service id (index into Tariff.svcIDs)
	rSysLen
	rCodeLen
	rKey
)

// slotWords is the size of a slot: 256 bytes, four cache lines, enough for
// a service with one list of 10 versions.
const slotWords = 64

const (
	stubTag = 1
	stubOff = 2
)

const (
	sRankKind = iota // compact<<16 | rank<<8 | kind
	sPayer
	sPlan
	sOrg
	sList
	sWhy
	sN // number of versions
	sHeader
)

const (
	vFrom = iota
	vTo
	vMeta   // meta<<6 | scale, or unpacked: see Tariff.vers
	vCoefLo // price coefficient; if unpacked, the index in Tariff.vers
	vCoefHi
	vWords
)

// A compact version: its to is the next version's from.
const (
	cMeta  = 1 // as vMeta
	cCoef  = 2
	cWords = 3
)

const compact = 1 << 16

// unpacked marks a version whose price coefficient does not fit an int64
// or whose meta index does not fit 25 bits (the record refers to vers).
const unpacked = 1 << 5

// meta is what versions share: document, unit and currency.
type meta struct{ doc, unit, cur int32 }

// hashKey hashes a service key; a key without system hashes as its code.
func hashKey(seed maphash.Seed, system, code string) uint64 {
	h := maphash.String(seed, code)
	if system != "" {
		h ^= maphash.String(seed, system) * 0x9e3779b97f4a7c15
	}
	return h
}

// buckets returns the two candidate slots of a key's hash.
func (t *Tariff) buckets(h uint64) (int, int) {
	mask := uint64(len(t.slots)/slotWords - 1)
	b1, b2 := h&mask, (h>>32)&mask
	if b1 == b2 {
		b2 ^= 1
	}
	return int(b1), int(b2)
}

// probe is a service key's hash and its two candidate slots.
type probe struct {
	h      uint64
	s1, s2 []int32
}

// probe hashes a service key and starts loading its two candidate slots
// from memory; record reads them.
func (t *Tariff) probe(system, code string) probe {
	h := hashKey(t.seed, system, code)
	b1, b2 := t.buckets(h)
	p := probe{h: h, s1: t.slots[b1*slotWords:][:slotWords], s2: t.slots[b2*slotWords:][:slotWords]}
	prefetchSlots(&p.s1[0], &p.s2[0])
	return p
}

// record returns the record of a probed service, or nil, and the key's
// length in words.
func (t *Tariff) record(p *probe, system, code string) ([]int32, int) {
	n1, n2 := p.s1[rLen], p.s2[rLen] // both loads in flight before either is used
	kw := (len(system) + len(code) + 3) / 4
	if r := t.matchSlot(p.s1, n1, p.h, system, code); r != nil {
		return r, kw
	}
	return t.matchSlot(p.s2, n2, p.h, system, code), kw
}

// matchSlot returns the record in slot s (whose first word is n) if it is the key's.
func (t *Tariff) matchSlot(s []int32, n int32, h uint64, system, code string) []int32 {
	switch {
	case n > 0:
		s = s[:n]
	case n < 0 && uint32(s[stubTag]) == uint32(h>>32):
		s = t.recs[s[stubOff]:]
		s = s[:s[rLen]]
	default:
		return nil
	}
	if int(s[rSysLen]) == len(system) && int(s[rCodeLen]) == len(code) && keyEq(s[rKey:], 0, system) && keyEq(s[rKey:], len(system), code) {
		return s
	}
	return nil
}

// keyEq reports whether the key bytes from byte offset off equal s.
func keyEq(key []int32, off int, s string) bool {
	for i := range len(s) {
		if byte(key[(off+i)>>2]>>(8*((off+i)&3))) != s[i] {
			return false
		}
	}
	return true
}

// appendRecord appends the record of service sid to buf.
func (t *Tariff) appendRecord(buf []int32, sid int32, metas map[meta]int32) []int32 {
	k := t.svcIDs[sid]
	off := len(buf)
	buf = append(buf, 0, sid, int32(len(k.system)), int32(len(k.code)))
	key := k.system + k.code
	for i := 0; i < len(key); i += 4 {
		w := uint32(0)
		for j := i; j < min(i+4, len(key)); j++ {
			w |= uint32(key[j]) << (8 * (j - i))
		}
		buf = append(buf, int32(w))
	}
	for i := t.svcStart[sid]; i < t.svcStart[sid+1]; i++ {
		s := &t.series[i]
		h := len(buf)
		buf = append(buf, int32(s.rank)<<8|int32(s.kind)|compact, s.payer, s.plan, s.org, s.list, s.why, s.hi-s.lo)
		for v := s.lo; v < s.hi; v++ {
			buf = t.appendVersion(buf, v, metas)
		}
		if w := buf[h+sHeader:]; compactable(w, s) {
			for v := range s.hi - s.lo {
				w[v*cWords+vFrom], w[v*cWords+cMeta], w[v*cWords+cCoef] = w[v*vWords+vFrom], w[v*vWords+vMeta], w[v*vWords+vCoefLo]
			}
			buf = append(buf[:h+sHeader+int(s.hi-s.lo)*cWords], int32(t.vers[s.hi-1].to))
		} else {
			buf[h+sRankKind] &^= compact
		}
	}
	buf[off+rLen] = int32(len(buf) - off)
	return buf
}

// appendVersion appends version v in the full format.
func (t *Tariff) appendVersion(buf []int32, v int32, metas map[meta]int32) []int32 {
	ver := &t.vers[v]
	m := meta{ver.doc, ver.unit, ver.cur}
	mi, ok := metas[m]
	if !ok {
		mi = int32(len(t.metas))
		metas[m] = mi
		t.metas = append(t.metas, m)
	}
	coef, scale, ok := ver.price.Parts()
	if !ok || mi >= 1<<25 {
		return append(buf, int32(ver.from), int32(ver.to), unpacked, v, 0)
	}
	return append(buf, int32(ver.from), int32(ver.to), mi<<6|int32(scale), int32(uint32(coef)), int32(uint32(uint64(coef)>>32)))
}

// compactable reports whether the series' versions w (full format) run back
// to back with packed prices below 2³¹.
func compactable(w []int32, s *series) bool {
	for v := range int(s.hi - s.lo) {
		x := w[v*vWords:]
		if x[vMeta]&unpacked != 0 || x[vCoefLo] < 0 || x[vCoefHi] != 0 || v > 0 && w[(v-1)*vWords+vTo] != x[vFrom] {
			return false
		}
	}
	return true
}

// allocSlots allocates a slot table and returns the function that releases
// it (a variable so that a test can count the releases).
var allocSlots = hugepages.Int32s

// index places every service's record (or a stub) in the slots, doubling
// the table until the cuckoo placement succeeds. A large table lives in
// huge pages (a cold lookup then walks no page tables), released with t.
func (t *Tariff) index() {
	recs, starts := t.records()
	n := 8
	for n < 2*len(t.svcIDs)+len(t.svcIDs)/2 {
		n *= 2
	}
	for {
		slots, release := allocSlots(n * slotWords)
		if t.place(slots, recs, starts) {
			runtime.AddCleanup(t, func(release func()) { release() }, release)
			return
		}
		release()
		n *= 2
	}
}

// records returns every service's record, service i's at recs[starts[i]:starts[i+1]].
func (t *Tariff) records() (recs []int32, starts []int) {
	metas := map[meta]int32{}
	starts = make([]int, len(t.svcIDs)+1)
	for sid := range t.svcIDs {
		recs = t.appendRecord(recs, int32(sid), metas)
		starts[sid+1] = len(recs)
	}
	return recs, starts
}

// place tries to put every record in the zeroed slots (a power of two of
// them); it uses them as t.slots when it succeeds.
func (t *Tariff) place(slots, recs []int32, starts []int) bool {
	t.seed = maphash.MakeSeed()
	t.slots, t.recs = slots, t.recs[:0]
	hashes := make([]uint64, len(slots)/slotWords) // of each slot's occupant, to find its other slot
	for sid, k := range t.svcIDs {
		item := recs[starts[sid]:starts[sid+1]]
		h := hashKey(t.seed, k.system, k.code)
		if len(item) > slotWords {
			off := len(t.recs)
			t.recs = append(t.recs, item...)
			item = []int32{-1, int32(uint32(h >> 32)), int32(off)}
		}
		var carry [slotWords]int32
		copy(carry[:], item)
		b, _ := t.buckets(h)
		for kick := 0; ; kick++ {
			if b1, b2 := t.buckets(h); t.slots[b1*slotWords] == 0 {
				b = b1
			} else if t.slots[b2*slotWords] == 0 {
				b = b2
			}
			s := t.slots[b*slotWords:][:slotWords]
			if s[rLen] == 0 {
				copy(s, carry[:])
				hashes[b] = h
				break
			}
			if kick == 500 {
				t.slots = nil
				return false
			}
			// evict the occupant of b and carry it to its other slot
			var out [slotWords]int32
			copy(out[:], s)
			copy(s, carry[:])
			carry, h, hashes[b] = out, hashes[b], h
			if b1, b2 := t.buckets(h); b == b1 {
				b = b2
			} else {
				b = b1
			}
		}
	}
	return true
}

// version returns the unit price and meta of a version record.
func (t *Tariff) version(v []int32) (money.Rate, *meta) {
	if v[vMeta]&unpacked != 0 {
		ver := &t.vers[v[vCoefLo]]
		return ver.price, &meta{ver.doc, ver.unit, ver.cur}
	}
	r, _ := money.RateOf(int64(uint64(uint32(v[vCoefLo]))|uint64(uint32(v[vCoefHi]))<<32), int(v[vMeta]&(unpacked-1)))
	return r, &t.metas[v[vMeta]>>6]
}

// hit is the version a resolution found in a record.
type hit struct {
	h, v    []int32 // the series' header and the version's words
	to      day.Day
	compact bool
	series  int32 // ordinal of the series in the record
	version int32 // ordinal of the version in its series
}

// resolve finds, in the series r of a record, the first in precedence whose
// scope matches q and that has a version in force on q.Date, into *x.
func (t *Tariff) resolve(r []int32, q *Query, x *hit) bool {
	n := int32(len(t.prec))
	for o, series := 0, int32(0); o+sHeader <= len(r); series++ {
		h := r[o : o+sHeader]
		stride, tail := vWords, 0
		if h[sRankKind]&compact != 0 {
			stride, tail = cWords, 1
		}
		nv := int(h[sN]) * stride
		end := o + sHeader + nv + tail
		if h[sRankKind]>>8&0xff >= n || end > len(r) {
			break
		}
		if t.inScope(h[sPayer], q.Payer) && t.inScope(h[sPlan], q.Plan) && t.inScope(h[sOrg], q.Org) {
			vs := r[o+sHeader : end]
			i, j := 0, int32(0) // versions from <= date; a linear scan lets the CPU load ahead
			for i < nv && day.Day(vs[i+vFrom]) <= q.Date {
				i += stride
				j++
			}
			if i > 0 {
				to := vs[i-stride+vTo]
				if tail > 0 {
					to = vs[i]
				}
				if day.Day(to) > q.Date {
					*x = hit{h: h, v: vs[i-stride : i], to: day.Day(to), compact: tail > 0, series: series, version: j - 1}
					return true
				}
			}
		}
		o = end
	}
	return false
}

// price returns the unit price and meta of a hit's version.
func (t *Tariff) price(x *hit) (money.Rate, *meta) {
	if x.compact {
		price, _ := money.RateOf(int64(x.v[cCoef]), int(x.v[cMeta]&(unpacked-1)))
		return price, &t.metas[x.v[cMeta]>>6]
	}
	return t.version(x.v)
}

// fill sets res to a hit of query q, from the record alone.
func (t *Tariff) fill(res *Resolution, q *Query, x *hit) {
	price, m := t.price(x)
	d, h := &t.docs[m.doc], x.h
	res.Entry = Entry{Service: q.Service, System: q.System,
		List: t.strs[h[sList]], Kind: Kind(h[sRankKind] & 0xff), Payer: t.strs[h[sPayer]], Plan: t.strs[h[sPlan]], Org: t.strs[h[sOrg]],
		Currency: money.Currency(t.strs[m.cur]), UnitPrice: price, Unit: t.strs[m.unit],
		From: day.Day(x.v[vFrom]), To: x.to, Version: d.version, Source: d.source, SourceSHA: d.sha}
	res.Step, res.Why = int(h[sRankKind]>>8&0xff), t.whys[h[sWhy]]
}

// match sets m to a hit in the record of service sid.
func (t *Tariff) match(m *Match, sid int32, x *hit) {
	price, mt := t.price(x)
	*m = Match{UnitPrice: price, Currency: money.Currency(t.strs[mt.cur]), Step: int(x.h[sRankKind] >> 8 & 0xff), Why: t.whys[x.h[sWhy]],
		sid: sid, series: x.series, version: x.version}
}

// entryOf returns the whole entry of a match.
func (t *Tariff) entryOf(m *Match) Entry {
	s := &t.series[t.svcStart[m.sid]+m.series]
	return t.entry(m.sid, s, s.lo+m.version)
}

// inScope reports whether a series scoped to the interned name id (0: any)
// applies to the query's value v.
func (t *Tariff) inScope(id int32, v string) bool { return id == 0 || t.strs[id] == v }
