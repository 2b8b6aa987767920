package app_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
)

const (
	fhirClaim = `{"resourceType":"Claim","id":"C7"}`
	fhirResp  = `{"resourceType":"ClaimResponse","request":{"reference":"Claim/C7"}}`
)

func bundle(resources ...string) string {
	var es []string
	for _, r := range resources {
		es = append(es, `{"resource":`+r+`}`)
	}
	return `{"resourceType":"Bundle","entry":[` + strings.Join(es, ",") + `]}`
}

func TestClaimSourcesOf(t *testing.T) {
	for _, tc := range []struct {
		name, format, body string
		n                  int    // sources wanted
		path, code         string // first field error wanted
	}{
		{"one claim", app.ClaimsJSON, ` {"id":"C1"} `, 1, "", ""},
		{"array", app.ClaimsJSON, `[{"id":"C1"},{"id":"C2"}]`, 2, "", ""},
		{"empty array", app.ClaimsJSON, `[]`, 0, "body", "required"},
		{"broken array", app.ClaimsJSON, `[{"id":`, 0, "body", "invalid_json"},
		{"pair in either order", app.ClaimsFHIR, bundle(fhirResp, fhirClaim), 1, "", ""},
		{"not a bundle", app.ClaimsFHIR, fhirClaim, 0, "resourceType", "invalid"},
		{"no claim", app.ClaimsFHIR, bundle(), 0, "entry", "required"},
		{"other resource", app.ClaimsFHIR, bundle(fhirClaim, fhirResp, `{"resourceType":"Patient"}`), 0, "entry[2].resource.resourceType", "invalid"},
		{"claim twice", app.ClaimsFHIR, bundle(fhirClaim, fhirResp, fhirClaim), 0, "entry[2].resource.id", "invalid"},
		{"response for nothing", app.ClaimsFHIR, bundle(fhirClaim, fhirResp, strings.Replace(fhirResp, "C7", "C8", 1)), 0, "entry[2].resource.request", "unknown_claim"},
		{"second response", app.ClaimsFHIR, bundle(fhirClaim, fhirResp, fhirResp), 0, "entry[2].resource.request", "duplicate"},
		{"claim without response", app.ClaimsFHIR, bundle(fhirClaim), 0, "entry[0].resource", "missing_response"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srcs, err := app.ClaimSourcesOf(tc.format, []byte(tc.body), settlement.FHIROptions{LOB: "medicaid"})
			var fes validate.Errors
			var fe *validate.FieldError
			switch {
			case tc.path == "" && (err != nil || len(srcs) != tc.n):
				t.Fatalf("%d sources, %v; want %d", len(srcs), err, tc.n)
			case tc.path == "":
				if tc.format == app.ClaimsFHIR && (srcs[0].FHIRResponse == nil || srcs[0].FHIROptions.LOB != "medicaid") {
					t.Fatalf("source %+v: not paired", srcs[0])
				}
			case errors.As(err, &fes) && (fes[0].Path != tc.path || fes[0].Code != tc.code):
				t.Fatalf("errors %v, want %s %s first", fes, tc.path, tc.code)
			case !errors.As(err, &fes) && (!errors.As(err, &fe) || fe.Path != tc.path || fe.Code != tc.code):
				t.Fatalf("error %v, want %s %s", err, tc.path, tc.code)
			}
		})
	}
}
