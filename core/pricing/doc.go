// Package pricing resolves the price of a service on a date and explains it.
//
// A Tariff is an immutable index of price entries (in the spirit of FHIR
// ChargeItemDefinition) built once from national baselines, payer and plan
// contracts, corporate contracts, cash prices and organization overrides.
// Resolve picks the entry in force on the service date using the tenant's
// precedence order, without allocating. A Pricer adds the rules engine
// (core/pricing/rules) and returns a PricedCharge with a deterministic Trace;
// Reprice turns a retro-active tariff change into a delta adjustment.
//
// The package is pure: no I/O, no clock, no floating point.
package pricing
