package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/ports"
)

// ReplayRequest re-runs kept inbound payloads through capture under the
// current rules and prices: Artifact names a lone payload, one line of a
// pack ("<pack>:<line>"), or a whole pack.
type ReplayRequest struct {
	Tenant, Artifact string
	Actor, Reason    string
	DryRun           bool // compute and report, change nothing
	Postings         bool // also queue revenue postings for the adjustments
}

// ReplayResult says what the replay changed (or would change).
type ReplayResult struct {
	Run     string         // the replay's run record ("" for a dry run)
	Actions map[string]int // capture action -> count
	Items   []string       // charge items that changed
}

var errDryRun = errors.New("dry run")

// Replay re-applies an inbound artifact, or one payload of a pack: a version already applied is
// re-evaluated, and a changed price or code becomes an audited replacement
// (reversal + new charge), never a rewrite. The run is linked to the
// artifact and audited. A dry run does the same work and rolls it back.
func (c *Capturer) Replay(ctx context.Context, r ReplayRequest, now time.Time) (ReplayResult, error) {
	id, line, err := splitRef(r.Artifact)
	if err != nil {
		return ReplayResult{}, ports.E("capture.Replay", ports.Invalid, err)
	}
	var art ports.Artifact
	if err := c.Store.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		art, err = tx.Artifacts().Get(ctx, r.Tenant, id)
		return err
	}); err != nil {
		return ReplayResult{}, err
	}
	if art.Direction != ports.Inbound {
		return ReplayResult{}, ports.E("capture.Replay", ports.Invalid, fmt.Errorf("artifact %s is %s, want inbound", art.ID, art.Direction))
	}
	kept, err := payloads(art, r.Artifact, line)
	if err != nil {
		return ReplayResult{}, ports.E("capture.Replay", ports.Invalid, err)
	}
	envs, plans := make([]Envelope, len(kept)), make([][]plannedIntent, len(kept))
	for i, k := range kept {
		envs[i] = Envelope{Tenant: r.Tenant, Org: art.Org, Source: "replay:" + k.ref, Payload: k.payload, Artifact: k.ref}
		if plans[i], err = c.plan(envs[i]); err != nil {
			return ReplayResult{}, ports.E("capture.Replay", ports.Invalid, fmt.Errorf("%s: %w", k.ref, err))
		}
	}
	var res ReplayResult
	err = c.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		n, err := countReplays(ctx, tx, r.Tenant, art.ID)
		if err != nil {
			return err
		}
		res.Run = fmt.Sprintf("replay-%s-%d", art.ID, n+1)
		if err := tx.Runs().Start(ctx, ports.Run{ID: res.Run, Tenant: r.Tenant, Kind: "replay", Status: ports.RunRunning, StartedAt: now, Parent: art.ID}); err != nil {
			return err
		}
		outs := make([]Outcome, len(envs))
		if err := c.applyBatch(ctx, tx, envs, plans, outs, applyOpts{reprice: true, noPostings: !r.Postings}, now); err != nil {
			return err
		}
		var counts capture.Counts
		for _, o := range outs {
			for a, n := range o.Actions {
				counts[a] += n
			}
			res.Items = append(res.Items, o.Items...)
		}
		res.Actions = counts.Map()
		if r.DryRun {
			return errDryRun
		}
		if err := tx.Artifacts().Link(ctx, r.Tenant, art.ID, ports.Ref{Kind: "run", ID: res.Run}); err != nil {
			return err
		}
		summary := asJSON(map[string]any{"actions": res.Actions, "items": len(res.Items)})
		if err := tx.Runs().Finish(ctx, r.Tenant, res.Run, ports.RunSucceeded, summary, now); err != nil {
			return err
		}
		_, err = Record(ctx, tx, r.Tenant, auditDraft(r.Actor, "artifact.replay", "artifact/"+art.ID, r.Reason, nil,
			map[string]any{"run": res.Run, "actions": res.Actions}), now)
		return err
	})
	if errors.Is(err, errDryRun) {
		res.Run = ""
		return res, nil
	}
	return res, err
}

func countReplays(ctx context.Context, tx ports.Tx, tenant, artifact string) (int, error) {
	n := 0
	q := ports.RunQuery{Tenant: tenant, Kind: "replay", Parent: artifact, Page: ports.Page{Limit: ports.MaxPageLimit}}
	for {
		runs, next, err := tx.Runs().List(ctx, q)
		if err != nil {
			return 0, err
		}
		n += len(runs)
		if next == "" {
			return n, nil
		}
		q.Page.Cursor = next
	}
}
