// Package mappings loads the hub's configuration tree and binds adapters by
// name:
//
//	DIR/deployment.yaml                    process-wide bindings (store, bus, http)
//	DIR/tenants/<tenant>/_tenant.yaml      a tenant's defaults
//	DIR/tenants/<tenant>/<org>.yaml        one organization; overrides the defaults
//
// An organization has a zone (a country registered through ports.RegisterZone),
// numbering series per document type, a chart-of-accounts map, a cost-centre
// map and bindings. Under `bindings:` each port key holds a single adapter
// name whose value is that adapter's settings (the benthos style):
//
//	bindings:
//	  gl_export:
//	    sap_idoc: { partner_number: ACMEDE01, credentials_ref: "env:SAP_ACME" }
//
// An organization inherits every tenant binding it does not name. When both
// name the same adapter for a port, the organization's settings are laid over
// the tenant's key by key; a different adapter replaces the tenant's binding.
// Accounts and cost centres merge key by key; numbering merges per document type.
// The `capture:`, `pricing:` and `billing:` (billers' auto-assignment rules)
// sections of an organization replace its tenant's as a whole.
//
// Load reports every problem at once, each with file, line, field path and
// what was expected. Adapters that are planned but not registered in this
// build are reported as warnings, not errors. Secrets never live in mappings:
// secret-looking keys must end in _ref and hold "env:NAME" or "file:/path".
package mappings
