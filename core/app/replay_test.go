package app_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/stores"
	"github.com/revhub/revhub/testharness/synth"
)

// replayEvents is 100,000 in `make soak` (REVHUB_SOAK=1) and 10,000 otherwise.
func replayEvents() int { return testharness.Soak(10_000, 100_000) }

func TestReplay_mixedEventsEndExactlyAsExpected(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) { testReplay(t, s, replayEvents()) })
}

func testReplay(t *testing.T, s ports.Store, want int) {
	ctx := context.Background()
	// About 2.17 deliveries per resource, so want deliveries in all.
	stream := synth.FHIRStream{Seed: 42, Resources: want * 100 / 217, MaxVersion: 3, DupRate: 10, CancelRate: 15, Window: 64,
		Codes: []string{"03000", "03001", "LAB-GLU"}}
	events, newest := stream.Events()
	t.Logf("%d deliveries of %d resources", len(events), len(newest))

	c := newCapturer(s)
	c.Rules = func(string, string) (capture.Rules, error) {
		return capture.Rules{Codes: []capture.CodeMap{{System: "urn:ebm"}}}, nil
	}
	// The oracle: the pure decision model over the same arrival order.
	oracle := map[string]*capture.State{}
	wantAdjustments := 0
	const batch = 500
	for lo := 0; lo < len(events); lo += batch {
		envs := make([]app.Envelope, 0, batch)
		for _, e := range events[lo:min(lo+batch, len(events))] {
			envs = append(envs, env(e.Payload))
			l := capture.Line{Key: e.Key, Billable: e.Status == "completed", Service: e.Code, Quantity: money.Int(int64(e.Quantity))}
			d := capture.Decide(oracle[e.Key], l, int64(e.Version))
			switch {
			case d.Action == capture.Create && d.Next.Revision == 1: // the item's first charge: no document
			case d.Action == capture.Create, d.Action == capture.Reverse:
				wantAdjustments++
			case d.Action == capture.Replace:
				wantAdjustments += 2
			}
			st := d.Next
			oracle[e.Key] = &st
		}
		outs, err := c.Ingest(ctx, envs, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
		}
	}

	items := map[string]app.ChargeItem{}
	net := map[string]int64{}
	adjustments := 0
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		for p := (ports.Page{Limit: ports.MaxPageLimit}); ; {
			recs, next, err := tx.ChargeItems().List(ctx, "acme", p)
			if err != nil {
				return err
			}
			for _, r := range recs {
				var ci app.ChargeItem
				if err := json.Unmarshal(r.Body, &ci); err != nil {
					return err
				}
				items[ci.Key] = ci
			}
			if p.Cursor = next; next == "" {
				break
			}
		}
		q := ports.DocumentQuery{Tenant: "acme", Kind: app.KindAdjustment, Page: ports.Page{Limit: ports.MaxPageLimit}}
		for {
			docs, next, err := tx.Documents().List(ctx, q)
			if err != nil {
				return err
			}
			for _, d := range docs {
				adjustments++
				net[d.Ref] += d.Amount.Minor()
			}
			if q.Page.Cursor = next; next == "" {
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(newest) {
		t.Fatalf("%d charge items, want one per resource: %d", len(items), len(newest))
	}
	if adjustments != wantAdjustments {
		t.Fatalf("%d adjustments, want %d", adjustments, wantAdjustments)
	}
	for key, e := range newest {
		ci := items[key]
		active := e.Status == "completed"
		if ci.Version != int64(e.Version) || ci.Active != active {
			t.Fatalf("%s: version %d active %v, want %d %v", key, ci.Version, ci.Active, e.Version, active)
		}
		var wantNet int64
		if active {
			amt, _ := money.MustRate(prices[e.Code]).Apply(money.Int(int64(e.Quantity)), money.EUR, money.HalfUp)
			wantNet = amt.Minor()
			if ci.Service != e.Code || ci.Amount.Minor() != wantNet {
				t.Fatalf("%s: %s %v, want %s %d", key, ci.Service, ci.Amount, e.Code, wantNet)
			}
		}
		if ci.Charge != nil {
			net[ci.ID] += ci.Charge.Minor()
		}
		if net[ci.ID] != wantNet {
			t.Fatalf("%s: adjustments net %d, want %d", key, net[ci.ID], wantNet)
		}
	}
}
