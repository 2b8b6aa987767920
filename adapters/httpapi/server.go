// Package httpapi is the hub's HTTP API: tenant-scoped bearer tokens with
// per-route roles, RFC 9457 problem responses, Prometheus metrics, health
// and readiness probes, and the OpenAPI document at /v1/openapi.json.
//
// Routes are declared in tables and added with Server.Handle, so a package
// that serves /v1/sync or /v1/fhir adds its own routes without editing this
// one; every route must also appear in openapi.json (see Server.DocDrift).
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/revhub/revhub/ports"
)

// Options wires a Server.
type Options struct {
	Store  ports.Store      // required: tokens, audit, readiness
	Logger *slog.Logger     // request and error logs; wrap its handler in logx.Mask
	Clock  func() time.Time // defaults to time.Now
}

// Server is the API's http.Handler.
type Server struct {
	store   ports.Store
	log     *slog.Logger
	now     func() time.Time
	mux     *http.ServeMux
	metrics *metrics

	mu            sync.RWMutex
	routes        []Route
	checks        []check
	tenantMetrics func(tenant string) prometheus.Collector
}

type check struct {
	name string
	fn   func(context.Context) error
}

// New returns a Server with the built-in routes: /healthz, /readyz,
// /metrics, /v1/openapi.json, /v1/whoami, /v1/audit and /v1/audit/verify.
func New(o Options) *Server {
	if o.Store == nil {
		panic("httpapi: Options.Store is required")
	}
	s := &Server{store: o.Store, log: o.Logger, now: o.Clock, mux: http.NewServeMux(), metrics: newMetrics()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.mux.Handle("/", s.wrap(Route{Public: true}, func(http.ResponseWriter, *http.Request) error {
		return &Problem{Status: http.StatusNotFound, Code: "not_found", Detail: "no such resource"}
	}))
	s.Handle(s.builtinRoutes()...)
	s.Handle(s.auditRoutes()...)
	return s
}

// Route is one entry of the API's route table.
type Route struct {
	Method  string       // "GET", "POST", ...
	Pattern string       // ServeMux path pattern: "/v1/audit", "/v1/tenants/{tenant}/runs/{id}"
	Roles   []ports.Role // roles allowed; empty only when Public
	Public  bool         // no token needed (probes, metrics, the OpenAPI document)
	Handler HandlerFunc
}

// HandlerFunc serves one request. A returned error becomes a problem
// response (see ProblemFor); the handler must not have written anything then.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle adds routes. It panics on a malformed or duplicate route: both are
// programmer errors seen at start-up.
func (s *Server) Handle(routes ...Route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rt := range routes {
		switch {
		case rt.Method == "" || strings.ToUpper(rt.Method) != rt.Method || strings.ContainsAny(rt.Method, " /"):
			panic(fmt.Sprintf("httpapi: route %q: method must be an upper-case HTTP method", rt.Pattern))
		case !strings.HasPrefix(rt.Pattern, "/") || strings.ContainsAny(rt.Pattern, " \t"):
			panic(fmt.Sprintf("httpapi: route %s %q: pattern must be a path starting with /", rt.Method, rt.Pattern))
		case !rt.Public && len(rt.Roles) == 0:
			panic(fmt.Sprintf("httpapi: route %s %s: needs Roles or Public", rt.Method, rt.Pattern))
		case rt.Handler == nil:
			panic(fmt.Sprintf("httpapi: route %s %s: nil Handler", rt.Method, rt.Pattern))
		}
		for _, role := range rt.Roles {
			if !slices.Contains(Roles, role) {
				panic(fmt.Sprintf("httpapi: route %s %s: unknown role %q", rt.Method, rt.Pattern, role))
			}
		}
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt, rt.Handler)) // panics on a duplicate
		s.routes = append(s.routes, rt)
	}
}

// Routes returns the route table, sorted by pattern then method.
func (s *Server) Routes() []Route {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := slices.Clone(s.routes)
	slices.SortFunc(out, func(a, b Route) int {
		return strings.Compare(a.Pattern+" "+a.Method, b.Pattern+" "+b.Method)
	})
	return out
}

// AddCheck adds a readiness check run by /readyz after the store's Ping.
func (s *Server) AddCheck(name string, fn func(context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, check{name, fn})
}

// Metrics returns the server's own Prometheus registry, served at
// /metrics, so other packages can register their collectors.
func (s *Server) Metrics() *prometheus.Registry { return s.metrics.reg }

// TenantMetrics adds per-tenant figures to /metrics: a scrape that
// authenticates with a bearer token also gets fn(its tenant). An anonymous
// scrape sees only process and HTTP metrics, never a tenant's data.
func (s *Server) TenantMetrics(fn func(tenant string) prometheus.Collector) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenantMetrics = fn
}

// ServeHTTP logs, measures and routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	info := &reqInfo{}
	rec := &statusRecorder{ResponseWriter: w}
	r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info))
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(r.Context(), "http handler panic", "route", r.Pattern, "panic", fmt.Sprint(p))
			if rec.status == 0 {
				writeProblem(rec, r, &Problem{Status: http.StatusInternalServerError, Code: "internal"})
			}
		}
		s.observe(r, rec.code(), time.Since(start), info)
	}()
	s.mux.ServeHTTP(rec, r)
}

func (s *Server) observe(r *http.Request, status int, d time.Duration, info *reqInfo) {
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	s.metrics.observe(route, status, d)
	level := slog.LevelInfo
	if info.public {
		level = slog.LevelDebug // probes and scrapes would drown the log
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method), slog.String("route", route),
		slog.Int("status", status), slog.Duration("duration", d),
	}
	if info.tenant != "" {
		attrs = append(attrs, slog.String("tenant", info.tenant), slog.String("role", string(info.role)))
	}
	s.log.LogAttrs(r.Context(), level, "http request", attrs...)
}

// reqInfo carries what the route wrapper learns back to the access log.
type reqInfo struct {
	public        bool
	tenant        string
	role          ports.Role
	tokenID, name string
	provider      string
}

type reqInfoKey struct{}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusRecorder) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
