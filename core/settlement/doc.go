// Package settlement holds the pure domain of paying providers: payment
// advices (remittances) with their claim and service-line payments,
// adjustments and balancing rules, and the disbursements that move the money.
// It does no I/O; adapters turn these types into X12 835 and NACHA files.
package settlement
