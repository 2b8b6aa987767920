package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// IntakeReport says what a claims intake did.
type IntakeReport struct {
	New, Duplicates int
	Conflicts       []ports.ClaimKey // same id and version, other content: refused
	ConflictIndex   []int            // the position in the batch of each of Conflicts
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
	idx := make([]int, 0, len(srcs)) // the position in srcs of each of recs
	for i, src := range srcs {
		c, err := decodeSource(src)
		if err == nil {
			recs = append(recs, ports.ClaimRecord{Tenant: tenant, Claim: c, ArrivedAt: now, Body: src.JSON})
			idx = append(idx, i)
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
			idx = append(idx, i)
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
	if len(rep.Conflicts) > 0 {
		at := make(map[ports.ClaimKey]int, len(recs))
		for i, r := range recs {
			at[ports.ClaimKey{ID: r.Claim.ID, Version: r.Claim.Version}] = idx[i]
		}
		for _, k := range rep.Conflicts {
			rep.ConflictIndex = append(rep.ConflictIndex, at[k])
		}
	}
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

// Claim payload formats of ClaimSourcesOf.
const (
	ClaimsJSON = "json" // one claim object, or an array of them
	ClaimsFHIR = "fhir" // a FHIR Bundle of Claims and the ClaimResponses that reference them
)

// ClaimSourcesOf splits one payload (an API request body or a bus message)
// into claim sources. A FHIR Bundle pairs each Claim with the ClaimResponse
// whose request references it. Structural problems come back as
// validate.Errors naming the entry; each claim is validated by IntakeClaims.
func ClaimSourcesOf(format string, body []byte, o settlement.FHIROptions) ([]ClaimSource, error) {
	if format == ClaimsFHIR {
		return fhirSources(body, o)
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '[' {
		return []ClaimSource{{JSON: body}}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return nil, validate.Errorf("body", "invalid_json", "want a claim object or an array of them: %v", err)
	}
	if len(raws) == 0 {
		return nil, validate.Errorf("body", "required", "want at least one claim")
	}
	srcs := make([]ClaimSource, len(raws))
	for i, r := range raws {
		srcs[i] = ClaimSource{JSON: r}
	}
	return srcs, nil
}

func fhirSources(body []byte, o settlement.FHIROptions) ([]ClaimSource, error) {
	var b struct {
		ResourceType string `json:"resourceType"`
		Entry        []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.ResourceType != "Bundle" {
		return nil, validate.Errorf("resourceType", "invalid", "want a FHIR Bundle of Claim and ClaimResponse entries")
	}
	type head struct {
		ResourceType string `json:"resourceType"`
		ID           string `json:"id"`
		Request      struct {
			Reference string `json:"reference"`
		} `json:"request"`
	}
	var errs validate.Errors
	var srcs []ClaimSource
	claims := map[string]int{} // Claim id → index in srcs
	var responses []int
	heads := make([]head, len(b.Entry))
	for i, e := range b.Entry {
		path := validate.Index("entry", i) + ".resource"
		if err := json.Unmarshal(e.Resource, &heads[i]); err != nil {
			errs.Add(path, "invalid_json", err.Error())
			continue
		}
		switch h := heads[i]; h.ResourceType {
		case "Claim":
			if _, dup := claims[h.ID]; dup || h.ID == "" {
				errs.Add(path+".id", "invalid", "want a Claim id, once per Bundle")
				continue
			}
			claims[h.ID] = len(srcs)
			srcs = append(srcs, ClaimSource{FHIRClaim: e.Resource, FHIROptions: o})
		case "ClaimResponse":
			responses = append(responses, i)
		default:
			errs.Add(path+".resourceType", "invalid", "want Claim or ClaimResponse")
		}
	}
	for _, i := range responses {
		id, ok := strings.CutPrefix(heads[i].Request.Reference, "Claim/")
		j, found := claims[id]
		switch {
		case !ok || !found:
			errs.Add(validate.Index("entry", i)+".resource.request", "unknown_claim", "want the reference of a Claim in this Bundle (Claim/<id>)")
		case srcs[j].FHIRResponse != nil:
			errs.Add(validate.Index("entry", i)+".resource.request", "duplicate", "a second ClaimResponse for Claim/"+id)
		default:
			srcs[j].FHIRResponse = b.Entry[i].Resource
		}
	}
	for i, h := range heads {
		if j, ok := claims[h.ID]; ok && h.ResourceType == "Claim" && srcs[j].FHIRResponse == nil {
			errs.Add(validate.Index("entry", i)+".resource", "missing_response", "no ClaimResponse references Claim/"+h.ID)
		}
	}
	if len(srcs) == 0 {
		errs.Add("entry", "required", "want at least one Claim")
	}
	return srcs, errs.Err()
}
