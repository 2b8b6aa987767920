package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/rules"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/mappings"
	"github.com/revhub/revhub/ports"
)

// services are the use cases the routes, workers and commands of one
// opened hub share: one tariff cache, one capturer.
type services struct {
	pricing *app.Pricing
	capture *app.Capturer
	orgs    map[string]*orgServices // tenant + "/" + org
}

// orgServices is what mappings say about one organization, compiled once.
type orgServices struct {
	org     *mappings.Org
	zone    ports.ZoneSpec
	pricing app.PricingConfig
	capture capture.Rules
	posting string
}

var svcMu sync.Mutex

// services builds the hub's use cases on first use.
func (hb *hub) services() (*services, error) {
	svcMu.Lock()
	defer svcMu.Unlock()
	if hb.svc != nil {
		return hb.svc, nil
	}
	s := &services{orgs: map[string]*orgServices{}}
	if hb.cfg != nil {
		for _, t := range hb.cfg.Tenants {
			for _, o := range t.Orgs {
				osv, err := compileOrg(o)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", o.File, err)
				}
				s.orgs[o.Tenant+"/"+o.ID] = osv
			}
		}
	}
	s.pricing = &app.Pricing{Store: hb.store, Clock: hb.deps.Now, Config: s.pricingConfig}
	s.capture = &app.Capturer{Store: hb.store, Price: s.pricing.PriceFunc(), Actor: "system:capture",
		Rules: func(tenant, org string) (capture.Rules, error) {
			o, err := s.org(tenant, org)
			if err != nil {
				return capture.Rules{}, err
			}
			return o.capture, nil
		},
		Posting: func(tenant, org string) string {
			if o, err := s.org(tenant, org); err == nil {
				return o.posting
			}
			return ""
		}}
	hb.svc = s
	return s, nil
}

func compileOrg(o *mappings.Org) (*orgServices, error) {
	osv := &orgServices{org: o}
	osv.zone, _ = ports.Zone(o.Zone)
	prec, err := o.Pricing.Order()
	if err != nil {
		return nil, err
	}
	osv.pricing = app.PricingConfig{Precedence: prec, Rounding: osv.zone.Rounding, Groups: o.Pricing.Groups}
	if osv.pricing.Rounding == 0 {
		osv.pricing.Rounding = money.HalfUp
	}
	if o.Pricing != nil {
		if osv.pricing.Rules, err = rules.Compile(o.Pricing.Rules, o.Pricing.Holidays); err != nil {
			return nil, err
		}
		if o.Pricing.TimeZone != "" {
			if osv.pricing.Location, err = time.LoadLocation(o.Pricing.TimeZone); err != nil {
				return nil, err
			}
		}
	}
	if o.Capture != nil {
		osv.capture = *o.Capture
	}
	if b, ok := o.Bindings["gl_export"]; ok {
		osv.posting = "gl_export/" + b.Adapter
	}
	return osv, nil
}

// org returns an organization's services, or a field error naming it.
func (s *services) org(tenant, org string) (*orgServices, error) {
	if org == "" {
		return nil, &validate.FieldError{Path: "org", Code: "required", Msg: "name the organization", Err: validate.ErrRequired}
	}
	o, ok := s.orgs[tenant+"/"+org]
	if !ok {
		return nil, &validate.FieldError{Path: "org", Code: "unknown_organization",
			Msg: fmt.Sprintf("tenant %s has no organization %q in mappings", tenant, org)}
	}
	return o, nil
}

func (s *services) pricingConfig(tenant, org string) (app.PricingConfig, error) {
	o, err := s.org(tenant, org)
	if err != nil {
		return app.PricingConfig{}, err
	}
	return o.pricing, nil
}

// tenantZone returns the zone of a tenant's organization (org "" for its
// first), for decimal separators and currency.
func (s *services) tenantZone(hb *hub, tenant, org string) (ports.ZoneSpec, error) {
	if org != "" {
		o, err := s.org(tenant, org)
		if err != nil {
			return ports.ZoneSpec{}, err
		}
		return o.zone, nil
	}
	if hb.cfg != nil {
		if t, ok := hb.cfg.Tenant(tenant); ok && len(t.Orgs) > 0 {
			return s.orgs[tenant+"/"+t.Orgs[0].ID].zone, nil
		}
	}
	return ports.ZoneSpec{}, &validate.FieldError{Path: "tenant", Code: "unknown_tenant", Msg: fmt.Sprintf("no tenant %q with organizations in mappings", tenant)}
}

// tenants lists the tenants of the mappings.
func (hb *hub) tenants() []string {
	if hb.cfg == nil {
		return nil
	}
	out := make([]string, 0, len(hb.cfg.Tenants))
	for _, t := range hb.cfg.Tenants {
		out = append(out, t.ID)
	}
	return out
}

// tenant returns a tenant of the mappings.
func (hb *hub) tenant(id string) (*mappings.Tenant, bool) {
	if hb.cfg == nil {
		return nil, false
	}
	return hb.cfg.Tenant(id)
}
