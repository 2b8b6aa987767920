package capture

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// FuzzParse_fastMatchesSteps: Parse's fast path (decodePlain, then
// segmentio's decoder) returns what the two-step encoding/json path returns,
// resources and errors alike, and neither decoder accepts anything
// json.Unmarshal rejects or reads it otherwise.
func FuzzParse_fastMatchesSteps(f *testing.F) {
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
		`{"resourceType":"Procedure","id":"p1","ID":"p2","status":"completed"}`,
		`{"resourceType":"Procedure","id":"p1","id":"p2","status":"completed"}`,
		`{"resourceType":"Procedure","\u0069d":"p1","status":"completed"}`,
		`{"resourceType":"Procedure","iK":"p1","status":"completed","subject":null}`,
		`{"resourceType":"MedicationDispense","id":"m1","status":"completed","medicationCodeableConcept":{"coding":[{"system":"urn:pzn","code":"0123","display":"Ibuprofen é \"600\""}],"text":"x"},"subject":{"reference":"Patient/1"},"context":{"reference":"Encounter/e1"},"whenHandedOver":"2025-01-01","quantity":{"value":"20","unit":"tab"},"performer":[{"actor":{"reference":"Practitioner/1"},"function":{"text":"f"}},{"actor":{}}]}`,
		`{"resourceType":"Encounter","id":"e1","status":"finished","class":{"system":"s","code":"AMB"},"participant":[{"type":[{"coding":[]}],"individual":{"reference":"Practitioner/1"}},{}],"serviceProvider":{"reference":"Organization/o"},"period":{"start":"2025-01-01","end":"2025-01-02"},"extension":[{"url":"x","valueString":"a\n\u00e9","valueDecimal":-1.5e+3,"ok":[true,false,null,{},[]]}]}`,
		`{"resourceType":"Procedure","id":"p1","status":"completed","code":{"coding":[{"code":"c"}]},"subject":{"reference":"Patient/1"},"performedPeriod":{"start":"2025-01-01"},"quantity":{"value":1.50},"note":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`,
		`{"resourceType":"Procedure","id":"p1","status":"completed","code":{"coding":[{"code":"c"}]},"subject":{"reference":"Patient/1"},"occurrenceDateTime":"2025-01-01","quantity":{"value":01}}`,
		"{\"resourceType\":\"Procedure\",\"id\":\"p\xff\",\"x\":\"\xfe\"}",
		`{"resourceType":"Procedure","id":"p1","status":"completed","code":{"text":"a"},"code":{"coding":[{"code":"c"}]},"subject":{"reference":"Patient/1"},"performedDateTime":"2025-01-01"}`,
		`{"resourceType":"Procedure","meta":{"versionId":"1"},"meta":{"lastUpdated":"x"},"id":"p1","id":"p2","Status":"completed"}`,
		`{"resourceType":"Procedure","id":"p1","status":"completed","code":{"coding":[{"code":"c"},{"code":"d","Code":"e"}]},"quantity":{"value":1e2,"unit":"é"}}`,
		`{"resourceType":"Procedure","id":"p1","status":"completed","quantity":{"value":"-0.5"},"performer":[{"actor":{"reference":"a"},"actor":{"display":"b"}}],"subject":{"reference":"P\u0061tient/1"}}`,
		` {"resourceType" : "Encounter" , "id":"e1","status":"finished","class":{"code":"AMB"},"class":{"code":"IMP"},"period":{"end":"2025-01-01"}} `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, ok := decodePlain(data); ok {
			var want Resource
			if err := json.Unmarshal(data, &want); err != nil || !reflect.DeepEqual(r, want) {
				t.Fatalf("decodePlain accepted %q as %+v; json.Unmarshal: %+v, %v", data, r, want, err)
			}
		}
		if r, ok := decodeFast(data); ok {
			var want Resource
			if err := json.Unmarshal(data, &want); err != nil || !reflect.DeepEqual(r, want) {
				t.Fatalf("decodeFast accepted %q as %+v; json.Unmarshal: %+v, %v", data, r, want, err)
			}
		}
		got, gotErr := Parse(data)
		want, wantErr := parseSteps(data)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
			t.Fatalf("one pass: %+v, %v\nsteps:    %+v, %v", got, gotErr, want, wantErr)
		}
	})
}

// The plain shapes FHIR servers send take decodePlain.
func TestDecodeFast_takesPlainResources(t *testing.T) {
	for _, s := range []string{
		`{"resourceType":"Procedure","id":"p-1","meta":{"versionId":"1"},"status":"completed","code":{"coding":[{"system":"urn:ebm","code":"03000"}]},"subject":{"reference":"Patient/pt-1"},"encounter":{"reference":"Encounter/e-1"},"performedDateTime":"2026-03-03T09:30:00Z","quantity":{"value":2}}`,
		`{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"type":[{"coding":[{"system":"s","code":"c","display":"Sprechstunde für Ärzte"}]}],"subject":{"reference":"Patient/1"},"period":{"end":"2025-01-01"},"extension":[{"url":"u","valueString":"a\"b"}]}`,
	} {
		if _, ok := decodePlain([]byte(s)); !ok {
			t.Errorf("not plain: %s", s)
		}
	}
	// An escape in a kept string leaves decodePlain for segmentio's decoder,
	// still on the fast path.
	s := `{"resourceType":"Procedure","id":"p\u002d1","status":"completed","code":{"coding":[{"code":"c"}]},"subject":{"reference":"Patient/1"},"performedDateTime":"2026-03-03"}`
	if _, ok := decodePlain([]byte(s)); ok {
		t.Errorf("decodePlain took an escaped id: %s", s)
	}
	if r, ok := decodeFast([]byte(s)); !ok || r.ID != "p-1" {
		t.Errorf("slow path or wrong id %q for %s", r.ID, s)
	}
}
