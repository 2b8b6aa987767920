package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/revhub/revhub/ports"
)

func TestMappingsValidate_shippedExamplesPass(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run(context.Background(), []string{"mappings", "validate", "../../mappings"}, &out, &errb); rc != 0 {
		t.Fatalf("exit %d\n%s%s", rc, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "../../mappings: ok") {
		t.Errorf("no ok line:\n%s", out.String())
	}
}

// The broken tree's errors that do not depend on which adapters are built in.
func TestMappingsValidate_brokenTreeListsEveryError(t *testing.T) {
	var out, errb bytes.Buffer
	rc := run(context.Background(), []string{"mappings", "validate", "../../mappings/testdata/broken"}, &out, &errb)
	if rc != 1 {
		t.Fatalf("exit %d, want 1\n%s", rc, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	shape := regexp.MustCompile(`^(warning: )?[a-z/_.-]+\.yaml:[0-9]+: [a-z_.]+: .+$`)
	for _, l := range lines {
		if !shape.MatchString(l) {
			t.Errorf("line is not file:line: path: message: %q", l)
		}
	}
	for _, want := range []string{
		"deployment.yaml:4: bindings.store: expected exactly one adapter name",
		`deployment.yaml:6: bindings.cache: unknown port "cache"`,
		`tenants/acme/_tenant.yaml:3: currency: unknown key "currency"`,
		`tenants/acme/_tenant.yaml:6: numbering.invoice.pattern: "{ORG}-{YYYY}": needs exactly one {SEQ:n}`,
		`tenants/acme/_tenant.yaml:7: numbering.credit_note.reset: reset "sometimes": expected yearly or never`,
		`tenants/acme/_tenant.yaml:9: bindings.test_sink: unknown port "test_sink"`,
		`tenants/acme/org-a.yaml:3: zone: unknown zone "XX"`,
		`tenants/acme/org-a.yaml:5: identifiers.fr_siret: "81234567800014" is not a SIRET`,
		`tenants/acme/org-b.yaml:1: organization: duplicate organization "org-a"`,
		`tenants/acme/org-c.yaml:5: bindings.gl_export.sap_idocs: unknown gl_export adapter "sap_idocs"`,
		"tenants/acme/org-c.yaml:7: bindings.einvoice.facturx: einvoice adapter facturx is not offered in zone DE",
		"tenants/acme/org-c.yaml:10: bindings.payout.nacha.credentials_ref: a secret reference must be",
		"tenants/acme/org-c.yaml:11: bindings.payout.nacha.password: secrets never live in mappings",
		"tenants/acme/org-d.yaml:4: bindings.store: port store is bound once for the process",
	} {
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errb.String(), "errors,") {
		t.Errorf("no summary on stderr: %q", errb.String())
	}
}

func TestMappingsValidate_usage(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run(context.Background(), []string{"mappings", "check"}, &out, &errb); rc != 2 {
		t.Errorf("exit %d, want 2", rc)
	}
}

func TestAdaptersList_everyRegisteredAdapter(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run(context.Background(), []string{"adapters", "list"}, &out, &errb); rc != 0 {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	for _, info := range ports.Adapters() {
		if !strings.Contains(out.String(), info.Port+": "+info.Spec.Name+"\n") {
			t.Errorf("%s/%s missing from:\n%s", info.Port, info.Spec.Name, out.String())
		}
		for _, f := range info.Fields {
			if !strings.Contains(out.String(), "  "+f.Key+" ") {
				t.Errorf("%s/%s field %s missing", info.Port, info.Spec.Name, f.Key)
			}
		}
	}
}
