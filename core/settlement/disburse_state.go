package settlement

import (
	"fmt"
	"slices"
	"time"

	"github.com/revhub/revhub/core/money"
)

// DisbursementState is where a run's money movement stands. Money movement
// is never guessed: releasing → outcome_unknown when the hand-off to the
// bank may or may not have happened, and only a person leaves that state.
type DisbursementState string

// The disbursement states.
const (
	DisbCreated        DisbursementState = "created"
	DisbApproved       DisbursementState = "approved"
	DisbReleasing      DisbursementState = "releasing"       // handed to delivery (outbox)
	DisbReleased       DisbursementState = "released"        // the bank has the file
	DisbOutcomeUnknown DisbursementState = "outcome_unknown" // delivery timed out after the hand-off started
	DisbSettled        DisbursementState = "settled"         // the bank confirmed the payments
	DisbReturned       DisbursementState = "returned"        // the bank returned the payments
	DisbFailed         DisbursementState = "failed"          // certainly not paid
)

// Duty is a step of the four-eyes chain.
type Duty string

// The duties; each must be done by a different user.
const (
	DutyCreate  Duty = "create"
	DutyApprove Duty = "approve"
	DutyRelease Duty = "release"
	DutyOutcome Duty = "record_outcome"
)

// Duties configures who may do what: the roles allowed per duty (an empty
// list allows any role). The four duties always need four different users.
type Duties map[Duty][]string

// DefaultDuties gives each duty to a role of its own.
func DefaultDuties() Duties {
	return Duties{DutyCreate: {"settlement_clerk"}, DutyApprove: {"finance_approver"},
		DutyRelease: {"treasury"}, DutyOutcome: {"finance_recorder"}}
}

// Actor is the user doing a step and the roles they hold.
type Actor struct {
	ID    string
	Roles []string
}

// DutyError refuses a step for separation of duties or a missing role.
type DutyError struct {
	Duty    Duty
	Actor   string
	Already Duty // the earlier duty the same user did; "" when the role is missing
}

func (e *DutyError) Error() string {
	if e.Already != "" {
		return fmt.Sprintf("settlement: %s may not %s: they already did %s (separation of duties)", e.Actor, e.Duty, e.Already)
	}
	return fmt.Sprintf("settlement: %s lacks a role allowed to %s", e.Actor, e.Duty)
}

// Disbursement is the movement of one run's money from one account.
type Disbursement struct {
	ID            string
	RunID         string
	Amount        money.Amount
	EffectiveDate time.Time
	State         DisbursementState
	By            map[Duty]string // who did each duty
	History       []DisbursementStep
}

// DisbursementStep is one recorded transition.
type DisbursementStep struct {
	From, To DisbursementState
	Actor    string // "" for delivery events
	Note     string
	At       time.Time
}

// transitions is the pure state machine: from → allowed targets.
var transitions = map[DisbursementState][]DisbursementState{
	DisbCreated:        {DisbApproved, DisbFailed},
	DisbApproved:       {DisbReleasing, DisbFailed},
	DisbReleasing:      {DisbReleased, DisbOutcomeUnknown, DisbFailed},
	DisbReleased:       {DisbSettled, DisbReturned},
	DisbOutcomeUnknown: {DisbReleased, DisbSettled, DisbReturned, DisbFailed},
	DisbSettled:        {DisbReturned},
}

// CanMove reports whether the state machine allows from → to.
func CanMove(from, to DisbursementState) bool { return slices.Contains(transitions[from], to) }

// AutoRetry reports whether delivery may be retried without a person: never
// once the outcome is unknown, released or final.
func AutoRetry(s DisbursementState) bool { return s == DisbReleasing }

// NewDisbursement creates a disbursement in state created by a.
func NewDisbursement(id, runID string, amt money.Amount, effective time.Time, a Actor, d Duties, at time.Time) (Disbursement, error) {
	x := Disbursement{ID: id, RunID: runID, Amount: amt, EffectiveDate: effective, State: DisbCreated, By: map[Duty]string{}}
	if err := x.check(DutyCreate, a, d); err != nil {
		return Disbursement{}, err
	}
	x.By[DutyCreate] = a.ID
	x.History = append(x.History, DisbursementStep{To: DisbCreated, Actor: a.ID, At: at})
	return x, nil
}

// Approve moves created → approved.
func (x *Disbursement) Approve(a Actor, d Duties, at time.Time) error {
	return x.step(DutyApprove, a, d, DisbApproved, "", at)
}

// Release moves approved → releasing: the file is handed to delivery.
func (x *Disbursement) Release(a Actor, d Duties, at time.Time) error {
	return x.step(DutyRelease, a, d, DisbReleasing, "", at)
}

// Delivered records what delivery reported for a releasing disbursement:
// released, outcome_unknown or failed (certainly not delivered).
func (x *Disbursement) Delivered(to DisbursementState, note string, at time.Time) error {
	if x.State != DisbReleasing || (to != DisbReleased && to != DisbOutcomeUnknown && to != DisbFailed) {
		return refuse("disbursement "+x.ID, x.State, "become "+string(to)+" by delivery")
	}
	return x.move(to, "", note, at)
}

// RecordOutcome records the bank's answer, given by a person: settled,
// returned or failed (or released, when an unknown outcome turns out delivered).
func (x *Disbursement) RecordOutcome(a Actor, d Duties, to DisbursementState, note string, at time.Time) error {
	if x.State != DisbReleased && x.State != DisbOutcomeUnknown && x.State != DisbSettled {
		return refuse("disbursement "+x.ID, x.State, "take an outcome")
	}
	return x.step(DutyOutcome, a, d, to, note, at)
}

func (x *Disbursement) step(duty Duty, a Actor, d Duties, to DisbursementState, note string, at time.Time) error {
	if !CanMove(x.State, to) {
		return refuse("disbursement "+x.ID, x.State, "become "+string(to))
	}
	if err := x.check(duty, a, d); err != nil {
		return err
	}
	x.By[duty] = a.ID
	return x.move(to, a.ID, note, at)
}

func (x *Disbursement) move(to DisbursementState, actor, note string, at time.Time) error {
	if !CanMove(x.State, to) {
		return refuse("disbursement "+x.ID, x.State, "become "+string(to))
	}
	x.History = append(x.History, DisbursementStep{From: x.State, To: to, Actor: actor, Note: note, At: at})
	x.State = to
	return nil
}

// check enforces the role and that nobody does two different duties.
func (x *Disbursement) check(duty Duty, a Actor, d Duties) error {
	if a.ID == "" {
		return &DutyError{Duty: duty, Actor: "(anonymous)"}
	}
	if allowed := d[duty]; len(allowed) > 0 && !slices.ContainsFunc(a.Roles, func(r string) bool { return slices.Contains(allowed, r) }) {
		return &DutyError{Duty: duty, Actor: a.ID}
	}
	for _, other := range []Duty{DutyCreate, DutyApprove, DutyRelease, DutyOutcome} {
		if other != duty && x.By[other] == a.ID {
			return &DutyError{Duty: duty, Actor: a.ID, Already: other}
		}
	}
	return nil
}

// Holidays is the banking calendar's set of non-business days, keyed by the
// date at UTC midnight. The nacha adapter computes it; core takes it as input.
type Holidays map[time.Time]bool

// BusinessDay reports whether t's date is neither a weekend nor a holiday.
func (h Holidays) BusinessDay(t time.Time) bool {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !h[d]
}

// EffectiveDate returns the first business day at least lead business days
// after requested's date (lead 0: requested itself when a business day).
func (h Holidays) EffectiveDate(requested time.Time, lead int) time.Time {
	d := time.Date(requested.Year(), requested.Month(), requested.Day(), 0, 0, 0, 0, time.UTC)
	for !h.BusinessDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	for ; lead > 0; lead-- {
		d = d.AddDate(0, 0, 1)
		for !h.BusinessDay(d) {
			d = d.AddDate(0, 0, 1)
		}
	}
	return d
}
