package settlement_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
)

var t0 = time.Date(2026, 2, 9, 10, 0, 0, 0, time.UTC)

func actor(id, role string) settlement.Actor { return settlement.Actor{ID: id, Roles: []string{role}} }

// disbursementIn returns a disbursement walked to state s by four different
// users with the default roles.
func disbursementIn(t *testing.T, s settlement.DisbursementState) settlement.Disbursement {
	t.Helper()
	d := settlement.DefaultDuties()
	x, err := settlement.NewDisbursement("disb-1", "run-1", money.MustNew(100, money.USD), t0, actor("u-create", "settlement_clerk"), d, t0)
	if err != nil {
		t.Fatal(err)
	}
	path := map[settlement.DisbursementState][]func() error{
		settlement.DisbCreated:  nil,
		settlement.DisbApproved: {func() error { return x.Approve(actor("u-approve", "finance_approver"), d, t0) }},
	}
	path[settlement.DisbReleasing] = append(path[settlement.DisbApproved], func() error { return x.Release(actor("u-release", "treasury"), d, t0) })
	for _, to := range []settlement.DisbursementState{settlement.DisbReleased, settlement.DisbOutcomeUnknown, settlement.DisbFailed} {
		path[to] = append(slices.Clone(path[settlement.DisbReleasing]), func() error { return x.Delivered(to, "", t0) })
	}
	path[settlement.DisbSettled] = append(slices.Clone(path[settlement.DisbReleased]), func() error {
		return x.RecordOutcome(actor("u-outcome", "finance_recorder"), d, settlement.DisbSettled, "bank confirmed", t0)
	})
	path[settlement.DisbReturned] = append(slices.Clone(path[settlement.DisbSettled]), func() error {
		return x.RecordOutcome(actor("u-outcome", "finance_recorder"), d, settlement.DisbReturned, "R01", t0)
	})
	for _, step := range path[s] {
		if err := step(); err != nil {
			t.Fatalf("walking to %s: %v", s, err)
		}
	}
	if x.State != s {
		t.Fatalf("walked to %s, want %s", x.State, s)
	}
	return x
}

// TestDisbursement_everyTransition tries every step from every state: only
// the state machine's edges succeed, each recorded in the history; the rest
// are refused with ErrTransition and change nothing.
func TestDisbursement_everyTransition(t *testing.T) {
	d := settlement.DefaultDuties()
	states := []settlement.DisbursementState{settlement.DisbCreated, settlement.DisbApproved, settlement.DisbReleasing, settlement.DisbReleased,
		settlement.DisbOutcomeUnknown, settlement.DisbSettled, settlement.DisbReturned, settlement.DisbFailed}
	type step struct {
		name string
		to   settlement.DisbursementState
		do   func(x *settlement.Disbursement) error
	}
	steps := []step{
		{"approve", settlement.DisbApproved, func(x *settlement.Disbursement) error {
			return x.Approve(actor("u-approve", "finance_approver"), d, t0)
		}},
		{"release", settlement.DisbReleasing, func(x *settlement.Disbursement) error { return x.Release(actor("u-release", "treasury"), d, t0) }},
	}
	for _, to := range []settlement.DisbursementState{settlement.DisbReleased, settlement.DisbOutcomeUnknown, settlement.DisbFailed} {
		steps = append(steps, step{"delivery reports " + string(to), to, func(x *settlement.Disbursement) error { return x.Delivered(to, "", t0) }})
	}
	for _, to := range []settlement.DisbursementState{settlement.DisbReleased, settlement.DisbSettled, settlement.DisbReturned, settlement.DisbFailed} {
		steps = append(steps, step{"person records " + string(to), to, func(x *settlement.Disbursement) error {
			return x.RecordOutcome(actor("u-outcome", "finance_recorder"), d, to, "bank said so", t0)
		}})
	}
	allowed := map[string]bool{
		"created/approve": true, "approved/release": true,
		"releasing/delivery reports released": true, "releasing/delivery reports outcome_unknown": true, "releasing/delivery reports failed": true,
		"released/person records settled": true, "released/person records returned": true,
		"outcome_unknown/person records released": true, "outcome_unknown/person records settled": true,
		"outcome_unknown/person records returned": true, "outcome_unknown/person records failed": true,
		"settled/person records returned": true,
	}
	for _, from := range states {
		for _, st := range steps {
			name := string(from) + "/" + st.name
			t.Run(name, func(t *testing.T) {
				x := disbursementIn(t, from)
				steps := len(x.History)
				err := st.do(&x)
				switch {
				case allowed[name] && err != nil:
					t.Fatalf("refused: %v", err)
				case allowed[name] && (x.State != st.to || len(x.History) != steps+1 || x.History[steps].From != from || x.History[steps].To != st.to):
					t.Fatalf("state %s, history %+v", x.State, x.History)
				case !allowed[name] && !errors.Is(err, settlement.ErrTransition):
					t.Fatalf("got %v, want ErrTransition", err)
				case !allowed[name] && (x.State != from || len(x.History) != steps):
					t.Fatalf("a refused step changed the disbursement: %s, %d steps", x.State, len(x.History))
				}
			})
		}
	}
}

// TestDisbursement_outcomeUnknownIsNeverRetried: only a releasing
// disbursement may be handed to delivery again without a person.
func TestDisbursement_outcomeUnknownIsNeverRetried(t *testing.T) {
	for _, s := range []settlement.DisbursementState{settlement.DisbCreated, settlement.DisbApproved, settlement.DisbReleasing, settlement.DisbReleased,
		settlement.DisbOutcomeUnknown, settlement.DisbSettled, settlement.DisbReturned, settlement.DisbFailed} {
		if got := settlement.AutoRetry(s); got != (s == settlement.DisbReleasing) {
			t.Errorf("AutoRetry(%s) = %v", s, got)
		}
	}
}

// TestDisbursement_dutyErrorsNameWhoAndWhat refuses a user doing a second
// duty, a user without an allowed role and an anonymous one, naming who and
// what, and changes nothing.
func TestDisbursement_dutyErrorsNameWhoAndWhat(t *testing.T) {
	d := settlement.DefaultDuties()
	for _, tc := range []struct {
		name    string
		from    settlement.DisbursementState
		do      func(x *settlement.Disbursement) error
		duty    settlement.Duty
		already settlement.Duty
		msg     string
	}{
		{"creator approves", settlement.DisbCreated, func(x *settlement.Disbursement) error { return x.Approve(actor("u-create", "finance_approver"), d, t0) },
			settlement.DutyApprove, settlement.DutyCreate, "settlement: u-create may not approve: they already did create (separation of duties)"},
		{"approver releases", settlement.DisbApproved, func(x *settlement.Disbursement) error { return x.Release(actor("u-approve", "treasury"), d, t0) },
			settlement.DutyRelease, settlement.DutyApprove, "settlement: u-approve may not release: they already did approve (separation of duties)"},
		{"releaser records the outcome", settlement.DisbOutcomeUnknown, func(x *settlement.Disbursement) error {
			return x.RecordOutcome(actor("u-release", "finance_recorder"), d, settlement.DisbSettled, "", t0)
		}, settlement.DutyOutcome, settlement.DutyRelease, "settlement: u-release may not record_outcome: they already did release (separation of duties)"},
		{"creator records the outcome", settlement.DisbReleased, func(x *settlement.Disbursement) error {
			return x.RecordOutcome(actor("u-create", "finance_recorder"), d, settlement.DisbSettled, "", t0)
		}, settlement.DutyOutcome, settlement.DutyCreate, "settlement: u-create may not record_outcome: they already did create (separation of duties)"},
		{"wrong role", settlement.DisbApproved, func(x *settlement.Disbursement) error { return x.Release(actor("u-new", "finance_approver"), d, t0) },
			settlement.DutyRelease, "", "settlement: u-new lacks a role allowed to release"},
		{"anonymous", settlement.DisbCreated, func(x *settlement.Disbursement) error {
			return x.Approve(settlement.Actor{Roles: []string{"finance_approver"}}, d, t0)
		},
			settlement.DutyApprove, "", "settlement: (anonymous) lacks a role allowed to approve"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := disbursementIn(t, tc.from)
			err := tc.do(&x)
			var de *settlement.DutyError
			if !errors.As(err, &de) || de.Duty != tc.duty || de.Already != tc.already || err.Error() != tc.msg {
				t.Fatalf("got %v, want %q", err, tc.msg)
			}
			if x.State != tc.from {
				t.Fatalf("a refused step moved the disbursement to %s", x.State)
			}
		})
	}
	if _, err := settlement.NewDisbursement("d", "r", money.MustNew(1, money.USD), t0, actor("u", "treasury"), d, t0); err == nil {
		t.Fatal("created by a role without the create duty")
	}
	anyRole := settlement.Duties{}
	x, err := settlement.NewDisbursement("d", "r", money.MustNew(1, money.USD), t0, actor("u", ""), anyRole, t0)
	if err != nil || x.Approve(actor("u", ""), anyRole, t0) == nil || x.Approve(actor("v", ""), anyRole, t0) != nil {
		t.Fatalf("empty duties allow any role but still different users: %v", err)
	}
}
