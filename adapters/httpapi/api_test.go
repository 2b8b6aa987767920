package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/embedded"
	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
)

var now = time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)

type fixture struct {
	store  ports.Store
	db     string // SQLite file, for tampering
	srv    *httptest.Server
	api    *httpapi.Server
	tokens map[string]string // "tenant/role" or "revoked" → secret
}

func setup(t testing.TB) *fixture {
	t.Helper()
	deps := testharness.Deps(t)
	s, err := embedded.New(embedded.Config{Path: "revhub.db"}, deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{store: s, db: filepath.Join(deps.DataDir, "revhub.db"), tokens: map[string]string{}}
	ctx := context.Background()
	for _, tenant := range []string{"acme", "globex"} {
		for _, role := range httpapi.Roles {
			nt := httpapi.NewToken{Tenant: tenant, Role: role, Name: "t", Actor: "test"}
			if role == ports.RoleProvider {
				nt.Provider = "1234567893"
			}
			secret, _, err := httpapi.CreateToken(ctx, s, nt, now)
			if err != nil {
				t.Fatal(err)
			}
			f.tokens[tenant+"/"+string(role)] = secret
		}
	}
	secret, tok, err := httpapi.CreateToken(ctx, s, httpapi.NewToken{Tenant: "acme", Role: ports.RoleAuditor, Name: "old", Actor: "test"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := httpapi.RevokeToken(ctx, s, "acme", tok.ID, "test", "rotated", now); err != nil {
		t.Fatal(err)
	}
	f.tokens["revoked"] = secret
	f.api = httpapi.New(httpapi.Options{Store: s, Logger: deps.Logger})
	f.api.Handle(httpapi.Route{Method: "GET", Pattern: "/v1/tenants/{tenant}/ping", Roles: []ports.Role{ports.RoleFinance, ports.RoleAuditor},
		Handler: func(w http.ResponseWriter, r *http.Request) error {
			return httpapi.WriteJSON(w, http.StatusOK, map[string]string{"tenant": r.PathValue("tenant")})
		}})
	f.srv = httptest.NewServer(f.api)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) get(t *testing.T, token, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func TestAPI_rolesAndTenantIsolation(t *testing.T) {
	f := setup(t)
	bearer := func(k string) string { return "Bearer " + f.tokens[k] }
	for _, tc := range []struct {
		name   string
		auth   string
		path   string
		status int
		code   string // problem code, for errors
	}{
		{"no token", "", "/v1/whoami", 401, "unauthorized"},
		{"basic scheme", "Basic " + f.tokens["acme/auditor"], "/v1/whoami", 401, "unauthorized"},
		{"unknown token", "Bearer rhk_nope", "/v1/whoami", 401, "unauthorized"},
		{"revoked token", bearer("revoked"), "/v1/whoami", 401, "unauthorized"},
		{"lower-case scheme", "bearer " + f.tokens["acme/finance"], "/v1/whoami", 200, ""},
		{"integration whoami", bearer("acme/integration"), "/v1/whoami", 200, ""},
		{"auditor reads audit", bearer("acme/auditor"), "/v1/audit", 200, ""},
		{"finance reads audit", bearer("acme/finance"), "/v1/audit", 200, ""},
		{"implementer verifies", bearer("acme/implementer"), "/v1/audit/verify", 200, ""},
		{"integration may not read audit", bearer("acme/integration"), "/v1/audit", 403, "forbidden"},
		{"integration may not verify", bearer("acme/integration"), "/v1/audit/verify", 403, "forbidden"},
		{"other tenant in query", bearer("acme/auditor"), "/v1/audit?tenant=globex", 404, "not_found"},
		{"own tenant in query", bearer("acme/auditor"), "/v1/audit?tenant=acme", 200, ""},
		{"own tenant in path", bearer("acme/finance"), "/v1/tenants/acme/ping", 200, ""},
		{"other tenant in path", bearer("acme/finance"), "/v1/tenants/globex/ping", 404, "not_found"},
		{"other tenant beats wrong role", bearer("acme/integration"), "/v1/tenants/globex/ping", 404, "not_found"},
		{"wrong role own tenant", bearer("acme/integration"), "/v1/tenants/acme/ping", 403, "forbidden"},
		{"other tenant unauthenticated", "", "/v1/tenants/globex/ping", 401, "unauthorized"},
		{"unknown route", bearer("acme/auditor"), "/v1/nope", 404, "not_found"},
		{"bad cursor", bearer("acme/auditor"), "/v1/audit?cursor=x&limit=0", 400, "invalid"},
		{"healthz public", "", "/healthz", 200, ""},
		{"readyz public", "", "/readyz", 200, ""},
		{"metrics public", "", "/metrics", 200, ""},
		{"openapi public", "", "/v1/openapi.json", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.get(t, tc.auth, tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, body)
			}
			if tc.code == "" {
				return
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q", ct)
			}
			var p httpapi.Problem
			if err := json.Unmarshal(body, &p); err != nil || p.Code != tc.code || p.Status != tc.status || p.Title == "" || p.Type == "" {
				t.Fatalf("problem %s (%v), want code %s", body, err, tc.code)
			}
			if tc.status == 401 && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatal("401 without WWW-Authenticate: Bearer")
			}
		})
	}
}

func TestAPI_whoami(t *testing.T) {
	f := setup(t)
	_, body := f.get(t, "Bearer "+f.tokens["globex/finance"], "/v1/whoami")
	var got map[string]string
	json.Unmarshal(body, &got)
	if got["tenant"] != "globex" || got["role"] != "finance" || !strings.HasPrefix(got["token_id"], "tok_") {
		t.Fatalf("whoami = %s", body)
	}
}

func TestAPI_badRequestCarriesFieldErrors(t *testing.T) {
	f := setup(t)
	_, body := f.get(t, "Bearer "+f.tokens["acme/auditor"], "/v1/audit?cursor=x&limit=0")
	var p httpapi.Problem
	json.Unmarshal(body, &p)
	got := map[string]string{}
	for _, e := range p.Errors {
		got[e.Path] = e.Code
	}
	if got["cursor"] != "invalid" || got["limit"] != "invalid" || len(got) != 2 {
		t.Fatalf("field errors %+v", p.Errors)
	}
}

func TestAPI_auditListIsTenantScopedAndPaged(t *testing.T) {
	f := setup(t)
	// setup recorded one token.create per token: 5 for globex, 5+1 create + 1 revoke for acme.
	err := f.store.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		_, err := app.Record(ctx, tx, "acme", audit.Draft{Actor: "u1", Action: "invoice.issue", Subject: "invoice/1"}, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var seqs []int64
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		res, body := f.get(t, "Bearer "+f.tokens["acme/auditor"], "/v1/audit?limit=3"+cursor)
		if res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		var page httpapi.AuditPage
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			if e.Tenant != "acme" {
				t.Fatalf("acme token sees %s's entry %d", e.Tenant, e.Seq)
			}
			seqs = append(seqs, e.Seq)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = "&cursor=" + page.NextCursor
	}
	if fmt.Sprint(seqs) != "[1 2 3 4 5 6 7 8]" {
		t.Fatalf("seqs %v", seqs)
	}
	_, body := f.get(t, "Bearer "+f.tokens["globex/auditor"], "/v1/audit")
	var page httpapi.AuditPage
	json.Unmarshal(body, &page)
	if len(page.Entries) != 5 || page.Entries[0].Tenant != "globex" || page.Entries[0].Action != "token.create" {
		t.Fatalf("globex sees %s", body)
	}
	if strings.Contains(string(body), "rhk_") {
		t.Fatal("audit log holds a token secret")
	}
}

func TestAPI_verifyNamesFirstBrokenEntry(t *testing.T) {
	f := setup(t)
	verify := func() httpapi.VerifyResult {
		res, body := f.get(t, "Bearer "+f.tokens["acme/auditor"], "/v1/audit/verify")
		var v httpapi.VerifyResult
		if err := json.Unmarshal(body, &v); err != nil || res.StatusCode != 200 {
			t.Fatalf("%d %s %v", res.StatusCode, body, err)
		}
		return v
	}
	if v := verify(); !v.OK || v.Entries != 7 || len(v.Head) != 64 || v.Broken != nil {
		t.Fatalf("intact chain: %+v", v)
	}
	db, err := sql.Open("sqlite", f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE audit_entries SET actor = 'mallory' WHERE tenant = 'acme' AND seq = 2`); err != nil {
		t.Fatal(err)
	}
	v := verify()
	if v.OK || v.Broken == nil || v.Broken.Seq != 2 || v.Entries != 1 || !strings.Contains(v.Broken.Reason, "edited") {
		t.Fatalf("tampered chain: %+v", v)
	}
	res, body := f.get(t, "Bearer "+f.tokens["globex/auditor"], "/v1/audit/verify")
	if res.StatusCode != 200 || !strings.Contains(string(body), `"ok":true`) {
		t.Fatalf("globex affected by acme's tampering: %s", body)
	}
}

func TestAPI_readinessChecksAndMetrics(t *testing.T) {
	f := setup(t)
	f.api.AddCheck("bus", func(context.Context) error { return fmt.Errorf("dial 10.0.0.1: refused") })
	res, body := f.get(t, "", "/readyz")
	if res.StatusCode != 503 || !strings.Contains(string(body), `"bus":"fail"`) || strings.Contains(string(body), "10.0.0.1") {
		t.Fatalf("readyz %d %s", res.StatusCode, body)
	}
	f.get(t, "Bearer "+f.tokens["acme/auditor"], "/v1/audit?tenant=acme")
	f.get(t, "Bearer "+f.tokens["acme/auditor"], "/v1/tenants/acme/ping")
	f.get(t, "", "/v1/no/such/thing/123")
	_, metrics := f.get(t, "", "/metrics")
	for _, want := range []string{
		`revhub_http_requests_total{route="GET /v1/audit",status="200"} 1`,
		`revhub_http_requests_total{route="GET /v1/tenants/{tenant}/ping",status="200"} 1`,
		`revhub_http_requests_total{route="GET /readyz",status="503"} 1`,
		`revhub_http_requests_total{route="/",status="404"} 1`,
		`revhub_http_request_duration_seconds_count{route="GET /v1/audit"} 1`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(string(metrics), "acme") || strings.Contains(string(metrics), "123") && strings.Contains(string(metrics), "/v1/no/such") {
		t.Error("metrics carry tenant or raw path labels")
	}
}

func TestOpenAPI_documentsEveryRoute(t *testing.T) {
	var doc map[string]any
	f := setup(t)
	_, body := f.get(t, "", "/v1/openapi.json")
	if err := json.Unmarshal(body, &doc); err != nil || doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi.json: %v", err)
	}
	// Routes that cmd/revhub adds are documented here too; its
	// TestServe_routesAreDocumented checks the full table both ways.
	drift, err := httpapi.New(httpapi.Options{Store: f.store}).DocDrift()
	drift = slices.DeleteFunc(drift, func(d string) bool { return strings.HasPrefix(d, "no route serves: ") })
	if err != nil || len(drift) != 0 {
		t.Fatalf("openapi.json drifted from the route table: %v %v", err, drift)
	}
	drift, _ = f.api.DocDrift() // has the undocumented test route
	drift = slices.DeleteFunc(drift, func(d string) bool { return strings.HasPrefix(d, "no route serves: ") })
	if len(drift) != 1 || drift[0] != "not in openapi.json: GET /v1/tenants/{tenant}/ping" {
		t.Fatalf("drift not reported: %v", drift)
	}
}

func TestHandle_rejectsBadRoutes(t *testing.T) {
	f := setup(t)
	ok := func(http.ResponseWriter, *http.Request) error { return nil }
	for _, tc := range []struct {
		name string
		rt   httpapi.Route
	}{
		{"no roles", httpapi.Route{Method: "GET", Pattern: "/v1/x", Handler: ok}},
		{"lower-case method", httpapi.Route{Method: "get", Pattern: "/v1/x", Public: true, Handler: ok}},
		{"relative pattern", httpapi.Route{Method: "GET", Pattern: "v1/x", Public: true, Handler: ok}},
		{"unknown role", httpapi.Route{Method: "GET", Pattern: "/v1/x", Roles: []ports.Role{"admin"}, Handler: ok}},
		{"nil handler", httpapi.Route{Method: "GET", Pattern: "/v1/x", Public: true}},
		{"duplicate", httpapi.Route{Method: "GET", Pattern: "/v1/audit", Roles: httpapi.Roles, Handler: ok}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f.api.Handle(tc.rt)
		})
	}
}
