package capture_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
	"pgregory.net/rapid"
)

var rules = capture.Rules{
	Module: "outpatient",
	Codes: []capture.CodeMap{
		{System: "http://loinc.org", Code: "2345-7", Service: "LAB-GLU"},
		{System: "urn:oid:1.2.276.0.76.5.249"}, // EBM codes pass through as service codes
		{System: "http://terminology.hl7.org/CodeSystem/v3-ActCode", Code: "AMB", Service: "VISIT-AMB"},
	},
	FlatFees: []capture.FlatFee{{Name: "admin", On: "Encounter", Classes: []string{"AMB"}, Service: "ADMIN-FEE"}},
}

const procedure = `{"resourceType":"Procedure","id":"proc-8842","meta":{"versionId":"%d"},"status":"%s",
 "code":{"coding":[{"system":"urn:oid:1.2.276.0.76.5.249","code":"%s"}]},
 "subject":{"reference":"Patient/p-1001"},"encounter":{"reference":"Encounter/e-5521"},
 "performedDateTime":"2025-03-03T09:30:00+01:00"}`

func TestParse_rejectsBadInputNamingTheField(t *testing.T) {
	for _, tc := range []struct {
		name, in, path, code string
	}{
		{"malformed json", `{"resourceType":`, "", "malformed_json"},
		{"unknown type", `{"resourceType":"Patient","id":"p1"}`, "resourceType", "unknown_resource_type"},
		{"missing code", `{"resourceType":"Procedure","id":"p1","status":"completed","subject":{"reference":"Patient/1"},"performedDateTime":"2025-01-01"}`, "Procedure.code", "required"},
		{"bad date", `{"resourceType":"Procedure","id":"p1","status":"completed","code":{"coding":[{"system":"s","code":"c"}]},"subject":{"reference":"Patient/1"},"performedDateTime":"yesterday"}`, "Procedure.performedDateTime", "invalid_date"},
		{"bundle entry", `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":` + fmt.Sprintf(procedure, 1, "completed", "03000") + `},{"resource":{"resourceType":"Encounter","id":"e1","status":"finished","subject":{"reference":"Patient/1"},"period":{"end":"2025-01-01"}}}]}`, "Bundle.entry[1].resource.Encounter.class", "required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := capture.Parse([]byte(tc.in))
			var fe *validate.FieldError
			if !errors.As(err, &fe) || fe.Path != tc.path || fe.Code != tc.code {
				t.Fatalf("got %v (%#v), want %s %s", err, fe, tc.path, tc.code)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	rs, err := capture.Parse([]byte(fmt.Sprintf(procedure, 3, "completed", "03000")))
	if err != nil {
		t.Fatal(err)
	}
	in, err := capture.Evaluate(rs[0], rules)
	if err != nil {
		t.Fatal(err)
	}
	if in.Source != "Procedure/proc-8842" || in.Version != 3 || len(in.Lines) != 1 || in.Lines[0].Service != "03000" || !in.Lines[0].Billable {
		t.Fatalf("intent: %+v", in)
	}
	enc := `{"resourceType":"Encounter","id":"e-5521","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/p-1001"},"period":{"start":"2025-03-03T09:00:00Z","end":"2025-03-03T10:00:00Z"}}`
	rs, _ = capture.Parse([]byte(enc))
	in, err = capture.Evaluate(rs[0], rules)
	if err != nil || len(in.Lines) != 2 || in.Lines[1].Key != "Encounter/e-5521#fee:admin" || in.Lines[1].Service != "ADMIN-FEE" {
		t.Fatalf("encounter intent: %+v %v", in, err)
	}
	unknown := `{"resourceType":"Procedure","id":"p2","status":"completed","code":{"coding":[{"system":"urn:other","code":"X"}]},"subject":{"reference":"Patient/1"},"performedDateTime":"2025-01-01"}`
	rs, _ = capture.Parse([]byte(unknown))
	var fe *validate.FieldError
	if _, err := capture.Evaluate(rs[0], rules); !errors.As(err, &fe) || fe.Code != "unknown_code" || fe.Path != "Procedure.code" {
		t.Fatalf("unknown code: %v", err)
	}
}

func line(svc string, qty int64, billable bool) capture.Line {
	return capture.Line{Key: "Procedure/p1", Billable: billable, Service: svc, Quantity: money.Int(qty)}
}

func TestDecide(t *testing.T) {
	active := &capture.State{Key: "Procedure/p1", AppliedVersion: 2, Revision: 1, Active: true, Service: "A", Quantity: money.Int(1)}
	for _, tc := range []struct {
		name string
		cur  *capture.State
		line capture.Line
		v    int64
		want capture.Action
		rev  int
	}{
		{"first billable", nil, line("A", 1, true), 1, capture.Create, 1},
		{"first not billable is recorded", nil, line("", 0, false), 1, capture.Touch, 0},
		{"duplicate", active, line("A", 1, true), 2, capture.Ignore, 1},
		{"stale", active, line("B", 1, true), 1, capture.Ignore, 1},
		{"same charge newer version", active, line("A", 1, true), 3, capture.Touch, 1},
		{"recoded", active, line("B", 1, true), 3, capture.Replace, 2},
		{"quantity changed", active, line("A", 2, true), 3, capture.Replace, 2},
		{"cancelled", active, line("", 0, false), 3, capture.Reverse, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := capture.Decide(tc.cur, tc.line, tc.v)
			if d.Action != tc.want || d.Next.Revision != tc.rev {
				t.Fatalf("got %s rev %d, want %s rev %d", d.Action, d.Next.Revision, tc.want, tc.rev)
			}
		})
	}
}

// Any delivery order with duplicates ends in the state of the newest
// version, and the money moved nets to exactly the final charge.
func TestProperty_orderAndDuplicatesDoNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "versions")
		lines := make([]capture.Line, n+1)
		for v := 1; v <= n; v++ {
			lines[v] = line(rapid.SampledFrom([]string{"A", "B"}).Draw(t, "svc"), rapid.Int64Range(1, 3).Draw(t, "qty"), rapid.Bool().Draw(t, "billable"))
		}
		order := rapid.SliceOfN(rapid.IntRange(1, n), n, 3*n).Draw(t, "order")
		order = append(order, n) // the newest version is delivered at least once
		var cur *capture.State
		net := map[string]int64{} // service -> units charged net
		for _, v := range order {
			d := capture.Decide(cur, lines[v], int64(v))
			units := func(s capture.State) int64 { q, _ := s.Quantity.Amount(money.JPY, money.Down); return q.Minor() }
			switch d.Action {
			case capture.Create:
				net[d.Next.Service] += units(d.Next)
			case capture.Replace:
				net[d.Prev.Service] -= units(d.Prev)
				net[d.Next.Service] += units(d.Next)
			case capture.Reverse:
				net[d.Prev.Service] -= units(d.Prev)
			}
			s := d.Next
			cur = &s
		}
		last := lines[n]
		if cur.AppliedVersion != int64(n) || cur.Active != last.Billable {
			t.Fatalf("final state %+v, want version %d billable %v", cur, n, last.Billable)
		}
		for svc, u := range net {
			want := int64(0)
			if last.Billable && svc == last.Service {
				q, _ := last.Quantity.Amount(money.JPY, money.Down)
				want = q.Minor()
			}
			if u != want {
				t.Fatalf("service %s nets %d units, want %d", svc, u, want)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(fmt.Sprintf(procedure, 1, "completed", "03000")))
	f.Add([]byte(`{"resourceType":"Bundle","type":"batch","entry":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			t.Skip()
		}
		rs, err := capture.Parse(data)
		if err != nil {
			return
		}
		for _, r := range rs {
			if _, err := r.When(); err != nil {
				t.Fatalf("parsed resource without a valid time: %v", err)
			}
			_, _ = capture.Evaluate(r, rules)
		}
	})
}
