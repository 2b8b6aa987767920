package einvoicetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ValidatorsDir is where the external validation kit lives; REVHUB_VALIDATORS overrides it.
func ValidatorsDir() string {
	if d := os.Getenv("REVHUB_VALIDATORS"); d != "" {
		return d
	}
	return "/work/shared/validators"
}

// RequireValidators skips t, loudly, when the validation kit is not installed.
func RequireValidators(t *testing.T) string {
	t.Helper()
	dir := ValidatorsDir()
	if testing.Short() {
		t.Skipf("SKIP: -short: external e-invoice validators in %s not run", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Skipf("SKIP: external e-invoice validators not installed: %s missing (set REVHUB_VALIDATORS)",
			filepath.Join(dir, "node_modules"))
	}
	return dir
}

// Validate runs one validator process over file, e.g. Validate(t, "einvoice",
// "xrechnung-cii", path) or Validate(t, "earve", path), and fails t with the
// validator's report unless it exits 0. It runs in parallel with its siblings.
func Validate(t *testing.T, tool string, args ...string) {
	t.Helper()
	t.Parallel()
	dir := RequireValidators(t)
	for i, a := range args {
		if filepath.Ext(a) == ".xml" && !filepath.IsAbs(a) {
			abs, err := filepath.Abs(a)
			if err != nil {
				t.Fatal(err)
			}
			args[i] = abs
		}
	}
	out, err := exec.Command(filepath.Join(dir, tool), args...).CombinedOutput()
	if err != nil {
		t.Errorf("%s %v: %v\n%s", tool, args, err, out)
		return
	}
	t.Logf("%s %v: valid", tool, args)
}
