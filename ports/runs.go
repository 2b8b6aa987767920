package ports

import (
	"context"
	"encoding/json"
	"time"
)

// RunStatus is where a run stands.
type RunStatus string

// The run statuses.
const (
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
	RunDryRun    RunStatus = "dry_run" // finished without changing anything
)

// Run is a generic record of one batch of work: an import, a billing run, a
// replay. A replay names the run it repeats in Parent.
type Run struct {
	ID         string
	Tenant     string
	Kind       string // "pricelist.import", "billing", "replay"
	Status     RunStatus
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Parent     string
	Summary    json.RawMessage // counts, amounts, errors; valid JSON or nil
}

// RunQuery selects runs for listing, newest first.
type RunQuery struct {
	Tenant string // required
	Kind   string // optional filter
	Parent string // optional filter: the replays of a run
	Page   Page
}

// RunRepo stores run records.
type RunRepo interface {
	// Start records a new run in RunRunning; Kind Conflict if the ID exists.
	Start(ctx context.Context, r Run) error
	// Finish sets a running run's final status, summary and finish time;
	// Kind Conflict when it is already finished.
	Finish(ctx context.Context, tenant, id string, s RunStatus, summary json.RawMessage, at time.Time) error
	// Get returns one run; Kind NotFound if none.
	Get(ctx context.Context, tenant, id string) (Run, error)
	// List returns a page of runs and the next cursor ("" at the end).
	List(ctx context.Context, q RunQuery) (runs []Run, next string, err error)
}
