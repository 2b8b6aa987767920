// Package capture turns FHIR R4 clinical events into charge intents and
// decides, for each new version of a source resource, what happens to the
// one charge item that resource may yield: create it, leave it, or adjust it
// (reversal plus replacement). It is pure: parsing, rules and decisions only.
package capture
