package capture_test

import (
	"encoding/json"
	"testing"

	"github.com/revhub/revhub/core/capture"
)

func TestCounts_encodeLikeAMapOfNames(t *testing.T) {
	var c capture.Counts
	c[capture.Ignore], c[capture.Create], c[capture.Reverse], c[capture.Touch], c[capture.Replace] = 2, 1, 3, 4, 5
	got, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(map[string]int{"ignore": 2, "create": 1, "reverse": 3, "touch": 4, "replace": 5})
	if string(got) != string(want) || c.String() != "create:1 ignore:2 replace:5 reverse:3 touch:4" {
		t.Fatalf("json %s, want %s; string %q", got, want, c.String())
	}
	c[capture.Touch] = 0
	if c.Of("ignore") != 2 || c.Of("touch") != 0 || c.Of("nope") != 0 || len(c.Map()) != 4 {
		t.Fatalf("Of/Map: %v", c.Map())
	}
	if got, _ := json.Marshal(capture.Counts{}); string(got) != "{}" {
		t.Fatalf("no counts: %s", got)
	}
}
