package capture

import (
	"fmt"
	"reflect"
	"testing"
)

// FuzzParse_onePassMatchesSteps: Parse's single decode returns what the
// two-step path returns, resources and errors alike.
func FuzzParse_onePassMatchesSteps(f *testing.F) {
	for _, s := range []string{
		`{"resourceType":"Procedure","id":"p1","meta":{"versionId":"2"},"status":"completed","code":{"coding":[{"system":"urn:ebm","code":"03000"}]},"subject":{"reference":"Patient/1"},"encounter":{"reference":"Encounter/e1"},"performedDateTime":"2025-01-01T09:30:00Z","quantity":{"value":2}}`,
		`{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"type":[{"coding":[{"system":"s","code":"c"}]}],"subject":{"reference":"Patient/1"},"period":{"end":"2025-01-01"}}`,
		`{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"type":"oops","subject":{"reference":"Patient/1"},"period":{"end":"2025-01-01"}}`,
		`{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"type":null,"subject":{"reference":"Patient/1"},"period":{"end":"2025-01-01"}}`,
		`{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Procedure","id":"p1","status":"completed","code":{"coding":[{"code":"x"}]},"subject":{"reference":"Patient/1"},"performedDateTime":"2025-01-01"}}]}`,
		`{"resourceType":"Procedure","id":"p1","status":"completed","quantity":{"value":"x"}}`,
		`{"resourceType":"Procedure","id":1}`,
		`{"resourceType":"Patient","id":"p1"}`,
		`{"id":"p1"}`,
		`{"resourceType":"Procedure"} trailing`,
		`[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotErr := Parse(data)
		want, wantErr := parseSteps(data)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
			t.Fatalf("one pass: %+v, %v\nsteps:    %+v, %v", got, gotErr, want, wantErr)
		}
	})
}
