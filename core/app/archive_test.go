package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/stores"
)

// A batch keeps each (tenant, org)'s valid payloads as one NDJSON pack, one
// line per payload in order; a lone payload is kept as it came.
func TestArchive_batchKeepsOnePackPerOrg(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		c := newCapturer(s)
		berlin := c.Rules
		c.Rules = func(tenant, org string) (capture.Rules, error) {
			if org == "paris" {
				org = "berlin"
			}
			return berlin(tenant, org)
		}
		envs := []app.Envelope{
			env(procedure("p1", 1, "completed", "03000", 1)),
			{Tenant: "acme", Org: "paris", Source: "test", Payload: procedure("p9", 1, "completed", "03000", 1)},
			env([]byte(`{"resourceType":`)), // bad input: not kept
			env(procedure("p2", 1, "completed", "03001", 2)),
			env(procedure("p3", 1, "completed", "03000", 3)),
		}
		p := c.Plan(envs)
		p.Predecide(ctx, now)
		outs, err := p.Commit(ctx, now)
		if err != nil || outs[2].Err == nil {
			t.Fatalf("commit: %v, bad input outcome %+v", err, outs[2])
		}
		pack, _, _ := strings.Cut(outs[0].Artifact, ":")
		for i, line := range map[int]string{0: "1", 3: "2", 4: "3"} {
			if outs[i].Artifact != pack+":"+line {
				t.Fatalf("envelope %d is kept as %q, want line %s of the pack %s", i, outs[i].Artifact, line, pack)
			}
		}
		if strings.Contains(outs[1].Artifact, ":") || outs[1].Artifact == "" || outs[2].Artifact != "" {
			t.Fatalf("lone payload kept as %q, bad input as %q", outs[1].Artifact, outs[2].Artifact)
		}
		for key, i := range map[string]int{"Procedure/p1": 0, "Procedure/p2": 3, "Procedure/p3": 4} {
			if ci, _ := chargeItem(t, s, key); ci.Artifact != outs[i].Artifact {
				t.Fatalf("%s names artifact %q, want %q", key, ci.Artifact, outs[i].Artifact)
			}
		}
		a := artifact(t, s, pack)
		want := bytes.Join([][]byte{oneLine(envs[0].Payload), oneLine(envs[3].Payload), oneLine(envs[4].Payload), nil}, []byte("\n"))
		if a.MediaType != app.MediaFHIRNDJSON || !bytes.Equal(a.Body, want) || a.Org != "berlin" {
			t.Fatalf("pack %s: %s %s\n%s\nwant\n%s", pack, a.MediaType, a.Org, a.Body, want)
		}
		if lone := artifact(t, s, outs[1].Artifact); lone.MediaType != app.MediaFHIRJSON || !bytes.Equal(lone.Body, envs[1].Payload) || lone.Org != "paris" {
			t.Fatalf("lone payload: %+v", lone)
		}

		// The same batch again (a lost acknowledgement) keeps nothing new.
		p = c.Plan(envs)
		p.Predecide(ctx, now)
		again, err := p.Commit(ctx, now)
		if err != nil || again[0].Artifact != outs[0].Artifact || again[0].Actions[capture.Ignore] != 1 {
			t.Fatalf("redelivered batch: %v %+v", err, again[0])
		}
	})
}

// A pack is replayed whole or by line; a line that does not exist, or a line
// of a lone payload, is bad input naming what was wanted.
func TestArchive_replayPackOrLine(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		c := newCapturer(s)
		outs, err := c.Ingest(ctx, []app.Envelope{
			env(procedure("p1", 1, "completed", "03000", 1)),
			env(procedure("p2", 1, "completed", "03001", 2)),
		}, now)
		if err != nil || outs[1].Err != nil {
			t.Fatal(err, outs)
		}
		pack, _, _ := strings.Cut(outs[0].Artifact, ":")
		req := app.ReplayRequest{Tenant: "acme", Actor: "user:anna", Reason: "GOÄ 03001 corrected"}

		prices["03001"] = "23.00"
		defer func() { prices["03001"] = "22.50" }()
		req.Artifact = outs[0].Artifact // line 1: 03000, unchanged
		if res, err := c.Replay(ctx, req, now); err != nil || res.Actions["ignore"] != 1 || len(res.Items) != 0 {
			t.Fatalf("replay of line 1: %+v %v", res, err)
		}
		req.Artifact = pack // every line: only 03001's price changed
		res, err := c.Replay(ctx, req, now)
		if err != nil || res.Actions["ignore"] != 1 || res.Actions["replace"] != 1 || len(res.Items) != 1 {
			t.Fatalf("replay of the pack: %+v %v", res, err)
		}
		if ci, _ := chargeItem(t, s, "Procedure/p2"); ci.Amount.Minor() != 4600 || ci.Revision != 2 || ci.Artifact != outs[1].Artifact {
			t.Fatalf("repriced p2: %v rev %d artifact %s", ci.Amount, ci.Revision, ci.Artifact)
		}

		lone, err := c.Ingest(ctx, []app.Envelope{env(procedure("p3", 1, "completed", "03000", 1))}, now)
		if err != nil {
			t.Fatal(err)
		}
		for ref, want := range map[string]string{pack + ":3": "no line 3", pack + ":0": "line from 1", pack + ":x": "line from 1",
			lone[0].Artifact + ":1": "not a pack"} {
			req.Artifact = ref
			if _, err := c.Replay(ctx, req, now); !ports.Is(ports.Invalid, err) || !strings.Contains(err.Error(), want) {
				t.Fatalf("replay %s: %v, want Invalid saying %q", ref, err, want)
			}
		}
	})
}

// oneLine is a payload as a pack keeps it: its line breaks become spaces.
func oneLine(p []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, p)
}

func artifact(t *testing.T, s ports.Store, id string) ports.Artifact {
	t.Helper()
	var a ports.Artifact
	if err := s.View(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		var err error
		a, err = tx.Artifacts().Get(ctx, "acme", id)
		return err
	}); err != nil {
		t.Fatalf("artifact %s: %v", id, err)
	}
	return a
}
