package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/revhub/revhub/core/episode"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Document kinds of episodes.
const (
	KindEpisode        = "episode"            // Org, Ref: the biller, Status: the stage
	kindEpisodeVersion = "episode_version"    // ID "episode/n", Ref: the episode
	kindDeductible     = "episode_deductible" // ID "plan/patient/year": deductible met per episode
)

// Episode is the stored state of an episode: its newest settlement version,
// who holds it at which stage, its audit flags and the invoices issued.
type Episode struct {
	ID       string                  `json:"id"`
	Org      string                  `json:"org"`
	Patient  string                  `json:"patient"`
	Version  int                     `json:"version"` // newest
	Stage    episode.Stage           `json:"stage"`
	Biller   string                  `json:"biller,omitempty"`
	ByRule   string                  `json:"by_rule,omitempty"` // rule that assigned it; "" by hand
	Payers   []string                `json:"payers,omitempty"`  // in coverage order
	Totals   map[string]money.Amount `json:"totals"`            // party -> owed, newest version
	Flags    []Flag                  `json:"flags,omitempty"`   // audit flags of the newest version
	Approved int                     `json:"approved_version,omitempty"`
	Invoiced int                     `json:"invoiced_version,omitempty"`
	Invoices map[string]string       `json:"invoices,omitempty"` // party -> number of its standing invoice
}

// Flag is an audit flag on a charge and how it was resolved.
type Flag struct {
	Charge     string     `json:"charge"`
	Service    string     `json:"service"`
	Reason     string     `json:"reason"`
	Resolved   bool       `json:"resolved"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	Note       string     `json:"note,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// EpisodeVersion is one stored settlement version with its diff against
// the version before it.
type EpisodeVersion struct {
	episode.Version
	Diff  []string  `json:"diff"` // readable changes from version N-1
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
}

// SettleRequest asks to compute (or recompute) an episode's settlement.
type SettleRequest struct {
	Tenant, Org, Episode, Patient string
	Charges                       []episode.Charge              // when empty: the billable charge items of Encounter/<Episode>
	Groups                        func(service string) []string // a service's groups in name order, the first for charges without one; nil: none
	Plans                         []episode.Plan                // coverage in payer order
	Rules                         []episode.AssignRule          // auto-assignment rules of the organization
	Rounding                      money.Rounding
	Reason, Actor                 string
}

// group is the coverage group of a service: its first group, as pricing sees it.
func (r SettleRequest) group(service string) string {
	if r.Groups == nil {
		return ""
	}
	if gs := r.Groups(service); len(gs) > 0 {
		return gs[0]
	}
	return ""
}

func (r SettleRequest) validate() error {
	var errs validate.Errors
	if r.Org == "" {
		errs.Required("org")
	}
	if r.Patient == "" {
		errs.Required("patient")
	}
	for i, p := range r.Plans {
		errs.Merge(validate.Index("plans", i), p.Validate())
	}
	for i, c := range r.Charges {
		path := validate.Index("charges", i)
		if c.ID == "" {
			errs.Required(path + ".id")
		}
		if !c.Amount.Valid() {
			errs.Required(path + ".amount")
		}
	}
	return errs.Err()
}

// SettleEpisode computes a new settlement version of an episode in one
// transaction: splits the charges among the plans (deductibles accumulate
// per patient and year across episodes), stores the version with its diff,
// sends the episode back to review, keeps flag resolutions whose flag is
// unchanged, applies the auto-assignment rules (hand assignments stand) and
// audits it.
func SettleEpisode(ctx context.Context, s ports.Store, r SettleRequest, now time.Time) (Episode, EpisodeVersion, error) {
	const op = "episode.Settle"
	if err := r.validate(); err != nil {
		return Episode{}, EpisodeVersion{}, err
	}
	var ep Episode
	var ver EpisodeVersion
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		var prev EpisodeVersion
		ep, prev = Episode{ID: r.Episode, Org: r.Org, Stage: episode.Open}, EpisodeVersion{}
		d, err := tx.Documents().Get(ctx, r.Tenant, KindEpisode, r.Episode)
		switch {
		case err == nil:
			if err := json.Unmarshal(d.Body, &ep); err != nil {
				return err
			}
			if ep.Org != r.Org {
				return &validate.FieldError{Path: "org", Code: "mismatch", Msg: fmt.Sprintf("episode %s belongs to %s", r.Episode, ep.Org)}
			}
			if prev, err = getVersion(ctx, tx, r.Tenant, r.Episode, ep.Version); err != nil {
				return err
			}
		case !ports.Is(ports.NotFound, err):
			return err
		}
		charges := slices.Clone(r.Charges)
		for i := range charges {
			if charges[i].Group == "" {
				charges[i].Group = r.group(charges[i].Service)
			}
			charges[i].Resolved = false // only ResolveFlag resolves a flag: a person, with a note, audited
		}
		if len(charges) == 0 {
			if charges, err = episodeCharges(ctx, tx, r); err != nil {
				return err
			}
		}
		lines, err := splitWithDeductibles(ctx, tx, r, charges, now)
		if err != nil {
			return err
		}
		v, err := episode.NewVersion(r.Episode, ep.Version+1, lines, r.Reason)
		if err != nil {
			return ports.E(op, ports.Invalid, err)
		}
		ver = EpisodeVersion{Version: v, Diff: episode.Diff(prev.Version, v), Actor: r.Actor, At: now}
		if err := putJSON(ctx, tx, ports.Document{Kind: kindEpisodeVersion, Tenant: r.Tenant, ID: versionID(r.Episode, v.N),
			Org: r.Org, Ref: r.Episode, UpdatedAt: now}, ver); err != nil {
			return err
		}
		before := ep
		ep.Patient, ep.Version, ep.Stage, ep.Totals = r.Patient, v.N, episode.Review, v.Totals
		ep.Flags = flagsOf(v, ep.Flags)
		ep.Payers = nil
		for _, p := range r.Plans {
			if !slices.Contains(ep.Payers, p.Payer) {
				ep.Payers = append(ep.Payers, p.Payer)
			}
		}
		a := episode.AutoAssign(ep.assignment(), r.Rules)
		ep.Biller, ep.ByRule = a.Biller, a.ByRule
		if err := putEpisode(ctx, tx, r.Tenant, d.Version, ep, now); err != nil {
			return err
		}
		_, err = Record(ctx, tx, r.Tenant, auditDraft(r.Actor, "episode.settle", KindEpisode+"/"+r.Episode, r.Reason,
			nilIfNew(before), map[string]any{"version": v.N, "totals": v.Totals, "diff": ver.Diff}), now)
		return err
	})
	return ep, ver, err
}

// nilIfNew returns nil for an episode never settled, so its audit entry
// has no before.
func nilIfNew(ep Episode) any {
	if ep.Version == 0 {
		return nil
	}
	return map[string]any{"version": ep.Version, "totals": ep.Totals, "stage": ep.Stage}
}

func (ep Episode) assignment() episode.Assignment {
	return episode.Assignment{Episode: ep.ID, Biller: ep.Biller, Stage: ep.Stage, ByRule: ep.ByRule, Org: ep.Org, Payers: ep.Payers}
}

// flagsOf lists the flags of v, keeping an earlier resolution only when the
// charge carries the same flag as when it was resolved.
func flagsOf(v episode.Version, old []Flag) []Flag {
	var out []Flag
	for _, l := range v.Lines {
		c := l.Charge
		if c.Flag == "" {
			continue
		}
		f := Flag{Charge: c.ID, Service: c.Service, Reason: c.Flag, Resolved: c.Resolved}
		if i := slices.IndexFunc(old, func(o Flag) bool { return o.Charge == c.ID && o.Reason == c.Flag && o.Resolved }); i >= 0 {
			f = old[i]
		}
		out = append(out, f)
	}
	return out
}

// episodeCharges reads the billable charge items of Encounter/<episode>.
func episodeCharges(ctx context.Context, tx ports.Tx, r SettleRequest) ([]episode.Charge, error) {
	var out []episode.Charge
	for p := (ports.Page{Limit: ports.MaxPageLimit}); ; {
		recs, next, err := tx.ChargeItems().ListRef(ctx, r.Tenant, "Encounter/"+r.Episode, p)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			ci, err := chargeItemOf(rec)
			if err != nil {
				return nil, err
			}
			if ci.Org != r.Org || !ci.Active || ci.Amount == nil {
				continue // another organization's, reversed, or not priced yet
			}
			out = append(out, episode.Charge{ID: ci.ID, Service: ci.Service, Group: r.group(ci.Service), Date: ci.When, Amount: *ci.Amount})
		}
		if p.Cursor = next; next == "" {
			break
		}
	}
	if len(out) == 0 {
		return nil, &validate.FieldError{Path: "charges", Code: "required",
			Msg: fmt.Sprintf("no charges given and no priced charge items of Encounter/%s in %s", r.Episode, r.Org), Err: validate.ErrRequired}
	}
	return out, nil
}

// deductibleMet is the stored body of one deductible accumulator: what each
// episode of the patient met in the year.
type deductibleMet map[string]money.Amount

// splitWithDeductibles splits charges with the deductible each plan's
// patient met in other episodes of the year, then records what this
// episode met (replacing its share of an earlier version).
func splitWithDeductibles(ctx context.Context, tx ports.Tx, r SettleRequest, charges []episode.Charge, now time.Time) ([]episode.Line, error) {
	acc := episode.Accumulators{}
	base := map[episode.AccKey]money.Amount{}
	docs := map[episode.AccKey]ports.Document{}
	stored := map[episode.AccKey]deductibleMet{}
	for _, p := range r.Plans {
		if !p.Deductible.Valid() || p.Deductible.IsZero() {
			continue
		}
		for _, c := range charges {
			k := episode.AccKey{Plan: p.ID, Patient: r.Patient, Year: c.Date.Year()}
			if _, ok := docs[k]; ok {
				continue
			}
			id := p.ID + "/" + r.Patient + "/" + strconv.Itoa(k.Year)
			d, err := tx.Documents().Get(ctx, r.Tenant, kindDeductible, id)
			if ports.Is(ports.NotFound, err) {
				d, err = ports.Document{Kind: kindDeductible, Tenant: r.Tenant, ID: id, Ref: r.Patient}, nil
			}
			if err != nil {
				return nil, err
			}
			met := deductibleMet{}
			if d.Version > 0 {
				if err := json.Unmarshal(d.Body, &met); err != nil {
					return nil, err
				}
			}
			sum := money.Zero(p.Deductible.Currency())
			for ep, a := range met {
				if ep != r.Episode {
					if sum, err = sum.Add(a); err != nil {
						return nil, err
					}
				}
			}
			docs[k], stored[k], base[k], acc[k] = d, met, sum, sum
		}
	}
	lines, err := episode.Split(charges, r.Plans, r.Patient, acc, r.Rounding)
	if err != nil {
		return nil, ports.E("episode.Settle", ports.Invalid, err)
	}
	for k, d := range docs {
		mine, err := acc[k].Sub(base[k])
		if err != nil {
			return nil, err
		}
		stored[k][r.Episode] = mine
		d.UpdatedAt = now
		if err := putJSON(ctx, tx, d, stored[k]); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

func versionID(ep string, n int) string { return ep + "/" + strconv.Itoa(n) }

// putJSON stores d with v as its body.
func putJSON(ctx context.Context, tx ports.Tx, d ports.Document, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	d.Body = body
	_, err = tx.Documents().Put(ctx, d)
	return err
}

func putEpisode(ctx context.Context, tx ports.Tx, tenant string, version int64, ep Episode, now time.Time) error {
	return putJSON(ctx, tx, ports.Document{Kind: KindEpisode, Tenant: tenant, ID: ep.ID, Version: version, Org: ep.Org,
		Ref: ep.Biller, Status: string(ep.Stage), UpdatedAt: now}, ep)
}

func getVersion(ctx context.Context, tx ports.Tx, tenant, ep string, n int) (EpisodeVersion, error) {
	var v EpisodeVersion
	d, err := tx.Documents().Get(ctx, tenant, kindEpisodeVersion, versionID(ep, n))
	if err != nil {
		return v, err
	}
	return v, json.Unmarshal(d.Body, &v)
}

// loadEpisode reads an episode and its stored document version.
func loadEpisode(ctx context.Context, tx ports.Tx, tenant, id string) (Episode, int64, error) {
	var ep Episode
	d, err := tx.Documents().Get(ctx, tenant, KindEpisode, id)
	if err != nil {
		return ep, 0, err
	}
	return ep, d.Version, json.Unmarshal(d.Body, &ep)
}

// GetEpisode returns an episode.
func GetEpisode(ctx context.Context, s ports.Store, tenant, id string) (Episode, error) {
	var ep Episode
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		ep, _, err = loadEpisode(ctx, tx, tenant, id)
		return err
	})
	return ep, err
}

// GetEpisodeVersion returns version n of an episode; with against > 0 its
// Diff is against that version instead of the one before.
func GetEpisodeVersion(ctx context.Context, s ports.Store, tenant, id string, n, against int) (EpisodeVersion, error) {
	var v EpisodeVersion
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		if v, err = getVersion(ctx, tx, tenant, id, n); err != nil || against <= 0 {
			return err
		}
		other, err := getVersion(ctx, tx, tenant, id, against)
		if ports.Is(ports.NotFound, err) {
			return &validate.FieldError{Path: "against", Code: "unknown_version", Msg: fmt.Sprintf("episode %s has no version %d", id, against)}
		}
		if err != nil {
			return err
		}
		v.Diff = episode.Diff(other.Version, v.Version)
		return nil
	})
	return v, err
}

// changeEpisode loads an episode, lets fn change it, stores it and audits
// the change as action, all in one transaction.
func changeEpisode(ctx context.Context, s ports.Store, tenant, id, actor, action, reason string, now time.Time,
	fn func(ctx context.Context, tx ports.Tx, ep *Episode) (after any, err error)) (Episode, error) {
	var ep Episode
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		var dv int64
		var err error
		if ep, dv, err = loadEpisode(ctx, tx, tenant, id); err != nil {
			return err
		}
		before := map[string]any{"stage": ep.Stage, "biller": ep.Biller, "version": ep.Version}
		after, err := fn(ctx, tx, &ep)
		if err != nil {
			return err
		}
		if err := putEpisode(ctx, tx, tenant, dv, ep, now); err != nil {
			return err
		}
		_, err = Record(ctx, tx, tenant, auditDraft(actor, action, KindEpisode+"/"+id, reason, before, after), now)
		return err
	})
	return ep, err
}

// ResolveFlag marks the audit flag on charge resolved, with a note; Kind
// NotFound when the newest version has no flag on that charge.
func ResolveFlag(ctx context.Context, s ports.Store, tenant, id, charge, note, actor string, now time.Time) (Episode, error) {
	return changeEpisode(ctx, s, tenant, id, actor, "episode.resolve_flag", note, now, func(_ context.Context, _ ports.Tx, ep *Episode) (any, error) {
		i := slices.IndexFunc(ep.Flags, func(f Flag) bool { return f.Charge == charge })
		if i < 0 {
			return nil, ports.E("episode.ResolveFlag", ports.NotFound, fmt.Errorf("episode %s has no flag on charge %s", id, charge))
		}
		if ep.Stage != episode.Review {
			return nil, ports.E("episode.ResolveFlag", ports.Conflict, fmt.Errorf("episode %s is %s; flags are resolved in review", id, ep.Stage))
		}
		at := now
		ep.Flags[i].Resolved, ep.Flags[i].ResolvedBy, ep.Flags[i].Note, ep.Flags[i].ResolvedAt = true, actor, note, &at
		return ep.Flags[i], nil
	})
}

// AssignEpisode gives an episode to biller by hand, or, with biller "",
// hands it back to the auto-assignment rules (unassigned when none match).
func AssignEpisode(ctx context.Context, s ports.Store, tenant, id, biller string, rules []episode.AssignRule, actor string, now time.Time) (Episode, error) {
	return changeEpisode(ctx, s, tenant, id, actor, "episode.assign", "", now, func(_ context.Context, _ ports.Tx, ep *Episode) (any, error) {
		a := ep.assignment()
		a.Biller, a.ByRule = biller, ""
		if biller == "" {
			a = episode.AutoAssign(a, rules)
		}
		ep.Biller, ep.ByRule = a.Biller, a.ByRule
		return map[string]string{"biller": ep.Biller, "by_rule": ep.ByRule}, nil
	})
}

// ApproveEpisode approves the newest settlement version. It fails with an
// error wrapping episode.ErrUnresolvedFlags (naming the charges) while audit
// flags are open, and Kind Conflict unless the episode is in review.
func ApproveEpisode(ctx context.Context, s ports.Store, tenant, id, actor string, now time.Time) (Episode, error) {
	return changeEpisode(ctx, s, tenant, id, actor, "episode.approve", "", now, func(ctx context.Context, tx ports.Tx, ep *Episode) (any, error) {
		if ep.Stage != episode.Review {
			return nil, ports.E("episode.Approve", ports.Conflict, fmt.Errorf("episode %s is %s; only an episode in review is approved", id, ep.Stage))
		}
		v, err := getVersion(ctx, tx, tenant, id, ep.Version)
		if err != nil {
			return nil, err
		}
		for i := range v.Lines {
			c := &v.Lines[i].Charge
			c.Resolved = c.Resolved || slices.ContainsFunc(ep.Flags, func(f Flag) bool { return f.Charge == c.ID && f.Resolved })
		}
		if err := v.CanApprove(); err != nil {
			return nil, err
		}
		ep.Stage, ep.Approved = episode.Approved, ep.Version
		return map[string]any{"stage": ep.Stage, "version": ep.Version}, nil
	})
}

// QueueQuery filters the billers' work queue.
type QueueQuery struct {
	Tenant string
	Org    string        // optional
	Biller string        // optional
	Stage  episode.Stage // optional
	Page   ports.Page
}

// WorkQueue lists episodes with who holds them and at which stage.
func WorkQueue(ctx context.Context, s ports.Store, q QueueQuery) ([]Episode, string, error) {
	var out []Episode
	var next string
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		docs, n, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: q.Tenant, Kind: KindEpisode, Org: q.Org,
			Ref: q.Biller, Status: string(q.Stage), Page: q.Page})
		if err != nil {
			return err
		}
		next = n
		out = make([]Episode, len(docs))
		for i, d := range docs {
			if err := json.Unmarshal(d.Body, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, next, err
}
