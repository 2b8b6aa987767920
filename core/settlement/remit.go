package settlement

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// RemitStatus is where a provider's remittance stands.
type RemitStatus string

// The remittance statuses: GENERATED → PAID → DISPUTED → RESOLVED, and
// DISPUTED again when another line is disputed.
const (
	RemitGenerated RemitStatus = "GENERATED"
	RemitPaid      RemitStatus = "PAID"
	RemitDisputed  RemitStatus = "DISPUTED"
	RemitResolved  RemitStatus = "RESOLVED"
)

// Remittance is one run's statement to one provider: the header and its
// adjustments. Its lines are the claims the run paid to the provider.
type Remittance struct {
	ID            string
	RunID         string
	Payer         string
	NPI           string
	TIN           TIN
	PayeeRef      string
	Period        Period
	Status        RemitStatus
	Claims        int
	TotalApproved money.Amount
	Fees          money.Amount
	NetPayable    money.Amount // total approved − fees + Σ adjustments
	Lines         []LineRef    // the claim versions paid, by claim id
	Adjustments   []RemitAdjustment
	Proof         string    // artifact id of the bank's payment confirmation
	PaidAt        time.Time // when finance uploaded the proof
	OpenDisputes  int
}

// LineRef names the claim version of a remittance line.
type LineRef struct {
	ClaimID string
	Version int64
}

// RemitAdjustment is a change to a remittance after it was generated: the
// resolution of a dispute. A positive amount increases the payment. The
// original line is never changed.
type RemitAdjustment struct {
	DisputeID string
	ClaimID   string
	Amount    money.Amount
	Reason    string
	DecidedBy string
	At        time.Time
}

// ErrTransition is wrapped by every refused status change.
var ErrTransition = errors.New("settlement: transition not allowed")

func refuse(what string, from any, action string) error {
	return fmt.Errorf("%w: %s in %v cannot %s", ErrTransition, what, from, action)
}

// MarkPaid records the payment proof artifact: GENERATED → PAID.
func (r *Remittance) MarkPaid(proof string, at time.Time) error {
	if r.Status != RemitGenerated {
		return refuse("remittance "+r.ID, r.Status, "be paid")
	}
	if proof == "" {
		return validate.Errors{{Path: "proof", Code: "required", Msg: "a payment needs a proof file", Err: validate.ErrRequired}}
	}
	r.Status, r.Proof, r.PaidAt = RemitPaid, proof, at
	return nil
}

// DisputeStatus is where a dispute stands.
type DisputeStatus string

// The dispute statuses.
const (
	DisputeOpen     DisputeStatus = "OPEN"
	DisputeResolved DisputeStatus = "RESOLVED"
)

// Dispute is a provider's objection to one remittance line (one claim).
type Dispute struct {
	ID           string
	RemittanceID string
	ClaimID      string
	ClaimVersion int64 // the paid version, as the remittance line names it; 0 = the current one
	Reason       string
	Requested    money.Amount // what the provider says is missing; zero (invalid) Amount = not stated
	RaisedBy     string
	RaisedAt     time.Time
	Status       DisputeStatus
	Decision     *Decision
}

// Outcome is finance's answer to a dispute.
type Outcome string

// The dispute outcomes.
const (
	Upheld   Outcome = "upheld"   // the provider is right: pay the adjustment
	Partial  Outcome = "partial"  // partly right: pay part of it
	Rejected Outcome = "rejected" // nothing changes
)

// Decision resolves a dispute.
type Decision struct {
	Outcome    Outcome
	Adjustment money.Amount // added to the remittance; zero for Rejected
	Note       string
	By         string
	At         time.Time
}

// Validate reports every problem with a new dispute.
func (d Dispute) Validate() error {
	var errs validate.Errors
	for _, f := range []struct{ path, v string }{{"id", d.ID}, {"remittance_id", d.RemittanceID}, {"claim_id", d.ClaimID}, {"reason", d.Reason}, {"raised_by", d.RaisedBy}} {
		if f.v == "" {
			errs.Required(f.path)
		}
	}
	if d.Requested.Valid() && d.Requested.Sign() <= 0 {
		errs.Add("requested", "not_positive", "a requested amount is positive")
	}
	return errs.Err()
}

// Line returns r's line of a claim (version 0: any version).
func (r *Remittance) Line(claimID string, version int64) (LineRef, bool) {
	i := sort.Search(len(r.Lines), func(i int) bool { return r.Lines[i].ClaimID >= claimID })
	for ; i < len(r.Lines) && r.Lines[i].ClaimID == claimID; i++ {
		if version == 0 || r.Lines[i].Version == version {
			return r.Lines[i], true
		}
	}
	return LineRef{}, false
}

// Open files d against r: r goes to DISPUTED. Only a paid or resolved
// remittance can be disputed, and only on one of its lines.
func (r *Remittance) Open(d *Dispute) error {
	_, paid := r.Line(d.ClaimID, d.ClaimVersion)
	if err := d.Validate(); err != nil {
		return err
	}
	switch {
	case d.RemittanceID != r.ID:
		return validate.Errors{validate.Errorf("remittance_id", "mismatch", "dispute is for %s, not %s", d.RemittanceID, r.ID)}
	case !paid:
		return validate.Errors{validate.Errorf("claim_id", "not_on_remittance", "claim %s is not a line of %s", d.ClaimID, r.ID)}
	case r.Status != RemitPaid && r.Status != RemitResolved && r.Status != RemitDisputed:
		return refuse("remittance "+r.ID, r.Status, "be disputed")
	}
	d.Status = DisputeOpen
	r.Status = RemitDisputed
	r.OpenDisputes++
	return nil
}

// Resolve applies finance's decision: the dispute closes, a non-zero
// adjustment becomes an adjustment line of r (its net payable changes, the
// original line does not), and r is RESOLVED when no dispute stays open.
func (r *Remittance) Resolve(d *Dispute, dec Decision) error {
	var errs validate.Errors
	switch dec.Outcome {
	case Upheld, Partial:
		if !dec.Adjustment.Valid() || dec.Adjustment.IsZero() {
			errs.Add("adjustment", "required", "an upheld dispute adjusts the remittance")
		} else if dec.Adjustment.Currency() != r.NetPayable.Currency() {
			errs.Add("adjustment", "currency_mismatch", "want "+string(r.NetPayable.Currency()))
		}
	case Rejected:
		if dec.Adjustment.Valid() && !dec.Adjustment.IsZero() {
			errs.Add("adjustment", "not_zero", "a rejected dispute adjusts nothing")
		}
	default:
		errs.Add("outcome", "unknown_code", "want upheld, partial or rejected")
	}
	if dec.By == "" {
		errs.Required("by")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if d.Status != DisputeOpen || d.RemittanceID != r.ID || r.Status != RemitDisputed {
		return refuse("dispute "+d.ID, d.Status, "be resolved")
	}
	if dec.Outcome != Rejected {
		net, err := r.NetPayable.Add(dec.Adjustment)
		if err != nil {
			return err
		}
		if net.Sign() < 0 {
			return validate.Errors{validate.Errorf("adjustment", "negative_net", "the remittance would pay less than nothing")}
		}
		r.NetPayable = net
		r.Adjustments = append(r.Adjustments, RemitAdjustment{DisputeID: d.ID, ClaimID: d.ClaimID, Amount: dec.Adjustment,
			Reason: dec.Note, DecidedBy: dec.By, At: dec.At})
	}
	d.Status, d.Decision = DisputeResolved, &dec
	if r.OpenDisputes--; r.OpenDisputes <= 0 {
		r.OpenDisputes, r.Status = 0, RemitResolved
	}
	return nil
}
