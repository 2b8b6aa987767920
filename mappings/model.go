package mappings

import (
	"sort"

	"github.com/revhub/revhub/core/capture"
)

// Config is a loaded, validated configuration tree.
type Config struct {
	Deployment Deployment
	Tenants    []*Tenant // sorted by ID
	// Warnings lists bindings to planned adapters missing from this build,
	// and tenants without organizations.
	Warnings Problems
}

// Deployment holds the process-wide bindings from deployment.yaml.
type Deployment struct {
	Name     string
	Bindings map[string]*Binding // by port key
}

// Tenant is one customer of the hub: a directory under tenants/.
type Tenant struct {
	ID   string
	Name string
	Orgs []*Org // sorted by ID
}

// Org is one organization of a tenant, with the tenant's defaults applied.
type Org struct {
	ID          string
	Tenant      string
	Name        string
	Code        string // short upper-case code, {ORG} in numbering patterns
	File        string // the organization's file, relative to the tree's root
	Zone        string // ISO 3166-1 alpha-2, upper case
	Identifiers map[string]string
	Numbering   map[DocType]Series
	Accounts    map[string]string   // revhub account key -> external GL account
	CostCentres map[string]string   // revhub cost-centre key -> external cost centre
	Bindings    map[string]*Binding // by port key
	Capture     *capture.Rules      // `capture:` of the org, else of the tenant; nil for none
	Pricing     *Pricing            // `pricing:` of the org, else of the tenant; nil for the defaults
	Billing     *Billing            // `billing:` of the org, else of the tenant; nil for none
}

// DocType is a kind of numbered document.
type DocType string

// The numbered document types; every organization needs a series for each.
const (
	Invoice    DocType = "invoice"
	CreditNote DocType = "credit_note"
)

var docTypes = []DocType{Invoice, CreditNote}

// Reset says when a series' counter starts again at 1.
type Reset string

// Counter resets.
const (
	ResetYearly Reset = "yearly"
	ResetNever  Reset = "never"
)

// Series is a numbering series: "{ORG}-{YYYY}-{SEQ:6}" gives "PERH-2025-000042".
type Series struct {
	Name    string
	Pattern string
	Reset   Reset
}

// Tenant returns the tenant with id.
func (c *Config) Tenant(id string) (*Tenant, bool) {
	i := sort.Search(len(c.Tenants), func(i int) bool { return c.Tenants[i].ID >= id })
	if i < len(c.Tenants) && c.Tenants[i].ID == id {
		return c.Tenants[i], true
	}
	return nil, false
}

// Org returns the organization org of tenant.
func (c *Config) Org(tenant, org string) (*Org, bool) {
	t, ok := c.Tenant(tenant)
	if !ok {
		return nil, false
	}
	i := sort.Search(len(t.Orgs), func(i int) bool { return t.Orgs[i].ID >= org })
	if i < len(t.Orgs) && t.Orgs[i].ID == org {
		return t.Orgs[i], true
	}
	return nil, false
}
