package fhir

import (
	"encoding/json"
	"time"

	"github.com/revhub/revhub/core/money"
)

// The ChargeItem extension and code system URLs of the hub.
const (
	// TraceExtension holds the pricing trace (price entry, precedence step,
	// rules) as JSON in valueString.
	TraceExtension = "urn:revhub:fhir:StructureDefinition:pricing-trace"
	// ServiceSystem codes services of the tenant's service catalogue.
	ServiceSystem = "urn:revhub:service"
	// ChargeItemSystem identifies charge items by their source key.
	ChargeItemSystem = "urn:revhub:charge-item-key"
)

// ChargeItemInput is what a ChargeItem is rendered from.
type ChargeItemInput struct {
	ID        string
	Key       string // "Procedure/p1" or "Encounter/e1#fee:admin"
	Source    string // the FHIR resource it was captured from
	Version   int64  // the source version applied
	Active    bool
	Service   string
	Quantity  money.Rate
	UnitPrice money.Rate
	Amount    *money.Amount
	When      time.Time
	Subject   string
	Encounter string
	Org       string
	Trace     json.RawMessage
}

// ChargeItem is a FHIR R4 ChargeItem.
type ChargeItem struct {
	ResourceType        string          `json:"resourceType"`
	ID                  string          `json:"id"`
	Extension           []Extension     `json:"extension,omitempty"`
	Identifier          []Identifier    `json:"identifier"`
	Status              string          `json:"status"` // billable | aborted
	Code                CodeableConcept `json:"code"`
	Subject             Reference       `json:"subject"`
	Context             *Reference      `json:"context,omitempty"`
	OccurrenceDateTime  string          `json:"occurrenceDateTime,omitempty"`
	PerformingOrg       *Reference      `json:"performingOrganization,omitempty"`
	Quantity            Quantity        `json:"quantity"`
	FactorOverride      *Decimal        `json:"factorOverride,omitempty"`
	PriceOverride       *Money          `json:"priceOverride,omitempty"`
	Service             []Reference     `json:"service,omitempty"`
	DefinitionCanonical []string        `json:"definitionCanonical,omitempty"`
}

// Extension is a FHIR extension with a string value.
type Extension struct {
	URL         string `json:"url"`
	ValueString string `json:"valueString"`
}

// Quantity is a FHIR Quantity without units.
type Quantity struct {
	Value Decimal `json:"value"`
}

// ChargeItemOf renders a captured charge item: its service code, quantity,
// the priced amount as priceOverride, the source resource as service, and
// the pricing trace as an extension.
func ChargeItemOf(c ChargeItemInput) ChargeItem {
	out := ChargeItem{
		ResourceType: "ChargeItem",
		ID:           c.ID,
		Identifier:   []Identifier{{System: ChargeItemSystem, Value: c.Key}},
		Status:       "billable",
		Code:         CodeableConcept{Coding: []Coding{{System: ServiceSystem, Code: c.Service}}},
		Subject:      Reference{Reference: c.Subject},
		Quantity:     Quantity{Value: Decimal(c.Quantity.String())},
	}
	if !c.Active {
		out.Status = "aborted"
	}
	if len(c.Trace) > 0 {
		out.Extension = []Extension{{URL: TraceExtension, ValueString: string(c.Trace)}}
	}
	if c.Encounter != "" {
		out.Context = &Reference{Reference: c.Encounter}
	}
	if !c.When.IsZero() {
		out.OccurrenceDateTime = c.When.UTC().Format(time.RFC3339)
	}
	if c.Org != "" {
		out.PerformingOrg = &Reference{Display: c.Org}
	}
	if c.Amount != nil {
		m := MoneyOf(*c.Amount)
		out.PriceOverride = &m
	}
	if c.Source != "" {
		out.Service = []Reference{{Reference: c.Source}}
	}
	return out
}
