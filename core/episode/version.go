package episode

import (
	"errors"
	"fmt"
	"strings"

	"github.com/revhub/revhub/core/money"
)

// Stage is where an episode stands in the billers' work queue.
type Stage string

// The stages.
const (
	Open     Stage = "open"     // charges still arriving
	Review   Stage = "review"   // settled, awaiting a biller
	Approved Stage = "approved" // invoices may be issued
	Invoiced Stage = "invoiced" // invoices issued from the approved version
)

// Version is one computation of an episode's settlement. Versions are never
// changed: a recomputation is a new version.
type Version struct {
	Episode string                  `json:"episode"`
	N       int                     `json:"n"`
	Lines   []Line                  `json:"lines"`
	Totals  map[string]money.Amount `json:"totals"`           // party -> total owed
	Reason  string                  `json:"reason,omitempty"` // why it was recomputed
}

// NewVersion totals lines into version n of an episode.
func NewVersion(episode string, n int, lines []Line, reason string) (Version, error) {
	v := Version{Episode: episode, N: n, Lines: lines, Totals: map[string]money.Amount{}, Reason: reason}
	for _, l := range lines {
		sum := money.Zero(l.Charge.Amount.Currency())
		for _, s := range l.Shares {
			t, ok := v.Totals[s.Party]
			if !ok {
				t = money.Zero(s.Amount.Currency())
			}
			var err error
			if v.Totals[s.Party], err = t.Add(s.Amount); err != nil {
				return Version{}, err
			}
			if sum, err = sum.Add(s.Amount); err != nil {
				return Version{}, err
			}
		}
		if sum != l.Charge.Amount {
			return Version{}, fmt.Errorf("episode: charge %s: shares sum to %s, charge is %s", l.Charge.ID, sum, l.Charge.Amount)
		}
	}
	return v, nil
}

// ErrUnresolvedFlags blocks approval while audit flags are open.
var ErrUnresolvedFlags = errors.New("episode: flagged charges must be resolved before approval")

// Flagged lists the charges flagged by audit and not yet resolved.
func (v Version) Flagged() []Charge {
	var out []Charge
	for _, l := range v.Lines {
		if l.Charge.Flag != "" && !l.Charge.Resolved {
			out = append(out, l.Charge)
		}
	}
	return out
}

// CanApprove returns ErrUnresolvedFlags (wrapped with the ids) when any
// charge is flagged and unresolved.
func (v Version) CanApprove() error {
	f := v.Flagged()
	if len(f) == 0 {
		return nil
	}
	ids := make([]string, len(f))
	for i, c := range f {
		ids[i] = c.ID
	}
	return fmt.Errorf("%w: %s", ErrUnresolvedFlags, strings.Join(ids, ", "))
}

// Diff lists, in readable lines, how version b differs from a.
func Diff(a, b Version) []string {
	var out []string
	old := map[string]Line{}
	for _, l := range a.Lines {
		old[l.Charge.ID] = l
	}
	seen := map[string]bool{}
	for _, l := range b.Lines {
		seen[l.Charge.ID] = true
		o, ok := old[l.Charge.ID]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("+ %s %s %s: %s", l.Charge.ID, l.Charge.Service, l.Charge.Amount, shares(l.Shares)))
		case shares(o.Shares) != shares(l.Shares) || o.Charge.Amount != l.Charge.Amount:
			out = append(out, fmt.Sprintf("~ %s %s: %s [%s] -> %s [%s]", l.Charge.ID, l.Charge.Service,
				o.Charge.Amount, shares(o.Shares), l.Charge.Amount, shares(l.Shares)))
		}
	}
	for _, l := range a.Lines {
		if !seen[l.Charge.ID] {
			out = append(out, fmt.Sprintf("- %s %s %s", l.Charge.ID, l.Charge.Service, l.Charge.Amount))
		}
	}
	return out
}

func shares(ss []Share) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.String()
	}
	return strings.Join(parts, "; ")
}
