package ports

import (
	"crypto/sha256"

	fastjson "github.com/segmentio/encoding/json" // Valid as encoding/json's, faster on every stored body

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// Check reports missing or malformed fields of an item to enqueue.
func (it OutboxItem) Check() error {
	var errs validate.Errors
	required(&errs, "id", it.ID)
	required(&errs, "tenant", it.Tenant)
	required(&errs, "binding", it.Binding)
	required(&errs, "kind", it.Kind)
	required(&errs, "idempotency_key", it.IdempotencyKey)
	checkAmount(&errs, "amount", it.Amount)
	return errs.Err()
}

// CheckKey reports a missing id or tenant: what naming an artifact needs
// (Missing asks no more; Create checks the whole artifact).
func (a Artifact) CheckKey() error { return a.keyErrors().Err() }

func (a Artifact) keyErrors() validate.Errors {
	var errs validate.Errors
	required(&errs, "id", a.ID)
	required(&errs, "tenant", a.Tenant)
	return errs
}

// Check reports missing or malformed fields of an artifact to put. A zero
// SHA256 is accepted (the store computes it); any other must match Body.
func (a Artifact) Check() error {
	errs := a.keyErrors()
	if a.Direction != Inbound && a.Direction != Outbound {
		errs.Add("direction", "invalid", `must be "inbound" or "outbound"`)
	}
	if a.Status != "" && a.Status != Resolved && a.Status != Unresolved {
		errs.Add("status", "invalid", `must be "resolved" or "unresolved"`)
	}
	if a.SHA256 != ([32]byte{}) && a.SHA256 != sha256.Sum256(a.Body) {
		errs.Add("sha256", "mismatch", "does not match the body")
	}
	if a.Parent == a.ID && a.ID != "" {
		errs.Add("parent", "invalid", "an artifact cannot be a stage of itself")
	}
	return errs.Err()
}

// Check reports missing or malformed fields of a run to start.
func (r Run) Check() error {
	var errs validate.Errors
	required(&errs, "id", r.ID)
	required(&errs, "tenant", r.Tenant)
	required(&errs, "kind", r.Kind)
	if len(r.Summary) > 0 && !fastjson.Valid(r.Summary) {
		errs.Add("summary", "invalid_json", "is not valid JSON")
	}
	return errs.Err()
}

// Check reports missing or malformed fields of a document to put.
func (d Document) Check() error {
	var errs validate.Errors
	required(&errs, "kind", d.Kind)
	required(&errs, "tenant", d.Tenant)
	required(&errs, "id", d.ID)
	checkVersionBody(&errs, d.Version, d.Body)
	checkAmount(&errs, "amount", d.Amount)
	return errs.Err()
}

func required(errs *validate.Errors, path, v string) {
	if v == "" {
		errs.Required(path)
	}
}

// checkVersionBody checks what documents and records share: an optimistic
// lock version and a JSON body.
func checkVersionBody(errs *validate.Errors, version int64, body []byte) {
	if version < 0 {
		errs.Add("version", "negative", "must be 0 (create) or the stored version")
	}
	if !fastjson.Valid(body) {
		errs.Add("body", "invalid_json", "is not valid JSON")
	}
}

func checkAmount(errs *validate.Errors, path string, a *money.Amount) {
	if a != nil && !a.Valid() {
		errs.Add(path, "invalid", "amount has no valid currency")
	}
}

// Check reports a pricing trace without an id or whose body is not JSON.
func (t PricingTrace) Check() error {
	var errs validate.Errors
	required(&errs, "id", t.ID)
	if !fastjson.Valid(t.Body) {
		errs.Add("body", "invalid", "must be JSON")
	}
	return errs.Err()
}

// Check reports what is wrong with r before it is stored.
func (r Record) Check() error {
	var errs validate.Errors
	required(&errs, "tenant", r.Tenant)
	required(&errs, "id", r.ID)
	checkVersionBody(&errs, r.Version, r.Body)
	return errs.Err()
}
