package ports

import (
	"fmt"
	"sort"
	"time"

	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
)

// SyncStatusSet merges what a store reads for SyncRepo.Status — outbox
// tallies and times, received counts, recorded notes — into one SyncStatus
// per (org, binding). Store adapters scan rows; the merging lives here once.
type SyncStatusSet struct {
	tenant string
	m      map[[2]string]*SyncStatus
}

// NewSyncStatusSet starts an empty set for tenant.
func NewSyncStatusSet(tenant string) *SyncStatusSet {
	return &SyncStatusSet{tenant: tenant, m: map[[2]string]*SyncStatus{}}
}

func (b *SyncStatusSet) get(org, binding string) *SyncStatus {
	k := [2]string{org, binding}
	s := b.m[k]
	if s == nil {
		s = &SyncStatus{Tenant: b.tenant, Org: org, Binding: binding, Breaker: delivery.Closed}
		b.m[k] = s
	}
	return s
}

// AddOutbox counts n outbox items in state whose amounts sum to minor in cur.
func (b *SyncStatusSet) AddOutbox(org, binding, state, cur string, n, minor int64) error {
	s := b.get(org, binding)
	var t *Tally
	switch delivery.State(state) {
	case delivery.Pending:
		t = &s.Queued
	case delivery.Sent:
		t = &s.Sent
	case delivery.Failed:
		t = &s.Failed
	case delivery.DeadLettered:
		t = &s.DeadLettered
	case delivery.OutcomeUnknown:
		t = &s.Unknown
	default:
		return fmt.Errorf("outbox state %q", state)
	}
	return t.Add(n, minor, money.Currency(cur))
}

// SetOutboxTimes records the last delivery and, when oldest is not zero,
// the age at now of the oldest queued or failed item.
func (b *SyncStatusSet) SetOutboxTimes(org, binding string, lastSent, oldest, now time.Time) {
	s := b.get(org, binding)
	s.LastSuccess = lastSent
	if !oldest.IsZero() {
		s.OldestQueued = max(0, now.Sub(oldest))
	}
}

// AddReceived counts n inbound items whose amounts sum to minor in cur.
func (b *SyncStatusSet) AddReceived(org, binding, cur string, n, minor int64) error {
	return b.get(org, binding).Received.Add(n, minor, money.Currency(cur))
}

// SetNotes merges what SyncRepo recorded for a binding: its last contact,
// last error and breaker.
func (b *SyncStatusSet) SetNotes(org, binding string, lastOK time.Time, errText string, errAt time.Time, breaker string, since time.Time) {
	s := b.get(org, binding)
	if lastOK.After(s.LastSuccess) {
		s.LastSuccess = lastOK
	}
	b.NoteError(org, binding, errText, errAt)
	s.Breaker, s.BreakerSince = delivery.BreakerState(breaker), since
}

// NoteError keeps the newest error of a binding.
func (b *SyncStatusSet) NoteError(org, binding, msg string, at time.Time) {
	s := b.get(org, binding)
	if !at.IsZero() && !at.Before(s.LastErrorAt) {
		s.LastError, s.LastErrorAt = msg, at.UTC()
	}
}

// List returns the statuses sorted by org, then binding.
func (b *SyncStatusSet) List() []SyncStatus {
	out := make([]SyncStatus, 0, len(b.m))
	for _, s := range b.m {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Org != out[j].Org {
			return out[i].Org < out[j].Org
		}
		return out[i].Binding < out[j].Binding
	})
	return out
}
