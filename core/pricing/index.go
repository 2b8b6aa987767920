package pricing

import (
	"hash/maphash"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// The tariff's hot path is one open-addressing hash table of service keys
// (slots, small enough to stay in cache) pointing into recs, where each
// service has one contiguous record holding everything Resolve reads: the
// key, and per series its scope and versions with their prices. Resolve
// scans a record front to back, so the CPU fetches all its cache lines at
// once: a cold lookup costs about one memory round trip for the record.
//
// A record, in int32 words:
//
//	rLen rSID rSysLen rCodeLen  key bytes (system then code, 4 per word)
//	per series: sRankKind sPayer sPlan sOrg sList sWhy sN
//	            sN × (vFrom vTo vMeta vCoefLo vCoefHi), ordered by vFrom
const (
	rLen = iota // words in the record
	rSID        // service id (index into Tariff.svcIDs)
	rSysLen
	rCodeLen
	rKey
)

const (
	sRankKind = iota // rank<<8 | kind
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

// record returns the record of a service, or nil.
func (t *Tariff) record(system, code string) []int32 {
	h := hashKey(t.seed, system, code)
	for i := h; ; i++ {
		s := t.slots[i&uint64(len(t.slots)-1)]
		if s == 0 {
			return nil
		}
		if s>>32 != h>>32 {
			continue
		}
		off := int(uint32(s)) - 1
		r := t.recs[off : off+int(t.recs[off+rLen])]
		if int(r[rSysLen]) == len(system) && int(r[rCodeLen]) == len(code) && keyEq(r[rKey:], 0, system) && keyEq(r[rKey:], len(system), code) {
			return r
		}
	}
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

// appendRecord appends the record of service sid to t.recs and indexes it.
func (t *Tariff) appendRecord(sid int32, metas map[meta]int32) {
	k := t.svcIDs[sid]
	off := len(t.recs)
	key := k.system + k.code
	t.recs = append(t.recs, 0, sid, int32(len(k.system)), int32(len(k.code)))
	for i := 0; i < len(key); i += 4 {
		w := uint32(0)
		for j := i; j < min(i+4, len(key)); j++ {
			w |= uint32(key[j]) << (8 * (j - i))
		}
		t.recs = append(t.recs, int32(w))
	}
	for i := t.svcStart[sid]; i < t.svcStart[sid+1]; i++ {
		s := &t.series[i]
		t.recs = append(t.recs, int32(s.rank)<<8|int32(s.kind), s.payer, s.plan, s.org, s.list, s.why, s.hi-s.lo)
		for v := s.lo; v < s.hi; v++ {
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
				t.recs = append(t.recs, int32(ver.from), int32(ver.to), unpacked, v, 0)
				continue
			}
			t.recs = append(t.recs, int32(ver.from), int32(ver.to), mi<<6|int32(scale), int32(uint32(coef)), int32(uint32(uint64(coef)>>32)))
		}
	}
	t.recs[off+rLen] = int32(len(t.recs) - off)
	h := hashKey(t.seed, k.system, k.code)
	for i := h; ; i++ {
		if s := &t.slots[i&uint64(len(t.slots)-1)]; *s == 0 {
			*s = h>>32<<32 | uint64(off+1)
			return
		}
	}
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

// resolve finds, in record r, the first series in precedence whose scope
// matches q and that has a version in force on q.Date, and fills res.
func (t *Tariff) resolve(r []int32, q *Query, res *Resolution) bool {
	n := int32(len(t.prec))
	for o := rKey + (int(r[rSysLen]+r[rCodeLen])+3)/4; o+sHeader <= len(r); {
		h := r[o : o+sHeader]
		end := o + sHeader + int(h[sN])*vWords
		if h[sRankKind]>>8 >= n || end > len(r) {
			break
		}
		if t.inScope(h[sPayer], q.Payer) && t.inScope(h[sPlan], q.Plan) && t.inScope(h[sOrg], q.Org) {
			vs := r[o+sHeader : end]
			i := 0 // versions from <= date; a linear scan lets the CPU load ahead
			for i+vWords <= len(vs) && day.Day(vs[i+vFrom]) <= q.Date {
				i += vWords
			}
			if i > 0 {
				if v := vs[i-vWords : i]; day.Day(v[vTo]) > q.Date {
					price, m := t.version(v)
					d := &t.docs[m.doc]
					res.Entry = Entry{Service: q.Service, System: q.System,
						List: t.strs[h[sList]], Kind: Kind(h[sRankKind] & 0xff), Payer: t.strs[h[sPayer]], Plan: t.strs[h[sPlan]], Org: t.strs[h[sOrg]],
						Currency: money.Currency(t.strs[m.cur]), UnitPrice: price, Unit: t.strs[m.unit],
						From: day.Day(v[vFrom]), To: day.Day(v[vTo]), Version: d.version, Source: d.source, SourceSHA: d.sha}
					res.Step, res.Why = int(h[sRankKind]>>8), t.whys[h[sWhy]]
					return true
				}
			}
		}
		o = end
	}
	return false
}

// inScope reports whether a series scoped to the interned name id (0: any)
// applies to the query's value v.
func (t *Tariff) inScope(id int32, v string) bool { return id == 0 || t.strs[id] == v }
