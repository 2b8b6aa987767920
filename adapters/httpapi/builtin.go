package httpapi

import (
	"context"
	_ "embed"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/revhub/revhub/ports"
)

//go:embed openapi.json
var openapiDoc []byte

// readyTimeout bounds each readiness check.
const readyTimeout = 2 * time.Second

func (s *Server) builtinRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/healthz", Public: true, Handler: func(w http.ResponseWriter, _ *http.Request) error {
			return WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		}},
		{Method: "GET", Pattern: "/readyz", Public: true, Handler: s.ready},
		{Method: "GET", Pattern: "/metrics", Public: true, Handler: s.serveMetrics},
		{Method: "GET", Pattern: "/v1/openapi.json", Public: true, Handler: func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(openapiDoc)
			return nil
		}},
		{Method: "GET", Pattern: "/v1/whoami", Roles: Roles, Handler: whoami},
	}
}

// serveMetrics answers a scrape: process and HTTP metrics for anyone, plus
// the caller's own tenant figures when it sends a valid bearer token of a
// role other than provider.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	gs := prometheus.Gatherers{s.metrics.reg}
	if r.Header.Get("Authorization") != "" {
		tok, err := s.authenticate(r)
		if err != nil {
			return err
		}
		s.mu.RLock()
		fn := s.tenantMetrics
		s.mu.RUnlock()
		if fn != nil && tok.Role != ports.RoleProvider { // a provider sees its own remittances, not the tenant's figures
			reg := prometheus.NewRegistry()
			if err := reg.Register(fn(tok.Tenant)); err != nil {
				return err
			}
			gs = append(gs, reg)
		}
	}
	promhttp.HandlerFor(gs, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}

// ready pings the store and runs every registered check. Failures are
// logged, not returned: the probe is public and errors may name internals.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) error {
	s.mu.RLock()
	checks := append([]check{{"store", s.store.Ping}}, s.checks...)
	s.mu.RUnlock()
	status, results := http.StatusOK, map[string]string{}
	for _, c := range checks {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		err := c.fn(ctx)
		cancel()
		results[c.name] = "ok"
		if err != nil {
			s.log.WarnContext(r.Context(), "readiness check failed", "check", c.name, "err", err)
			status, results[c.name] = http.StatusServiceUnavailable, "fail"
		}
	}
	overall := "ok"
	if status != http.StatusOK {
		overall = "fail"
	}
	return WriteJSON(w, status, map[string]any{"status": overall, "checks": results})
}

func whoami(w http.ResponseWriter, r *http.Request) error {
	p, _ := PrincipalFrom(r.Context())
	out := map[string]string{"tenant": p.Tenant, "role": string(p.Role), "token_id": p.TokenID, "name": p.Name}
	if p.Provider != "" {
		out["provider"] = p.Provider
	}
	return WriteJSON(w, http.StatusOK, out)
}
