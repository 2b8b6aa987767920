package capture

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// Coding is a FHIR Coding.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is a FHIR CodeableConcept.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Reference is a FHIR Reference ("Patient/p-1").
type Reference struct {
	Reference string `json:"reference,omitempty"`
}

// Quantity is a FHIR SimpleQuantity; Value is kept exact.
type Quantity struct {
	Value money.Rate `json:"value"`
	Unit  string     `json:"unit,omitempty"`
}

// Period is a FHIR Period.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Meta is a FHIR Meta.
type Meta struct {
	VersionID   string `json:"versionId,omitempty"`
	LastUpdated string `json:"lastUpdated,omitempty"`
}

// Performer covers Procedure.performer and MedicationDispense.performer.
type Performer struct {
	Function   *CodeableConcept `json:"function,omitempty"`
	Actor      Reference        `json:"actor"`
	OnBehalfOf *Reference       `json:"onBehalfOf,omitempty"`
}

// Participant covers Encounter.participant.
type Participant struct {
	Type       []CodeableConcept `json:"type,omitempty"`
	Individual *Reference        `json:"individual,omitempty"`
}

// Resource is the union of the trigger resources' fields the hub reads.
// Unknown fields are ignored, as FHIR servers add extensions freely.
type Resource struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Meta         Meta   `json:"meta"`
	Status       string `json:"status"`

	Code                      *CodeableConcept  `json:"code,omitempty"`                      // Procedure, ServiceRequest
	MedicationCodeableConcept *CodeableConcept  `json:"medicationCodeableConcept,omitempty"` // MedicationDispense
	Type                      []CodeableConcept `json:"type,omitempty"`                      // Encounter
	Class                     *Coding           `json:"class,omitempty"`                     // Encounter

	Subject            *Reference    `json:"subject,omitempty"`
	Encounter          *Reference    `json:"encounter,omitempty"`
	Context            *Reference    `json:"context,omitempty"` // MedicationDispense (R4)
	ServiceProvider    *Reference    `json:"serviceProvider,omitempty"`
	Performer          []Performer   `json:"performer,omitempty"`
	Participant        []Participant `json:"participant,omitempty"`
	Quantity           *Quantity     `json:"quantity,omitempty"`
	PerformedDateTime  string        `json:"performedDateTime,omitempty"`
	PerformedPeriod    *Period       `json:"performedPeriod,omitempty"`
	OccurrenceDateTime string        `json:"occurrenceDateTime,omitempty"`
	WhenHandedOver     string        `json:"whenHandedOver,omitempty"`
	Period             *Period       `json:"period,omitempty"`
}

// BundleEntry is one entry of a transaction or batch Bundle.
type BundleEntry struct {
	FullURL  string          `json:"fullUrl,omitempty"`
	Resource json.RawMessage `json:"resource"`
}

type bundle struct {
	ResourceType string        `json:"resourceType"`
	Type         string        `json:"type"`
	Entry        []BundleEntry `json:"entry"`
}

// Triggers are the resource types capture understands.
var Triggers = []string{"Encounter", "Procedure", "ServiceRequest", "MedicationDispense"}

func isTrigger(t string) bool {
	for _, x := range Triggers {
		if x == t {
			return true
		}
	}
	return false
}

// Parse reads one FHIR resource or a transaction/batch Bundle of them.
// Every problem is reported with its FHIR path ("entry[2].resource.code"),
// and nothing is returned unless the whole payload is valid.
// The resources' strings may share data's memory: data must not change
// while they are in use.
func Parse(data []byte) ([]Resource, error) {
	// A single resource decodes in one fast pass; a Bundle or bad input
	// takes the two-step path below, which names what is wrong.
	if r, ok := decodeFast(data); ok {
		if err := checkResource(r); err != nil {
			return nil, err
		}
		return []Resource{r}, nil
	}
	return parseSteps(data)
}

// parseSteps reads the resource type first, then the resource or Bundle.
func parseSteps(data []byte) ([]Resource, error) {
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, &validate.FieldError{Path: "", Code: "malformed_json", Msg: jsonMsg(data, err), Err: err}
	}
	if head.ResourceType != "Bundle" {
		r, err := parseResource(data)
		if err != nil {
			return nil, err
		}
		return []Resource{r}, nil
	}
	var b bundle
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, &validate.FieldError{Path: "Bundle", Code: "malformed_json", Msg: jsonMsg(data, err), Err: err}
	}
	var errs validate.Errors
	if b.Type != "transaction" && b.Type != "batch" && b.Type != "collection" {
		errs.Add("Bundle.type", "unsupported", fmt.Sprintf("got %q, want transaction, batch or collection", b.Type))
	}
	out := make([]Resource, 0, len(b.Entry))
	for i, e := range b.Entry {
		r, err := parseResource(e.Resource)
		if err != nil {
			errs.Merge(validate.Index("Bundle.entry", i)+".resource", err)
			continue
		}
		out = append(out, r)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func parseResource(data []byte) (Resource, error) {
	var r Resource
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&r); err != nil {
		return r, &validate.FieldError{Code: "malformed_json", Msg: jsonMsg(data, err), Err: err}
	}
	return r, checkResource(r)
}

// checkResource reports the fields a decoded trigger resource lacks.
func checkResource(r Resource) error {
	var errs validate.Errors
	switch {
	case r.ResourceType == "":
		errs.Required("resourceType")
	case !isTrigger(r.ResourceType):
		errs.Add("resourceType", "unknown_resource_type",
			fmt.Sprintf("got %q, want one of %s", r.ResourceType, strings.Join(Triggers, ", ")))
		return errs.Err()
	}
	p := r.ResourceType
	if r.ID == "" {
		errs.Required(p + ".id")
	}
	if r.Status == "" {
		errs.Required(p + ".status")
	}
	if r.Meta.VersionID != "" {
		if v, err := strconv.ParseInt(r.Meta.VersionID, 10, 64); err != nil || v < 1 {
			errs.Add(p+".meta.versionId", "invalid", "want a positive integer version")
		}
	}
	switch r.ResourceType {
	case "Procedure", "ServiceRequest":
		if r.Code == nil || len(r.Code.Coding) == 0 {
			errs.Required(p + ".code")
		}
	case "MedicationDispense":
		if r.MedicationCodeableConcept == nil || len(r.MedicationCodeableConcept.Coding) == 0 {
			errs.Required(p + ".medicationCodeableConcept")
		}
	case "Encounter":
		if r.Class == nil || r.Class.Code == "" {
			errs.Required(p + ".class")
		}
	}
	if r.Subject == nil || r.Subject.Reference == "" {
		errs.Required(p + ".subject")
	}
	if _, err := r.When(); err != nil {
		errs.Merge(p, err)
	}
	return errs.Err()
}

func jsonMsg(data []byte, err error) string {
	if se, ok := err.(*json.SyntaxError); ok {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Sprintf("line %d: %v", line, se)
	}
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Sprintf("field %s: got JSON %s, want %s", te.Field, te.Value, te.Type)
	}
	return err.Error()
}

// Version returns meta.versionId as an integer (1 when absent).
func (r Resource) Version() int64 {
	v, err := strconv.ParseInt(r.Meta.VersionID, 10, 64)
	if err != nil || v < 1 {
		return 1
	}
	return v
}

// Key is the resource's structural reference, "Procedure/proc-8842".
func (r Resource) Key() string { return r.ResourceType + "/" + r.ID }

// Codes returns the codings that identify what was done or dispensed.
func (r Resource) Codes() []Coding {
	switch {
	case r.Code != nil:
		return r.Code.Coding
	case r.MedicationCodeableConcept != nil:
		return r.MedicationCodeableConcept.Coding
	case r.ResourceType == "Encounter":
		var out []Coding
		if r.Class != nil {
			out = append(out, *r.Class)
		}
		for _, t := range r.Type {
			out = append(out, t.Coding...)
		}
		return out
	}
	return nil
}

// EncounterRef returns the encounter the event belongs to ("" if none).
func (r Resource) EncounterRef() string {
	switch {
	case r.ResourceType == "Encounter":
		return r.Key()
	case r.Encounter != nil:
		return r.Encounter.Reference
	case r.Context != nil:
		return r.Context.Reference
	}
	return ""
}

// maxOffset is the largest time zone offset a FHIR dateTime allows, in seconds.
const maxOffset = 14 * 3600

// When returns the time of service from the resource's own date fields.
func (r Resource) When() (time.Time, error) {
	var s, path string
	switch {
	case r.PerformedDateTime != "":
		s, path = r.PerformedDateTime, "performedDateTime"
	case r.PerformedPeriod != nil && r.PerformedPeriod.Start != "":
		s, path = r.PerformedPeriod.Start, "performedPeriod.start"
	case r.OccurrenceDateTime != "":
		s, path = r.OccurrenceDateTime, "occurrenceDateTime"
	case r.WhenHandedOver != "":
		s, path = r.WhenHandedOver, "whenHandedOver"
	case r.Period != nil && r.Period.End != "":
		s, path = r.Period.End, "period.end"
	case r.Period != nil && r.Period.Start != "":
		s, path = r.Period.Start, "period.start"
	default:
		return time.Time{}, &validate.FieldError{Path: "performed[x]", Code: "required", Msg: "a time of service is required (performed[x], occurrence[x], whenHandedOver or period)", Err: validate.ErrRequired}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if _, off := t.Zone(); off < -maxOffset || off > maxOffset {
				return time.Time{}, &validate.FieldError{Path: path, Code: "invalid_date",
					Msg: fmt.Sprintf("got %q, want a time zone offset from -14:00 to +14:00", s)}
			}
			return t, nil
		}
	}
	return time.Time{}, &validate.FieldError{Path: path, Code: "invalid_date", Msg: fmt.Sprintf("got %q, want a FHIR dateTime", s)}
}
