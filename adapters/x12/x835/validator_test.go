package x835_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// validatorDir holds the independent validation kit (it shares no code with us).
const validatorDir = "/work/shared/validators"

// TestGolden_validator runs the independent X12 validator on every golden 835.
func TestGolden_validator(t *testing.T) {
	if _, err := os.Stat(filepath.Join(validatorDir, "node_modules")); err != nil {
		t.Skip("SKIP: independent X12 validator not installed at " + validatorDir + "/node_modules (run its ./install)")
	}
	if testing.Short() {
		t.Skip("SKIP: -short skips the independent X12 validator")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden.835"))
	if err != nil || len(files) < 4 {
		t.Fatalf("want at least 4 golden files, got %d: %v", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command(filepath.Join(validatorDir, "x12"), "835", f).CombinedOutput()
			if err != nil {
				t.Fatalf("validator rejected %s: %v\n%s", f, err, out)
			}
		})
	}
}
