package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

func artifact(tenant, id, parent string, st ports.ArtifactStatus, at time.Time) ports.Artifact {
	return ports.Artifact{ID: id, Tenant: tenant, Org: "org-1", Direction: ports.Inbound, MediaType: "application/edi-x12",
		Body: []byte("ISA*00*" + id + "~"), Source: "sftp:/in/" + id, CreatedAt: at, Parent: parent, Status: st}
}

func testArtifacts(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		raw := artifact("acme", "raw", "", "", t0)
		if err := tx.Artifacts().Put(ctx, raw); err != nil {
			return err
		}
		bad := artifact("acme", "bad", "", ports.Unresolved, t0)
		bad.SHA256 = sha256.Sum256([]byte("something else"))
		wantKind(t, "sha256 mismatch", tx.Artifacts().Put(ctx, bad), ports.Invalid)
		for i, stage := range []string{"parsed", "mapped"} {
			a := artifact("acme", stage, "raw", ports.Unresolved, t0.Add(time.Duration(i+1)*time.Second))
			a.MediaType = "application/json"
			if err := tx.Artifacts().Put(ctx, a); err != nil {
				return err
			}
		}
		for _, r := range []ports.Ref{{Kind: "run", ID: "r1"}, {Kind: "invoice", ID: "inv-1"}, {Kind: "run", ID: "r1"}} {
			if err := tx.Artifacts().Link(ctx, "acme", "raw", r); err != nil {
				return err
			}
		}
		wantKind(t, "link from a missing artifact", tx.Artifacts().Link(ctx, "acme", "nope", ports.Ref{Kind: "run", ID: "r1"}), ports.NotFound)
		return tx.Artifacts().SetStatus(ctx, "acme", "raw", ports.Resolved)
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		a, err := tx.Artifacts().Get(ctx, "acme", "raw")
		if err != nil {
			return err
		}
		if string(a.Body) != "ISA*00*raw~" || a.SHA256 != sha256.Sum256(a.Body) || a.Status != ports.Resolved ||
			a.Direction != ports.Inbound || !a.CreatedAt.Equal(t0) || a.Source != "sftp:/in/raw" {
			return fmt.Errorf("got Get = %+v", a)
		}
		stages, err := tx.Artifacts().Stages(ctx, "acme", "raw")
		if err != nil {
			return err
		}
		if len(stages) != 2 || stages[0].ID != "parsed" || stages[1].ID != "mapped" || stages[0].Parent != "raw" {
			return fmt.Errorf("got Stages = %+v", stages)
		}
		links, err := tx.Artifacts().Links(ctx, "acme", "raw")
		if err != nil {
			return err
		}
		if fmt.Sprint(links) != "[{run r1} {invoice inv-1}]" {
			return fmt.Errorf("got Links = %v", links)
		}
		_, err = tx.Artifacts().Get(ctx, "acme", "nope")
		wantKind(t, "missing artifact", err, ports.NotFound)
		return nil
	})
}

// testArtifactPrune: retention deletes only resolved, old artifacts whose
// stages are all deletable too.
func testArtifactPrune(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	old, cut, young := t0, t0.Add(24*time.Hour), t0.Add(48*time.Hour)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		for _, a := range []ports.Artifact{
			artifact("acme", "done", "", ports.Resolved, old),           // pruned
			artifact("acme", "done.stage", "done", ports.Resolved, old), // pruned with its parent
			artifact("acme", "open", "", ports.Unresolved, old),         // unsettled: kept
			artifact("acme", "fresh", "", ports.Resolved, young),        // too young: kept
			artifact("acme", "parent", "", ports.Resolved, old),         // kept: a stage is unresolved
			artifact("acme", "mid", "parent", ports.Resolved, old),      // kept: its own stage is unresolved
			artifact("acme", "leaf", "mid", ports.Unresolved, old),      // unsettled: kept
			artifact("globex", "done", "", ports.Resolved, old),         // another tenant: kept
		} {
			if err := tx.Artifacts().Put(ctx, a); err != nil {
				return err
			}
		}
		return tx.Artifacts().Link(ctx, "acme", "done", ports.Ref{Kind: "run", ID: "r1"})
	})
	var n int
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		var err error
		n, err = tx.Artifacts().Prune(ctx, "acme", cut)
		return err
	})
	if n != 2 {
		t.Errorf("Prune deleted %d artifacts, want 2", n)
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		for _, tc := range []struct {
			name, tenant, id string
			kept             bool
		}{
			{"resolved and old", "acme", "done", false},
			{"stage of a pruned artifact", "acme", "done.stage", false},
			{"unresolved", "acme", "open", true},
			{"young", "acme", "fresh", true},
			{"ancestor of an unresolved stage", "acme", "parent", true},
			{"parent of an unresolved stage", "acme", "mid", true},
			{"unresolved stage", "acme", "leaf", true},
			{"another tenant", "globex", "done", true},
		} {
			_, err := tx.Artifacts().Get(ctx, tc.tenant, tc.id)
			if kept := err == nil; kept != tc.kept {
				t.Errorf("%s (%s/%s): kept=%v, want %v (%v)", tc.name, tc.tenant, tc.id, kept, tc.kept, err)
			}
		}
		links, err := tx.Artifacts().Links(ctx, "acme", "done")
		if err == nil && len(links) != 0 {
			err = fmt.Errorf("links of a pruned artifact survived: %v", links)
		}
		return err
	})
}
