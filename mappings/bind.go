package mappings

import "github.com/revhub/revhub/ports"

// Binding returns the adapter bound to port for an organization, with a
// strict decoder of its settings. An empty tenant asks deployment.yaml.
func (c *Config) Binding(tenant, org, port string) (name string, dec ports.Decoder, ok bool) {
	b, ok := c.binding(tenant, org, port)
	if !ok {
		return "", nil, false
	}
	return b.Adapter, b.Decoder(), true
}

func (c *Config) binding(tenant, org, port string) (*Binding, bool) {
	if tenant == "" {
		b, ok := c.Deployment.Bindings[port]
		return b, ok
	}
	o, ok := c.Org(tenant, org)
	if !ok {
		return nil, false
	}
	b, ok := o.Bindings[port]
	return b, ok
}

// Bind builds the adapter bound to reg's port for an organization (or, with
// an empty tenant, for the process). Errors are Problems addressed by file,
// line and field path:
//
//	tenants/acme/org-berlin.yaml:12: bindings.gl_export.sap_idoc.partner_number: required
//
// On error the returned T is its zero value (a real nil for interfaces).
func Bind[T any](c *Config, reg *ports.Registry[T], tenant, org string, deps ports.Deps) (T, error) {
	var zero T
	port := reg.Port()
	b, ok := c.binding(tenant, org, port)
	if !ok {
		p := &Problem{File: "deployment.yaml", Path: "bindings." + port, Code: "not_bound", Msg: "no " + port + " adapter is bound"}
		if tenant != "" {
			p.File = "tenants/" + tenant + "/" + org + ".yaml"
			if o, found := c.Org(tenant, org); found {
				p.File = o.File
				p.Msg += " here or in _tenant.yaml"
			} else {
				p.Msg = "unknown organization " + quote(org) + " of tenant " + quote(tenant)
				p.Code, p.Path = "not_found", ""
			}
		}
		return zero, Problems{p}
	}
	deps.Tenant, deps.Org = tenant, org
	v, err := reg.Build(b.Adapter, b.Decoder(), deps)
	if err != nil {
		return zero, b.problems(err)
	}
	return v, nil
}
