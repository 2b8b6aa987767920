package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

func init() {
	register("artifacts", "replay a kept inbound payload or pack: revhub artifacts replay --tenant T ID|PACK:LINE [--dry-run]", runArtifacts)
	addRoutes(func(hb *hub) []httpapi.Route {
		return []httpapi.Route{
			{Method: "POST", Pattern: "/v1/artifacts/{id}/replay", Roles: []ports.Role{ports.RoleImplementer}, Handler: hb.replayArtifact},
		}
	})
}

// ReplayOutcome is what an artifact replay changed or, dry, would change.
type ReplayOutcome struct {
	Artifact string         `json:"artifact"`
	DryRun   bool           `json:"dry_run"`
	Run      string         `json:"run,omitempty"`
	Actions  map[string]int `json:"actions"`
	Items    []string       `json:"items"`
}

func replayOutcome(id string, dry bool, res app.ReplayResult) ReplayOutcome {
	items := slices.Clone(res.Items)
	if items == nil {
		items = []string{}
	}
	return ReplayOutcome{Artifact: id, DryRun: dry, Run: res.Run, Actions: res.Actions, Items: items}
}

// replayArtifact re-runs a kept inbound payload through capture under the
// current rules and prices; ?dry_run=true reports without changing anything.
func (hb *hub) replayArtifact(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	dry := false
	if s := r.URL.Query().Get("dry_run"); s != "" {
		var err error
		if dry, err = strconv.ParseBool(s); err != nil {
			return &validate.FieldError{Path: "dry_run", Code: "invalid", Msg: "want true or false"}
		}
	}
	b, err := readReplayBody(r, !dry)
	if err != nil {
		return err
	}
	svc, err := hb.services()
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	res, err := svc.capture.Replay(r.Context(), app.ReplayRequest{Tenant: p.Tenant, Artifact: id, Actor: "token:" + p.TokenID,
		Reason: b.Reason, DryRun: dry, Postings: b.Postings}, hb.deps.Now())
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, replayOutcome(id, dry, res))
}

const artifactsUsage = `usage:
  revhub artifacts replay --tenant T ID|PACK:LINE [--dry-run] [--reason R] [--postings]`

func runArtifacts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "replay" {
		return exitUsage{artifactsUsage}
	}
	fs := flag.NewFlagSet("artifacts replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, false)
	tenant := fs.String("tenant", "", "tenant (required)")
	dry := fs.Bool("dry-run", false, "show what would change; change nothing")
	reason := fs.String("reason", "", "why, for the audit log (required unless --dry-run)")
	postings := fs.Bool("postings", false, "also queue revenue postings for the adjustments")
	pos, err := parseArgs(fs, args[1:])
	if err != nil || len(pos) != 1 || *tenant == "" || (!*dry && *reason == "") {
		return exitUsage{artifactsUsage}
	}
	hb, err := hf.open(ctx, newLogger(stderr), false)
	if err != nil {
		return err
	}
	defer hb.Close()
	svc, err := hb.services()
	if err != nil {
		return err
	}
	res, err := svc.capture.Replay(ctx, app.ReplayRequest{Tenant: *tenant, Artifact: pos[0], Actor: cliActor(), Reason: *reason,
		DryRun: *dry, Postings: *postings}, hb.deps.Now())
	if err != nil {
		return err
	}
	what := "replayed"
	if *dry {
		what = "dry run (nothing changed)"
	}
	fmt.Fprintf(stdout, "%s %s: run %s, actions %v, %d charge items\n", what, pos[0], orDash(res.Run), res.Actions, len(res.Items))
	for _, id := range res.Items {
		fmt.Fprintf(stdout, "  %s\n", id)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
