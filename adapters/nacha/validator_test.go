package nacha_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// validatorDir holds the independent validation kit (it shares no code with us).
const validatorDir = "/work/shared/validators"

// TestGolden_validator runs the independent NACHA validator on every golden file.
func TestGolden_validator(t *testing.T) {
	if _, err := os.Stat(filepath.Join(validatorDir, "node_modules")); err != nil {
		t.Skip("SKIP: independent NACHA validator not installed at " + validatorDir + "/node_modules (run its ./install)")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden.ach"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, err := exec.Command(filepath.Join(validatorDir, "nacha"), f).CombinedOutput()
			if err != nil {
				t.Fatalf("validator rejected %s: %v\n%s", f, err, out)
			}
		})
	}
}
