package mappings_test

import (
	"testing"

	"github.com/revhub/revhub/mappings"
	_ "github.com/revhub/revhub/zones/all"
)

func TestLoad_examples(t *testing.T) {
	warns, err := mappings.Validate(".")
	if err != nil {
		t.Fatalf("shipped examples must load:\n%v", err)
	}
	for _, w := range warns {
		t.Log(w)
	}
}
