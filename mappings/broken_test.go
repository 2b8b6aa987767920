package mappings_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/revhub/revhub/mappings"
)

func TestValidate_brokenReportsEveryProblem(t *testing.T) {
	warns, err := mappings.Validate("testdata/broken")
	var ps mappings.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %v", err)
	}
	got := make([]string, len(ps))
	for i, p := range ps {
		got[i] = fmt.Sprintf("%s:%d %s %s", p.File, p.Line, p.Path, p.Code)
	}
	want := []string{
		"deployment.yaml:4 bindings.store one_adapter",
		"deployment.yaml:6 bindings.cache unknown_port",
		"tenants/acme/_tenant.yaml:3 currency unknown_key",
		"tenants/acme/_tenant.yaml:6 numbering.invoice.pattern invalid_pattern",
		"tenants/acme/_tenant.yaml:7 numbering.credit_note.reset invalid",
		"tenants/acme/_tenant.yaml:10 bindings.test_sink.test_file.path required", // org-b inherits it unchanged
		"tenants/acme/org-a.yaml:3 zone unknown_zone",
		"tenants/acme/org-a.yaml:5 identifiers.fr_siret invalid",
		"tenants/acme/org-a.yaml:8 bindings.test_sink.test_file.path required",
		"tenants/acme/org-b.yaml:1 organization duplicate_org",
		"tenants/acme/org-c.yaml:5 bindings.gl_export.sap_idocs unknown_adapter",
		"tenants/acme/org-c.yaml:7 bindings.einvoice.facturx zone_mismatch",
		"tenants/acme/org-c.yaml:10 bindings.payout.nacha.credentials_ref bad_secret_ref",
		"tenants/acme/org-c.yaml:11 bindings.payout.nacha.password inline_secret",
		"tenants/acme/org-c.yaml:15 bindings.test_sink.test_file.colour unknown_key",
		"tenants/acme/org-c.yaml:16 bindings.test_sink.test_file.retries type",
		"tenants/acme/org-d.yaml:4 bindings.store wrong_scope",
		"tenants/acme/org-d.yaml:9 bindings.test_sink.test_file.retries negative",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\n\nwant:\n%s\n\nfull:\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"), err)
	}
	for _, p := range ps {
		if !strings.HasPrefix(p.Error(), fmt.Sprintf("%s:%d: %s: ", p.File, p.Line, p.Path)) {
			t.Errorf("Error() %q does not start with file:line: path:", p.Error())
		}
	}
	if len(warns) != 1 || warns[0].Code != "not_yet_available" || warns[0].Path != "bindings.payout.nacha" {
		t.Errorf("warnings: %v", warns)
	}
}
