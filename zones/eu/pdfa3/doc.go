// Package pdfa3 makes Factur-X / ZUGFeRD hybrid invoices: a PDF/A-3B page a
// person reads (drawn with go-pdf/fpdf and embedded Go fonts) carrying the
// CII XML as an associated file (factur-x.xml, /AFRelationship, /AF on the
// catalog, EmbeddedFiles name tree), XMP metadata with the fx: extension
// schema and an sRGB OutputIntent (formats.md §8.8). Inspect reads such a
// file back, for tests and for inbound hybrids.
package pdfa3
