package settlement

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// FHIR identifier systems read by FromFHIR.
const (
	SystemNPI = "http://hl7.org/fhir/sid/us-npi"
	SystemEIN = "urn:oid:2.16.840.1.113883.4.4" // IRS employer identification number (TIN)
)

// FHIROptions fills what a FHIR Claim/ClaimResponse pair does not carry.
type FHIROptions struct {
	LOB             string                  // line of business when Claim.insurance[0].coverage.display is empty
	PayeeAccountRef func(npi string) string // the payee bank directory reference of a provider; nil = none
}

type fhirRef struct {
	Reference  string `json:"reference"`
	Display    string `json:"display"`
	Identifier struct {
		System string `json:"system"`
		Value  string `json:"value"`
	} `json:"identifier"`
}

type fhirMoney struct {
	Value    json.Number `json:"value"`
	Currency string      `json:"currency"`
}

type fhirConcept struct {
	Coding []struct {
		System string `json:"system"`
		Code   string `json:"code"`
	} `json:"coding"`
}

func (c fhirConcept) code() string {
	if len(c.Coding) == 0 {
		return ""
	}
	return c.Coding[0].Code
}

type fhirClaim struct {
	ResourceType string  `json:"resourceType"`
	ID           string  `json:"id"`
	Status       string  `json:"status"`
	Created      string  `json:"created"`
	Patient      fhirRef `json:"patient"`
	Provider     fhirRef `json:"provider"`
	Payee        struct {
		Party fhirRef `json:"party"`
	} `json:"payee"`
	Insurance []struct {
		Coverage fhirRef `json:"coverage"`
	} `json:"insurance"`
	Item []struct {
		Sequence         int           `json:"sequence"`
		ProductOrService fhirConcept   `json:"productOrService"`
		Modifier         []fhirConcept `json:"modifier"`
		ServicedDate     string        `json:"servicedDate"`
		Quantity         struct {
			Value json.Number `json:"value"`
		} `json:"quantity"`
		Net       *fhirMoney `json:"net"`
		Encounter []fhirRef  `json:"encounter"`
	} `json:"item"`
}

type fhirAdjudication struct {
	Category fhirConcept `json:"category"`
	Reason   fhirConcept `json:"reason"`
	Amount   *fhirMoney  `json:"amount"`
}

type fhirClaimResponse struct {
	ResourceType string `json:"resourceType"`
	Meta         struct {
		VersionID string `json:"versionId"`
	} `json:"meta"`
	Status  string  `json:"status"`
	Outcome string  `json:"outcome"`
	Request fhirRef `json:"request"`
	Item    []struct {
		ItemSequence int                `json:"itemSequence"`
		Adjudication []fhirAdjudication `json:"adjudication"`
	} `json:"item"`
}

// FromFHIR maps a FHIR R4 Claim and the payer's ClaimResponse to a Claim:
// the member from Claim.patient (identifier or reference id), the provider's
// NPI from Claim.provider.identifier, the TIN from Claim.payee.party.identifier
// (EIN system), lines from Claim.item (net = billed) and their adjudication
// from ClaimResponse.item (category "eligible" = allowed, "benefit" =
// approved, a reason coded "CO-45" = a CARC of the difference), the version
// from ClaimResponse.meta.versionId (default 1) and the state from its
// outcome: queued → RECEIVED, partial → PENDED, complete → APPROVED (DENIED
// when nothing is approved), error → DENIED; a cancelled Claim is VOIDED.
func FromFHIR(claimJSON, responseJSON []byte, o FHIROptions) (Claim, error) {
	var fc fhirClaim
	var fr fhirClaimResponse
	var errs validate.Errors
	decodeFHIR(&errs, "claim", claimJSON, &fc)
	decodeFHIR(&errs, "claim_response", responseJSON, &fr)
	if len(errs) > 0 {
		return Claim{}, errs.Err()
	}
	if fc.ResourceType != "Claim" {
		errs.Add("claim.resourceType", "invalid", "want Claim")
	}
	if fr.ResourceType != "ClaimResponse" {
		errs.Add("claim_response.resourceType", "invalid", "want ClaimResponse")
	}
	if ref := fr.Request.Reference; ref != "" && ref != "Claim/"+fc.ID {
		errs.Add("claim_response.request", "mismatch", "does not reference Claim/"+fc.ID)
	}
	c := Claim{ID: fc.ID, Version: 1, Member: refID(fc.Patient), LOB: o.LOB,
		Provider: ClaimProvider{NPI: fc.Provider.Identifier.Value, Name: fc.Provider.Display}}
	if v := fr.Meta.VersionID; v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs.Add("claim_response.meta.versionId", "invalid", "want an integer version")
		}
		c.Version = n
	}
	if p := fc.Payee.Party.Identifier; p.System == SystemEIN {
		c.Provider.TIN = TIN(strings.ReplaceAll(p.Value, "-", ""))
	}
	if len(fc.Insurance) > 0 && fc.Insurance[0].Coverage.Display != "" {
		c.LOB = fc.Insurance[0].Coverage.Display
	}
	if o.PayeeAccountRef != nil {
		c.Provider.PayeeAccountRef = o.PayeeAccountRef(c.Provider.NPI)
	}
	if len(fc.Created) >= 10 {
		c.Received = parseDay(&errs, "claim.created", fc.Created[:10])
	} else {
		errs.Required("claim.created")
	}
	adj := make(map[int][]fhirAdjudication, len(fr.Item))
	for _, it := range fr.Item {
		adj[it.ItemSequence] = it.Adjudication
	}
	for i, it := range fc.Item {
		p := validate.Index("claim.item", i)
		l := ClaimLine{Code: it.ProductOrService.code(), ServiceDate: parseDay(&errs, p+".servicedDate", it.ServicedDate)}
		for _, m := range it.Modifier {
			l.Modifiers = append(l.Modifiers, m.code())
		}
		if q := it.Quantity.Value.String(); q != "" {
			if l.Units, _ = strconv.ParseInt(q, 10, 64); l.Units <= 0 {
				errs.Add(p+".quantity.value", "invalid", "want a whole number of units")
			}
		}
		l.Billed = fhirAmount(&errs, p+".net", it.Net)
		if c.Encounter == "" && len(it.Encounter) > 0 {
			c.Encounter = refID(it.Encounter[0])
		}
		for j, a := range adj[it.Sequence] {
			ap := validate.Index(validate.Index("claim_response.item", i)+".adjudication", j)
			amt := fhirAmount(&errs, ap+".amount", a.Amount)
			switch a.Category.code() {
			case "eligible":
				l.Allowed = amt
			case "benefit":
				l.Approved = amt
			}
			if r := a.Reason.code(); r != "" {
				g, code, ok := strings.Cut(r, "-")
				if !ok {
					errs.Add(ap+".reason", "invalid", "want GROUP-CODE, e.g. CO-45")
				}
				l.Adjustments = append(l.Adjustments, CARC{Group: AdjustmentGroup(g), Code: code, Amount: amt})
			}
		}
		c.Lines = append(c.Lines, l)
	}
	c.fillTotals()
	c.Status = fhirState(fc.Status, fr.Outcome, c.Approved)
	if err := c.Validate(); err != nil {
		errs.Merge("", err)
	}
	return c, errs.Err()
}

func fhirState(claimStatus, outcome string, approved money.Amount) ClaimState {
	switch {
	case claimStatus == "cancelled" || claimStatus == "entered-in-error":
		return ClaimVoided
	case outcome == "queued":
		return ClaimReceived
	case outcome == "partial":
		return ClaimPended
	case outcome == "error":
		return ClaimDenied
	case outcome == "complete" && approved.Valid() && approved.Sign() > 0:
		return ClaimApproved
	case outcome == "complete":
		return ClaimDenied
	}
	return ""
}

func decodeFHIR(errs *validate.Errors, path string, b []byte, v any) {
	if len(b) > MaxClaimJSON {
		errs.Add(path, "too_large", "a resource is at most 1 MiB")
		return
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		*errs = append(*errs, &validate.FieldError{Path: validate.Join(path, jsonPath(err)), Code: "syntax", Msg: err.Error(), Err: err})
	}
}

func fhirAmount(errs *validate.Errors, path string, m *fhirMoney) money.Amount {
	if m == nil {
		return money.Amount{}
	}
	cur, err := money.ParseCurrency(m.Currency)
	if err != nil {
		errs.Add(path+".currency", "unknown_code", "want an ISO 4217 currency")
		return money.Amount{}
	}
	a, err := money.Parse(m.Value.String(), cur)
	if err != nil {
		errs.Add(path+".value", "invalid", "want a decimal amount with at most the currency's digits")
	}
	return a
}

// refID returns the identifier value, or the id after the last '/' of the reference.
func refID(r fhirRef) string {
	if r.Identifier.Value != "" {
		return r.Identifier.Value
	}
	if i := strings.LastIndexByte(r.Reference, '/'); i >= 0 {
		return r.Reference[i+1:]
	}
	return r.Reference
}
