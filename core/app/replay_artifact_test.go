package app_test

import (
	"context"
	"testing"

	"github.com/revhub/revhub/core/app"
)

func TestReplay_repricesFromTheRawOriginal(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	c := newCapturer(s)
	outs, err := c.Ingest(ctx, []app.Envelope{env(procedure("p1", 1, "completed", "03000", 2))}, now)
	if err != nil || outs[0].Err != nil {
		t.Fatal(err, outs)
	}
	art := outs[0].Artifact
	req := app.ReplayRequest{Tenant: "acme", Artifact: art, Actor: "user:anna", Reason: "EBM point value corrected"}

	same, err := c.Replay(ctx, req, now)
	if err != nil || same.Actions["ignore"] != 1 || len(same.Items) != 0 {
		t.Fatalf("replay with unchanged prices must change nothing: %+v %v", same, err)
	}

	prices["03000"] = "16.10"
	defer func() { prices["03000"] = "15.99" }()
	req.DryRun = true
	dry, err := c.Replay(ctx, req, now)
	if err != nil || dry.Actions["replace"] != 1 || dry.Run != "" {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if ci, _ := chargeItem(t, s, "Procedure/p1"); ci.Amount.Minor() != 3198 {
		t.Fatalf("dry run changed the charge item: %v", ci.Amount)
	}
	req.DryRun = false
	real, err := c.Replay(ctx, req, now)
	if err != nil || real.Actions["replace"] != 1 || real.Run == "" {
		t.Fatalf("replay: %+v %v", real, err)
	}
	if ci, _ := chargeItem(t, s, "Procedure/p1"); ci.Amount.Minor() != 3220 || ci.Revision != 2 {
		t.Fatalf("repriced charge item: %v rev %d", ci.Amount, ci.Revision)
	}
	if n, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil || n != 3 { // replacement + replay + the first (same) replay
		t.Fatalf("audit: %d entries, %v", n, err)
	}
}
