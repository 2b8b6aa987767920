package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// IntakeReport says what a claims intake did.
type IntakeReport struct {
	New, Duplicates int
	Conflicts       []ports.ClaimKey // same id and version, other content: refused
	Rejected        []RejectedClaim  // failed validation; stored as REJECTED when id and version were readable
}

// RejectedClaim is one claim that failed validation.
type RejectedClaim struct {
	Index   int // position in the batch
	ID      string
	Version int64
	Errors  validate.Errors
}

// ClaimSource is one inbound claim: revhub claim JSON, or a FHIR Claim with
// its ClaimResponse.
type ClaimSource struct {
	JSON         []byte
	FHIRClaim    []byte
	FHIRResponse []byte
	FHIROptions  settlement.FHIROptions
}

// IntakeClaims validates a batch of adjudicated claims and stores them in
// one transaction, idempotent by claim id and version. Invalid claims whose
// id and version can be read are stored as REJECTED with their problem count
// (they count against submission quality and are never paid); the rest are
// only reported.
func IntakeClaims(ctx context.Context, s ports.Store, tenant string, srcs []ClaimSource, now time.Time) (IntakeReport, error) {
	var rep IntakeReport
	recs := make([]ports.ClaimRecord, 0, len(srcs))
	for i, src := range srcs {
		c, err := decodeSource(src)
		if err == nil {
			recs = append(recs, ports.ClaimRecord{Tenant: tenant, Claim: c, ArrivedAt: now, Body: src.JSON})
			continue
		}
		var fes validate.Errors
		if !errors.As(err, &fes) {
			return rep, err
		}
		rep.Rejected = append(rep.Rejected, RejectedClaim{Index: i, ID: c.ID, Version: c.Version, Errors: fes})
		if c.ID != "" && c.Version > 0 {
			c.Status = settlement.ClaimRejected
			recs = append(recs, ports.ClaimRecord{Tenant: tenant, Claim: c, Problems: len(fes), ArrivedAt: now, Body: rejectedBody(src)})
		}
	}
	if len(recs) == 0 {
		return rep, nil
	}
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		res, err := repo.Intake(ctx, recs)
		rep.New, rep.Duplicates, rep.Conflicts = res.New, res.Duplicates, res.Conflicts
		return err
	})
	return rep, err
}

func decodeSource(src ClaimSource) (settlement.Claim, error) {
	if src.JSON != nil {
		return settlement.DecodeClaim(src.JSON)
	}
	return settlement.FromFHIR(src.FHIRClaim, src.FHIRResponse, src.FHIROptions)
}

// rejectedBody keeps what was submitted, as JSON.
func rejectedBody(src ClaimSource) []byte {
	if src.JSON != nil && json.Valid(src.JSON) {
		return src.JSON
	}
	b, _ := json.Marshal(map[string]json.RawMessage{"fhir_claim": validJSON(src.FHIRClaim), "fhir_claim_response": validJSON(src.FHIRResponse)})
	return b
}

func validJSON(b []byte) json.RawMessage {
	if json.Valid(b) {
		return b
	}
	return json.RawMessage("null")
}
