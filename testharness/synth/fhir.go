// Package synth generates seeded synthetic data — FHIR events, claims,
// invoices — so that no real patient data ever enters tests.
package synth

import (
	"fmt"
	"math/rand/v2"
)

// Event is one delivery of a FHIR resource version.
type Event struct {
	Key      string // "Procedure/p-17"
	Version  int
	Status   string
	Code     string
	Quantity int
	Payload  []byte
}

// FHIRStream describes a stream of procedure events.
type FHIRStream struct {
	Seed       uint64
	Resources  int      // distinct procedures
	MaxVersion int      // versions per resource: 1..MaxVersion
	DupRate    int      // percent of deliveries repeated
	CancelRate int      // percent of versions that cancel (entered-in-error)
	Window     int      // deliveries are shuffled within windows of this size (out of order)
	Codes      []string // service codes to draw from
}

// Events returns the deliveries in arrival order and, per key, the newest version.
func (s FHIRStream) Events() ([]Event, map[string]Event) {
	r := rand.New(rand.NewPCG(s.Seed, s.Seed^0x9e3779b97f4a7c15))
	var out []Event
	newest := map[string]Event{}
	for i := range s.Resources {
		id := fmt.Sprintf("p-%d", i)
		n := 1 + r.IntN(s.MaxVersion)
		for v := 1; v <= n; v++ {
			e := Event{Key: "Procedure/" + id, Version: v, Status: "completed", Code: s.Codes[r.IntN(len(s.Codes))], Quantity: 1 + r.IntN(3)}
			if r.IntN(100) < s.CancelRate {
				e.Status = "entered-in-error"
			}
			e.Payload = fmt.Appendf(nil, `{"resourceType":"Procedure","id":%q,"meta":{"versionId":"%d"},"status":%q,`+
				`"code":{"coding":[{"system":"urn:ebm","code":%q}]},"subject":{"reference":"Patient/pt-%d"},`+
				`"encounter":{"reference":"Encounter/e-%d"},"performedDateTime":"2026-03-03T09:30:00Z","quantity":{"value":%d}}`,
				id, v, e.Status, e.Code, i%997, i, e.Quantity)
			out = append(out, e)
			newest[e.Key] = e
			if r.IntN(100) < s.DupRate {
				out = append(out, e)
			}
		}
	}
	if s.Window > 1 {
		for lo := 0; lo < len(out); lo += s.Window {
			hi := min(lo+s.Window, len(out))
			r.Shuffle(hi-lo, func(i, j int) { out[lo+i], out[lo+j] = out[lo+j], out[lo+i] })
		}
	}
	return out, newest
}
