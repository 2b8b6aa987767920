package all_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/revhub/revhub/adapters/all"
	"github.com/revhub/revhub/ports"
	_ "github.com/revhub/revhub/zones/all"
)

const module = "github.com/revhub/revhub/"

// knownNonConformant waives the conformance requirement for a registered
// adapter ("port/name"), with the reason. Remove the entry when the adapter
// gains its conformance_test.go: a stale waiver fails the test.
var knownNonConformant = map[string]string{}

// TestEnrolment checks that every registered adapter, in adapters/ and in
// zones/, runs its port's conformance suite from a conformance_test.go in the
// package that declares its Config.
func TestEnrolment(t *testing.T) {
	seen := map[string]bool{}
	for _, info := range ports.Adapters() {
		key := info.Port + "/" + info.Spec.Name
		seen[key] = true
		t.Run(key, func(t *testing.T) {
			has, err := hasConformanceTest(info)
			if err != nil {
				t.Fatal(err)
			}
			reason, waived := knownNonConformant[key]
			switch {
			case has && waived:
				t.Errorf("%s has a conformance_test.go now: remove its knownNonConformant entry (%q)", key, reason)
			case !has && !waived:
				t.Errorf("%s (%s) has no conformance_test.go: run the %stest suite there, or add a knownNonConformant entry with a reason",
					key, info.ConfigType.PkgPath(), info.Port)
			}
		})
	}
	for key := range knownNonConformant {
		if !seen[key] {
			t.Errorf("stale knownNonConformant entry %q: no such adapter is registered", key)
		}
	}
}

// hasConformanceTest reports whether the package of info's Config type has a
// conformance_test.go. The test runs in adapters/all, two levels below the root.
func hasConformanceTest(info ports.Info) (bool, error) {
	pkg := info.ConfigType.PkgPath()
	rel, ok := strings.CutPrefix(pkg, module)
	if !ok {
		return false, errors.New("Config type " + info.ConfigType.String() + " is not declared in this module")
	}
	_, err := os.Stat(filepath.Join("..", "..", filepath.FromSlash(rel), "conformance_test.go"))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, err
}
