// Package invoicing is the hub's invoice model, shaped after the EN 16931
// semantic model (business terms BT-n, groups BG-n), with the EN 16931
// calculation rules (line nets, VAT breakdown per category and rate, document
// totals) applied under an explicit, named rounding.
//
// The model is pure: no I/O, no clock. Syntax bindings (CII, UBL, e-arve)
// live under zones/.
package invoicing
