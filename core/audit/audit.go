// Package audit is the hub's append-only, per-tenant, hash-chained audit log.
//
// Each entry commits to the hash of the entry before it, so editing,
// reordering or deleting any stored entry breaks the chain at a place that
// Verify names. The package is pure: storage lives behind ports.AuditRepo.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Hash is a SHA-256 digest.
type Hash [32]byte

// String renders the hash in hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText renders hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText parses hex.
func (h *Hash) UnmarshalText(b []byte) error {
	if hex.DecodedLen(len(b)) != len(h) {
		return fmt.Errorf("audit: hash must be %d hex digits", 2*len(h))
	}
	_, err := hex.Decode(h[:], b)
	return err
}

// Draft is what a use case records: who did what to which subject, and why.
type Draft struct {
	Actor   string          // user or service id; never a patient identifier
	Action  string          // "pricelist.import", "invoice.issue", "dead_letter.replay"
	Subject string          // "invoice/DE-2026-000042"
	Before  json.RawMessage // state before, or nil
	After   json.RawMessage // state after, or nil
	Reason  string
}

// Entry is one link of a tenant's chain.
type Entry struct {
	Tenant string
	Seq    int64 // 1-based, gapless per tenant
	Time   time.Time
	Draft
	Prev Hash // hash of entry Seq-1; zero for Seq 1
	Hash Hash // hash of this entry's canonical bytes
}

// Next builds the entry after prev (nil for a tenant's first entry).
func Next(tenant string, prev *Entry, d Draft, now time.Time) Entry {
	e := Entry{Tenant: tenant, Seq: 1, Time: now.UTC().Truncate(time.Microsecond), Draft: d}
	if prev != nil {
		e.Seq, e.Prev = prev.Seq+1, prev.Hash
	}
	e.Hash = e.digest()
	return e
}

// digest hashes every field, each length-prefixed so no two entries collide.
func (e *Entry) digest() Hash {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field([]byte("revhub.audit.v1"))
	field([]byte(e.Tenant))
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	field([]byte(e.Time.UTC().Format(time.RFC3339Nano)))
	field([]byte(e.Actor))
	field([]byte(e.Action))
	field([]byte(e.Subject))
	field(compact(e.Before))
	field(compact(e.After))
	field([]byte(e.Reason))
	h.Write(e.Prev[:])
	var out Hash
	h.Sum(out[:0])
	return out
}

// compact normalises JSON whitespace so a store that reformats JSON (jsonb)
// does not break the chain; invalid JSON is hashed as is.
func compact(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return b
	}
	return buf.Bytes()
}

// ErrBroken is wrapped by every verification failure.
var ErrBroken = errors.New("audit chain broken")

// BreakError names the first entry at which the chain fails and why.
type BreakError struct {
	Tenant string
	Seq    int64  // the sequence number found (or expected, for a gap)
	Reason string // "edited", "reordered or deleted", "wrong link"
}

func (e *BreakError) Error() string {
	return fmt.Sprintf("audit: tenant %s: chain broken at entry %d: %s", e.Tenant, e.Seq, e.Reason)
}

// Unwrap returns ErrBroken.
func (e *BreakError) Unwrap() error { return ErrBroken }

// Verifier checks a tenant's chain incrementally, entry by entry in stored
// order, so a long log verifies in constant memory.
type Verifier struct {
	tenant string
	prev   *Entry
	n      int64
}

// NewVerifier starts verifying a tenant's chain from its first entry.
func NewVerifier(tenant string) *Verifier { return &Verifier{tenant: tenant} }

// Add checks the next stored entry; it returns a *BreakError at the first fault.
func (v *Verifier) Add(e Entry) error {
	want := v.n + 1
	switch {
	case e.Tenant != v.tenant:
		return &BreakError{Tenant: v.tenant, Seq: e.Seq, Reason: fmt.Sprintf("entry belongs to tenant %q", e.Tenant)}
	case e.Seq != want:
		return &BreakError{Tenant: v.tenant, Seq: want, Reason: fmt.Sprintf("expected entry %d, found %d (reordered or deleted)", want, e.Seq)}
	case v.prev != nil && e.Prev != v.prev.Hash, v.prev == nil && e.Prev != (Hash{}):
		return &BreakError{Tenant: v.tenant, Seq: e.Seq, Reason: "does not link to the previous entry's hash (reordered or deleted)"}
	case e.digest() != e.Hash:
		return &BreakError{Tenant: v.tenant, Seq: e.Seq, Reason: "content does not match its hash (edited)"}
	}
	c := e
	v.prev, v.n = &c, e.Seq
	return nil
}

// Count returns how many entries verified so far.
func (v *Verifier) Count() int64 { return v.n }

// Head returns the last verified entry's hash (zero if none).
func (v *Verifier) Head() Hash {
	if v.prev == nil {
		return Hash{}
	}
	return v.prev.Hash
}

// Verify checks a whole chain held in memory.
func Verify(tenant string, entries []Entry) error {
	v := NewVerifier(tenant)
	for _, e := range entries {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return nil
}
