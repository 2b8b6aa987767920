package en16931

// Level is how much of the EN 16931 model a CII document carries.
type Level uint8

// Levels, from the smallest Factur-X profile to the full model.
const (
	Full    Level = iota // EN 16931 core: XRechnung, ZUGFeRD/Factur-X EN16931
	Basic                // Factur-X BASIC: lines, no contacts, item ids or bank names
	Minimum              // Factur-X MINIMUM: header and totals only, no lines
)

// Profile parameterises a writer with a CIUS or profile.
type Profile struct {
	SpecID    string // BT-24 specification identifier
	ProcessID string // BT-23 business process type; empty to leave out
	Level     Level  // CII only
}

// Specification identifiers (BT-24) of the profiles the hub emits.
const (
	SpecEN16931     = "urn:cen.eu:en16931:2017"
	SpecXRechnung30 = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
	SpecFXBasic     = "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"
	SpecFXMinimum   = "urn:factur-x.eu:1p0:minimum"
	SpecPeppolBIS3  = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	ProcessPeppol   = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)
