package httpapi_test

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkServeHTTP measures an authenticated request (token hash, store
// lookup, role check, access log, metrics) against the public /healthz as
// the reference, so the cost of authentication reads as a ratio.
func BenchmarkServeHTTP(b *testing.B) {
	f := setup(b)
	for _, bc := range []struct{ name, path, auth string }{
		{"healthz_reference", "/healthz", ""},
		{"whoami_authenticated", "/v1/whoami", "Bearer " + f.tokens["acme/auditor"]},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", bc.path, nil)
				if bc.auth != "" {
					req.Header.Set("Authorization", bc.auth)
				}
				rec := httptest.NewRecorder()
				f.api.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
		})
	}
}
