package mappings_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/revhub/revhub/mappings"
	_ "github.com/revhub/revhub/zones/all"
)

const rulesTenant = `tenant: acme
name: Acme
zone: DE
numbering:
  invoice:     { name: re, pattern: "{ORG}-{YYYY}-{SEQ:6}", reset: yearly }
  credit_note: { name: gs, pattern: "{ORG}-GS-{YYYY}-{SEQ:6}", reset: yearly }
capture:
  codes: [{ system: "http://loinc.org", code: "718-7", service: "32038" }]
pricing:
  precedence: [contract, national]
  time_zone: Europe/Berlin
  service_groups: { consultation: ["03000"] }
`

func TestLoad_captureAndPricing(t *testing.T) {
	for _, tc := range []struct {
		name      string
		org       string
		wantPath  string // first problem's path; "" for a valid tree
		wantCode  string
		checkRule func(t *testing.T, o *mappings.Org)
	}{
		{name: "tenant sections apply to the org", org: "organization: berlin\nname: Berlin\n",
			checkRule: func(t *testing.T, o *mappings.Org) {
				if o.Capture == nil || o.Capture.Codes[0].Service != "32038" {
					t.Fatalf("capture = %+v", o.Capture)
				}
				if p, err := o.Pricing.Order(); err != nil || len(p) != 2 || o.Pricing.Groups("03000")[0] != "consultation" {
					t.Fatalf("pricing = %+v %v", o.Pricing, err)
				}
			}},
		{name: "org section replaces the tenant's", org: "organization: berlin\nname: Berlin\ncapture:\n  module: lab\n  codes: [{ system: x }]\n",
			checkRule: func(t *testing.T, o *mappings.Org) {
				if o.Capture.Module != "lab" || len(o.Capture.Codes) != 1 || o.Capture.Codes[0].System != "x" {
					t.Fatalf("capture = %+v", o.Capture)
				}
			}},
		{name: "unknown capture key", org: "organization: berlin\nname: Berlin\ncapture: { codez: [] }\n",
			wantPath: "capture.codez", wantCode: "unknown_key"},
		{name: "capture code without system", org: "organization: berlin\nname: Berlin\ncapture: { codes: [{ code: A, service: B }] }\n",
			wantPath: "capture.codes[0].system", wantCode: "required"},
		{name: "unknown precedence kind", org: "organization: berlin\nname: Berlin\npricing: { precedence: [national, gold] }\n",
			wantPath: "pricing.precedence", wantCode: "invalid"},
		{name: "unknown time zone", org: "organization: berlin\nname: Berlin\npricing: { time_zone: Mars/Olympus }\n",
			wantPath: "pricing.time_zone", wantCode: "invalid"},
		{name: "billing assignment rules", org: "organization: berlin\nname: Berlin\nbilling:\n  assign: [{ name: aok-desk, payers: [aok], biller: bea }]\n",
			checkRule: func(t *testing.T, o *mappings.Org) {
				if o.Billing == nil || len(o.Billing.Assign) != 1 || o.Billing.Assign[0].Biller != "bea" || o.Billing.Assign[0].Payers[0] != "aok" {
					t.Fatalf("billing = %+v", o.Billing)
				}
			}},
		{name: "assignment rule without biller", org: "organization: berlin\nname: Berlin\nbilling: { assign: [{ name: x }] }\n",
			wantPath: "billing.assign[0].biller", wantCode: "required"},
		{name: "unknown assignment key", org: "organization: berlin\nname: Berlin\nbilling: { assign: [{ name: x, biller: b, stage: y }] }\n",
			wantPath: "billing.assign[0].stage", wantCode: "unknown_key"},
		{name: "bad rule", org: "organization: berlin\nname: Berlin\npricing:\n  rules: { rules: [{ id: x, version: '1', valid_from: 2025-01-01, then: { kind: surcharge } }] }\n",
			wantPath: "pricing.rules.rules[0].then"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := mappings.LoadFS(fstest.MapFS{
				"deployment.yaml":           {Data: []byte("deployment: t\n")},
				"tenants/acme/_tenant.yaml": {Data: []byte(rulesTenant)},
				"tenants/acme/berlin.yaml":  {Data: []byte(tc.org)},
			})
			if tc.wantPath == "" {
				if err != nil {
					t.Fatal(err)
				}
				o, _ := cfg.Org("acme", "berlin")
				tc.checkRule(t, o)
				return
			}
			var ps mappings.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("want problems, got %v", err)
			}
			p := ps[0]
			if p.File != "tenants/acme/berlin.yaml" || p.Line == 0 || len(p.Path) < len(tc.wantPath) || p.Path[:len(tc.wantPath)] != tc.wantPath ||
				(tc.wantCode != "" && p.Code != tc.wantCode) {
				t.Fatalf("problem %+v (%v), want path %s code %s", p, p, tc.wantPath, tc.wantCode)
			}
		})
	}
}
