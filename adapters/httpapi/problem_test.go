package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/adapters/kit/logx"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

func TestProblemFor(t *testing.T) {
	var ves validate.Errors
	ves.Required("lines[0].code")
	ves.Add("total", "negative", "must not be negative")
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
		fields int
	}{
		{"validation errors", ves.Err(), 400, "invalid", 2},
		{"wrapped field error", errors.Join(errors.New("x"), validate.Errorf("amount", "currency_mismatch", "EUR vs USD")), 400, "invalid", 1},
		{"invalid kind", ports.E("op", ports.Invalid, errors.New("bad")), 400, "invalid", 0},
		{"not found", ports.E("op", ports.NotFound, errors.New("acme/secret-thing")), 404, "not_found", 0},
		{"conflict", ports.E("op", ports.Conflict, nil), 409, "conflict", 0},
		{"permission", ports.E("op", ports.Permission, nil), 403, "forbidden", 0},
		{"transient", ports.E("op", ports.Transient, nil), 503, "unavailable", 0},
		{"unavailable", ports.E("op", ports.Unavailable, nil), 503, "unavailable", 0},
		{"unknown error hides text", errors.New("pq: password authentication failed"), 500, "internal", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := httpapi.ProblemFor(tc.err)
			if p.Status != tc.status || p.Code != tc.code || len(p.Errors) != tc.fields {
				t.Fatalf("ProblemFor = %+v", p)
			}
			if strings.Contains(p.Detail, "password") || strings.Contains(p.Detail, "acme/secret") {
				t.Fatalf("detail leaks the cause: %q", p.Detail)
			}
		})
	}
}

func TestAccessLog_namesRouteAndTenantNeverToken(t *testing.T) {
	f := setup(t)
	var buf bytes.Buffer
	log := slog.New(logx.Mask(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	api := httpapi.New(httpapi.Options{Store: f.store, Logger: log})
	secret := f.tokens["acme/auditor"]
	for _, path := range []string{"/v1/audit?cursor=5", "/healthz"} {
		req := httptest.NewRequestWithContext(context.Background(), "GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		api.ServeHTTP(httptest.NewRecorder(), req)
	}
	out := buf.String()
	for _, want := range []string{
		`"level":"INFO","msg":"http request","method":"GET","route":"GET /v1/audit","status":200`,
		`"tenant":"acme","role":"auditor"`,
		`"level":"DEBUG","msg":"http request","method":"GET","route":"GET /healthz"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, secret) || strings.Contains(out, "Bearer") {
		t.Fatalf("log leaks the token:\n%s", out)
	}
}

func TestServeHTTP_recoversPanicAsProblem(t *testing.T) {
	f := setup(t)
	var buf bytes.Buffer
	api := httpapi.New(httpapi.Options{Store: f.store, Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	api.Handle(httpapi.Route{Method: "GET", Pattern: "/v1/boom", Public: true, Handler: func(http.ResponseWriter, *http.Request) error {
		panic("boom")
	}})
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/boom", nil))
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(rec.Body.String(), `"code":"internal"`) {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if !strings.Contains(buf.String(), `"msg":"http handler panic","route":"GET /v1/boom","panic":"boom"`) {
		t.Fatalf("panic not logged:\n%s", buf.String())
	}
}
