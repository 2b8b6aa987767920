// Package en16931 binds the invoicing model to the two EN 16931 syntaxes:
// UN/CEFACT CII D16B and OASIS UBL 2.1 (Invoice and CreditNote). Writers are
// append-based and allocation-light; a Profile (specification identifier
// BT-24 and a CII level) keeps country profiles such as XRechnung or
// Factur-X thin. Parsers use encoding/xml, reject DTDs, and re-check the
// EN 16931 sums, so format → parse → format is byte-identical.
package en16931
